/**
 * Exact JSON for task inputs and results: what a task computes on a cluster node must come back
 * bit for bit, so the merge sees the same numbers as an in-process run.
 * - Typed arrays travel as base64 of their bytes ({"$f64": "…"}, $f32, $i32, $u8): exact for
 *   every double incl. NaN payloads and −0, and 4–6× smaller than decimal text.
 * - Plain numbers JSON cannot hold (NaN, ±Infinity, −0) travel as {"$num": "NaN"} etc.; every
 *   finite double round-trips through JSON's shortest decimal form exactly (ECMA-262 Number::toString).
 * - canonicalJson sorts object keys, so a hash of it names the content, not the key order.
 */
import { createHash } from 'node:crypto';

type Typed = Float64Array | Float32Array | Int32Array | Uint8Array;
const TAGS: Array<[string, new (b: ArrayBuffer) => Typed, (v: unknown) => boolean]> = [
  ['$f64', Float64Array, (v) => v instanceof Float64Array],
  ['$f32', Float32Array, (v) => v instanceof Float32Array],
  ['$i32', Int32Array, (v) => v instanceof Int32Array],
  ['$u8', Uint8Array, (v) => v instanceof Uint8Array],
];

/** A JSON-safe copy of `v` that decode() turns back into an identical value. */
export function encode(v: unknown): unknown {
  if (typeof v === 'number') {
    if (Number.isFinite(v) && !Object.is(v, -0)) return v;
    return { $num: Object.is(v, -0) ? '-0' : String(v) };
  }
  if (v === null || typeof v !== 'object') return v;
  for (const [tag, , is] of TAGS) {
    if (is(v)) {
      const a = v as Typed;
      return { [tag]: Buffer.from(a.buffer, a.byteOffset, a.byteLength).toString('base64') };
    }
  }
  if (Array.isArray(v)) return v.map(encode);
  const out: Record<string, unknown> = {};
  for (const [k, x] of Object.entries(v)) if (x !== undefined) out[k] = encode(x);
  return out;
}

export function decode(v: unknown): unknown {
  if (v === null || typeof v !== 'object') return v;
  if (Array.isArray(v)) return v.map(decode);
  const o = v as Record<string, unknown>;
  const keys = Object.keys(o);
  if (keys.length === 1) {
    const k = keys[0]!;
    if (k === '$num') return o.$num === '-0' ? -0 : Number(o.$num);
    const t = TAGS.find(([tag]) => tag === k);
    if (t) {
      const b = Buffer.from(o[k] as string, 'base64');
      // copy into a fresh, aligned buffer (a Buffer's offset need not be a multiple of 8)
      const ab = new ArrayBuffer(b.length);
      new Uint8Array(ab).set(b);
      return new t[1](ab);
    }
  }
  const out: Record<string, unknown> = {};
  for (const [k, x] of Object.entries(o)) out[k] = decode(x);
  return out;
}

/** JSON with sorted keys (after encode), the text every identity hash is taken of. */
export function canonicalJson(v: unknown): string {
  return JSON.stringify(sortKeys(encode(v)));
}

function sortKeys(v: unknown): unknown {
  if (v === null || typeof v !== 'object') return v;
  if (Array.isArray(v)) return v.map(sortKeys);
  const o = v as Record<string, unknown>;
  return Object.fromEntries(Object.keys(o).sort().map((k) => [k, sortKeys(o[k])]));
}

export function sha256(text: string): string {
  return createHash('sha256').update(text).digest('hex');
}

/**
 * Fields that differ between two runs of the same work: timings and speeds (setupSeconds,
 * stepsPerSecond, seconds) and where the input was read from (source). A result compared across
 * executors or machines is compared without them.
 */
export const VOLATILE_KEYS: readonly string[] = ['seconds', 'setupSeconds', 'stepsPerSecond', 'source'];

/** `v` without VOLATILE_KEYS at any depth, as indented JSON: the canonical file of a result. */
export function canonicalResultText(v: unknown, keys: readonly string[] = VOLATILE_KEYS): string {
  const strip = (x: unknown): unknown => {
    if (x === null || typeof x !== 'object') return x;
    if (Array.isArray(x)) return x.map(strip);
    return Object.fromEntries(Object.entries(x).filter(([k]) => !keys.includes(k)).map(([k, y]) => [k, strip(y)]));
  };
  return JSON.stringify(strip(v), null, 1) + '\n';
}

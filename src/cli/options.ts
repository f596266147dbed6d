/** Option parsing shared by the CLI commands: repeatable options, positive numbers, key=value params. */
import { OptionError } from '../core/errors.ts';
import type { MappingOptions } from '../structure/mapping.ts';

/** commander accumulator for a repeatable option (--param a=1 --param b=2). */
export function collect(value: string, previous: string[]): string[] {
  return [...previous, value];
}

export function positiveNumber(name: string, text: string): number {
  const x = Number(text);
  if (!(x > 0) || !Number.isFinite(x)) throw new OptionError(`--${name} must be a positive number, got '${text}'`, { field: name });
  return x;
}

/**
 * --symprec in Å: positive and at most 0.5 Å (beyond that distinct sites merge and the "symmetry"
 * found is meaningless, the same bound `celt structure info` uses).
 */
export function symprecOption(text: string): number {
  const x = Number(text);
  if (!(x > 0 && x <= 0.5)) throw new OptionError(`--symprec must be in (0, 0.5] Å, got '${text}'`, { field: 'symprec' });
  return x;
}

/** `--param key=value` list → record of raw strings (each method checks types and ranges). */
export function parseParams(list: string[]): Record<string, string> {
  const out: Record<string, string> = {};
  for (const kv of list) {
    const eq = kv.indexOf('=');
    if (eq <= 0) throw new OptionError(`--param must look like key=value, got '${kv}'`, { field: 'param' });
    const key = kv.slice(0, eq).trim();
    if (key in out) throw new OptionError(`--param ${key} is given twice`, { field: 'param' });
    out[key] = kv.slice(eq + 1).trim();
  }
  return out;
}

/** `--energy-key` / `--per-atom`: which property of an ASE database row is the energy to fit. */
export function addEntryOptions<C extends { option(flags: string, description: string): C }>(cmd: C): C {
  return cmd
    .option('--energy-key <key>', "property to fit: of an ASE database (.db) the 'energy' column or a key_value_pairs key, of extended XYZ a comment-line key (default energy)")
    .option('--per-atom', 'the --energy-key property is per atom (e.g. icet\'s mixing_energy); it is multiplied by the atom count');
}

export function entryOptions(o: { energyKey?: string; perAtom?: boolean }): { energyKey?: string; perAtom?: boolean } {
  const out: { energyKey?: string; perAtom?: boolean } = {};
  if (o.energyKey !== undefined) {
    if (!/^\w+$/.test(o.energyKey)) throw new OptionError(`--energy-key must be a property name, got '${o.energyKey}'`, { field: 'energy-key' });
    out.energyKey = o.energyKey;
  }
  if (o.perAtom) out.perAtom = true;
  return out;
}

/**
 * Largest sensible mapping settings: tolerances past these accept any cell as any other (and
 * make the lattice search enumerate without end), sizes past these are not DFT cells.
 */
const MAPPING_LIMITS = { ltol: 1, stol: 1, 'angle-tol': 45, 'supercell-size': 10_000 } as const;

function bounded(name: keyof typeof MAPPING_LIMITS, text: string): number {
  const x = positiveNumber(name, text);
  if (x > MAPPING_LIMITS[name]) throw new OptionError(`--${name} ${text} is past the limit of ${MAPPING_LIMITS[name]}`, { field: name });
  return x;
}

/** The mapping options `celt map` and `celt featurize` share, checked against MAPPING_LIMITS. */
export function mappingOptions(o: { ltol: string; stol: string; angleTol: string; supercellSize?: string; mode: string }): MappingOptions {
  if (o.mode !== 'standard' && o.mode !== 'anion-framework') throw new OptionError(`--mode must be standard or anion-framework, got '${o.mode}'`, { field: 'mode' });
  const opts: MappingOptions = { ltol: bounded('ltol', o.ltol), stol: bounded('stol', o.stol), angleTol: bounded('angle-tol', o.angleTol), mode: o.mode };
  if (o.supercellSize !== undefined) {
    const n = /^\d+$/.test(o.supercellSize) ? bounded('supercell-size', o.supercellSize) : undefined;
    opts.supercellSize = n ?? o.supercellSize;
  }
  return opts;
}

/**
 * The mapping settings in one line, with smol's (pymatgen StructureMatcher's) defaults beside
 * them: celt's CLI and `celt run` defaults are looser (0.15/0.20/15° vs 0.2/0.3/5°), so a user
 * comparing with smol sees what was used.
 */
export function mappingSettings(m: MappingOptions): string {
  return `mapping: ${m.mode ?? 'standard'}, ltol ${m.ltol}, stol ${m.stol}, angle-tol ${m.angleTol}°, supercell size by ${m.supercellSize ?? 'num_sites'} (smol's StructureMatcher defaults: ltol 0.2, stol 0.3, angle-tol 5°)`;
}

/**
 * A whole-number option within [min, max]: decimal digits, optionally with `_` separators or an
 * exponent ("200_000", "1e6"); 'abc', '1.5', '0x10', '' and out-of-range values are refused.
 */
export function integerOption(name: string, text: string, min: number, max = Number.MAX_SAFE_INTEGER): number {
  const t = text.trim();
  const x = /^[+-]?\d[\d_]*(e\+?\d+)?$/i.test(t) ? Number(t.replace(/_/g, '')) : NaN;
  if (!Number.isSafeInteger(x) || x < min || x > max) {
    const range = max === Number.MAX_SAFE_INTEGER ? `≥ ${min}` : `from ${min} to ${max}`;
    throw new OptionError(`--${name} must be a whole number ${range}, got '${text}'`, { field: name });
  }
  return x;
}

/** integerOption for an option that may be absent (undefined stays undefined: the command's default). */
export function optionalInteger(name: string, text: string | undefined, min: number, max?: number): number | undefined {
  return text === undefined ? undefined : integerOption(name, text, min, max);
}

/** `--seed`: any 32-bit unsigned integer (the RNG's seed space). */
export const seedOption = (text: string): number => integerOption('seed', text, 0, 2 ** 32 - 1);

/** `--threads`, absent = the command's default; more threads than this are never useful here. */
export const threadsOption = (text: string | undefined): number | undefined => optionalInteger('threads', text, 1, 256);

/**
 * Reader for NumPy `.npy` files (format versions 1–3): magic `\x93NUMPY`, version bytes, a
 * little-endian header length, a Python-dict literal header (`descr`, `fortran_order`,
 * `shape`), then raw data. Only numeric dtypes are accepted; everything is returned as
 * float64 in C (row-major) order.
 */
import { ParseError } from '../core/errors.ts';

export interface NpyArray {
  shape: number[];
  data: Float64Array;
}

const MAGIC = [0x93, 0x4e, 0x55, 0x4d, 0x50, 0x59];

export function parseNpy(buf: Uint8Array, file = '<npy>'): NpyArray {
  const fail = (msg: string) => new ParseError(msg, { file });
  if (buf.length < 10 || MAGIC.some((b, i) => buf[i] !== b)) throw fail('not a NumPy .npy file (missing \\x93NUMPY magic)');
  const major = buf[6]!;
  const view = new DataView(buf.buffer, buf.byteOffset, buf.byteLength);
  let headerLen: number, headerStart: number;
  if (major === 1) {
    headerLen = view.getUint16(8, true);
    headerStart = 10;
  } else if (major === 2 || major === 3) {
    if (buf.length < 12) throw fail('truncated .npy header');
    headerLen = view.getUint32(8, true);
    headerStart = 12;
  } else throw fail(`unsupported .npy format version ${major}`);
  if (headerStart + headerLen > buf.length) throw fail('truncated .npy header');
  const header = new TextDecoder(major === 3 ? 'utf-8' : 'latin1').decode(buf.subarray(headerStart, headerStart + headerLen));
  const descr = /['"]descr['"]\s*:\s*['"]([^'"]+)['"]/.exec(header)?.[1];
  const fortran = /['"]fortran_order['"]\s*:\s*(True|False)/.exec(header)?.[1];
  const shapeText = /['"]shape['"]\s*:\s*\(([^)]*)\)/.exec(header)?.[1];
  if (descr === undefined || fortran === undefined || shapeText === undefined) throw fail(`malformed .npy header: ${header.trim()}`);
  const shape = shapeText.split(',').map((t) => t.trim()).filter((t) => t !== '').map(Number);
  if (shape.some((d) => !Number.isInteger(d) || d < 0)) throw fail(`bad shape (${shapeText}) in .npy header`);
  const count = shape.reduce((a, b) => a * b, 1);
  const m = /^([<>|=])([fiub])(\d+)$/.exec(descr);
  if (!m) throw fail(`unsupported dtype '${descr}' (only numeric arrays can be read)`);
  const [, order, kind, sizeStr] = m;
  const size = Number(sizeStr);
  const little = order !== '>';
  const start = headerStart + headerLen;
  if (start + count * size > buf.length) throw fail(`data truncated: header says ${count} values of ${size} bytes, file has ${buf.length - start} data bytes`);
  const read = reader(kind!, size, little, view);
  if (!read) throw fail(`unsupported dtype '${descr}'`);
  const flat = new Float64Array(count);
  for (let i = 0; i < count; i++) flat[i] = read(start + i * size);
  if (fortran === 'True' && shape.length > 1) return { shape, data: fortranToC(flat, shape) };
  return { shape, data: flat };
}

function reader(kind: string, size: number, little: boolean, v: DataView): ((off: number) => number) | null {
  if (kind === 'f' && size === 8) return (o) => v.getFloat64(o, little);
  if (kind === 'f' && size === 4) return (o) => v.getFloat32(o, little);
  if (kind === 'i' && size === 8) return (o) => Number(v.getBigInt64(o, little));
  if (kind === 'i' && size === 4) return (o) => v.getInt32(o, little);
  if (kind === 'i' && size === 2) return (o) => v.getInt16(o, little);
  if (kind === 'i' && size === 1) return (o) => v.getInt8(o);
  if (kind === 'u' && size === 8) return (o) => Number(v.getBigUint64(o, little));
  if (kind === 'u' && size === 4) return (o) => v.getUint32(o, little);
  if (kind === 'u' && size === 2) return (o) => v.getUint16(o, little);
  if ((kind === 'u' || kind === 'b') && size === 1) return (o) => v.getUint8(o);
  return null;
}

function fortranToC(flat: Float64Array, shape: number[]): Float64Array {
  if (shape.length !== 2) throw new ParseError(`Fortran-ordered arrays with ${shape.length} dimensions are not supported`);
  const [r, c] = shape as [number, number];
  const out = new Float64Array(flat.length);
  for (let j = 0; j < c; j++) for (let i = 0; i < r; i++) out[i * c + j] = flat[j * r + i]!;
  return out;
}

/** Write a float64 C-ordered `.npy` (version 1) — for fixtures and interchange with NumPy. */
export function encodeNpy(shape: number[], data: ArrayLike<number>): Uint8Array {
  const dict = `{'descr': '<f8', 'fortran_order': False, 'shape': (${shape.join(', ')}${shape.length === 1 ? ',' : ''}), }`;
  let header = dict;
  const total = 10 + header.length + 1;
  header += ' '.repeat((64 - (total % 64)) % 64) + '\n';
  const out = new Uint8Array(10 + header.length + data.length * 8);
  out.set(MAGIC, 0);
  out[6] = 1;
  out[7] = 0;
  const v = new DataView(out.buffer);
  v.setUint16(8, header.length, true);
  for (let i = 0; i < header.length; i++) out[10 + i] = header.charCodeAt(i);
  const base = 10 + header.length;
  for (let i = 0; i < data.length; i++) v.setFloat64(base + 8 * i, data[i]!, true);
  return out;
}

/**
 * node:fs for the browser lab: an in-memory file system. The library reads its inputs through
 * core/files.ts (readFileSync/existsSync/statSync) and writes model.json / training-set.json
 * with writeFileSync; in the page those paths live here. The lab puts the embedded datasets,
 * dropped files (already gunzipped: DecompressionStream is async, zlib's gunzipSync is not
 * available) and the moyo WebAssembly module in before the library runs.
 */
import { ShimBuffer } from './buffer.ts';

const files = new Map<string, Uint8Array>();
const enc = new TextEncoder();

/** Keys are relative to the root ('/data/x' and 'data/x' are one file): the working directory is '/'. */
function norm(p: string | URL): string {
  return (typeof p === 'string' ? p : p.pathname).replace(/^\/+/, '');
}

function enoent(p: string): Error {
  return Object.assign(new Error(`ENOENT: no such file or directory, open '${p}'`), { code: 'ENOENT' });
}

/** Lab side: put a file (bytes or text) at an absolute path. */
export function putFile(path: string, data: Uint8Array | string): void {
  files.set(norm(path), typeof data === 'string' ? enc.encode(data) : data);
}

/** Lab side: a file's bytes, or undefined. */
export function getFile(path: string): Uint8Array | undefined {
  return files.get(norm(path));
}

function isDir(p: string): boolean {
  if (p === '') return true;
  const prefix = p.endsWith('/') ? p : `${p}/`;
  for (const k of files.keys()) if (k.startsWith(prefix)) return true;
  return false;
}

export function existsSync(p: string | URL): boolean {
  const s = norm(p);
  return files.has(s) || isDir(s);
}

export function statSync(p: string | URL): { isDirectory(): boolean; isFile(): boolean; size: number } {
  const s = norm(p);
  const f = files.get(s);
  if (!f && !isDir(s)) throw enoent(s);
  return { isDirectory: () => !f, isFile: () => Boolean(f), size: f?.length ?? 0 };
}

export function readFileSync(p: string | URL, encoding?: string | { encoding?: string }): ShimBuffer | string {
  const s = norm(p);
  const f = files.get(s);
  if (!f) throw enoent(s);
  const e = typeof encoding === 'string' ? encoding : encoding?.encoding;
  const b = new ShimBuffer(f.buffer as ArrayBuffer, f.byteOffset, f.byteLength);
  return e ? b.toString(e) : b;
}

export function writeFileSync(p: string | URL, data: string | Uint8Array): void {
  putFile(norm(p), data);
}

export function mkdirSync(): void {}

export function readdirSync(path: string): string[] {
  const p = norm(path);
  const prefix = p === '' || p.endsWith('/') ? p : `${p}/`;
  const names = new Set<string>();
  for (const k of files.keys()) if (k.startsWith(prefix)) names.add(k.slice(prefix.length).split('/')[0]!);
  return [...names];
}

function unsupported(name: string): () => never {
  return () => {
    throw new Error(`fs.${name} is not available in the browser lab`);
  };
}

export const renameSync = unsupported('renameSync');
export const rmSync = unsupported('rmSync');
export const accessSync = unsupported('accessSync');
export const readSync = unsupported('readSync');
export const constants = { W_OK: 2, R_OK: 4 };

export default { existsSync, statSync, readFileSync, writeFileSync, mkdirSync, readdirSync, renameSync, rmSync, accessSync, readSync, constants };

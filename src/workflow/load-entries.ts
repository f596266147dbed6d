/**
 * Reading the workflow's input files through src/structure/io, plus gzip: a file starting
 * with the gzip magic bytes (1f 8b) is decompressed to a temporary copy under its inner name
 * and read by the ordinary reader, so every format the reader knows also works gzipped.
 * Errors keep naming the user's file, not the temporary copy.
 */
import { readFileSync, existsSync, mkdtempSync, writeFileSync, rmSync } from 'node:fs';
import { gunzipSync } from 'node:zlib';
import { basename, join } from 'node:path';
import { tmpdir } from 'node:os';
import { CeltError, InputError, ParseError } from '../core/errors.ts';
import { detectFormat, parseJsonText, readEntries, readStructureFile, type EntryResult } from '../structure/io/read.ts';
import type { Structure } from '../structure/structure.ts';

function isGzip(buf: Buffer): boolean {
  return buf.length >= 2 && buf[0] === 0x1f && buf[1] === 0x8b;
}

/** Run `read` on the file, or on a gunzipped temporary copy of it. */
function withPlainFile<T>(path: string, read: (plain: string) => T): T {
  if (!existsSync(path)) throw new InputError(`file not found: ${path}`, { file: path });
  const buf = readFileSync(path);
  if (!isGzip(buf)) return read(path);
  let text: Buffer;
  try {
    text = gunzipSync(buf);
  } catch (e) {
    throw new ParseError(`corrupt gzip data: ${(e as Error).message}`, { file: path });
  }
  const dir = mkdtempSync(join(tmpdir(), 'celt-gz-'));
  try {
    const inner = join(dir, basename(path).replace(/\.gz$/i, '') || 'data');
    writeFileSync(inner, text);
    try {
      return read(inner);
    } catch (e) {
      if (e instanceof CeltError && e.location.file === inner) e.location.file = path;
      throw e;
    }
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}

export function readJsonMaybeGz(path: string): unknown {
  return withPlainFile(path, (p) => parseJsonText(readFileSync(p, 'utf8'), path));
}

export function loadPrim(path: string): Structure {
  return withPlainFile(path, (p) => {
    try {
      return readStructureFile(p);
    } catch (e) {
      if (e instanceof CeltError) e.location.file = path;
      throw e;
    }
  });
}

/**
 * Entries of one file: a JSON entry list (energies), or a single structure file (CIF, POSCAR,
 * extxyz, pymatgen Structure JSON) without an energy — what `celt predict` accepts.
 */
export function loadEntryFile(path: string): EntryResult[] {
  return withPlainFile(path, (p) => {
    let format: string;
    try {
      format = detectFormat(p, readFileSync(p, 'utf8').slice(0, 4096));
    } catch (e) {
      if (e instanceof CeltError) e.location.file = path;
      throw e;
    }
    if (format === 'json') {
      const res = readEntries(p);
      for (const r of res) if (r.error && r.error.location.file === p) r.error.location.file = path;
      return res;
    }
    try {
      return [{ index: 0, entry: { structure: readStructureFile(p), energy: NaN } }];
    } catch (e) {
      if (e instanceof CeltError) {
        if (e.location.file === p) e.location.file = path;
        return [{ index: 0, error: e.at({ file: path }) }];
      }
      throw e;
    }
  });
}

export interface LoadedEntries {
  /** Entries numbered 0… across all files (the index mapping and skip lists use). */
  entries: EntryResult[];
  /** For each global index: its file and the index within that file. */
  origin: Array<{ file: string; index: number }>;
}

export function loadEntryFiles(paths: string[]): LoadedEntries {
  const entries: EntryResult[] = [];
  const origin: LoadedEntries['origin'] = [];
  for (const file of paths) {
    for (const r of loadEntryFile(file)) {
      const index = entries.length;
      origin.push({ file, index: r.index });
      entries.push(r.error ? { index, error: r.error } : { index, entry: r.entry });
    }
  }
  return { entries, origin };
}

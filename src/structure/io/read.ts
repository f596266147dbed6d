/**
 * Reading structures and entry lists from files, choosing the format by name or content, and
 * writing them back. Entry lists are read per entry: a bad entry becomes a reported error
 * (entry index + field) and the others still load. Any input file may be gzip-compressed
 * (recognized by its magic bytes; a trailing .gz is ignored when the format is told by name).
 */
import { existsSync, readFileSync, writeFileSync } from 'node:fs';
import { gunzipSync } from 'node:zlib';
import { basename, extname } from 'node:path';
import { CeltError, InputError, ParseError } from '../../core/errors.ts';
import type { Structure } from '../structure.ts';
import { parseCif, writeCif } from './cif.ts';
import { parseExtxyz, writeExtxyz } from './extxyz.ts';
import { parsePoscar, writePoscar } from './poscar.ts';
import { entryFromPymatgen, structureFromPymatgen, structureToPymatgen, type ComputedEntry } from './pymatgen.ts';

export type StructureFormat = 'json' | 'cif' | 'poscar' | 'extxyz';

/** A file's text, gunzipped when it starts with the gzip magic bytes. */
export function readTextFile(path: string): string {
  if (!existsSync(path)) throw new InputError('file not found', { file: path });
  const buf = readFileSync(path);
  if (buf.length < 2 || buf[0] !== 0x1f || buf[1] !== 0x8b) return buf.toString('utf8');
  try {
    return gunzipSync(buf).toString('utf8');
  } catch (e) {
    throw new ParseError(`corrupt gzip data: ${(e as Error).message}`, { file: path });
  }
}

export function readJsonFile(path: string): unknown {
  return parseJsonText(readTextFile(path), path);
}

export function detectFormat(path: string, text?: string): StructureFormat {
  const name = basename(path).toLowerCase().replace(/\.gz$/, '');
  const ext = extname(name);
  if (ext === '.json') return 'json';
  if (ext === '.cif' || ext === '.mcif') return 'cif';
  if (ext === '.xyz' || ext === '.extxyz') return 'extxyz';
  if (ext === '.vasp' || ext === '.poscar' || name.startsWith('poscar') || name.startsWith('contcar')) return 'poscar';
  if (text !== undefined) {
    const t = text.trimStart();
    if (t.startsWith('{') || t.startsWith('[')) return 'json';
    if (/^data_/m.test(text)) return 'cif';
    const [l1, l2] = text.split(/\r?\n/);
    if (/^\s*\d+\s*$/.test(l1 ?? '') && /lattice\s*=/i.test(l2 ?? '')) return 'extxyz';
    return 'poscar';
  }
  throw new InputError(`cannot tell the format of '${path}' from its name`, { file: path });
}

/** JSON.parse with the error position turned into a line number. */
export function parseJsonText(text: string, file?: string): unknown {
  try {
    return JSON.parse(text);
  } catch (e) {
    const msg = (e as Error).message;
    const pos = /position (\d+)/.exec(msg);
    const at = pos ? Number(pos[1]) : text.length;
    const line = text.slice(0, at).split('\n').length;
    const atEnd = at >= text.trimEnd().length;
    const what = /end of (JSON|data)/i.test(msg) || !pos || atEnd ? 'truncated or incomplete JSON' : 'invalid JSON';
    throw new ParseError(`${what} (${msg})`, { file, line });
  }
}

export function parseStructureText(text: string, format: StructureFormat, file?: string): Structure {
  switch (format) {
    case 'cif':
      return parseCif(text, file);
    case 'poscar':
      return parsePoscar(text, file);
    case 'extxyz':
      return parseExtxyz(text, file);
    case 'json': {
      const d = parseJsonText(text, file) as Record<string, unknown>;
      try {
        if (d && typeof d === 'object' && !Array.isArray(d) && d.structure !== undefined && d.sites === undefined) {
          return entryFromPymatgen(d).structure;
        }
        return structureFromPymatgen(d);
      } catch (e) {
        if (e instanceof CeltError) throw e.at({ file });
        throw e;
      }
    }
  }
}

export function readStructureFile(path: string): Structure {
  const text = readTextFile(path);
  const s = parseStructureText(text, detectFormat(path, text), path);
  s.properties.source = path;
  return s;
}

export type EntryResult = { index: number; entry: ComputedEntry; error?: undefined } | { index: number; entry?: undefined; error: CeltError };

/**
 * A JSON list of ComputedStructureEntry / Structure dicts (or one such dict), or a single
 * structure file of another format (one entry without an energy, as `celt predict` takes).
 * JSON must be valid (else ParseError naming the line); each entry is validated on its own.
 */
export function readEntries(path: string): EntryResult[] {
  const text = readTextFile(path);
  const format = detectFormat(path, text);
  if (format !== 'json') {
    try {
      return [{ index: 0, entry: { structure: parseStructureText(text, format, path), energy: NaN } }];
    } catch (e) {
      if (e instanceof CeltError) return [{ index: 0, error: e.at({ file: path, entry: 0 }) }];
      throw e;
    }
  }
  const data = parseJsonText(text, path);
  const list = Array.isArray(data) ? data : typeof data === 'object' && data !== null && Array.isArray((data as { entries?: unknown }).entries) ? (data as { entries: unknown[] }).entries : [data];
  return list.map((d, index) => {
    try {
      return { index, entry: entryFromPymatgen(d) };
    } catch (e) {
      if (e instanceof CeltError) return { index, error: e.at({ file: path, entry: index }) };
      throw e;
    }
  });
}

export function formatStructure(s: Structure, format: StructureFormat): string {
  switch (format) {
    case 'json':
      return JSON.stringify(structureToPymatgen(s), null, 1) + '\n';
    case 'cif':
      return writeCif(s);
    case 'poscar':
      return writePoscar(s);
    case 'extxyz':
      return writeExtxyz(s);
  }
}

export function writeStructureFile(path: string, s: Structure, format: StructureFormat = detectFormat(path)): void {
  writeFileSync(path, formatStructure(s, format));
}

export { ParseError };

/**
 * Reading structures and entry lists from files, choosing the format by name or content, and
 * writing them back. Entry lists are read per entry: a bad entry becomes a reported error
 * (entry index + field) and the others still load. Any input file may be gzip-compressed
 * (recognized by its magic bytes; a trailing .gz is ignored when the format is told by name).
 */
import { writeFileSync } from 'node:fs';
import { basename, extname } from 'node:path';
import { CeltError, InputError, ParseError } from '../../core/errors.ts';
import { findNonFinite, parseJsonAllowingNonFinite, parseJsonText, readFileBytes, readJsonFile, readTextFile } from '../../core/files.ts';
import type { Structure } from '../structure.ts';
import { parseCif, writeCif } from './cif.ts';
import { frameInfo, parseExtxyz, parseExtxyzFrame, splitExtxyzFrames, writeExtxyz } from './extxyz.ts';
import { parsePoscar, writePoscar } from './poscar.ts';
import { isSqlite, readAseDb, type AseDbOptions } from './ase-db.ts';
import { entryFromPymatgen, structureFromPymatgen, structureToPymatgen, type ComputedEntry } from './pymatgen.ts';

export type StructureFormat = 'json' | 'cif' | 'poscar' | 'extxyz';

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
 * Any entry file: an ASE SQLite database (every row; the property named by `energyKey`; async
 * because SQLite runs as WebAssembly) or what `readEntries` reads. What the CLI calls.
 */
export async function loadEntries(path: string, opts: AseDbOptions = {}): Promise<EntryResult[]> {
  const bytes = readFileBytes(path);
  if (isSqlite(bytes)) return readAseDb(bytes, path, opts);
  const text = bytes.toString('utf8');
  if (detectFormat(path, text) === 'extxyz') return extxyzEntries(text, path, opts);
  if (opts.energyKey !== undefined && opts.energyKey !== 'energy') throw new InputError('--energy-key applies to ASE databases and extended XYZ files only', { file: path });
  if (opts.perAtom) throw new InputError('--per-atom applies to ASE databases and extended XYZ files only', { file: path });
  return entriesFromText(text, path);
}

/**
 * Every frame of an extended XYZ file as an entry, its energy from the comment line's
 * `energy=` (ASE's key; `energyKey` picks another, `perAtom` multiplies by the atom count). A
 * frame without the key has no energy (fine for `celt predict`; a training run skips it with
 * that reason); a frame that does not parse is that entry's error, the others still load.
 */
function extxyzEntries(text: string, path: string, opts: AseDbOptions = {}): EntryResult[] {
  const key = (opts.energyKey ?? 'energy').toLowerCase();
  return splitExtxyzFrames(text, path).map((frame, index) => {
    try {
      const structure = parseExtxyzFrame(frame, path);
      const raw = frameInfo(frame).get(key);
      const value = raw === undefined ? NaN : Number(raw);
      if (raw !== undefined && (raw.trim() === '' || !Number.isFinite(value))) throw new ParseError(`${key}=${raw} is not a finite number`, { file: path, line: frame.firstLine + 1, field: key });
      return { index, entry: { structure, energy: opts.perAtom ? value * structure.numSites : value } };
    } catch (e) {
      if (e instanceof CeltError) return { index, error: e.at({ file: path, entry: index }) };
      throw e;
    }
  });
}

/**
 * A JSON list of ComputedStructureEntry / Structure dicts (or one such dict), or a single
 * structure file of another format (one entry without an energy, as `celt predict` takes).
 * JSON must be valid (else ParseError naming the line); each entry is validated on its own.
 */
export function readEntries(path: string): EntryResult[] {
  const bytes = readFileBytes(path);
  if (isSqlite(bytes)) throw new InputError('an ASE database: read it with loadEntries', { file: path });
  return entriesFromText(bytes.toString('utf8'), path);
}

function entriesFromText(text: string, path: string): EntryResult[] {
  const format = detectFormat(path, text);
  if (format === 'extxyz') return extxyzEntries(text, path);
  if (format !== 'json') {
    try {
      return [{ index: 0, entry: { structure: parseStructureText(text, format, path), energy: NaN } }];
    } catch (e) {
      if (e instanceof CeltError) return [{ index: 0, error: e.at({ file: path, entry: 0 }) }];
      throw e;
    }
  }
  const data = parseEntriesJson(text, path);
  if (typeof data !== 'object' || data === null) throw new InputError(`expected a list of entries or structures, got ${data === null ? 'null' : typeof data}`, { file: path });
  const list = Array.isArray(data) ? data : Array.isArray((data as { entries?: unknown }).entries) ? (data as { entries: unknown[] }).entries : [data];
  if (list.length === 0) throw new InputError('the file holds no entries (an empty list)', { file: path });
  return list.map((d, index) => {
    try {
      const bad = findNonFinite(d);
      if (bad) throw new ParseError(`${bad.literal.literal} literal (as Python writes it): JSON has no such number`, { line: bad.literal.line, field: bad.path });
      return { index, entry: entryFromPymatgen(d) };
    } catch (e) {
      if (e instanceof CeltError) return { index, error: e.at({ file: path, entry: index }) };
      throw e;
    }
  });
}

/**
 * The JSON of an entry list. A Python NaN/Infinity literal spoils only the entry holding it
 * (entriesFromText reports that entry with the literal's line); one outside any list entry
 * (or a file that is one structure) is the file's error.
 */
function parseEntriesJson(text: string, path: string): unknown {
  try {
    return parseJsonText(text, path);
  } catch (e) {
    if (!(e instanceof ParseError) || !/^NaN or Infinity literal/.test(e.message)) throw e;
    const data = parseJsonAllowingNonFinite(text, path);
    const list = Array.isArray(data) ? data : Array.isArray((data as { entries?: unknown })?.entries) ? (data as { entries: unknown[] }).entries : undefined;
    const outside = list ? findNonFinite(Array.isArray(data) ? [] : { ...(data as object), entries: [] }) : findNonFinite(data);
    if (outside) throw e;
    return data;
  }
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

export { ParseError, parseJsonText, readFileBytes, readJsonFile, readTextFile };

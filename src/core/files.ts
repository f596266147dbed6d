/**
 * Reading files: one place that turns a path into bytes, text or JSON, gunzipping any file that
 * starts with the gzip magic bytes, and turning file-system and parse failures into typed
 * errors that name the file (and the line, for JSON).
 */
import { accessSync, constants, existsSync, mkdirSync, readFileSync, renameSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { dirname, resolve } from 'node:path';
import { gunzipSync } from 'node:zlib';
import { InputError, ParseError } from './errors.ts';

/** A file's bytes, gunzipped when they start with the gzip magic bytes. */
export function readFileBytes(path: string): Buffer {
  if (!existsSync(path)) throw new InputError('file not found', { file: path });
  if (statSync(path).isDirectory()) throw new InputError('is a directory, not a file', { file: path });
  const buf = readFileSync(path);
  if (buf.length < 2 || buf[0] !== 0x1f || buf[1] !== 0x8b) return buf;
  try {
    return gunzipSync(buf);
  } catch (e) {
    throw new ParseError(`corrupt gzip data: ${(e as Error).message}`, { file: path });
  }
}

/** A file's text, gunzipped when it starts with the gzip magic bytes. */
export function readTextFile(path: string): string {
  return readFileBytes(path).toString('utf8');
}

export function readJsonFile(path: string): unknown {
  return parseJsonText(readTextFile(path), path);
}

/** Deepest nesting of JSON arrays/objects accepted: deeper input would overflow the recursive readers after parsing. */
const MAX_JSON_DEPTH = 1000;

/** Throws when brackets outside strings nest deeper than MAX_JSON_DEPTH (one pass, no allocation). */
function checkJsonDepth(text: string, file?: string): void {
  let depth = 0;
  let inString = false;
  for (let i = 0; i < text.length; i++) {
    const c = text.charCodeAt(i);
    if (inString) {
      if (c === 92) i++; // backslash: skip the escaped character
      else if (c === 34) inString = false;
    } else if (c === 34) inString = true;
    else if (c === 91 || c === 123) {
      if (++depth > MAX_JSON_DEPTH) throw new ParseError(`JSON nested deeper than ${MAX_JSON_DEPTH} levels`, { file, line: text.slice(0, i).split('\n').length });
    } else if (c === 93 || c === 125) depth--;
  }
}

/** JSON.parse with the error position turned into a line number. */
export function parseJsonText(text: string, file?: string): unknown {
  try {
    const data = JSON.parse(text);
    if (typeof data === 'object' && data !== null) checkJsonDepth(text, file);
    return data;
  } catch (e) {
    if (e instanceof ParseError) throw e;
    const msg = (e as Error).message;
    const pos = /position (\d+)/.exec(msg);
    // V8 names the position for most errors but only the character for an unexpected token.
    const token = /^Unexpected token '(.)'/.exec(msg)?.[1];
    const at = pos ? Number(pos[1]) : token !== undefined ? firstOutsideStrings(text, token) : -1;
    if (at < 0) throw new ParseError(`truncated or incomplete JSON (${msg.split('\n')[0]})`, { file, line: text.split('\n').length });
    const line = text.slice(0, at).split('\n').length;
    if (/^-?(NaN|Infinity)/.test(text.slice(at - (text[at - 1] === '-' ? 1 : 0), at + 9))) {
      throw new ParseError('NaN or Infinity literal (as Python writes them): JSON has no such numbers; write null or a finite number', { file, line });
    }
    const what = /end of (JSON|data)/i.test(msg) || at >= text.trimEnd().length ? 'truncated or incomplete JSON' : 'invalid JSON';
    throw new ParseError(`${what} (${msg.split('\n')[0]})`, { file, line });
  }
}

/** A NaN / Infinity literal found by parseJsonAllowingNonFinite: where it was and what it said. */
export class NonFiniteLiteral {
  constructor(
    readonly literal: string,
    readonly line: number,
  ) {}
}

// a private-use character: allowed raw inside a JSON string, never in real data
const NON_FINITE_MARK = '\uE000celt-non-finite:';

/**
 * JSON with Python's NaN / Infinity / -Infinity literals (outside strings) read as
 * NonFiniteLiteral objects carrying their line, so a caller holding a list can reject only the
 * entries that contain one (findNonFinite) instead of the whole file. Other syntax errors
 * throw as parseJsonText does.
 */
export function parseJsonAllowingNonFinite(text: string, file?: string): unknown {
  let out = '';
  let from = 0;
  let line = 1;
  let inString = false;
  for (let i = 0; i < text.length; i++) {
    const c = text[i];
    if (c === '\n') line++;
    if (inString) {
      if (c === '\\') i++;
      else if (c === '"') inString = false;
      continue;
    }
    if (c === '"') inString = true;
    else if (c === 'N' || c === 'I' || c === '-') {
      const m = /^-?(NaN|Infinity)/.exec(text.slice(i, i + 9));
      if (m) {
        out += `${text.slice(from, i)}"${NON_FINITE_MARK}${m[0]}:${line}"`;
        i += m[0].length - 1;
        from = i + 1;
      }
    }
  }
  out += text.slice(from);
  // the marks keep every line where it was, so parse errors still name the right line
  const data = parseJsonText(out, file);
  return revive(data);
}

function revive(v: unknown): unknown {
  if (typeof v === 'string' && v.startsWith(NON_FINITE_MARK)) {
    const [literal, line] = v.slice(NON_FINITE_MARK.length).split(':');
    return new NonFiniteLiteral(literal!, Number(line));
  }
  if (Array.isArray(v)) {
    for (let i = 0; i < v.length; i++) v[i] = revive(v[i]);
  } else if (v !== null && typeof v === 'object') {
    const o = v as Record<string, unknown>;
    for (const k of Object.keys(o)) o[k] = revive(o[k]);
  }
  return v;
}

/** The first NonFiniteLiteral inside v, with its path ('structure.sites[3].abc[0]'), or undefined. */
export function findNonFinite(v: unknown, path = ''): { literal: NonFiniteLiteral; path: string } | undefined {
  if (v instanceof NonFiniteLiteral) return { literal: v, path };
  if (Array.isArray(v)) {
    for (let i = 0; i < v.length; i++) {
      const f = findNonFinite(v[i], `${path}[${i}]`);
      if (f) return f;
    }
  } else if (v !== null && typeof v === 'object') {
    for (const [k, x] of Object.entries(v)) {
      const f = findNonFinite(x, path ? `${path}.${k}` : k);
      if (f) return f;
    }
  }
  return undefined;
}

/** Index of the first `ch` outside JSON string literals, or −1. */
function firstOutsideStrings(text: string, ch: string): number {
  let inString = false;
  for (let i = 0; i < text.length; i++) {
    const c = text[i];
    if (inString) {
      if (c === '\\') i++;
      else if (c === '"') inString = false;
    } else if (c === '"') inString = true;
    else if (c === ch) return i;
  }
  return -1;
}


function fsReason(e: unknown): string {
  const code = (e as NodeJS.ErrnoException).code;
  if (code === 'EACCES' || code === 'EPERM') return 'permission denied';
  if (code === 'EROFS') return 'read-only file system';
  if (code === 'ENOTDIR' || code === 'EEXIST') return 'a part of the path is a file, not a folder';
  if (code === 'ENOENT') return 'a part of the path cannot be created';
  return code ?? (e as Error).message;
}

/**
 * mkdir -p one level at a time: Node's `mkdirSync(…, { recursive: true })` loops forever where a
 * parent refuses new entries with ENOENT (e.g. under /proc), so each missing level is made on its own.
 */
export function makeFolders(dir: string): void {
  const missing: string[] = [];
  let d = resolve(dir);
  while (!existsSync(d)) {
    missing.push(d);
    const up = dirname(d);
    if (up === d) break;
    d = up;
  }
  for (const m of missing.reverse()) mkdirSync(m);
}

/** A folder that exists (created when missing, parents too) and can be written, or an InputError. */
function ensureWritableFolder(dir: string, option: string, path: string): void {
  try {
    makeFolders(dir);
    accessSync(dir, constants.W_OK);
  } catch (e) {
    throw new InputError(`cannot write here: ${fsReason(e)}`, { file: path, field: option });
  }
}

/**
 * Checks an output file path before any work starts (issue 19 item 18): not a folder, its folder
 * exists or is created, and is writable. `option` names the CLI option in the error.
 */
export function checkOutputFile(path: string, option = '--out'): void {
  if (path === '') throw new InputError('an empty path', { field: option });
  if (existsSync(path) && statSync(path).isDirectory()) throw new InputError('is a folder; give a file name', { file: path, field: option });
  ensureWritableFolder(dirname(resolve(path)), option, path);
  if (existsSync(path)) {
    try {
      accessSync(path, constants.W_OK);
    } catch (e) {
      throw new InputError(`cannot overwrite: ${fsReason(e)}`, { file: path, field: option });
    }
  }
}

/** Checks (and creates) an output folder before any work starts: not a file, writable. */
export function checkOutputFolder(path: string, option = '--out'): void {
  if (path === '') throw new InputError('an empty path', { field: option });
  if (existsSync(path) && !statSync(path).isDirectory()) throw new InputError('exists and is a file, not a folder', { file: path, field: option });
  ensureWritableFolder(path, option, path);
}

/**
 * Writes a file under a temporary name in the same folder, then renames it into place (atomic on
 * one file system), so an interrupted write never leaves a half file under the real name.
 */
export function writeFileAtomic(path: string, data: string | Uint8Array): void {
  const tmp = `${path}.celt-tmp-${process.pid}`;
  try {
    writeFileSync(tmp, data);
    renameSync(tmp, path);
  } catch (e) {
    rmSync(tmp, { force: true });
    throw e;
  }
}

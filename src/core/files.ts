/**
 * Reading files: one place that turns a path into bytes, text or JSON, gunzipping any file that
 * starts with the gzip magic bytes, and turning file-system and parse failures into typed
 * errors that name the file (and the line, for JSON).
 */
import { existsSync, readFileSync, statSync } from 'node:fs';
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

/** JSON.parse with the error position turned into a line number. */
export function parseJsonText(text: string, file?: string): unknown {
  try {
    return JSON.parse(text);
  } catch (e) {
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


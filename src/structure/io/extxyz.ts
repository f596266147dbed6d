/**
 * Extended XYZ (ASE/QUIP convention): atom count, a comment line of key=value pairs with
 * Lattice="ax ay az bx by bz cx cy cz" and Properties=name:type:ncols:..., then one line per
 * atom. Only the species and pos columns are used; positions are Cartesian (Å). A file may
 * hold many frames (what ASE writes for a trajectory or a training set): splitExtxyzFrames is
 * the one frame splitter — entry lists take every frame with its comment-line `energy=`
 * (src/structure/io/read.ts), force data every frame with its forces (src/fce/displaced.ts) —
 * and a single structure (a prim, `celt structure`) refuses a file of several frames rather
 * than silently reading the first.
 */
import { InputError, ParseError, withLocation } from '../../core/errors.ts';
import type { Mat3, Vec3 } from '../../core/mat3.ts';
import { Lattice } from '../lattice.ts';
import { Species } from '../species.ts';
import { checkSites } from '../neighbors.ts';
import { Structure, type Site } from '../structure.ts';

export function keyValues(line: string): Map<string, string> {
  const out = new Map<string, string>();
  const re = /([A-Za-z_][\w-]*)\s*=\s*("([^"]*)"|'([^']*)'|\{([^}]*)\}|(\S+))/g;
  let m: RegExpExecArray | null;
  while ((m = re.exec(line))) out.set(m[1]!.toLowerCase(), m[3] ?? m[4] ?? m[5] ?? m[6] ?? '');
  return out;
}

/** One frame's text: its lines (count, comment, atoms) and the file line number of the count. */
export interface ExtxyzFrameText {
  lines: string[];
  firstLine: number;
}

/** The frames of a (multi-frame) extended XYZ text; trailing blank lines end the file. */
export function splitExtxyzFrames(text: string, file?: string): ExtxyzFrameText[] {
  const lines = text.split(/\r?\n/);
  const out: ExtxyzFrameText[] = [];
  let at = 0;
  while (at < lines.length && lines[at]!.trim() !== '') {
    const n = Number(lines[at]!.trim());
    if (!Number.isInteger(n) || n <= 0) throw new ParseError(out.length ? `frame ${out.length + 1}: expected an atom count` : 'first line must be the number of atoms', { file, line: at + 1 });
    out.push({ lines: lines.slice(at, at + n + 2), firstLine: at + 1 });
    at += n + 2;
  }
  if (!out.length) throw new ParseError('first line must be the number of atoms', { file, line: 1 });
  const rest = lines.slice(at).findIndex((l) => l.trim() !== '');
  if (rest >= 0) throw new ParseError('text after a blank line (frames must follow each other directly)', { file, line: at + rest + 1 });
  return out;
}

/** The comment line's key=value pairs (keys lowercased) of a frame. */
export function frameInfo(frame: ExtxyzFrameText): Map<string, string> {
  return keyValues(frame.lines[1] ?? '');
}

/** One frame as a structure; errors carry the file's own line numbers. */
export function parseExtxyzFrame(frame: ExtxyzFrameText, file?: string): Structure {
  return withLocation({ file }, () => parse(frame.lines, frame.firstLine - 1));
}

/** A single structure: a file of one frame. */
export function parseExtxyz(text: string, file?: string): Structure {
  const frames = splitExtxyzFrames(text, file);
  if (frames.length > 1) throw new InputError(`holds ${frames.length} frames where one structure is expected (entry lists, e.g. celt run data or celt map --data, read every frame)`, { file });
  return parseExtxyzFrame(frames[0]!, file);
}

/** `base` = file line number of the frame's first line minus one (errors name file lines). */
function parse(lines: string[], base: number): Structure {
  const n = Number(lines[0]?.trim());
  if (!Number.isInteger(n) || n <= 0) throw new ParseError('first line must be the number of atoms', { line: base + 1 });
  const kv = keyValues(lines[1] ?? '');
  const latText = kv.get('lattice');
  if (latText === undefined) throw new ParseError('comment line has no Lattice="..." (a periodic cell is required)', { line: base + 2 });
  const lv = latText.trim().split(/[\s,]+/).map(Number);
  if (lv.length !== 9 || lv.some((x) => !Number.isFinite(x))) throw new ParseError('Lattice must hold nine numbers', { line: base + 2 });
  let lattice: Lattice;
  try {
    lattice = new Lattice([lv.slice(0, 3), lv.slice(3, 6), lv.slice(6, 9)] as Mat3);
  } catch (e) {
    if (e instanceof InputError) throw e.at({ line: base + 2 });
    throw e;
  }
  const props = (kv.get('properties') ?? 'species:S:1:pos:R:3').split(':');
  if (props.length % 3 !== 0) throw new ParseError('Properties must be name:type:count triples', { line: base + 2 });
  let col = 0, spCol = -1, posCol = -1;
  for (let k = 0; k < props.length; k += 3) {
    const name = props[k]!.toLowerCase(), count = Number(props[k + 2]);
    if (!Number.isInteger(count) || count < 1) throw new ParseError(`bad column count in Properties for ${name}`, { line: base + 2 });
    if (name === 'species') spCol = col;
    if (name === 'pos') posCol = col;
    col += count;
  }
  if (spCol < 0 || posCol < 0) throw new ParseError('Properties must include species and pos', { line: base + 2 });
  const sites: Site[] = [];
  for (let a = 0; a < n; a++) {
    const lineNo = base + a + 3;
    const l = lines[a + 2];
    if (l === undefined || l.trim() === '') throw new ParseError(`expected ${n} atom lines, found ${a}`, { line: lineNo });
    const parts = l.trim().split(/\s+/);
    if (parts.length < col) throw new ParseError(`atom line has ${parts.length} columns, Properties declare ${col}`, { line: lineNo });
    const xyz = parts.slice(posCol, posCol + 3).map(Number) as Vec3;
    if (xyz.some((x) => !Number.isFinite(x))) throw new ParseError('bad position', { line: lineNo });
    let species: Species;
    try {
      species = Species.parse(parts[spCol]!);
    } catch (e) {
      if (e instanceof InputError) throw e.at({ line: lineNo });
      throw e;
    }
    sites.push({ frac: lattice.cartToFrac(xyz), species: [{ species, occu: 1 }] });
  }
  checkSites(lattice, sites.map((s) => s.frac));
  return new Structure(lattice, sites);
}

export function writeExtxyz(s: Structure, comment = ''): string {
  if (!s.isOrdered()) throw new InputError('extended XYZ can only hold ordered structures');
  const lat = s.lattice.matrix.flat().map((v) => v.toPrecision(12)).join(' ');
  const extra = comment ? ` comment="${comment.replace(/"/g, "'")}"` : '';
  const out = [String(s.numSites), `Lattice="${lat}" Properties=species:S:1:pos:R:3 pbc="T T T"${extra}`];
  s.sites.forEach((site, i) => {
    out.push(`${site.species[0]!.species.key} ${s.cart(i).map((v) => v.toFixed(10)).join(' ')}`);
  });
  return out.join('\n') + '\n';
}

/**
 * Extended XYZ (ASE/QUIP convention): atom count, a comment line of key=value pairs with
 * Lattice="ax ay az bx by bz cx cy cz" and Properties=name:type:ncols:..., then one line per
 * atom. Only the species and pos columns are used; positions are Cartesian (Å). The first
 * frame is read.
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

export function parseExtxyz(text: string, file?: string): Structure {
  return withLocation({ file }, () => parse(text));
}

function parse(text: string): Structure {
  const lines = text.split(/\r?\n/);
  const n = Number(lines[0]?.trim());
  if (!Number.isInteger(n) || n <= 0) throw new ParseError('first line must be the number of atoms', { line: 1 });
  const kv = keyValues(lines[1] ?? '');
  const latText = kv.get('lattice');
  if (latText === undefined) throw new ParseError('comment line has no Lattice="..." (a periodic cell is required)', { line: 2 });
  const lv = latText.trim().split(/[\s,]+/).map(Number);
  if (lv.length !== 9 || lv.some((x) => !Number.isFinite(x))) throw new ParseError('Lattice must hold nine numbers', { line: 2 });
  let lattice: Lattice;
  try {
    lattice = new Lattice([lv.slice(0, 3), lv.slice(3, 6), lv.slice(6, 9)] as Mat3);
  } catch (e) {
    if (e instanceof InputError) throw e.at({ line: 2 });
    throw e;
  }
  const props = (kv.get('properties') ?? 'species:S:1:pos:R:3').split(':');
  if (props.length % 3 !== 0) throw new ParseError('Properties must be name:type:count triples', { line: 2 });
  let col = 0, spCol = -1, posCol = -1;
  for (let k = 0; k < props.length; k += 3) {
    const name = props[k]!.toLowerCase(), count = Number(props[k + 2]);
    if (!Number.isInteger(count) || count < 1) throw new ParseError(`bad column count in Properties for ${name}`, { line: 2 });
    if (name === 'species') spCol = col;
    if (name === 'pos') posCol = col;
    col += count;
  }
  if (spCol < 0 || posCol < 0) throw new ParseError('Properties must include species and pos', { line: 2 });
  const sites: Site[] = [];
  for (let a = 0; a < n; a++) {
    const lineNo = a + 3;
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

/**
 * VASP POSCAR / CONTCAR: comment, scale (negative = target volume, or three per-axis
 * factors), lattice, optional species line (VASP 5; VASP 4 files take species from the
 * comment line), counts, optional "Selective dynamics", Direct/Cartesian, coordinates.
 * POSCAR carries no oxidation states; species are bare elements.
 */
import { InputError, ParseError, withLocation } from '../../core/errors.ts';
import type { Mat3, Vec3 } from '../../core/mat3.ts';
import { Lattice } from '../lattice.ts';
import { Species } from '../species.ts';
import { checkSites } from '../neighbors.ts';
import { Structure, type Site } from '../structure.ts';
import { isElement } from '../elements.ts';

function nums(line: string, count: number, lineNo: number, what: string): number[] {
  const parts = line.trim().split(/\s+/).slice(0, count).map(Number);
  if (parts.length < count || parts.some((x) => !Number.isFinite(x))) {
    throw new ParseError(`expected ${count} numbers for ${what}, got '${line.trim()}'`, { line: lineNo });
  }
  return parts;
}

/** Element symbol from a POTCAR-style label such as "Mn_pv", "Li_sv", "O/…" or "Fe2+". */
function elementOf(label: string, lineNo: number): string {
  const m = /^([A-Z][a-z]?)/.exec(label.trim());
  if (!m || !isElement(m[1]!)) throw new InputError(`unknown element '${label}'`, { line: lineNo });
  return m[1]!;
}

export function parsePoscar(text: string, file?: string): Structure {
  return withLocation({ file }, () => parse(text));
}

function parse(text: string): Structure {
  const lines = text.split(/\r?\n/);
  let i = 0;
  const need = (what: string) => {
    if (i >= lines.length || lines[i]!.trim() === '') throw new ParseError(`file ends before ${what}`, { line: i + 1 });
    return lines[i++]!;
  };
  const comment = need('the comment line');
  const scaleLine = (lines[i] ?? '').trim().split(/\s+/).map(Number);
  const scaleNo = i + 1;
  need('the scale factor');
  if (!(scaleLine.length === 1 || scaleLine.length >= 3) || scaleLine.slice(0, scaleLine.length === 1 ? 1 : 3).some((x) => !Number.isFinite(x) || x === 0)) {
    throw new ParseError('scale factor must be one non-zero number or three positive numbers', { line: scaleNo });
  }
  let rows = [0, 1, 2].map((k) => nums(need(`lattice vector ${k + 1}`), 3, i, `lattice vector ${k + 1}`)) as Mat3;
  if (scaleLine.length === 1 && scaleLine[0]! > 0) rows = rows.map((r) => r.map((v) => v * scaleLine[0]!)) as Mat3;
  else if (scaleLine.length >= 3) rows = rows.map((r) => r.map((v, k) => v * scaleLine[k]!)) as Mat3;
  let lattice: Lattice;
  try {
    lattice = new Lattice(rows);
  } catch (e) {
    if (e instanceof InputError) throw e.at({ line: scaleNo + 1 });
    throw e;
  }
  // factor applied to Cartesian positions: VASP scales them like the lattice
  let cartScale: Vec3 = scaleLine.length >= 3 ? [scaleLine[0]!, scaleLine[1]!, scaleLine[2]!] : [scaleLine[0]!, scaleLine[0]!, scaleLine[0]!];
  if (scaleLine.length === 1 && scaleLine[0]! < 0) {
    // negative scale is the target cell volume
    const f = Math.cbrt(-scaleLine[0]! / lattice.volume);
    lattice = new Lattice(rows.map((r) => r.map((v) => v * f)) as Mat3);
    cartScale = [f, f, f];
  }
  let line = need('the species or counts line');
  let speciesNames: string[];
  let countsNo: number;
  let counts: number[];
  const tokens = line.trim().split(/\s+/);
  if (tokens.every((t) => /^\d+$/.test(t))) {
    // VASP 4: species only in the comment line
    countsNo = i;
    counts = tokens.map(Number);
    speciesNames = comment.trim().split(/\s+/).slice(0, counts.length);
    if (speciesNames.length < counts.length || speciesNames.some((s) => !/^[A-Z][a-z]?/.test(s))) {
      throw new ParseError('no species line, and the comment line does not name the species', { line: i });
    }
  } else {
    speciesNames = tokens;
    line = need('the atom counts');
    countsNo = i;
    counts = line.trim().split(/\s+/).map(Number);
    if (counts.length !== speciesNames.length || counts.some((c) => !Number.isInteger(c) || c < 0)) {
      throw new ParseError(`atom counts '${line.trim()}' do not match the ${speciesNames.length} species ${speciesNames.join(' ')}`, { line: countsNo });
    }
  }
  const elements = speciesNames.map((s) => elementOf(s, countsNo - 1));
  let mode = need('the coordinate mode').trim();
  let selective = false;
  if (/^s/i.test(mode)) {
    selective = true;
    mode = need('the coordinate mode').trim();
  }
  const cartesian = /^[ck]/i.test(mode);
  if (!cartesian && !/^d/i.test(mode)) throw new ParseError(`expected Direct or Cartesian, got '${mode}'`, { line: i });
  const total = counts.reduce((a, b) => a + b, 0);
  if (total === 0) throw new ParseError('the structure has no atoms', { line: countsNo });
  const sites: Site[] = [];
  let kind = 0, left = counts[0]!;
  for (let a = 0; a < total; a++) {
    while (left === 0) left = counts[++kind]!;
    const lineNo = i + 1;
    if (i >= lines.length || lines[i]!.trim() === '') {
      throw new ParseError(`atom counts add up to ${total} but only ${a} coordinate lines follow`, { line: lineNo });
    }
    const parts = lines[i++]!.trim().split(/\s+/);
    const xyz = parts.slice(0, 3).map(Number);
    if (xyz.length < 3 || xyz.some((x) => !Number.isFinite(x))) throw new ParseError(`bad coordinates '${lines[i - 1]!.trim()}'`, { line: lineNo });
    let v = xyz as Vec3;
    if (cartesian) {
      v = lattice.cartToFrac([v[0] * cartScale[0], v[1] * cartScale[1], v[2] * cartScale[2]]);
    }
    const site: Site = { frac: v, species: [{ species: Species.of(elements[kind]!), occu: 1 }] };
    if (selective) {
      const flags = parts.slice(3, 6);
      if (flags.length < 3 || flags.some((f) => !/^[TF]/i.test(f))) throw new ParseError('selective dynamics needs three T/F flags', { line: lineNo });
      site.properties = { selective_dynamics: flags.map((f) => /^T/i.test(f)) };
    }
    sites.push(site);
    left--;
  }
  // CONTCAR velocities follow a blank line; a coordinate-like line right after the last atom
  // means the counts declare fewer atoms than the file lists
  if (i < lines.length && lines[i]!.trim() !== '') {
    const l = lines[i]!.trim().split(/\s+/);
    if (l.length >= 3 && l.slice(0, 3).every((x) => Number.isFinite(Number(x)))) {
      throw new ParseError(`more coordinate lines than the ${total} atoms the counts declare`, { line: i + 1 });
    }
  }
  checkSites(lattice, sites.map((s) => s.frac));
  return new Structure(lattice, sites, { comment: comment.trim() });
}

export function writePoscar(s: Structure, comment?: string): string {
  if (!s.isOrdered()) throw new InputError('POSCAR can only hold ordered structures');
  const els = s.sites.map((x) => x.species[0]!.species.element);
  const runs: { el: string; n: number }[] = [];
  for (const el of els) {
    const last = runs[runs.length - 1];
    if (last && last.el === el) last.n++;
    else runs.push({ el, n: 1 });
  }
  const selective = s.sites.some((x) => Array.isArray(x.properties?.selective_dynamics));
  const f = (v: number) => v.toFixed(10).padStart(16);
  const out = [
    (comment ?? s.formula()).replace(/\n/g, ' '),
    '1.0',
    ...s.lattice.matrix.map((r) => r.map(f).join(' ')),
    runs.map((r) => r.el).join(' '),
    runs.map((r) => String(r.n)).join(' '),
  ];
  if (selective) out.push('Selective dynamics');
  out.push('Direct');
  for (const site of s.sites) {
    let line = site.frac.map(f).join(' ');
    if (selective) {
      const sd = (site.properties?.selective_dynamics as boolean[] | undefined) ?? [true, true, true];
      line += ' ' + sd.map((b) => (b ? 'T' : 'F')).join(' ');
    }
    out.push(line + ' ' + site.species[0]!.species.element);
  }
  return out.join('\n') + '\n';
}

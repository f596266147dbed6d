/**
 * CIF: the first data block's cell, symmetry operations (expanded to P1 with duplicates
 * removed), atom sites with occupancies, and oxidation states from `_atom_type_oxidation_number`
 * or from type symbols such as "Li1+" / "O2-". Sites that land on the same position merge
 * into one disordered site (as pymatgen does for e.g. a Li/Mn mixed site given as two rows).
 */
import { InputError, ParseError, withLocation } from '../../core/errors.ts';
import { type Mat3, type SymOp, type Vec3, det3 } from '../../core/mat3.ts';
import { Lattice } from '../lattice.ts';
import { Species, type SpeciesOccupancy } from '../species.ts';
import { checkSites } from '../neighbors.ts';
import { Structure, type Site } from '../structure.ts';

interface Token {
  text: string;
  line: number;
  quoted: boolean;
}

function tokenize(text: string): Token[] {
  const out: Token[] = [];
  const lines = text.split(/\r?\n/);
  for (let li = 0; li < lines.length; li++) {
    const line = lines[li]!;
    if (line.startsWith(';')) {
      // semicolon text field runs to the next line starting with ';'
      const start = li;
      const buf = [line.slice(1)];
      li++;
      while (li < lines.length && !lines[li]!.startsWith(';')) buf.push(lines[li++]!);
      if (li >= lines.length) throw new ParseError('unterminated ;-text field', { line: start + 1 });
      out.push({ text: buf.join('\n').trim(), line: start + 1, quoted: true });
      continue;
    }
    let k = 0;
    while (k < line.length) {
      const c = line[k]!;
      // any whitespace (form feed, vertical tab, …), not only space and tab: the word scan below needs a non-space start
      if (/\s/.test(c)) { k++; continue; }
      if (c === '#') break;
      if (c === "'" || c === '"') {
        // a quote closes only when followed by whitespace or end of line
        let e = k + 1;
        while (e < line.length && !(line[e] === c && (e + 1 === line.length || /\s/.test(line[e + 1]!)))) e++;
        if (e >= line.length) throw new ParseError('unterminated quoted string', { line: li + 1 });
        out.push({ text: line.slice(k + 1, e), line: li + 1, quoted: true });
        k = e + 1;
        continue;
      }
      let e = k;
      while (e < line.length && !/\s/.test(line[e]!)) e++;
      out.push({ text: line.slice(k, e), line: li + 1, quoted: false });
      k = e;
    }
  }
  return out;
}

interface Block {
  name: string;
  line: number;
  items: Map<string, Token>;
  loops: { keys: string[]; rows: Token[][]; line: number }[];
}

function parseBlocks(tokens: Token[]): Block[] {
  const blocks: Block[] = [];
  let cur: Block | null = null;
  let i = 0;
  while (i < tokens.length) {
    const t = tokens[i]!;
    const low = t.text.toLowerCase();
    if (!t.quoted && low.startsWith('data_')) {
      cur = { name: t.text.slice(5), line: t.line, items: new Map(), loops: [] };
      blocks.push(cur);
      i++;
      continue;
    }
    if (!cur) { i++; continue; }
    if (!t.quoted && low === 'loop_') {
      const keys: string[] = [];
      i++;
      while (i < tokens.length && !tokens[i]!.quoted && tokens[i]!.text.startsWith('_')) keys.push(tokens[i++]!.text.toLowerCase());
      const vals: Token[] = [];
      while (i < tokens.length) {
        const v = tokens[i]!;
        const vl = v.text.toLowerCase();
        if (!v.quoted && (v.text.startsWith('_') || vl === 'loop_' || vl.startsWith('data_'))) break;
        vals.push(v);
        i++;
      }
      if (keys.length === 0) throw new ParseError('loop_ without column names', { line: t.line });
      if (vals.length % keys.length !== 0) throw new ParseError(`loop with ${keys.length} columns has ${vals.length} values`, { line: t.line });
      const rows: Token[][] = [];
      for (let r = 0; r < vals.length; r += keys.length) rows.push(vals.slice(r, r + keys.length));
      cur.loops.push({ keys, rows, line: t.line });
      continue;
    }
    if (!t.quoted && t.text.startsWith('_')) {
      const v = tokens[i + 1];
      if (!v) throw new ParseError(`tag ${t.text} has no value`, { line: t.line });
      cur.items.set(t.text.toLowerCase(), v);
      i += 2;
      continue;
    }
    i++;
  }
  return blocks;
}

/** CIF number: strips the standard uncertainty "4.2(1)"; '?' and '.' are missing. */
function cifNumber(t: Token | undefined): number | null {
  if (!t) return null;
  const s = t.text.replace(/\(\d+\)$/, '');
  if (s === '?' || s === '.') return null;
  const v = Number(s);
  return Number.isFinite(v) ? v : NaN;
}

/** Parse a symmetry operation like "-x+1/2, y, z-1/4" or "x-y,x,z+0.5". */
export function parseSymOp(text: string): SymOp {
  const parts = text.toLowerCase().replace(/\s+/g, '').split(',');
  if (parts.length !== 3) throw new InputError(`symmetry operation '${text}' must have three components`);
  const rot: Mat3 = [[0, 0, 0], [0, 0, 0], [0, 0, 0]];
  const trans: Vec3 = [0, 0, 0];
  parts.forEach((p, r) => {
    const terms = p.match(/[+-]?[^+-]+/g);
    if (!terms) throw new InputError(`cannot read symmetry operation '${text}'`);
    for (const term of terms) {
      const m = /^([+-]?)(?:(\d*\.?\d+(?:\/\d+)?)\*?)?([xyz])?$/.exec(term);
      if (!m || (m[2] === undefined && m[3] === undefined)) throw new InputError(`cannot read term '${term}' of symmetry operation '${text}'`);
      const sign = m[1] === '-' ? -1 : 1;
      let value = 1;
      if (m[2] !== undefined) {
        const [a, b] = m[2].split('/');
        value = Number(a) / (b === undefined ? 1 : Number(b));
      }
      if (m[3] !== undefined) rot[r]!['xyz'.indexOf(m[3])] += sign * value;
      else trans[r] += sign * value;
    }
  });
  // A space-group operation maps the lattice onto itself: integer rotation part, det ±1.
  const d = det3(rot);
  if (Math.abs(Math.abs(d) - 1) > 1e-9 || rot.some((row) => row.some((v) => Math.abs(v - Math.round(v)) > 1e-9))) {
    throw new InputError(`symmetry operation '${text}' is not a lattice symmetry (its rotation part has determinant ${+d.toFixed(6)}, expected ±1 with integer entries)`);
  }
  return { rotation: rot, translation: trans };
}

function typeSymbolSpecies(symbol: string, oxByType: Map<string, number>): Species {
  const ox = oxByType.get(symbol);
  const m = /^([A-Z][a-z]?)(\d*(?:\.\d+)?)([+-])?/.exec(symbol.trim());
  if (!m) throw new InputError(`cannot read atom type '${symbol}'`);
  const el = m[1]!;
  if (ox !== undefined) return Species.of(el, ox);
  if (m[3]) return Species.of(el, (m[3] === '-' ? -1 : 1) * (m[2] ? Number(m[2]) : 1));
  return Species.of(el);
}

const SYMOP_KEYS = ['_symmetry_equiv_pos_as_xyz', '_space_group_symop_operation_xyz', '_space_group_symop.operation_xyz'];

export function parseCif(text: string, file?: string): Structure {
  return withLocation({ file }, () => parse(text));
}

// Kept as one function (~110 lines): one pass over the CIF data block in file order (cell,
// symmetry operations, atom types, atom sites, expansion to P1), each part short and linear.
function parse(text: string): Structure {
  const blocks = parseBlocks(tokenize(text));
  const block = blocks.find((b) => b.loops.some((l) => l.keys.includes('_atom_site_fract_x'))) ?? blocks[0];
  if (!block) throw new ParseError('no data_ block', { line: 1 });
  const cell = ['_cell_length_a', '_cell_length_b', '_cell_length_c', '_cell_angle_alpha', '_cell_angle_beta', '_cell_angle_gamma'];
  const vals = cell.map((k) => cifNumber(block.items.get(k)));
  const missing = cell.filter((_, k) => vals[k] === null);
  if (missing.length) throw new ParseError(`no unit cell: ${missing.join(', ')} missing`, { line: block.line });
  const bad = cell.findIndex((_, k) => !Number.isFinite(vals[k]!) || vals[k]! <= 0);
  if (bad >= 0) throw new ParseError(`${cell[bad]} is not a positive number`, { line: block.items.get(cell[bad]!)!.line });
  let lattice: Lattice;
  try {
    lattice = Lattice.fromParameters(vals[0]!, vals[1]!, vals[2]!, vals[3]!, vals[4]!, vals[5]!);
  } catch (e) {
    if (e instanceof InputError) throw e.at({ line: block.items.get('_cell_angle_alpha')!.line });
    throw e;
  }

  // symmetry operations
  let ops: SymOp[] = [{ rotation: [[1, 0, 0], [0, 1, 0], [0, 0, 1]], translation: [0, 0, 0] }];
  for (const loop of block.loops) {
    const col = loop.keys.findIndex((k) => SYMOP_KEYS.includes(k));
    if (col < 0) continue;
    ops = loop.rows.map((r) => {
      try {
        return parseSymOp(r[col]!.text);
      } catch (e) {
        if (e instanceof InputError) throw e.at({ line: r[col]!.line });
        throw e;
      }
    });
  }
  for (const k of SYMOP_KEYS) {
    const single = block.items.get(k);
    if (single) ops = [parseSymOp(single.text)];
  }

  // oxidation states by atom type
  const oxByType = new Map<string, number>();
  for (const loop of block.loops) {
    const s = loop.keys.indexOf('_atom_type_symbol');
    const o = loop.keys.indexOf('_atom_type_oxidation_number');
    if (s < 0 || o < 0) continue;
    for (const r of loop.rows) {
      const v = cifNumber(r[o]);
      if (v !== null && Number.isFinite(v)) oxByType.set(r[s]!.text, v);
    }
  }

  const siteLoop = block.loops.find((l) => l.keys.includes('_atom_site_fract_x'));
  if (!siteLoop) throw new ParseError('no _atom_site_fract_x loop (atom positions)', { line: block.line });
  const col = (k: string) => siteLoop.keys.indexOf(k);
  const cx = col('_atom_site_fract_x'), cy = col('_atom_site_fract_y'), cz = col('_atom_site_fract_z');
  const cType = col('_atom_site_type_symbol'), cLabel = col('_atom_site_label'), cOcc = col('_atom_site_occupancy');
  if (cy < 0 || cz < 0) throw new ParseError('atom site loop lacks fract_y or fract_z', { line: siteLoop.line });
  if (cType < 0 && cLabel < 0) throw new ParseError('atom site loop has neither type_symbol nor label', { line: siteLoop.line });

  const raw: { frac: Vec3; species: Species; occu: number; label: string; line: number }[] = [];
  for (const r of siteLoop.rows) {
    const line = r[cx]!.line;
    const frac = [cx, cy, cz].map((c) => cifNumber(r[c])) as Vec3;
    if (frac.some((v) => v === null || !Number.isFinite(v))) throw new ParseError('atom site has a non-numeric coordinate', { line });
    const occ = cOcc >= 0 ? cifNumber(r[cOcc]) ?? 1 : 1;
    if (!Number.isFinite(occ) || occ <= 0 || occ > 1 + 1e-6) throw new ParseError(`occupancy ${r[cOcc]!.text} outside (0, 1]`, { line });
    const symbol = cType >= 0 ? r[cType]!.text : r[cLabel]!.text;
    let species: Species;
    try {
      species = typeSymbolSpecies(symbol, oxByType);
    } catch (e) {
      if (e instanceof InputError) throw e.at({ line });
      throw e;
    }
    raw.push({ frac, species, occu: occ, label: cLabel >= 0 ? r[cLabel]!.text : symbol, line });
  }

  // expand to P1; positions within tol (fractional, periodic) are the same site
  const tol = 1e-3;
  const sites: (Site & { line: number })[] = [];
  const same = (a: Vec3, b: Vec3) => a.every((v, k) => {
    const d = Math.abs(v - b[k]!);
    return Math.min(d, 1 - d) < tol;
  });
  const wrap = (x: number) => {
    const w = x - Math.floor(x);
    return w > 1 - 1e-9 ? 0 : w;
  };
  for (const r of raw) {
    const images: Vec3[] = [];
    for (const op of ops) {
      const f = [0, 1, 2].map((k) => wrap(op.rotation[k]![0] * r.frac[0] + op.rotation[k]![1] * r.frac[1] + op.rotation[k]![2] * r.frac[2] + op.translation[k]!)) as Vec3;
      if (!images.some((x) => same(x, f))) images.push(f);
    }
    for (const f of images) {
      const hit = sites.find((s) => same(s.frac, f));
      if (!hit) {
        sites.push({ frac: f, species: [{ species: r.species, occu: r.occu }], label: r.label, line: r.line });
      } else if (hit.line !== r.line) {
        // a different row on the same position: a disordered site
        const sp: SpeciesOccupancy | undefined = hit.species.find((o) => o.species.key === r.species.key);
        if (sp) sp.occu += r.occu;
        else hit.species.push({ species: r.species, occu: r.occu });
        const total = hit.species.reduce((a, o) => a + o.occu, 0);
        if (total > 1 + 1e-3) throw new ParseError(`occupancies on one position add up to ${total.toFixed(3)} > 1`, { line: r.line });
      }
    }
  }
  if (!sites.length) throw new ParseError('no atom sites', { line: siteLoop.line });
  checkSites(lattice, sites.map((s) => s.frac));
  return new Structure(lattice, sites.map(({ line: _line, ...s }) => s), { cifBlock: block.name });
}

function fmt(v: number): string {
  return (Math.abs(v) < 5e-11 ? 0 : v).toFixed(8);
}

export function writeCif(s: Structure, name = 'celt'): string {
  const [a, b, c] = s.lattice.abc;
  const [al, be, ga] = s.lattice.angles;
  const out = [
    `data_${name.replace(/\s+/g, '_')}`,
    `_symmetry_space_group_name_H-M   'P 1'`,
    `_cell_length_a   ${fmt(a)}`,
    `_cell_length_b   ${fmt(b)}`,
    `_cell_length_c   ${fmt(c)}`,
    `_cell_angle_alpha   ${fmt(al)}`,
    `_cell_angle_beta   ${fmt(be)}`,
    `_cell_angle_gamma   ${fmt(ga)}`,
    `_symmetry_Int_Tables_number   1`,
    `_cell_volume   ${fmt(s.lattice.volume)}`,
    'loop_',
    ' _symmetry_equiv_pos_site_id',
    ' _symmetry_equiv_pos_as_xyz',
    "  1  'x, y, z'",
  ];
  const types = new Map<string, Species>();
  for (const site of s.sites) for (const o of site.species) types.set(o.species.key, o.species);
  const withOx = [...types.values()].filter((sp) => sp.oxidationState !== null);
  if (withOx.length) {
    out.push('loop_', ' _atom_type_symbol', ' _atom_type_oxidation_number');
    for (const sp of withOx) out.push(`  ${sp.key}  ${sp.oxidationState}`);
  }
  out.push('loop_', ' _atom_site_type_symbol', ' _atom_site_label', ' _atom_site_symmetry_multiplicity', ' _atom_site_fract_x', ' _atom_site_fract_y', ' _atom_site_fract_z', ' _atom_site_occupancy');
  const counters = new Map<string, number>();
  for (const site of s.sites) {
    for (const o of site.species) {
      if (o.species.isVacancy) continue;
      const k = (counters.get(o.species.element) ?? 0) + 1;
      counters.set(o.species.element, k);
      out.push(`  ${o.species.key}  ${o.species.element}${k}  1  ${site.frac.map(fmt).join('  ')}  ${fmt(o.occu)}`);
    }
  }
  return out.join('\n') + '\n';
}

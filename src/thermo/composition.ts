/**
 * Compositions for thermodynamics: parse formulas / composition dicts, and express entries as
 * composition fractions over chosen components (elements) or end members (compounds), with the
 * energy per unit of those components — the coordinates the convex hull works in.
 *
 * Normalization: with element components an entry's energy is divided by its number of atoms
 * of those elements (eV/atom); with end members it is divided by the total number of
 * end-member formula units it contains (eV per formula unit), e.g. Li0.5CoO2 between CoO2
 * and LiCoO2 is 0.5 + 0.5 = 1 formula unit.
 */
import { InputError } from '../core/errors.ts';
import { Mat } from '../core/matrix.ts';
import { lstsqMinNorm } from '../core/linalg.ts';
import { Species } from '../structure/species.ts';
import type { HullPoint } from './hull.ts';

/** Element → amount (oxidation states and vacancies dropped). */
export type Composition = Map<string, number>;

/** "Li2MnO3", "Li0.5(CoO2)2", "LiMn2O4", also "Li+ Mn3+ O2-"-free plain formulas. */
export function parseFormula(text: string): Composition {
  const t = text.replace(/\s+/g, '');
  if (t.length === 0) throw new InputError('empty formula');
  let pos = 0;
  const parseGroup = (): Composition => {
    const out: Composition = new Map();
    while (pos < t.length && t[pos] !== ')') {
      let part: Composition;
      if (t[pos] === '(') {
        pos++;
        part = parseGroup();
        if (t[pos] !== ')') throw new InputError(`unbalanced parenthesis in formula '${text}'`);
        pos++;
      } else {
        const m = /^([A-Z][a-z]?)/.exec(t.slice(pos));
        if (!m) throw new InputError(`cannot read formula '${text}' at '${t.slice(pos)}'`);
        const el = m[1]!;
        Species.of(el); // validates the symbol
        pos += el.length;
        part = new Map([[el, 1]]);
      }
      const num = /^(\d+(?:\.\d*)?|\.\d+)/.exec(t.slice(pos));
      let mult = 1;
      if (num) {
        mult = Number(num[1]);
        pos += num[1]!.length;
      }
      for (const [el, n] of part) out.set(el, (out.get(el) ?? 0) + n * mult);
    }
    return out;
  };
  const comp = parseGroup();
  if (pos !== t.length) throw new InputError(`unbalanced parenthesis in formula '${text}'`);
  return comp;
}

/** A composition from a formula string or a {species or element: amount} object. */
export function compositionFromValue(value: unknown): Composition {
  if (typeof value === 'string') return parseFormula(value);
  if (value === null || typeof value !== 'object' || Array.isArray(value)) {
    throw new InputError('composition must be a formula string or an object {element: amount}', { field: 'composition' });
  }
  const out: Composition = new Map();
  for (const [key, amount] of Object.entries(value as Record<string, unknown>)) {
    if (typeof amount !== 'number' || !Number.isFinite(amount) || amount < 0) {
      throw new InputError(`amount of ${key} must be a non-negative number (got ${JSON.stringify(amount)})`, { field: `composition.${key}` });
    }
    const sp = Species.parse(key);
    if (sp.isVacancy) continue;
    out.set(sp.element, (out.get(sp.element) ?? 0) + amount);
  }
  return out;
}

export interface EnergyEntry {
  id: string | number;
  composition: Composition;
  /** Total energy of that composition (eV). */
  energy: number;
}

export interface EndMember {
  name: string;
  composition: Composition;
}

export interface HullCoordinates {
  points: HullPoint[];
  /** Component names (elements or end-member names), the order of x. */
  components: string[];
  /** Per entry: the amount its energy was divided by (atoms, or end-member formula units). */
  units: Float64Array;
}

/**
 * Composition fractions and normalized energies. Components default to the elements present
 * (sorted alphabetically); an element outside the given components, or a composition that is not
 * a non-negative combination of the end members, is an error naming the entry.
 */
export function hullCoordinates(entries: EnergyEntry[], opts: { components?: string[]; endMembers?: EndMember[] } = {}): HullCoordinates {
  if (entries.length === 0) throw new InputError('no entries given');
  if (opts.components && opts.endMembers) throw new InputError('give either components or end members, not both');
  if (opts.endMembers) return endMemberCoordinates(entries, opts.endMembers);
  const elements = new Set<string>();
  for (const e of entries) for (const [el, n] of e.composition) if (n > 0) elements.add(el);
  const components = opts.components ?? [...elements].sort();
  for (const c of components) Species.of(c);
  if (new Set(components).size !== components.length) throw new InputError(`components are repeated: ${components.join(', ')}`, { field: 'components' });
  const points: HullPoint[] = [];
  const units = new Float64Array(entries.length);
  entries.forEach((e, i) => {
    for (const [el, n] of e.composition) {
      if (n > 1e-12 && !components.includes(el)) throw new InputError(`contains ${el}, which is not among the components (${components.join(', ')})`, { entry: e.id, field: 'composition' });
    }
    const amounts = components.map((c) => e.composition.get(c) ?? 0);
    const total = amounts.reduce((a, b) => a + b, 0);
    if (!(total > 0)) throw new InputError('composition is empty', { entry: e.id, field: 'composition' });
    checkEnergy(e);
    units[i] = total;
    points.push({ x: amounts.map((a) => a / total), e: e.energy / total, id: e.id });
  });
  return { points, components, units };
}

function endMemberCoordinates(entries: EnergyEntry[], endMembers: EndMember[]): HullCoordinates {
  const elements = new Set<string>();
  for (const m of endMembers) for (const el of m.composition.keys()) elements.add(el);
  for (const e of entries) for (const [el, n] of e.composition) if (n > 0) elements.add(el);
  const els = [...elements].sort();
  const K = endMembers.length;
  const B = new Mat(els.length, K);
  endMembers.forEach((m, k) => els.forEach((el, r) => B.set(r, k, m.composition.get(el) ?? 0)));
  const rank = lstsqMinNorm(B, new Float64Array(els.length), 1e-10).rank;
  if (rank < K) throw new InputError(`end members ${endMembers.map((m) => m.name).join(', ')} are linearly dependent`, { field: 'endMembers' });
  const points: HullPoint[] = [];
  const units = new Float64Array(entries.length);
  entries.forEach((e, i) => {
    const v = Float64Array.from(els, (el) => e.composition.get(el) ?? 0);
    const { x: a } = lstsqMinNorm(B, v, 1e-10);
    let resid = 0, scale = 0;
    for (let r = 0; r < els.length; r++) {
      let s = 0;
      for (let k = 0; k < K; k++) s += B.get(r, k) * a[k]!;
      resid = Math.max(resid, Math.abs(s - v[r]!));
      scale = Math.max(scale, Math.abs(v[r]!));
    }
    if (resid > 1e-6 * Math.max(scale, 1) || a.some((t) => t < -1e-8)) {
      throw new InputError(`composition ${formatComposition(e.composition)} is not a non-negative combination of the end members ${endMembers.map((m) => m.name).join(', ')}`, { entry: e.id, field: 'composition' });
    }
    const amounts = Array.from(a, (t) => Math.max(0, t));
    const total = amounts.reduce((s, t) => s + t, 0);
    if (!(total > 0)) throw new InputError('composition is empty', { entry: e.id, field: 'composition' });
    checkEnergy(e);
    units[i] = total;
    points.push({ x: amounts.map((t) => t / total), e: e.energy / total, id: e.id });
  });
  return { points, components: endMembers.map((m) => m.name), units };
}

function checkEnergy(e: EnergyEntry): void {
  if (typeof e.energy !== 'number' || !Number.isFinite(e.energy)) throw new InputError(`energy must be a finite number (got ${e.energy})`, { entry: e.id, field: 'energy' });
}

export function formatComposition(c: Composition): string {
  return [...c].filter(([, n]) => n > 0).map(([el, n]) => `${el}${n === 1 ? '' : +n.toFixed(6)}`).join('');
}

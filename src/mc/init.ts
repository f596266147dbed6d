/**
 * Starting occupancies: a random arrangement at a requested composition, or an ordered
 * structure mapped onto the prim and repeated periodically to fill the supercell. Also the
 * reverse (occupancy → ordered Structure) for writing the lowest-energy state.
 */
import { InputError, OptionError } from '../core/errors.ts';
import { inv3 } from '../core/mat3.ts';
import type { Rng } from '../core/rng.ts';
import { CellIndexer } from '../space/correlation.ts';
import { speciesCode } from '../space/site-space.ts';
import { mapStructure, type MappingOptions } from '../structure/mapping.ts';
import { Species } from '../structure/species.ts';
import { Structure } from '../structure/structure.ts';
import { supercell, supercellSites } from '../structure/supercell.ts';
import type { Layout } from './state.ts';

/** Parsed "--composition Li+=0.5,Ni3+@1=0.25": species key, optional active-sublattice index, fraction. */
export interface CompositionSpec {
  species: string;
  sublattice?: number;
  fraction: number;
}

export function parseComposition(text: string): CompositionSpec[] {
  return text.split(',').filter((x) => x.trim()).map((part) => {
    const m = /^\s*([^=@\s]+)(?:@(\d+))?\s*=\s*([^\s]+)\s*$/.exec(part);
    const f = m ? Number(m[3]) : NaN;
    if (!m || !(f >= 0 && f <= 1)) throw new OptionError(`--composition entry '${part}' must be SPECIES=fraction or SPECIES@k=fraction with 0 ≤ fraction ≤ 1`, { field: 'composition' });
    const spec: CompositionSpec = { species: Species.parse(m[1]!).key, fraction: f };
    if (m[2] !== undefined) spec.sublattice = Number(m[2]);
    return spec;
  });
}

/** Species counts per slot for a composition; unspecified species share what is left equally. */
export function compositionCounts(layout: Layout, spec: CompositionSpec[]): Int32Array {
  const counts = new Int32Array(layout.nSlots);
  for (const s of spec) {
    const subs = layout.sublattices.filter((L) => L.species.includes(s.species));
    if (subs.length === 0) throw new OptionError(`--composition names ${s.species}, which no active sublattice holds (species: ${layout.species.join(', ')})`, { field: 'composition' });
    if (s.sublattice !== undefined && !subs.some((L) => L.index === s.sublattice)) {
      throw new OptionError(`--composition ${s.species}@${s.sublattice}: sublattice ${s.sublattice} does not hold ${s.species} (it sits on ${subs.map((L) => L.index).join(', ')})`, { field: 'composition' });
    }
  }
  for (const sub of layout.sublattices) {
    const n = sub.sites.length;
    const given = new Map<number, number>();
    for (const s of spec) {
      const c = sub.species.indexOf(s.species);
      if (c < 0 || (s.sublattice !== undefined && s.sublattice !== sub.index)) continue;
      // a sublattice-specific entry overrides a species-wide one
      if (s.sublattice !== undefined || !given.has(c)) given.set(c, s.fraction);
    }
    const sum = [...given.values()].reduce((a, b) => a + b, 0);
    const free = sub.species.map((_, c) => c).filter((c) => !given.has(c));
    if (sum > 1 + 1e-9 || (free.length === 0 && Math.abs(sum - 1) > 1e-9)) {
      throw new OptionError(`--composition fractions on sublattice ${sub.index} (${sub.species.join(', ')}) sum to ${sum}, not 1`, { field: 'composition' });
    }
    for (const c of free) given.set(c, (1 - sum) / free.length);
    let total = 0;
    for (const [c, f] of given) {
      const x = f * n;
      if (Math.abs(x - Math.round(x)) > 1e-6) throw new OptionError(`--composition: ${sub.species[c]} fraction ${f} on sublattice ${sub.index} needs ${x} of its ${n} sites; the supercell cannot hold it`, { field: 'composition' });
      counts[sub.slot0 + c] = Math.round(x);
      total += Math.round(x);
    }
    if (total !== n) throw new OptionError(`--composition: sublattice ${sub.index} has ${n} sites but the fractions give ${total}`, { field: 'composition' });
  }
  return counts;
}

/** Random arrangement with the given slot counts (inactive sites take their only species). */
export function randomOccupancy(layout: Layout, counts: Int32Array, rng: Rng): Int32Array {
  const codes = new Int32Array(layout.nSites);
  for (const sub of layout.sublattices) {
    const order = rng.permutation(sub.sites.length);
    let k = 0;
    sub.species.forEach((_, c) => {
      for (let t = 0; t < counts[sub.slot0 + c]!; t++) codes[sub.sites[order[k++]!]!] = c;
    });
  }
  return codes;
}

/** Total formal charge of an occupancy (active and inactive sites). */
export function totalCharge(layout: Layout, codes: Int32Array): number {
  const space = layout.space;
  const sites = supercellSites(space.prim, layout.scMatrix);
  let q = 0;
  sites.forEach((s, i) => {
    const sp = space.spaces.sites[s.primSite]!.species[codes[i]!]!;
    q += sp.isVacancy ? 0 : sp.charge;
  });
  return q;
}

/**
 * Occupancy of an ordered structure on the supercell: the structure is mapped onto the prim
 * (its own supercell S), and the requested supercell M must be a superlattice of S (M·S⁻¹
 * integer); site (p, t) of M takes the species of site (p, t mod S).
 */
export function occupancyFromStructure(layout: Layout, structure: Structure, mapping: MappingOptions = {}, file?: string): Int32Array {
  const space = layout.space;
  const mapped = mapStructure(space.prim, structure, mapping);
  const S = mapped.scMatrix, M = layout.scMatrix;
  const q = inv3(S);
  const ratio = M.map((r) => [0, 1, 2].map((k) => r[0]! * q[0][k] + r[1]! * q[1][k] + r[2]! * q[2][k]));
  if (ratio.some((r) => r.some((v) => Math.abs(v - Math.round(v)) > 1e-6))) {
    throw new InputError(`the structure maps onto supercell ${JSON.stringify(S)} of the prim, which does not tile --supercell ${JSON.stringify(M)}`, { file, field: 'init' });
  }
  const small = supercellSites(space.prim, S);
  const cells = new CellIndexer(S);
  const P = space.prim.sites.length;
  const code = new Int32Array(cells.nCells * P).fill(-1);
  small.forEach((s, i) => {
    const c = speciesCode(space.spaces.sites[s.primSite]!, mapped.occupancy[i]!.key);
    code[cells.cellOf(s.offset[0], s.offset[1], s.offset[2]) * P + s.primSite] = c;
  });
  return Int32Array.from(supercellSites(space.prim, M), (s) => code[cells.cellOf(s.offset[0], s.offset[1], s.offset[2]) * P + s.primSite]!);
}

/** Ordered structure of an occupancy (vacancies removed), for POSCAR / pymatgen JSON output. */
export function structureOf(layout: Layout, codes: Int32Array): Structure {
  const space = layout.space;
  const sc = supercell(space.prim, layout.scMatrix);
  const refs = supercellSites(space.prim, layout.scMatrix);
  const sites = sc.sites.flatMap((site, i) => {
    const sp = space.spaces.sites[refs[i]!.primSite]!.species[codes[i]!]!;
    return sp.isVacancy ? [] : [{ frac: site.frac, species: [{ species: sp, occu: 1 }] }];
  });
  return new Structure(sc.lattice, sites);
}

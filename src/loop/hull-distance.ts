/**
 * Hull distances with error bars, and the ground-state score of a model on a pool.
 *
 * Composition space: the elements of each configuration (vacancies left out), energies per
 * atom — the hull `celt hull` draws. A configuration is given by its occupancy (species keys per
 * supercell site) and its number of prim cells; energies come in per prim cell (the CE unit)
 * and are converted here.
 *
 * σ of a hull distance is evaluated, not propagated: every ensemble member predicts every
 * candidate, one hull is built per member over (training rows at their DFT energies) ∪
 * (candidates at that member's energies), and the spread of a candidate's distance over members
 * is its σ. The hull of a member is nonlinear in its energies (which structure is a vertex
 * changes), which a linear propagation would miss.
 */
import { InputError } from '../core/errors.ts';
import { equalRowGroups, type Mat } from '../core/matrix.ts';
import { Species } from '../structure/species.ts';
import { compareGroundStates, type HullPoint, lowerHull } from '../thermo/index.ts';

export interface HullFrame {
  components: string[];
  /** Element fractions per configuration. */
  x: Float64Array[];
  /** Atoms per prim cell of each configuration: E/atom = E/prim ÷ this. */
  atomsPerPrim: Float64Array;
}

/** Element counts of an occupancy (species keys; vacancies skipped). */
export function elementCounts(occupancy: readonly string[]): Map<string, number> {
  const m = new Map<string, number>();
  for (const key of occupancy) {
    const sp = Species.parse(key);
    if (sp.isVacancy) continue;
    m.set(sp.element, (m.get(sp.element) ?? 0) + 1);
  }
  return m;
}

export function hullFrame(configs: ReadonlyArray<{ occupancy: readonly string[]; nPrims: number }>): HullFrame {
  const counts = configs.map((c, i) => {
    if (!c.occupancy.length) throw new InputError('a configuration has no occupancy, so its composition is unknown (a training set written by celt featurize has them)', { entry: i, field: 'occupancies' });
    return elementCounts(c.occupancy);
  });
  const components = [...new Set(counts.flatMap((m) => [...m.keys()]))].sort();
  const x = counts.map((m) => {
    const tot = [...m.values()].reduce((a, b) => a + b, 0);
    return Float64Array.from(components, (el) => (m.get(el) ?? 0) / tot);
  });
  const atomsPerPrim = Float64Array.from(counts, (m, i) => [...m.values()].reduce((a, b) => a + b, 0) / configs[i]!.nPrims);
  return { components, x, atomsPerPrim };
}

function points(frame: HullFrame, idx: ArrayLike<number>, ePerPrim: (k: number) => number): HullPoint[] {
  return Array.from(idx, (i, k) => ({ x: frame.x[i]!, e: ePerPrim(k) / frame.atomsPerPrim[i]!, id: i }));
}

export interface HullDistances {
  /** Centre-fit distance above the hull per candidate (eV per prim cell). */
  mean: Float64Array;
  /** Std over ensemble members (eV per prim cell). */
  sigma: Float64Array;
  /** Fraction of members that put the candidate within `window` of their hull. */
  nearFraction: Float64Array;
}

/**
 * Distances above the hull of (known rows at known energies) ∪ (candidates at predicted
 * energies), per prim cell, for the centre prediction and each member's.
 * `members` is members × candidates row-major, as predictEnsemble returns it.
 */
export function hullDistances(frame: HullFrame, known: ArrayLike<number>, knownE: ArrayLike<number>, cands: ArrayLike<number>, centre: ArrayLike<number>, members: Float64Array, window: number): HullDistances {
  const m = cands.length, B = members.length / Math.max(m, 1);
  const base = points(frame, known, (k) => knownE[k]!);
  const dist = (e: (k: number) => number): Float64Array => {
    const h = lowerHull([...base, ...points(frame, cands, e)], { tol: 1e-9 });
    return Float64Array.from({ length: m }, (_, k) => h.eAboveHull[base.length + k]! * frame.atomsPerPrim[cands[k]!]!);
  };
  const mean = dist((k) => centre[k]!);
  const sum = new Float64Array(m), sum2 = new Float64Array(m), near = new Float64Array(m);
  for (let b = 0; b < B; b++) {
    const d = dist((k) => members[b * m + k]!);
    for (let k = 0; k < m; k++) {
      sum[k]! += d[k]!;
      sum2[k]! += d[k]! ** 2;
      if (d[k]! <= window) near[k]!++;
    }
  }
  const sigma = Float64Array.from(sum, (s, k) => (B > 1 ? Math.sqrt(Math.max(0, (sum2[k]! - (s * s) / B) / (B - 1))) : 0));
  return { mean, sigma, nearFraction: near.map((v) => v / Math.max(B, 1)) };
}

export interface GroundStateScore {
  /** Pool indices of the DFT ground states. */
  dft: number[];
  matched: number[];
  missing: number[];
  spurious: number[];
}

/**
 * Which DFT ground states of a pool a model reproduces: DFT hull vs CE hull over the same
 * configurations (src/thermo compareGroundStates). Configurations with equal feature vectors
 * are one configuration to the CE, so only the lowest-DFT-energy copy of each group enters
 * (`representatives`), as `celt run` does.
 */
export function groundStateScore(frame: HullFrame, representatives: ArrayLike<number>, dftPerPrim: ArrayLike<number>, cePerPrim: ArrayLike<number>): GroundStateScore {
  const idx = Array.from(representatives);
  const pts = idx.map((i) => ({ x: frame.x[i]!, id: i }));
  const perAtom = (e: ArrayLike<number>) => Float64Array.from(idx, (i) => e[i]! / frame.atomsPerPrim[i]!);
  const c = compareGroundStates(pts, perAtom(dftPerPrim), perAtom(cePerPrim), { tol: 1e-6 });
  const map = (v: number[]) => v.map((k) => idx[k]!);
  return { dft: map(c.dftHull.vertices), matched: map(c.matched), missing: map(c.missing), spurious: map(c.spurious) };
}

/** One representative (lowest DFT energy) per group of equal feature rows. */
export function representatives(X: Mat, y: ArrayLike<number>): number[] {
  const ids = equalRowGroups(X);
  const best = new Map<number, number>();
  ids.forEach((g, i) => {
    const b = best.get(g);
    if (b === undefined || y[i]! < y[b]!) best.set(g, i);
  });
  return [...best.values()].sort((a, b) => a - b);
}

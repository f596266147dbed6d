/**
 * Special quasirandom structures (Zunger et al., PRL 65, 353 (1990)): the labeling of a small
 * supercell whose correlation functions best match those of the random alloy at a target
 * composition.
 *
 * Target: in the random alloy the sites are independent, so a cluster function's average is
 * the product of its site-function averages ⟨φ_j⟩ = Σ_σ x_s(σ) φ_j(σ) (x_s = the target
 * concentrations on the site's sublattice), averaged over the decorations the orbit groups
 * together, exactly as the correlation tables do.
 *
 * Objective (smaller is better):
 *  - 'sum' (default): Σ_f w_o(f)·|ρ_f(σ) − ρ_f(random)| over every non-constant correlation
 *    function f, w = 1 unless per-orbit weights are given (for binaries, one function per
 *    orbit, so this is the sum over orbits). With the ±1 (sinusoid) basis this is the usual
 *    "sum of |Δ correlation|" of icet and ATAT.
 *  - 'atat': ATAT mcsqs's idea (van de Walle et al., Calphad 42, 13 (2013)) of matching the
 *    longest pair distances first: score = −ω·L + Σ_f w|Δρ_f|, where L is the diameter of the
 *    longest pair orbit such that it and every shorter pair orbit match exactly (|Δρ| ≤ 1e-9;
 *    L = 0 when the nearest pair does not). The default ω = 1000 per Å makes L dominate, so
 *    cells are ranked by L first and by the sum second; a small ω trades the two as mcsqs does.
 *
 * Search, per candidate supercell (every symmetry-distinct supercell of 1…maxSize prim cells
 * whose site counts hold the composition exactly, or the supercells given):
 *  - exhaustive when the supercell has at most `exhaustiveLimit` labelings: every
 *    symmetry-distinct labeling (enumerate.ts) at the exact composition is scored;
 *  - otherwise simulated annealing with swaps inside a sublattice, correlations updated by
 *    local deltas (CorrelationEvaluator.delta), geometric cooling from T0 to T1 over `steps`
 *    swaps, starting from a random arrangement with the exact counts (seeded).
 * The best cell over all candidates wins; ties keep the earlier one (smaller size first).
 */
import { InputError, OptionError } from '../core/errors.ts';
import type { Mat3 } from '../core/mat3.ts';
import { Rng } from '../core/rng.ts';
import type { ClusterSpace } from '../space/cluster-space.ts';
import { CorrelationEvaluator } from '../space/correlation.ts';
import type { Structure } from '../structure/structure.ts';
import { checkScMatrix } from '../structure/supercell.ts';
import { distinctSupercells } from './enumerate-hnf.ts';
import { derivativeStructure, enumerationLattice, labelingCount, supercellGroup, supercellLabelings, toSupercellOrder, type EnumerationLattice } from './enumerate.ts';

export type SqsMode = 'sum' | 'atat';

/** Upper bound on annealing swaps over all candidate cells (≈ minutes at a few µs per swap). */
export const MAX_ANNEALING_SWAPS = 5e7;

export interface SqsOptions {
  /** Species key → fraction of the sites that allow it (per sublattice; each active sublattice sums to 1). */
  composition: Map<string, number>;
  /** Largest supercell in prim cells (all symmetry-distinct supercells 1…maxSize are tried). */
  maxSize?: number;
  /** Explicit supercell matrices instead of maxSize. */
  supercells?: Mat3[];
  /** Orbit id (1-based, ClusterSpace numbering) → weight; default 1. */
  weights?: Map<number, number>;
  mode?: SqsMode;
  /** ω of the 'atat' mode, per Å. */
  omega?: number;
  /** Supercells with at most this many labelings are searched exhaustively. Default 2^16. */
  exhaustiveLimit?: number;
  /** Annealing swaps per supercell. Default 20000. */
  steps?: number;
  /** Annealing temperatures (objective units). Defaults 0.3 and 1e-3. */
  t0?: number;
  t1?: number;
  seed?: number;
}

export interface OrbitMismatch {
  id: number;
  size: number;
  diameter: number;
  /** Σ over the orbit's functions of |ρ − ρ_random| (unweighted). */
  mismatch: number;
}

export interface SqsResult {
  hnf: Mat3;
  size: number;
  /** Species code per supercell site, supercellSites(prim, hnf) order. */
  codes: Uint8Array;
  structure: Structure;
  correlations: Float64Array;
  target: Float64Array;
  /** Unweighted Σ |Δρ| over the non-constant functions. */
  mismatch: number;
  /** The objective value that was minimized (equals mismatch in the default mode). */
  objective: number;
  /** 'atat' mode: longest perfectly matched pair diameter (Å); also reported in 'sum' mode. */
  matchedPairDiameter: number;
  perOrbit: OrbitMismatch[];
  method: 'exhaustive' | 'annealing';
  candidates: number;
}

/** Per prim site, the target concentration of each of its species (codes order). */
export function siteConcentrations(space: ClusterSpace, composition: Map<string, number>): Float64Array[] {
  const spaces = space.spaces;
  const activeKeys = new Set(spaces.sites.filter((s) => s.active).flatMap((s) => s.species.map((x) => x.key)));
  for (const [key, x] of composition) {
    if (!activeKeys.has(key)) throw new OptionError(`species '${key}' is not on an active site of the lattice (active species: ${[...activeKeys].join(', ')})`, { field: 'composition' });
    if (!(x >= 0 && x <= 1)) throw new OptionError(`fraction of ${key} must be within 0…1, got ${x}`, { field: 'composition' });
  }
  return spaces.sites.map((sp) => {
    const x = Float64Array.from(sp.species, (s) => composition.get(s.key) ?? 0);
    if (!sp.active) return Float64Array.of(1);
    const sum = x.reduce((a, b) => a + b, 0);
    if (Math.abs(sum - 1) > 1e-6) {
      throw new OptionError(`fractions on the sublattice [${sp.species.map((s) => s.key).join(' ')}] sum to ${+sum.toFixed(6)}, not 1 (give each species as a fraction of the sites that allow it)`, { field: 'composition' });
    }
    return x;
  });
}

/** Correlations of the random alloy with the given site concentrations (constant first). */
export function randomCorrelations(space: ClusterSpace, conc: Float64Array[]): Float64Array {
  const out = new Float64Array(space.nCorrelations);
  out[0] = 1;
  const mean = (site: number, j: number) => {
    const b = space.bases[site]!;
    let s = 0;
    for (let c = 0; c < b.m; c++) s += conc[site]![c]! * b.functions[j * b.m + c]!;
    return s;
  };
  for (const o of space.orbits) {
    o.functions.forEach((group, f) => {
      let sum = 0;
      for (const t of group) {
        let p = 1;
        for (let i = 0; i < o.size; i++) p *= mean(o.base[4 * i]!, t[i]!);
        sum += p;
      }
      out[o.firstFunction + f] = Math.abs(sum / group.length) < 1e-14 ? 0 : sum / group.length;
    });
  }
  return out;
}

/** Scores correlation vectors; shared by both search methods so they rank cells the same way. */
export class SqsObjective {
  readonly target: Float64Array;
  private readonly w: Float64Array;
  private readonly mode: SqsMode;
  private readonly omega: number;
  /** Pair orbits by increasing diameter: [first function, end, diameter]. */
  private readonly pairs: [number, number, number][];
  private readonly space: ClusterSpace;

  constructor(space: ClusterSpace, target: Float64Array, opts: Pick<SqsOptions, 'weights' | 'mode' | 'omega'> = {}) {
    this.space = space;
    this.target = target;
    this.mode = opts.mode ?? 'sum';
    if (this.mode !== 'sum' && this.mode !== 'atat') throw new OptionError(`unknown SQS objective '${String(this.mode)}' (sum or atat)`, { field: 'mode' });
    this.omega = opts.omega ?? 1000;
    if (!(this.omega >= 0)) throw new OptionError(`omega must be ≥ 0, got ${this.omega}`, { field: 'omega' });
    this.w = new Float64Array(space.nCorrelations).fill(1);
    this.w[0] = 0;
    for (const [id, wt] of opts.weights ?? []) {
      const o = space.orbits[id - 1];
      if (!o) throw new OptionError(`weight for orbit ${id}, but the space has orbits 1…${space.orbits.length}`, { field: 'weights' });
      if (!(wt >= 0) || !Number.isFinite(wt)) throw new OptionError(`weight of orbit ${id} must be a non-negative number, got ${wt}`, { field: 'weights' });
      for (let f = 0; f < o.functions.length; f++) this.w[o.firstFunction + f] = wt;
    }
    this.pairs = space.orbits.filter((o) => o.size === 2).sort((a, b) => a.diameter - b.diameter).map((o) => [o.firstFunction, o.firstFunction + o.functions.length, o.diameter]);
  }

  /** Unweighted Σ |Δρ| over the non-constant functions (the reported mismatch). */
  mismatch(corr: Float64Array): number {
    let s = 0;
    for (let f = 1; f < corr.length; f++) s += Math.abs(corr[f]! - this.target[f]!);
    return s;
  }

  weightedSum(corr: Float64Array): number {
    let s = 0;
    for (let f = 1; f < corr.length; f++) s += this.w[f]! * Math.abs(corr[f]! - this.target[f]!);
    return s;
  }

  /** Longest pair diameter up to which every pair orbit matches exactly (0 if the nearest does not). */
  matchedPairDiameter(corr: Float64Array): number {
    let L = 0;
    for (const [a, b, d] of this.pairs) {
      for (let f = a; f < b; f++) if (Math.abs(corr[f]! - this.target[f]!) > 1e-9) return L;
      L = d;
    }
    return L;
  }

  score(corr: Float64Array): number {
    const s = this.weightedSum(corr);
    return this.mode === 'atat' ? s - this.omega * this.matchedPairDiameter(corr) : s;
  }

  perOrbit(corr: Float64Array): OrbitMismatch[] {
    return this.space.orbits.map((o) => {
      let m = 0;
      for (let f = 0; f < o.functions.length; f++) m += Math.abs(corr[o.firstFunction + f]! - this.target[o.firstFunction + f]!);
      return { id: o.id, size: o.size, diameter: o.diameter, mismatch: m };
    });
  }
}

/** Species counts per prim site a supercell of n prim cells needs, or null when not integral. */
function countsFor(conc: Float64Array[], sublatticeSites: number[][], n: number): Map<number, Int32Array> | null {
  const out = new Map<number, Int32Array>();
  for (const sites of sublatticeSites) {
    const x = conc[sites[0]!]!;
    const nSites = n * sites.length;
    const counts = Int32Array.from(x, (v) => Math.round(v * nSites));
    for (let c = 0; c < x.length; c++) if (Math.abs(x[c]! * nSites - counts[c]!) > 1e-6) return null;
    out.set(sites[0]!, counts);
  }
  return out;
}

interface Candidate {
  score: number;
  codes: Uint8Array;
  corr: Float64Array;
}

function exhaustive(lat: EnumerationLattice, ev: CorrelationEvaluator, hnf: Mat3, n: number, subs: number[][], counts: Map<number, Int32Array>, obj: SqsObjective): Candidate | null {
  const group = supercellGroup(lat, hnf);
  let best: Candidate | null = null;
  const corr = new Float64Array(ev.nCorrelations);
  const tally = new Int32Array(Math.max(...lat.spaces.sites.map((sp) => sp.species.length)));
  outer: for (const { codes } of supercellLabelings(lat, group, { sizes: [n], includeSuperperiodic: true })) {
    for (const sites of subs) {
      const want = counts.get(sites[0]!)!;
      tally.fill(0);
      for (const s of sites) for (let t = 0; t < n; t++) tally[codes[s * n + t]!]!++;
      for (let c = 0; c < want.length; c++) if (tally[c] !== want[c]) continue outer;
    }
    const ordered = toSupercellOrder(group, codes);
    ev.correlations(ordered, corr);
    const sc = obj.score(corr);
    if (best === null || sc < best.score - 1e-12) best = { score: sc, codes: ordered, corr: Float64Array.from(corr) };
  }
  return best;
}

function anneal(ev: CorrelationEvaluator, n: number, subs: number[][], counts: Map<number, Int32Array>, obj: SqsObjective, opts: SqsOptions, rng: Rng): Candidate {
  const N = ev.nSites;
  const codes = new Uint8Array(N);
  // swappable groups: supercell sites of one sublattice, when it holds ≥ 2 species
  const groups: Int32Array[] = [];
  for (const sites of subs) {
    const want = counts.get(sites[0]!)!;
    const list: number[] = [];
    for (const s of sites) for (let t = 0; t < n; t++) list.push(s * n + t);
    const fill: number[] = [];
    want.forEach((k, c) => { for (let i = 0; i < k; i++) fill.push(c); });
    rng.shuffle(fill);
    list.forEach((site, i) => (codes[site] = fill[i]!));
    if (want.filter((k) => k > 0).length > 1) groups.push(Int32Array.from(list));
  }
  let corr = ev.correlations(codes);
  let cur = obj.score(corr);
  let best: Candidate = { score: cur, codes: codes.slice(), corr: corr.slice() };
  if (groups.length === 0) return best;
  const steps = opts.steps ?? 20000;
  const t0 = opts.t0 ?? 0.3, t1 = opts.t1 ?? 1e-3;
  const cool = (t1 / t0) ** (1 / Math.max(1, steps - 1));
  const delta = new Float64Array(ev.nCorrelations);
  const trial = new Float64Array(ev.nCorrelations);
  const move: [number, number][] = [[0, 0], [0, 0]];
  let T = t0, accepted = 0;
  for (let step = 0; step < steps; step++, T *= cool) {
    const g = groups[rng.int(groups.length)]!;
    const i = g[rng.int(g.length)]!, j = g[rng.int(g.length)]!;
    if (codes[i] === codes[j]) continue;
    move[0]![0] = i; move[0]![1] = codes[j]!;
    move[1]![0] = j; move[1]![1] = codes[i]!;
    ev.delta(codes, move, delta);
    for (let f = 0; f < trial.length; f++) trial[f] = corr[f]! + delta[f]!;
    const sc = obj.score(trial);
    if (sc <= cur || rng.next() < Math.exp((cur - sc) / T)) {
      const ci = codes[i]!;
      codes[i] = codes[j]!;
      codes[j] = ci;
      corr.set(trial);
      cur = sc;
      // re-sum now and then so rounding in the running deltas cannot build up
      if (++accepted % 1000 === 0) {
        corr = ev.correlations(codes);
        cur = obj.score(corr);
      }
      if (cur < best.score - 1e-12) best = { score: cur, codes: codes.slice(), corr: corr.slice() };
    }
  }
  // the kept correlations are recomputed from scratch, never carried deltas
  const exact = ev.correlations(best.codes);
  return { score: obj.score(exact), codes: best.codes, corr: exact };
}

export function findSqs(space: ClusterSpace, opts: SqsOptions): SqsResult {
  const prim = space.prim;
  const conc = siteConcentrations(space, opts.composition);
  const target = randomCorrelations(space, conc);
  const obj = new SqsObjective(space, target, opts);
  const lat = enumerationLattice(prim);
  const subs = lat.spaces.sublattices.filter((s) => s.active).map((s) => s.sites);
  const limit = opts.exhaustiveLimit ?? 2 ** 16;
  if (!(limit >= 0)) throw new OptionError(`exhaustive limit must be ≥ 0, got ${limit}`, { field: 'exhaustiveLimit' });
  if (opts.steps !== undefined && !(Number.isInteger(opts.steps) && opts.steps >= 0)) throw new OptionError(`steps must be a non-negative integer, got ${opts.steps}`, { field: 'steps' });

  let cells: { hnf: Mat3; n: number }[];
  if (opts.supercells?.length) {
    cells = opts.supercells.map((hnf) => ({ hnf, n: checkScMatrix(hnf) }));
  } else {
    const max = opts.maxSize ?? 8;
    if (!Number.isInteger(max) || max < 1) throw new OptionError(`max size must be a positive integer (prim cells), got ${max}`, { field: 'max-size' });
    if (max > 64) throw new OptionError(`max size ${max} is above the limit of 64 prim cells (the number of candidate supercells grows like n²·σ(n))`, { field: 'max-size' });
    cells = [];
    for (let n = 1; n <= max; n++) for (const hnf of distinctSupercells(n, lat.rotations)) cells.push({ hnf, n });
  }
  const feasible = cells.map((c) => ({ ...c, counts: countsFor(conc, subs, c.n) })).filter((c) => c.counts !== null);
  if (feasible.length === 0) {
    const sizes = [...new Set(cells.map((c) => c.n))].join(', ');
    throw new OptionError(`the composition cannot be realized exactly in a supercell of ${sizes} prim cells (site counts would not be integers)`, { field: 'composition' });
  }

  // refuse up front what would run for hours: annealing work is (cells too big to enumerate) × steps
  const annealed = feasible.filter((c) => labelingCount(lat, c.n) > limit).length;
  const work = annealed * (opts.steps ?? 20000);
  if (work > MAX_ANNEALING_SWAPS) {
    throw new OptionError(`${annealed} supercells would each be annealed for ${opts.steps ?? 20000} swaps (${work.toExponential(2)} in all, limit ${MAX_ANNEALING_SWAPS.toExponential(0)}); give a smaller --max-size, one --supercell, or fewer --steps`, { field: 'max-size' });
  }
  const rng = new Rng(opts.seed ?? 0);
  let best: (Candidate & { hnf: Mat3; n: number; method: 'exhaustive' | 'annealing' }) | null = null;
  for (const { hnf, n, counts } of feasible) {
    const ev = new CorrelationEvaluator(space, hnf);
    const useExhaustive = labelingCount(lat, n) <= limit;
    const cand = useExhaustive ? exhaustive(lat, ev, hnf, n, subs, counts!, obj) : anneal(ev, n, subs, counts!, obj, opts, rng.fork());
    if (cand && (best === null || cand.score < best.score - 1e-12)) best = { ...cand, hnf, n, method: useExhaustive ? 'exhaustive' : 'annealing' };
  }
  if (!best) throw new InputError('no labeling at the requested composition was found');
  const structure = derivativeStructure(prim, best.hnf, best.codes, { sqs: true });
  return {
    hnf: best.hnf,
    size: best.n,
    codes: best.codes,
    structure,
    correlations: best.corr,
    target,
    mismatch: obj.mismatch(best.corr),
    objective: best.score,
    matchedPairDiameter: obj.matchedPairDiameter(best.corr),
    perOrbit: obj.perOrbit(best.corr),
    method: best.method,
    candidates: feasible.length,
  };
}

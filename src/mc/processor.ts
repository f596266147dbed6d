/**
 * Energy processors: the energy change of a local move on one supercell, in eV for the WHOLE
 * supercell (the Boltzmann factor needs the extensive energy; per-prim values are only for
 * reporting: E_total = N_prim · E_per_prim).
 *
 * - ClusterProcessor: per-site cluster tables. For every orbit with a nonzero ECI the ECIs are
 *   contracted once into an energy table e_o[flat occupancy] = (1/m_o) Σ_f J_f T_o[flat][f],
 *   so a cluster image contributes e_o[flat] to the supercell energy (N·m images of an orbit
 *   average to the per-prim correlation, times N prims). Each site stores the images that
 *   contain it as records [tableBase, selfStride, nOther, (site, stride)·nOther]; a flip of
 *   site i then costs one record scan: Σ e[rest + new·ss] − e[rest + old·ss]. An image that
 *   folds site i onto several of its points (small cells) gets selfStride = Σ of those strides,
 *   so folding is exact. Moves of several sites are sequences of single-site flips applied to a
 *   scratch copy of the state.
 * - EwaldProcessor: cached site potentials φ_i = Σ_j A_ij q_j. A move changing charges by d_a
 *   on sites a costs ΔE = J·(Σ_a 2 d_a φ_a + Σ_ab d_a d_b A_ab): O(k²) per proposal; an
 *   accepted move updates φ in O(N·k).
 */
import { InputError } from '../core/errors.ts';
import type { Mat3 } from '../core/mat3.ts';
import type { ClusterExpansion } from '../model/cluster-expansion.ts';
import type { ClusterSpace } from '../space/cluster-space.ts';
import { CellIndexer, CorrelationEvaluator, orbitTensor } from '../space/correlation.ts';
import { EwaldTerm } from '../space/ewald.ts';
import type { Orbit } from '../space/orbits.ts';
import { supercellSites, type SupercellSite } from '../structure/supercell.ts';

/** One energy term of a Monte Carlo state. Every method works on species codes per supercell site. */
export interface Processor {
  /** Whole-supercell energy (eV) from scratch. */
  energy(codes: Int32Array): number;
  /**
   * Whole-supercell energy change (eV) if sites[k] take codes next[k] (k < n). `codes` is the
   * current state; it may be modified during the call but is restored before returning.
   */
  delta(codes: Int32Array, sites: Int32Array, next: Int32Array, n: number): number;
  /** Refresh caches after an accepted move: `codes` already holds the new state, prev the old codes. */
  update(codes: Int32Array, sites: Int32Array, prev: Int32Array, n: number): void;
  /** Rebuild caches for a state set from outside (initialisation, path restarts). */
  reset(codes: Int32Array): void;
}

/** ECI-contracted energy table of one orbit: e[flat] for the whole supercell per image. */
function orbitEnergyTable(space: ClusterSpace, o: Orbit, eci: Float64Array): { strides: Int32Array; table: Float64Array } | null {
  const nF = o.functions.length;
  let any = false;
  for (let f = 0; f < nF; f++) if (eci[o.firstFunction + f] !== 0) any = true;
  if (!any) return null; // orbits the fit zeroed cost nothing at run time
  // the cluster functions per occupancy are the correlation code's own (cached per space)
  const { strides, flatSize, tensor } = orbitTensor(space, o);
  const table = new Float64Array(flatSize);
  for (let flat = 0; flat < flatSize; flat++) {
    let e = 0;
    for (let f = 0; f < nF; f++) e += eci[o.firstFunction + f]! * tensor[flat * nF + f]!;
    table[flat] = e / o.multiplicity;
  }
  return { strides, table };
}

/** Supercell site of (cell, prim site), from the documented supercell site order. */
function siteLookup(scMatrix: Mat3, sites: SupercellSite[], nPrimSites: number): { cells: CellIndexer; siteOf: Int32Array } {
  const cells = new CellIndexer(scMatrix);
  const siteOf = new Int32Array(cells.nCells * nPrimSites).fill(-1);
  sites.forEach((s, i) => (siteOf[cells.cellOf(s.offset[0], s.offset[1], s.offset[2]) * nPrimSites + s.primSite] = i));
  return { cells, siteOf };
}

export class ClusterProcessor implements Processor {
  readonly nSites: number;
  readonly nPrims: number;
  /**
   * Records of site i, grouped by the number of other sites in the image so each group runs a
   * loop without an inner loop: bounds[5i..5i+4] delimit, in `rec`, the groups with 0 others
   * [base, ss], 1 other [base, ss, s, st], 2 others [base, ss, s, st, s, st], and ≥ 3 others
   * [base, ss, n, (s, st)·n].
   */
  readonly bounds: Int32Array;
  readonly rec: Int32Array;
  readonly tables: Float64Array;
  private readonly evaluator: CorrelationEvaluator;
  private readonly eci: Float64Array;

  constructor(space: ClusterSpace, scMatrix: Mat3, eci: Float64Array) {
    const sites = supercellSites(space.prim, scMatrix);
    this.nSites = sites.length;
    this.evaluator = new CorrelationEvaluator(space, scMatrix, sites);
    this.nPrims = this.evaluator.nPrims;
    this.eci = eci.subarray(0, space.nCorrelations);
    const P = space.prim.sites.length;
    const { cells, siteOf } = siteLookup(scMatrix, sites, P);
    const cellOffsets = new Int32Array(3 * cells.nCells);
    for (const s of sites) cellOffsets.set(s.offset, 3 * cells.cellOf(s.offset[0], s.offset[1], s.offset[2]));

    // images of every orbit with a nonzero ECI: site lists + the orbit's table base
    const used: { k: number; strides: Int32Array; base: number; idx: Int32Array }[] = [];
    const tableParts: Float64Array[] = [];
    let tableSize = 0;
    for (const o of space.orbits) {
      const t = orbitEnergyTable(space, o, this.eci);
      if (!t) continue;
      const k = o.size, m = o.images.length, N = cells.nCells;
      const idx = new Int32Array(N * m * k);
      let w = 0;
      for (let c = 0; c < N; c++) {
        const tx = cellOffsets[3 * c]!, ty = cellOffsets[3 * c + 1]!, tz = cellOffsets[3 * c + 2]!;
        for (const img of o.images) {
          for (let i = 0; i < k; i++) idx[w++] = siteOf[cells.cellOf(img[4 * i + 1]! + tx, img[4 * i + 2]! + ty, img[4 * i + 3]! + tz) * P + img[4 * i]!]!;
        }
      }
      used.push({ k, strides: t.strides, base: tableSize, idx });
      tableParts.push(t.table);
      tableSize += t.table.length;
    }
    this.tables = new Float64Array(tableSize);
    let off = 0;
    for (const p of tableParts) {
      this.tables.set(p, off);
      off += p.length;
    }
    ({ bounds: this.bounds, rec: this.rec } = buildSiteRecords(this.nSites, used));
  }

  energy(codes: Int32Array): number {
    const corr = this.evaluator.correlations(codes);
    let e = 0;
    for (let j = 0; j < this.eci.length; j++) e += corr[j]! * this.eci[j]!;
    return e * this.nPrims;
  }

  /** Energy change of one flip of `site` to `next` (codes unchanged). The hot path. */
  flip(codes: Int32Array, site: number, next: number): number {
    const old = codes[site]!;
    if (old === next) return 0;
    const rec = this.rec, T = this.tables, b = this.bounds, o = 5 * site;
    let d = 0, q = b[o]!, e = b[o + 1]!;
    for (; q < e; q += 2) {
      const base = rec[q]!, ss = rec[q + 1]!;
      d += T[base + next * ss]! - T[base + old * ss]!;
    }
    for (e = b[o + 2]!; q < e; q += 4) {
      const rest = rec[q]! + codes[rec[q + 2]!]! * rec[q + 3]!, ss = rec[q + 1]!;
      d += T[rest + next * ss]! - T[rest + old * ss]!;
    }
    for (e = b[o + 3]!; q < e; q += 6) {
      const rest = rec[q]! + codes[rec[q + 2]!]! * rec[q + 3]! + codes[rec[q + 4]!]! * rec[q + 5]!, ss = rec[q + 1]!;
      d += T[rest + next * ss]! - T[rest + old * ss]!;
    }
    for (e = b[o + 4]!; q < e; ) {
      const ss = rec[q + 1]!, no = rec[q + 2]!;
      let rest = rec[q]!;
      q += 3;
      for (const stop = q + 2 * no; q < stop; q += 2) rest += codes[rec[q]!]! * rec[q + 1]!;
      d += T[rest + next * ss]! - T[rest + old * ss]!;
    }
    return d;
  }

  delta(codes: Int32Array, sites: Int32Array, next: Int32Array, n: number): number {
    if (n === 1) return this.flip(codes, sites[0]!, next[0]!);
    // sequential flips on the live array, undone afterwards (sites are distinct)
    let d = 0;
    const saved = this.saved;
    for (let k = 0; k < n; k++) {
      saved[k] = codes[sites[k]!]!;
      d += this.flip(codes, sites[k]!, next[k]!);
      codes[sites[k]!] = next[k]!;
    }
    for (let k = n - 1; k >= 0; k--) codes[sites[k]!] = saved[k]!;
    return d;
  }
  private readonly saved = new Int32Array(64);

  // the cluster terms keep no cache beyond the occupancy itself
  update(): void {}
  reset(): void {}
}

/** Per-site records, one per image containing the site (folded points merged into selfStride), grouped by size. */
function buildSiteRecords(nSites: number, used: { k: number; strides: Int32Array; base: number; idx: Int32Array }[]): { bounds: Int32Array; rec: Int32Array } {
  const G = 4; // groups: 0, 1, 2 and ≥ 3 other sites
  const group = (others: number) => Math.min(others, G - 1);
  const recLength = (others: number) => (others >= G - 1 ? 3 + 2 * others : 2 + 2 * others);
  const forEachRecord = (emit: (site: number, others: number, base: number, idx: Int32Array, k: number, o: number, strides: Int32Array) => void) => {
    for (const { k, idx, strides, base } of used) {
      for (let o = 0; o < idx.length; o += k) {
        for (let i = 0; i < k; i++) {
          const x = idx[o + i]!;
          let first = true;
          for (let p = 0; p < i; p++) if (idx[o + p] === x) first = false;
          if (!first) continue;
          let others = 0;
          for (let p = 0; p < k; p++) if (idx[o + p] !== x) others++;
          emit(x, others, base, idx, k, o, strides);
        }
      }
    }
  };
  // lengths per (site, group), then offsets
  const len = new Int32Array(nSites * G);
  forEachRecord((x, others) => (len[x * G + group(others)]! += recLength(others)));
  const bounds = new Int32Array(nSites * 5);
  const fill = new Int32Array(nSites * G);
  let w = 0;
  for (let x = 0; x < nSites; x++) {
    bounds[5 * x] = w;
    for (let g = 0; g < G; g++) {
      fill[x * G + g] = w;
      w += len[x * G + g]!;
      bounds[5 * x + g + 1] = w;
    }
  }
  const rec = new Int32Array(w);
  forEachRecord((x, others, base, idx, k, o, strides) => {
    let p0 = fill[x * G + group(others)]!;
    let ss = 0;
    for (let p = 0; p < k; p++) if (idx[o + p] === x) ss += strides[p]!;
    rec[p0++] = base;
    rec[p0++] = ss;
    if (others >= G - 1) rec[p0++] = others;
    for (let p = 0; p < k; p++) {
      if (idx[o + p] === x) continue;
      rec[p0++] = idx[o + p]!;
      rec[p0++] = strides[p]!;
    }
    fill[x * G + group(others)] = p0;
  });
  return { bounds, rec };
}

export class EwaldProcessor implements Processor {
  readonly term: EwaldTerm;
  /** Ewald ECI (eV per eV of Ewald energy). */
  readonly coef: number;
  readonly phi: Float64Array;
  private readonly N: number;
  private readonly dq = new Float64Array(64);

  constructor(term: EwaldTerm, coef: number, codes?: Int32Array) {
    this.term = term;
    this.coef = coef;
    this.N = term.numSites;
    this.phi = new Float64Array(this.N);
    if (codes) this.reset(codes);
  }

  charge(site: number, code: number): number {
    return this.term.chargeTable[site]![code]!;
  }

  energy(codes: Int32Array): number {
    return this.coef * this.term.energy(this.term.chargesOf(codes));
  }

  reset(codes: Int32Array): void {
    this.phi.set(this.term.potentials(this.term.chargesOf(codes)));
  }

  delta(codes: Int32Array, sites: Int32Array, next: Int32Array, n: number): number {
    const dq = this.dq;
    for (let a = 0; a < n; a++) {
      const tab = this.term.chargeTable[sites[a]!]!;
      dq[a] = tab[next[a]!]! - tab[codes[sites[a]!]!]!;
    }
    return this.coef * this.term.deltaWithPotentials(sites, dq, n, this.phi);
  }

  update(codes: Int32Array, sites: Int32Array, prev: Int32Array, n: number): void {
    for (let a = 0; a < n; a++) {
      const s = sites[a]!;
      const tab = this.term.chargeTable[s]!;
      this.term.updatePotentials(this.phi, s, tab[codes[s]!]! - tab[prev[a]!]!);
    }
  }
}

/** Sum of processors (cluster terms + Ewald). */
export class CompositeProcessor implements Processor {
  constructor(readonly parts: Processor[]) {}
  energy(codes: Int32Array): number {
    let e = 0;
    for (const p of this.parts) e += p.energy(codes);
    return e;
  }
  delta(codes: Int32Array, sites: Int32Array, next: Int32Array, n: number): number {
    let d = 0;
    for (const p of this.parts) d += p.delta(codes, sites, next, n);
    return d;
  }
  update(codes: Int32Array, sites: Int32Array, prev: Int32Array, n: number): void {
    for (const p of this.parts) p.update(codes, sites, prev, n);
  }
  reset(codes: Int32Array): void {
    for (const p of this.parts) p.reset(codes);
  }
}

export interface ProcessorOptions {
  /** Include the model's Ewald term (default: when the model has one with a nonzero ECI). */
  ewald?: boolean;
}

/** The energy processor of a model on one supercell; `hasEwald` says whether electrostatics are in it. */
export function buildProcessor(model: ClusterExpansion, scMatrix: Mat3, opts: ProcessorOptions = {}): { processor: Processor; cluster: ClusterProcessor; ewald: EwaldProcessor | null } {
  const space = model.space;
  const ewaldEci = space.ewald ? model.eci[space.ewaldIndex]! : 0;
  const wantEwald = opts.ewald ?? ewaldEci !== 0;
  if (wantEwald && !space.ewald) throw new InputError('the model has no Ewald term', { field: 'ewald' });
  const cluster = new ClusterProcessor(space, scMatrix, model.eci);
  if (!wantEwald) return { processor: cluster, cluster, ewald: null };
  const term = EwaldTerm.build(space.prim, scMatrix, supercellSites(space.prim, scMatrix));
  const ewald = new EwaldProcessor(term, ewaldEci);
  return { processor: new CompositeProcessor([cluster, ewald]), cluster, ewald };
}

/**
 * A cluster expansion rewritten exactly in the indicator (species-occupation) basis on one
 * supercell: the energy of the whole supercell as a polynomial in binaries x_{i,s} = [site i
 * holds species s], the form a MILP needs.
 *
 * Algorithm. Each site function is linear in the indicators of its site,
 * φ_j(σ) = Σ_s φ_j(s)·x_s. Using Σ_s x_s = 1 on each site, one species per site (the last
 * one, r = M−1, the vacancy when there is one) is eliminated:
 * φ_j(σ) = φ_j(r) + Σ_{s≠r} (φ_j(s) − φ_j(r))·x_s. Expanding a cluster's product of such
 * factors gives one term per subset of its sites and choice of non-reference species, i.e.
 * the products of subclusters. In practice this is done on the orbit's whole energy table
 * W[c₁…c_k] = Σ_f J_f·⟨Π φ⟩_f(c)/m (all functions of the orbit at once, m its multiplicity,
 * so that summing W over the N·m images in the supercell gives N·J·Π): along every axis the
 * entry at the reference code stays, the others become "value − value at reference". The
 * result G[c] is the coefficient of Π_{a: c_a ≠ r_a} x_{site_a, c_a} (all-reference = the
 * constant). The conversion depends on the orbit only; the supercell only decides which sites
 * an image touches.
 *
 * Exactness details: images that fold two cluster points onto one supercell site (small
 * cells) use x² = x and x_s·x_t = 0 for s ≠ t on one site, both exact for one-hot binaries.
 * Identical monomials from different orbits, images and the Ewald term are merged. The Ewald
 * energy qᵀAq (q_i = charge of the species on i) is treated the same way: a two-site table
 * 2·A_ij·q_i(c)·q_j(d) per site pair and A_ii·q_i(c)² per site.
 */
import { InputError } from '../core/errors.ts';
import type { Mat3 } from '../core/mat3.ts';
import type { ClusterExpansion } from '../model/cluster-expansion.ts';
import { CellIndexer } from '../space/correlation.ts';
import { EwaldTerm } from '../space/ewald.ts';
import type { Orbit } from '../space/orbits.ts';
import { checkScMatrix, supercellSites } from '../structure/supercell.ts';

/** Supercell energy (eV, whole cell) = constant + Σ_t coef_t · Π_{v ∈ vars_t} x_v. */
export interface IndicatorHamiltonian {
  nSites: number;
  nPrims: number;
  /** Allowed species count per supercell site (1 on inactive sites). */
  nSpecies: Int32Array;
  /** Column of x_{i,0}; x_{i,s} is column varStart[i] + s (−1 on inactive sites). */
  varStart: Int32Array;
  nVars: number;
  constant: number;
  /** Monomials: variables of term t are vars[start[t] .. start[t+1]), sorted ascending. */
  start: Int32Array;
  vars: Int32Array;
  coef: Float64Array;
  /** Ewald matrix and charges, when the model has an Ewald term (for SA deltas and charge balance). */
  ewald: EwaldTerm | null;
  /**
   * Distinct supercell site sets (≥ 2 sites, sorted) of the cluster images that carry energy,
   * for the MILP's cluster-configuration rows: clusterSites[clusterStart[c] .. clusterStart[c+1]).
   */
  clusterStart: Int32Array;
  clusterSites: Int32Array;
}

/** Per-orbit energy table in the reduced indicator basis (see the header). Exported for tests. */
export function orbitIndicatorTable(ce: ClusterExpansion, o: Orbit): { sizes: number[]; table: Float64Array } {
  const space = ce.space;
  const bases = Array.from({ length: o.size }, (_, i) => space.bases[o.base[4 * i]!]!);
  const sizes = bases.map((b) => b.m);
  const flatSize = sizes.reduce((a, b) => a * b, 1);
  const table = new Float64Array(flatSize);
  const codes = new Array<number>(o.size).fill(0);
  for (let flat = 0; flat < flatSize; flat++) {
    let r = flat;
    for (let i = o.size - 1; i >= 0; i--) {
      codes[i] = r % sizes[i]!;
      r = Math.floor(r / sizes[i]!);
    }
    let w = 0;
    o.functions.forEach((group, f) => {
      const j = ce.eci[o.firstFunction + f]!;
      if (j === 0) return;
      let sum = 0;
      for (const t of group) {
        let p = 1;
        for (let i = 0; i < o.size; i++) p *= bases[i]!.functions[t[i]! * bases[i]!.m + codes[i]!]!;
        sum += p;
      }
      w += (j * sum) / group.length;
    });
    table[flat] = w / o.multiplicity;
  }
  reduceToIndicators(table, sizes);
  return { sizes, table };
}

/** In place, along every axis: entry at code s ≠ ref becomes T[s] − T[ref] (ref = last code). */
export function reduceToIndicators(table: Float64Array, sizes: number[]): void {
  let inner = table.length;
  for (let a = 0; a < sizes.length; a++) {
    const m = sizes[a]!;
    inner /= m;
    const outer = table.length / (inner * m);
    for (let o = 0; o < outer; o++) {
      for (let q = 0; q < inner; q++) {
        const base = o * m * inner + q;
        const ref = table[base + (m - 1) * inner]!;
        for (let s = 0; s < m - 1; s++) table[base + s * inner]! -= ref;
      }
    }
  }
}

/** Accumulates monomials keyed by their sorted variable list, applying one-hot identities. */
class MonomialSum {
  constant = 0;
  private readonly map = new Map<string, { vars: number[]; coef: number }>();
  private readonly scratch: number[] = [];

  constructor(private readonly siteOfVar: Int32Array) {}

  add(vars: number[], coef: number): void {
    if (coef === 0) return;
    if (vars.length === 0) {
      this.constant += coef;
      return;
    }
    const v = this.scratch;
    v.length = 0;
    for (const x of vars) v.push(x);
    v.sort((a, b) => a - b);
    let w = 0;
    for (let i = 0; i < v.length; i++) {
      if (w > 0 && v[w - 1] === v[i]) continue; // x² = x
      if (w > 0 && this.siteOfVar[v[w - 1]!] === this.siteOfVar[v[i]!]) return; // two species on one site: 0
      v[w++] = v[i]!;
    }
    v.length = w;
    const key = v.join(',');
    const hit = this.map.get(key);
    if (hit) hit.coef += coef;
    else this.map.set(key, { vars: v.slice(), coef });
  }

  /** Terms with |coef| below `drop` (relative to the largest) are rounding noise from the expansion. */
  finish(): { start: Int32Array; vars: Int32Array; coef: Float64Array } {
    let big = 0;
    for (const t of this.map.values()) big = Math.max(big, Math.abs(t.coef));
    const keep = [...this.map.values()].filter((t) => Math.abs(t.coef) > 1e-14 * big);
    keep.sort((a, b) => a.vars.length - b.vars.length || a.vars[0]! - b.vars[0]!);
    const start = new Int32Array(keep.length + 1);
    let n = 0;
    keep.forEach((t, i) => {
      n += t.vars.length;
      start[i + 1] = n;
    });
    const vars = new Int32Array(n);
    keep.forEach((t, i) => vars.set(t.vars, start[i]!));
    return { start, vars, coef: Float64Array.from(keep, (t) => t.coef) };
  }
}

/** Build the supercell's indicator polynomial of a model. */
export function indicatorHamiltonian(ce: ClusterExpansion, scMatrix: Mat3): IndicatorHamiltonian {
  const space = ce.space;
  const nPrims = checkScMatrix(scMatrix);
  const sites = supercellSites(space.prim, scMatrix);
  const nSites = sites.length;
  const nSpecies = Int32Array.from(sites, (s) => space.spaces.sites[s.primSite]!.species.length);
  const varStart = new Int32Array(nSites).fill(-1);
  let nVars = 0;
  for (let i = 0; i < nSites; i++) if (nSpecies[i]! > 1) { varStart[i] = nVars; nVars += nSpecies[i]!; }
  const siteOfVar = new Int32Array(nVars);
  for (let i = 0; i < nSites; i++) for (let s = 0; s < nSpecies[i]! && varStart[i]! >= 0; s++) siteOfVar[varStart[i]! + s] = i;

  const sum = new MonomialSum(siteOfVar);
  sum.constant += nPrims * ce.eci[0]!;
  const clusters = addClusterTerms(ce, scMatrix, sites, varStart, sum);
  let ewald: EwaldTerm | null = null;
  if (space.ewald) {
    ewald = EwaldTerm.build(space.prim, scMatrix, sites);
    const j = ce.eci[space.ewaldIndex]!;
    if (j !== 0) addEwaldTerms(ewald, j, nSpecies, varStart, sum);
  }
  const { start, vars, coef } = sum.finish();
  return { nSites, nPrims, nSpecies, varStart, nVars, constant: sum.constant, start, vars, coef, ewald, ...clusters };
}

/** Supercell site of (prim site, integer translation), by the evaluator's cell indexing. */
export function siteLocator(scMatrix: Mat3, sites: { primSite: number; offset: number[] }[], nPrimSites: number): (s: number, x: number, y: number, z: number) => number {
  const cells = new CellIndexer(scMatrix);
  const siteOf = new Int32Array(cells.nCells * nPrimSites).fill(-1);
  sites.forEach((st, i) => (siteOf[cells.cellOf(st.offset[0]!, st.offset[1]!, st.offset[2]!) * nPrimSites + st.primSite] = i));
  return (s, x, y, z) => siteOf[cells.cellOf(x, y, z) * nPrimSites + s]!;
}

function addClusterTerms(
  ce: ClusterExpansion,
  scMatrix: Mat3,
  sites: { primSite: number; offset: number[] }[],
  varStart: Int32Array,
  sum: MonomialSum,
): { clusterStart: Int32Array; clusterSites: Int32Array } {
  const space = ce.space;
  const locate = siteLocator(scMatrix, sites, space.prim.sites.length);
  const translations = sites.filter((s) => s.primSite === 0).map((s) => s.offset);
  const vars: number[] = [];
  const seen = new Set<string>();
  const clusterStart = [0];
  const clusterSites: number[] = [];
  for (const o of space.orbits) {
    const { sizes, table } = orbitIndicatorTable(ce, o);
    const nonzero: number[] = [];
    for (let flat = 0; flat < table.length; flat++) if (table[flat] !== 0) nonzero.push(flat);
    if (nonzero.length === 0) continue;
    const k = o.size;
    const imgSites = new Int32Array(k);
    for (const img of o.images) {
      for (const g of translations) {
        for (let i = 0; i < k; i++) imgSites[i] = locate(img[4 * i]!, img[4 * i + 1]! + g[0]!, img[4 * i + 2]! + g[1]!, img[4 * i + 3]! + g[2]!);
        const distinct = [...new Set(imgSites)].sort((a, b) => a - b);
        const key = distinct.join(',');
        if (distinct.length >= 2 && !seen.has(key)) {
          seen.add(key);
          clusterSites.push(...distinct);
          clusterStart.push(clusterSites.length);
        }
        for (const flat of nonzero) {
          vars.length = 0;
          let r = flat;
          for (let i = k - 1; i >= 0; i--) {
            const c = r % sizes[i]!;
            r = Math.floor(r / sizes[i]!);
            if (c !== sizes[i]! - 1) vars.push(varStart[imgSites[i]!]! + c);
          }
          sum.add(vars, table[flat]!);
        }
      }
    }
  }
  return { clusterStart: Int32Array.from(clusterStart), clusterSites: Int32Array.from(clusterSites) };
}

function addEwaldTerms(ew: EwaldTerm, j: number, nSpecies: Int32Array, varStart: Int32Array, sum: MonomialSum): void {
  const N = ew.numSites;
  const A = ew.matrix;
  const q = ew.chargeTable;
  const pair = new Float64Array(64);
  const vars: number[] = [];
  for (let a = 0; a < N; a++) {
    const ma = nSpecies[a]!;
    // diagonal: A_aa·q_a² is a one-site table
    for (let c = 0; c < ma; c++) pair[c] = j * A[a * N + a]! * q[a]![c]! * q[a]![c]!;
    reduceToIndicators(pair.subarray(0, ma), [ma]);
    for (let c = 0; c < ma; c++) {
      vars.length = 0;
      if (c !== ma - 1) vars.push(varStart[a]! + c);
      sum.add(vars, pair[c]!);
    }
    for (let b = a + 1; b < N; b++) {
      const mb = nSpecies[b]!;
      if (ma * mb > pair.length) throw new InputError(`sites with ${ma} and ${mb} species exceed the Ewald table size`);
      const Aab = 2 * j * A[a * N + b]!;
      if (Aab === 0) continue;
      for (let c = 0; c < ma; c++) for (let d = 0; d < mb; d++) pair[c * mb + d] = Aab * q[a]![c]! * q[b]![d]!;
      const t = pair.subarray(0, ma * mb);
      reduceToIndicators(t, [ma, mb]);
      for (let c = 0; c < ma; c++) {
        for (let d = 0; d < mb; d++) {
          vars.length = 0;
          if (c !== ma - 1) vars.push(varStart[a]! + c);
          if (d !== mb - 1) vars.push(varStart[b]! + d);
          sum.add(vars, t[c * mb + d]!);
        }
      }
    }
  }
}

/** Value of the polynomial (eV, whole supercell) for species codes per supercell site. */
export function evaluateIndicator(h: IndicatorHamiltonian, codes: ArrayLike<number>): number {
  if (codes.length !== h.nSites) throw new InputError(`occupancy has ${codes.length} sites, the supercell ${h.nSites}`, { field: 'occupancy' });
  const on = new Uint8Array(h.nVars);
  for (let i = 0; i < h.nSites; i++) if (h.varStart[i]! >= 0) on[h.varStart[i]! + codes[i]!] = 1;
  let e = h.constant;
  for (let t = 0; t < h.coef.length; t++) {
    let p = 1;
    for (let q = h.start[t]!; q < h.start[t + 1]! && p; q++) p = on[h.vars[q]!]!;
    if (p) e += h.coef[t]!;
  }
  return e;
}

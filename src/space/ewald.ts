/**
 * Ewald electrostatic energy of formal point charges as a cluster-expansion feature
 * (smol's EwaldTerm, use_term="total"): the energy of the occupancy's charges in the supercell,
 * divided by the number of prim cells. Vacancies carry no charge. Like smol, the automatic η
 * counts one point per allowed non-vacancy species per site (smol's "ewald structure"), and
 * the charged-cell background term is left out unless asked for.
 *
 * The site–site matrix is for unit charges, so any occupancy's energy is qᵀAq with q the
 * charges of the species present; this equals smol's (site, species) matrix summed over the
 * occupied entries, because that matrix's entries are q_a·q_b·A_ij.
 */
import { InputError } from '../core/errors.ts';
import type { Mat3, Vec3 } from '../core/mat3.ts';
import { Species } from '../structure/species.ts';
import type { Structure } from '../structure/structure.ts';
import { buildEwaldMatrix, type EwaldMatrix, type EwaldTermPart, type EwaldParameterOptions, type EwaldParameters, type EwaldSite } from './ewald-matrix.ts';

export { COULOMB_EV_ANGSTROM, ewaldParameters, type EwaldTermPart, type EwaldParameters, type EwaldParameterOptions } from './ewald-matrix.ts';

export interface EwaldTermOptions extends EwaldParameterOptions {
  /** Part of the Ewald sum used as the feature (smol's use_term): total (default), real, reciprocal, point. */
  term?: EwaldTermPart;
  /** Add pymatgen's neutralizing-background energy for charged configurations (default false, as smol). */
  chargedCellTerm?: boolean;
}

export class EwaldTerm {
  readonly numSites: number;
  readonly numPrims: number;
  readonly params: EwaldParameters;
  /** Row-major N×N unit-charge matrix (eV); energy = qᵀAq. */
  readonly matrix: Float64Array;
  /** Charge of each allowed species code per supercell site: chargeTable[s][code]. */
  readonly chargeTable: Float64Array[];
  readonly chargedCellTerm: boolean;
  /** Allowed species keys per supercell site (code order). */
  readonly speciesKeys: string[][];
  private readonly background: number;

  private constructor(m: EwaldMatrix, chargeTable: Float64Array[], chargedCellTerm: boolean, speciesKeys: string[][]) {
    this.speciesKeys = speciesKeys;
    this.numSites = m.numSites;
    this.numPrims = m.numPrims;
    this.params = m.params;
    this.matrix = m.matrix;
    this.chargeTable = chargeTable;
    this.chargedCellTerm = chargedCellTerm;
    this.background = chargedCellTerm ? m.backgroundPerCharge2 : 0;
  }

  /**
   * Build for a disordered prim (oxidation states required on every non-vacancy species),
   * a supercell matrix and the supercell's sites (frac coords in the supercell, prim site).
   */
  static build(prim: Structure, scMatrix: Mat3, sites: EwaldSite[], opts: EwaldTermOptions = {}): EwaldTerm {
    const primCharges = prim.sites.map((_, p) => {
      const allowed = prim.allowedSpecies(p);
      return Float64Array.from(allowed, (sp) => {
        if (sp.isVacancy) return 0;
        if (sp.oxidationState === null) {
          throw new InputError(`species ${sp.key} on prim site ${p} has no oxidation state; the Ewald term needs formal charges (e.g. Li+, O2-)`, { entry: p, field: 'species' });
        }
        return sp.oxidationState;
      });
    });
    const numPoints = sites.reduce((n, s) => {
      const q = primCharges[s.primSite];
      if (!q) throw new InputError(`site refers to prim site ${s.primSite}, which does not exist`, { field: 'primSite' });
      return n + prim.allowedSpecies(s.primSite).filter((sp) => !sp.isVacancy).length;
    }, 0);
    const m = buildEwaldMatrix({
      primLattice: prim.lattice,
      primFracs: prim.sites.map((s) => s.frac as Vec3),
      scMatrix,
      sites,
      numPoints,
      options: opts,
      ...(opts.term ? { term: opts.term } : {}),
    });
    const keys = prim.sites.map((_, p) => prim.allowedSpecies(p).map((sp) => sp.key));
    return new EwaldTerm(m, sites.map((s) => primCharges[s.primSite]!), opts.chargedCellTerm ?? false, sites.map((s) => keys[s.primSite]!));
  }

  /** Charges of an occupancy given as species codes (prim's allowed-species order, vacancy last). */
  chargesOf(codes: ArrayLike<number>): Float64Array {
    if (codes.length !== this.numSites) throw new InputError(`occupancy has ${codes.length} sites, the supercell has ${this.numSites}`, { field: 'occupancy' });
    const q = new Float64Array(this.numSites);
    for (let s = 0; s < this.numSites; s++) {
      const table = this.chargeTable[s]!;
      const c = codes[s]!;
      if (!Number.isInteger(c) || c < 0 || c >= table.length) throw new InputError(`occupancy code ${c} at site ${s} is outside 0..${table.length - 1}`, { entry: s, field: 'occupancy' });
      q[s] = table[c]!;
    }
    return q;
  }

  /** Species codes of an occupancy given as species (or keys such as "Li+", "Vacancy") per site. */
  codesOf(species: ArrayLike<Species | string>): Int32Array {
    if (species.length !== this.numSites) throw new InputError(`occupancy has ${species.length} sites, the supercell has ${this.numSites}`, { field: 'occupancy' });
    const codes = new Int32Array(this.numSites);
    for (let s = 0; s < this.numSites; s++) {
      const v = species[s]!;
      const key = typeof v === 'string' ? Species.parse(v).key : v.key;
      const c = this.speciesKeys[s]!.indexOf(key);
      if (c < 0) throw new InputError(`species ${key} is not allowed on site ${s} (allowed: ${this.speciesKeys[s]!.join(', ')})`, { entry: s, field: 'occupancy' });
      codes[s] = c;
    }
    return codes;
  }

  /** Electrostatic energy (eV) of the supercell with these per-site charges. */
  energy(charges: ArrayLike<number>): number {
    const N = this.numSites;
    if (charges.length !== N) throw new InputError(`got ${charges.length} charges for ${N} sites`, { field: 'charges' });
    const A = this.matrix;
    let e = 0;
    let Q = 0;
    for (let i = 0; i < N; i++) {
      const qi = charges[i]!;
      Q += qi;
      if (qi === 0) continue;
      const row = i * N;
      let s = 0;
      for (let j = 0; j < N; j++) s += A[row + j]! * charges[j]!;
      e += qi * s;
    }
    return e + this.background * Q * Q;
  }

  /** The feature value: energy of the occupancy (species codes) per prim cell, eV. */
  valuePerPrim(codes: ArrayLike<number>): number {
    return this.energy(this.chargesOf(codes)) / this.numPrims;
  }

  /**
   * Energy change (eV, whole supercell) when site `site` goes from oldCharge to newCharge;
   * `charges` is the current state (with oldCharge at `site`). O(N).
   */
  deltaFlip(site: number, oldCharge: number, newCharge: number, charges: ArrayLike<number>): number {
    const N = this.numSites;
    const d = newCharge - oldCharge;
    if (d === 0) return 0;
    const A = this.matrix;
    const row = site * N;
    let s = 0;
    let Q = 0;
    for (let j = 0; j < N; j++) s += A[row + j]! * charges[j]!;
    let delta = 2 * d * s + d * d * A[row + site]!;
    if (this.background !== 0) {
      for (let j = 0; j < N; j++) Q += charges[j]!;
      delta += this.background * (2 * Q * d + d * d);
    }
    return delta;
  }

  /**
   * Site potentials φ_i = Σ_j A_ij q_j. With them a flip's energy change is O(1)
   * (deltaFlipWithPotentials) and only accepted moves pay O(N) (updatePotentials) — the usual
   * Monte Carlo pattern where most proposals are rejected. Background term not included.
   */
  potentials(charges: ArrayLike<number>): Float64Array {
    const N = this.numSites;
    const phi = new Float64Array(N);
    for (let i = 0; i < N; i++) {
      const row = i * N;
      let s = 0;
      for (let j = 0; j < N; j++) s += this.matrix[row + j]! * charges[j]!;
      phi[i] = s;
    }
    return phi;
  }

  /** O(1) flip energy change from maintained potentials (no background term: neutral moves). */
  deltaFlipWithPotentials(site: number, oldCharge: number, newCharge: number, phi: ArrayLike<number>): number {
    const d = newCharge - oldCharge;
    return 2 * d * phi[site]! + d * d * this.matrix[site * this.numSites + site]!;
  }

  /**
   * Energy change (eV) when the charges of sites[0..n) change by dq[0..n), from maintained
   * potentials: ΔE = 2 Σ_a dq_a φ_a + Σ_ab dq_a dq_b A_ab — O(n²) per proposal, for any move
   * (flip, swap, multi-site exchange). No background term: the moves keep the cell neutral.
   */
  deltaWithPotentials(sites: ArrayLike<number>, dq: ArrayLike<number>, n: number, phi: ArrayLike<number>): number {
    const A = this.matrix, N = this.numSites;
    let lin = 0, quad = 0;
    for (let a = 0; a < n; a++) {
      const da = dq[a]!;
      if (da === 0) continue;
      const row = sites[a]! * N;
      lin += da * phi[sites[a]!]!;
      for (let b = 0; b < n; b++) quad += da * dq[b]! * A[row + sites[b]!]!;
    }
    return 2 * lin + quad;
  }

  /** Update potentials after site's charge changed by dq (A is symmetric, so column = row). */
  updatePotentials(phi: Float64Array, site: number, dq: number): void {
    if (dq === 0) return;
    const N = this.numSites;
    const row = site * N;
    for (let j = 0; j < N; j++) phi[j] = phi[j]! + dq * this.matrix[row + j]!;
  }

  /** Energy change (eV) when the charges on sites i and j are exchanged. O(N). */
  deltaSwap(i: number, j: number, charges: ArrayLike<number>): number {
    const qi = charges[i]!, qj = charges[j]!;
    const d = qj - qi; // site i gains d, site j loses d; total charge unchanged
    if (d === 0 || i === j) return 0;
    const N = this.numSites;
    const A = this.matrix;
    const ri = i * N, rj = j * N;
    let si = 0, sj = 0;
    for (let k = 0; k < N; k++) {
      const qk = charges[k]!;
      si += A[ri + k]! * qk;
      sj += A[rj + k]! * qk;
    }
    // ΔE = 2d(Σ_k A_ik q_k − Σ_k A_jk q_k) + d²(A_ii + A_jj − 2A_ij)
    return 2 * d * (si - sj) + d * d * (A[ri + i]! + A[rj + j]! - 2 * A[ri + j]!);
  }
}

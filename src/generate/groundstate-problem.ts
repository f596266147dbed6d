/**
 * The constraints and objective of a ground-state search on one supercell, shared by the
 * MILP and the annealer: which species each site allows, charges, sublattices, fixed
 * per-sublattice species counts, chemical potentials, and the model's energy of a labeling
 * (recomputed from correlations and the Ewald term, never from a solver's objective).
 */
import { OptionError } from '../core/errors.ts';
import type { Mat3 } from '../core/mat3.ts';
import type { ClusterExpansion } from '../model/cluster-expansion.ts';
import { CorrelationEvaluator } from '../space/correlation.ts';
import type { Species } from '../structure/species.ts';
import { Structure, type Site } from '../structure/structure.ts';
import { supercell } from '../structure/supercell.ts';
import { indicatorHamiltonian, type IndicatorHamiltonian } from './indicator.ts';

/** Fixed number of one species on one sublattice (space.spaces.sublattices ids). */
export interface SpeciesCount {
  sublattice: number;
  species: string;
  count: number;
}

export interface ProblemOptions {
  /** Fixed counts; species of a sublattice not listed stay free. */
  counts?: SpeciesCount[];
  /** Chemical potential per species key (eV per atom); the objective is E − Σ μ_s N_s. */
  mu?: Record<string, number>;
}

export class GroundStateProblem {
  readonly ce: ClusterExpansion;
  readonly scMatrix: Mat3;
  readonly h: IndicatorHamiltonian;
  readonly evaluator: CorrelationEvaluator;
  readonly nPrims: number;
  readonly nSites: number;
  /** Allowed species per supercell site (code order). */
  readonly species: Species[][];
  readonly sublatticeOf: Int32Array;
  /** Charge of code c on site i: charge[i][c]. */
  readonly charge: Float64Array[];
  /** True when any allowed species carries a charge: then Σ q = 0 is enforced. */
  readonly charged: boolean;
  /** −μ of code c on site i (0 without chemical potentials). */
  readonly muCost: Float64Array[];
  readonly counts: SpeciesCount[];
  readonly mu: Record<string, number>;

  constructor(ce: ClusterExpansion, scMatrix: Mat3, opts: ProblemOptions = {}) {
    this.ce = ce;
    this.scMatrix = scMatrix;
    this.evaluator = new CorrelationEvaluator(ce.space, scMatrix);
    this.nPrims = this.evaluator.nPrims;
    this.nSites = this.evaluator.nSites;
    const spaces = ce.space.spaces.sites;
    const prim = Array.from(this.evaluator.primSiteOf);
    this.species = prim.map((p) => spaces[p]!.species);
    this.sublatticeOf = Int32Array.from(prim, (p) => spaces[p]!.sublattice);
    this.charge = this.species.map((list) => Float64Array.from(list, (s) => s.charge));
    this.charged = this.charge.some((q) => q.some((v) => v !== 0));
    this.mu = { ...(opts.mu ?? {}) };
    this.checkMu();
    this.muCost = this.species.map((list) => Float64Array.from(list, (s) => -(this.mu[s.key] ?? 0)));
    this.counts = (opts.counts ?? []).map((c) => ({ ...c }));
    this.checkCounts();
    this.h = indicatorHamiltonian(ce, scMatrix);
  }

  private checkMu(): void {
    const onLattice = new Set(this.species.flat().map((s) => s.key));
    for (const [key, v] of Object.entries(this.mu)) {
      if (!onLattice.has(key)) throw new OptionError(`chemical potential given for ${key}, which is not on the lattice (species: ${[...onLattice].join(', ')})`, { field: 'mu' });
      if (!Number.isFinite(v)) throw new OptionError(`chemical potential of ${key} is not a finite number (${v})`, { field: 'mu' });
    }
  }

  sitesOfSublattice(sub: number): number[] {
    const out: number[] = [];
    for (let i = 0; i < this.nSites; i++) if (this.sublatticeOf[i] === sub) out.push(i);
    return out;
  }

  private checkCounts(): void {
    const subs = this.ce.space.spaces.sublattices;
    const total = new Map<number, number>();
    const seen = new Set<string>();
    for (const c of this.counts) {
      const sub = subs[c.sublattice];
      if (!sub) throw new OptionError(`sublattice ${c.sublattice} does not exist (the lattice has ${subs.length})`, { field: 'composition' });
      const code = sub.species.findIndex((s) => s.key === c.species);
      if (code < 0) throw new OptionError(`species ${c.species} is not allowed on sublattice ${c.sublattice} (${sub.species.map((s) => s.key).join(', ')})`, { field: 'composition' });
      const n = this.sitesOfSublattice(c.sublattice).length;
      if (!Number.isInteger(c.count) || c.count < 0 || c.count > n) throw new OptionError(`impossible composition: ${c.count} ${c.species} on a sublattice of ${n} sites in this supercell`, { field: 'composition' });
      const key = `${c.sublattice}:${c.species}`;
      if (seen.has(key)) throw new OptionError(`composition of ${c.species} on sublattice ${c.sublattice} is given twice`, { field: 'composition' });
      seen.add(key);
      total.set(c.sublattice, (total.get(c.sublattice) ?? 0) + c.count);
    }
    for (const [s, sum] of total) {
      const sub = subs[s]!;
      const listed = this.counts.filter((d) => d.sublattice === s).length;
      const n = this.sitesOfSublattice(s).length;
      if (sum > n || (listed === sub.species.length && sum !== n)) throw new OptionError(`impossible composition: the counts on sublattice ${s} add up to ${sum}, it has ${n} sites in this supercell`, { field: 'composition' });
    }
  }

  /** The model's energy per primitive cell (correlations · ECIs + Ewald ECI · Ewald per prim). */
  energy(codes: ArrayLike<number>): number {
    const ce = this.ce;
    const corr = this.evaluator.correlations(codes);
    let e = 0;
    for (let j = 0; j < corr.length; j++) e += corr[j]! * ce.eci[j]!;
    if (this.h.ewald) e += ce.eci[ce.space.ewaldIndex]! * this.h.ewald.valuePerPrim(codes);
    return e;
  }

  /** −Σ μ_s N_s of a labeling (whole supercell). */
  muTerm(codes: ArrayLike<number>): number {
    let s = 0;
    for (let i = 0; i < this.nSites; i++) s += this.muCost[i]![codes[i]!]!;
    return s;
  }

  totalCharge(codes: ArrayLike<number>): number {
    let q = 0;
    for (let i = 0; i < this.nSites; i++) q += this.charge[i]![codes[i]!]!;
    return q;
  }

  /** True when the labeling meets charge balance and the fixed counts. */
  feasible(codes: ArrayLike<number>): boolean {
    if (this.charged && Math.abs(this.totalCharge(codes)) > 1e-9) return false;
    for (const c of this.counts) {
      const n = this.sitesOfSublattice(c.sublattice).filter((i) => this.species[i]![codes[i]!]!.key === c.species).length;
      if (n !== c.count) return false;
    }
    return true;
  }

  /** Species count per key over the whole supercell, vacancies included. */
  composition(codes: ArrayLike<number>): Record<string, number> {
    const out: Record<string, number> = {};
    for (let i = 0; i < this.nSites; i++) {
      const k = this.species[i]![codes[i]!]!.key;
      out[k] = (out[k] ?? 0) + 1;
    }
    return out;
  }

  /** The ordered supercell structure (vacant sites left out). */
  structure(codes: ArrayLike<number>): Structure {
    const sc = supercell(this.ce.space.prim, this.scMatrix);
    const sites: Site[] = [];
    sc.sites.forEach((s, i) => {
      const sp = this.species[i]![codes[i]!]!;
      if (!sp.isVacancy) sites.push({ frac: s.frac, species: [{ species: sp, occu: 1 }] });
    });
    return new Structure(sc.lattice, sites, {});
  }
}

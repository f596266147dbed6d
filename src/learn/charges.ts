/**
 * Charge assignment from magnetic moments (seed 001, "BayesianChargeAssigner"): one element
 * (e.g. Mn) takes one of several oxidation states, decided per site by its moment; every
 * other species carries a fixed oxidation state from the input. Each state s has an upper
 * moment cutoff c_s, and Bayesian optimization chooses the cutoffs that balance the most
 * structures.
 *
 * Assignment rule (documented, and the same everywhere):
 *   - the moment used is |magmom| (spin-down moments count like spin-up ones);
 *   - states are ordered by their cutoffs (not by charge); a site takes the first state whose
 *     cutoff is ≥ its moment — a moment exactly at a cutoff belongs to the state whose upper
 *     cutoff it is (upper cutoffs are inclusive);
 *   - a moment above every cutoff leaves the site unassigned and its structure unbalanced.
 * A structure is balanced when every site of the element is assigned and the total charge
 * Σ occupancy·oxidation state is 0 (|q| < 1e-6).
 *
 * Objective (minimized): −(number balanced) + ½·L/(1 + L), where L is the mean |charge| over
 * structures (unassigned sites count as their distance to the nearest state). The second
 * term is below ½, so the count always decides and the charge only breaks ties, giving the
 * surrogate a slope on the count's plateaus.
 */
import { InputError, OptionError } from '../core/errors.ts';
import { Species } from '../structure/species.ts';
import { Structure, type Site } from '../structure/structure.ts';
import { bayesOpt, type Acquisition } from './bayesopt.ts';

export interface MomentStructure {
  /** Charge of all sites not of the element (fixed oxidation states). */
  fixedCharge: number;
  /** |magmom| per site of the element, and the site indices. */
  moments: Float64Array;
  siteIndex: Int32Array;
}

export interface ChargeProblem {
  element: string;
  states: number[];
  structures: MomentStructure[];
}

/** Extract the moments and fixed charges; errors name the entry, site and field. */
export function buildChargeProblem(structures: Structure[], element: string, states: number[], momentKey = 'magmom'): ChargeProblem {
  if (!states.length) throw new OptionError('give at least one oxidation state', { field: 'states' });
  if (new Set(states).size !== states.length || states.some((s) => !Number.isInteger(s))) throw new OptionError(`oxidation states must be distinct integers, got ${states.join(',')}`, { field: 'states' });
  const out: MomentStructure[] = structures.map((s, e) => {
    let fixed = 0;
    const moments: number[] = [], idx: number[] = [];
    s.sites.forEach((site, i) => {
      const field = `sites[${i}]`;
      const hasEl = site.species.some((o) => o.species.element === element);
      if (hasEl) {
        if (site.species.length !== 1 || Math.abs(site.species[0]!.occu - 1) > 1e-8) {
          throw new InputError(`a ${element} site must be fully and solely occupied to take a charge from its moment`, { entry: e, field });
        }
        const m = site.properties?.[momentKey];
        if (typeof m !== 'number' || !Number.isFinite(m)) throw new InputError(`${element} site has no finite '${momentKey}'`, { entry: e, field: `${field}.properties.${momentKey}` });
        moments.push(Math.abs(m));
        idx.push(i);
        return;
      }
      for (const { species, occu } of site.species) {
        if (species.isVacancy) continue;
        if (species.oxidationState === null) throw new InputError(`species ${species.element} has no oxidation state; every species other than ${element} needs one`, { entry: e, field });
        fixed += occu * species.oxidationState;
      }
    });
    return { fixedCharge: fixed, moments: Float64Array.from(moments), siteIndex: Int32Array.from(idx) };
  });
  return { element, states, structures: out };
}

/** Per-site state index (into `states`) or −1, under the documented rule. */
export function assignStates(moments: ArrayLike<number>, cutoffs: ArrayLike<number>): Int32Array {
  const order = Array.from(cutoffs, (_, k) => k).sort((a, b) => cutoffs[a]! - cutoffs[b]! || a - b);
  return Int32Array.from(moments as ArrayLike<number>, (m) => {
    for (const k of order) if (m <= cutoffs[k]!) return k;
    return -1;
  });
}

export interface ChargeEvaluation {
  balanced: boolean[];
  charge: number[];
  nBalanced: number;
  objective: number;
}

export function evaluateCutoffs(p: ChargeProblem, cutoffs: ArrayLike<number>): ChargeEvaluation {
  const qmax = Math.max(...p.states), qmin = Math.min(...p.states);
  const balanced: boolean[] = [], charge: number[] = [];
  let loss = 0, n = 0;
  for (const s of p.structures) {
    const a = assignStates(s.moments, cutoffs);
    let q = s.fixedCharge, unassigned = 0;
    for (let i = 0; i < a.length; i++) {
      if (a[i]! < 0) unassigned++;
      else q += p.states[a[i]!]!;
    }
    // Unassigned sites: the charge they would need is unknown, so count the best case.
    const lo = q + unassigned * qmin, hi = q + unassigned * qmax;
    const dist = unassigned ? (lo > 0 ? lo : hi < 0 ? -hi : 0) + unassigned : Math.abs(q);
    const ok = unassigned === 0 && Math.abs(q) < 1e-6;
    balanced.push(ok);
    charge.push(unassigned ? NaN : q);
    loss += dist;
    if (ok) n++;
  }
  const L = loss / Math.max(1, p.structures.length);
  return { balanced, charge, nBalanced: n, objective: -n + (0.5 * L) / (1 + L) };
}

/**
 * Move each cutoff to the middle of the gap between observed moments that contains it; no
 * site changes state, but the reported cutoffs no longer depend on where in a plateau the
 * optimizer happened to stop.
 */
export function centerCutoffs(p: ChargeProblem, cutoffs: ArrayLike<number>): number[] {
  const all = Float64Array.from(p.structures.flatMap((s) => Array.from(s.moments))).sort();
  return Array.from(cutoffs, (c) => {
    let below = -Infinity, above = Infinity;
    for (const m of all) {
      if (m <= c) below = m;
      else { above = m; break; }
    }
    return Number.isFinite(below) && Number.isFinite(above) ? 0.5 * (below + above) : c;
  });
}

export interface ChargeAssignmentOptions {
  calls?: number;
  acquisitions?: Acquisition[];
  seed?: number;
  /** Search box for every cutoff (default: the observed moment range, widened by 0.05). */
  lower?: number;
  upper?: number;
  /** Exact coordinate search over moment midpoints after BO (default true). */
  polish?: boolean;
}

export interface ChargeAssignmentResult {
  element: string;
  states: number[];
  /** Best cutoffs by objective value (BO + polish), centered in their moment gaps. */
  cutoffs: Record<string, number>;
  rawCutoffs: number[];
  nBalanced: number;
  nStructures: number;
  objective: number;
  /** Per acquisition: its best objective and cutoffs (raw). */
  runs: Array<{ acquisition: string; objective: number; nBalanced: number; cutoffs: number[]; bestCall: number }>;
  balanced: boolean[];
  charge: number[];
}

export function optimizeCharges(p: ChargeProblem, opts: ChargeAssignmentOptions = {}): ChargeAssignmentResult {
  const allM = p.structures.flatMap((s) => Array.from(s.moments));
  if (!allM.length) throw new InputError(`no ${p.element} sites with moments in the data`);
  const lo = opts.lower ?? Math.min(...allM) - 0.05, hi = opts.upper ?? Math.max(...allM) + 0.05;
  if (!(hi > lo)) throw new OptionError(`cutoff search box [${lo}, ${hi}] is empty`);
  const K = p.states.length;
  const acqs = opts.acquisitions ?? ['ei', 'lcb', 'pi'];
  const runs: ChargeAssignmentResult['runs'] = [];
  let best = { x: [] as number[], f: Infinity };
  acqs.forEach((acq, r) => {
    const res = bayesOpt((x) => evaluateCutoffs(p, x).objective, new Array(K).fill(lo), new Array(K).fill(hi), {
      calls: opts.calls ?? 50,
      acquisition: acq,
      seed: (opts.seed ?? 0) + 1000 * r,
    });
    const ev = evaluateCutoffs(p, res.x);
    runs.push({ acquisition: acq, objective: res.f, nBalanced: ev.nBalanced, cutoffs: res.x, bestCall: res.bestIndex + 1 });
    if (res.f < best.f) best = { x: res.x, f: res.f };
  });
  let x = best.x.slice();
  if (opts.polish ?? true) x = polishCutoffs(p, x, lo, hi);
  const centered = centerCutoffs(p, x);
  const ev = evaluateCutoffs(p, centered);
  const cutoffs: Record<string, number> = {};
  p.states.forEach((s, k) => (cutoffs[`${p.element}${s}${s >= 0 ? '+' : '-'}`] = centered[k]!));
  return {
    element: p.element,
    states: p.states,
    cutoffs,
    rawCutoffs: x,
    nBalanced: ev.nBalanced,
    nStructures: p.structures.length,
    objective: ev.objective,
    runs,
    balanced: ev.balanced,
    charge: ev.charge,
  };
}

/** Coordinate search over candidate cutoffs at moment midpoints (≤ 400 per axis), until no move helps. */
export function polishCutoffs(p: ChargeProblem, x0: number[], lo: number, hi: number): number[] {
  const sorted = Array.from(new Set(p.structures.flatMap((s) => Array.from(s.moments)))).sort((a, b) => a - b);
  let cands = [lo, ...sorted.slice(1).map((m, i) => 0.5 * (m + sorted[i]!)), hi];
  if (cands.length > 400) {
    const step = cands.length / 400;
    cands = Array.from({ length: 400 }, (_, i) => cands[Math.floor(i * step)]!).concat([hi]);
  }
  const x = x0.slice();
  let f = evaluateCutoffs(p, x).objective;
  for (let sweep = 0; sweep < 10; sweep++) {
    let improved = false;
    for (let k = 0; k < x.length; k++) {
      const keep = x[k]!;
      let bestV = keep;
      for (const c of cands) {
        x[k] = c;
        const v = evaluateCutoffs(p, x).objective;
        if (v < f - 1e-12) { f = v; bestV = c; improved = true; }
      }
      x[k] = bestV;
    }
    if (!improved) break;
  }
  return x;
}

/** Copy of a structure with the element's sites given the assigned oxidation states. */
export function decorate(s: Structure, ms: MomentStructure, element: string, states: number[], cutoffs: number[]): Structure {
  const a = assignStates(ms.moments, cutoffs);
  const sites: Site[] = s.sites.map((site) => ({ ...site, species: site.species.map((o) => ({ ...o })) }));
  for (let k = 0; k < a.length; k++) {
    if (a[k]! < 0) continue;
    const site = sites[ms.siteIndex[k]!]!;
    site.species = [{ species: Species.of(element, states[a[k]!]!), occu: 1 }];
    delete site.label;
  }
  return new Structure(s.lattice, sites, { ...s.properties });
}

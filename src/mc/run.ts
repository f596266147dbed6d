/**
 * runMonteCarlo: one call from a fitted model to sampled thermodynamics — what `celt mc` and
 * the config file's `mc` block use. It validates the request, builds the supercell's energy
 * processor once, draws the starting state, and runs every condition of the grid (T × μ):
 * independent chains (each seeded from the master seed by condition index, so the result does
 * not depend on how many worker threads ran them) or one seeded path (each condition starts
 * from the previous final state). Wang–Landau runs one walk and reweights it to every T;
 * annealing runs one schedule from the first to the last T.
 */
import { InputError, OptionError } from '../core/errors.ts';
import type { Mat3 } from '../core/mat3.ts';
import { Rng } from '../core/rng.ts';
import type { ClusterExpansion } from '../model/cluster-expansion.ts';
import { CorrelationEvaluator } from '../space/correlation.ts';
import type { MappingOptions } from '../structure/mapping.ts';
import { parseSpeciesValues } from '../structure/species.ts';
import type { Structure } from '../structure/structure.ts';
import { mserTruncation, seriesStats } from './analysis.ts';
import { anneal } from './anneal.ts';
import { exchangeTable } from './exchange-table.ts';
import { lnStatesAll, lnStatesCanonical } from './free-energy.ts';
import { compositionCounts, occupancyFromStructure, randomOccupancy, totalCharge, type CompositionSpec } from './init.ts';
import { FlipMoves, type MoveSet, SwapMoves, TableExchangeMoves } from './moves.ts';
import { CompositionObserver, CorrelationObserver, EnergyObserver, type Observer, SroObserver } from './observers.ts';
import { buildProcessor } from './processor.ts';
import { KB_EV } from '../core/units.ts';
import { metropolis } from './sampler.ts';
import { Layout, McState } from './state.ts';
import { wangLandau, wlCanonical, type WangLandauOptions, type WangLandauResult } from './wang-landau.ts';

export const ENSEMBLES = ['canonical', 'semigrand', 'charge-neutral', 'wang-landau', 'anneal'] as const;
export type EnsembleName = (typeof ENSEMBLES)[number];

/** Wang–Landau as `celt mc` asks for it: the sampler's settings (steps come from McOptions) plus the move set. */
export interface WangLandauSettings extends Omit<WangLandauOptions, 'maxSteps' | 'correlations'> {
  /** swap (fixed composition, default) or flip (every composition; not for charged species with Ewald). */
  moves?: 'swap' | 'flip';
}

export interface McOptions {
  supercell: Mat3;
  ensemble: EnsembleName;
  /** Temperatures in kelvin. */
  T: number[];
  /** Chemical-potential grid: each entry maps species keys to eV per atom. */
  mu?: Record<string, number>[];
  /** Production steps per condition (one step = one proposal); Wang–Landau: the step cap. */
  steps: number;
  warmup?: number;
  thin?: number;
  seed?: number;
  /** Starting state: explicit codes, an ordered structure, or a composition (random arrangement). */
  init?: { codes?: Int32Array; structure?: Structure; structureFile?: string; composition?: CompositionSpec[]; mapping?: MappingOptions };
  /** Run the grid as one path (each condition starts from the previous final state). */
  path?: boolean;
  threads?: number;
  /** Share of canonical swaps among charge-neutral steps (default 0.5). */
  swapShare?: number;
  /** Benchmark override: allow plain flips on charged species (charge not conserved). */
  allowChargedFlips?: boolean;
  /** Include the model's Ewald term (default: yes when its ECI is nonzero). */
  ewald?: boolean;
  /** Pair orbit ids for Warren–Cowley SRO. */
  sro?: number[];
  /** Also report mean correlation vectors. */
  correlations?: boolean;
  wangLandau?: WangLandauSettings;
  onProgress?: (done: number, total: number) => void;
}

export interface ConditionSummary {
  ensemble: EnsembleName;
  T: number;
  mu: Record<string, number>;
  nSites: number;
  steps: number;
  acceptance: number;
  stepsPerSecond: number;
  energy: { mean: number; std: number; stderr: number } | null;
  composition: Record<string, number>;
  compositionBySublattice: Record<string, number>[];
  heatCapacity: number | null;
  susceptibility: Record<string, number>;
  equilibrationSteps: number;
  autocorrelationSteps: number | null;
  lowestEnergy: number;
  seed: number;
  sro?: { orbit: number; alpha: { from: string; to: string; alpha: number }[] }[];
  meanCorrelations?: number[];
  freeEnergy?: number;
}

export interface McSummary {
  ensemble: EnsembleName;
  supercell: Mat3;
  nSites: number;
  nPrims: number;
  sublattices: { index: number; species: string[]; sites: number }[];
  exchangeTable?: { species: string[]; rows: number[][] };
  setupSeconds: number;
  conditions: ConditionSummary[];
  wangLandau?: Omit<WangLandauResult, 'lowestCodes'>;
}

export interface ConditionDetail {
  lowestCodes: Int32Array;
  finalCodes: Int32Array;
  /** Thinned trace after warm-up: step, energy per prim, slot counts. */
  trace: { step: number[]; energy: number[]; counts: number[][] };
}

export interface McResult {
  summary: McSummary;
  details: ConditionDetail[];
  layout: Layout;
}

export interface Condition {
  T: number;
  mu: Record<string, number>;
}

/** Checks that need no sampling; every message names the option. */
const MAX_TOTAL_STEPS = 1e10;
const MAX_SAMPLES = 1e7;

function validate(model: ClusterExpansion, o: McOptions, layout: Layout): void {
  if (!(ENSEMBLES as readonly string[]).includes(o.ensemble)) throw new OptionError(`--ensemble must be one of ${ENSEMBLES.join(', ')} (got '${o.ensemble}')`, { field: 'ensemble' });
  if (!o.T.length) throw new OptionError('--T needs at least one temperature', { field: 'T' });
  for (const T of o.T) if (!(Number.isFinite(T) && T > 0)) throw new OptionError(`--T ${T}: temperatures must be positive kelvin`, { field: 'T' });
  if (!(Number.isInteger(o.steps) && o.steps > 0)) throw new OptionError(`--steps must be a positive integer (got ${o.steps})`, { field: 'steps' });
  if (o.warmup !== undefined && !(Number.isInteger(o.warmup) && o.warmup >= 0)) throw new OptionError(`--warmup must be a non-negative integer`, { field: 'warmup' });
  if (o.thin !== undefined && !(Number.isInteger(o.thin) && o.thin >= 1)) throw new OptionError(`--thin must be a positive integer`, { field: 'thin' });
  const mus = o.mu ?? [];
  // Refuse what cannot finish or fit in memory: ≈ a day at 10⁵ steps/s, and the kept samples.
  const total = o.T.length * Math.max(1, mus.length) * (o.steps + (o.warmup ?? 0));
  if (total > MAX_TOTAL_STEPS) throw new OptionError(`${total.toExponential(2)} steps over all conditions are past the limit of ${MAX_TOTAL_STEPS.toExponential(0)} (about a day at 10⁵ steps/s)`, { field: 'steps' });
  const thin = o.thin ?? Math.max(1, layout.activeSites.length); // the sampler's default
  if (o.thin !== undefined && o.thin > o.steps && o.ensemble !== 'wang-landau') throw new OptionError(`--thin ${o.thin} is more than --steps ${o.steps}: no sample would be kept`, { field: 'thin' });
  if (o.steps / thin > MAX_SAMPLES) throw new OptionError(`--steps / --thin keeps ${Math.round(o.steps / thin)} samples per condition, past the limit of ${MAX_SAMPLES}: raise --thin`, { field: 'thin' });
  for (const m of mus) {
    for (const [k, v] of Object.entries(m)) {
      if (!layout.species.includes(k)) throw new OptionError(`--mu names ${k}, which no active site of the model allows (species: ${layout.species.join(', ')})`, { field: 'mu' });
      if (!Number.isFinite(v)) throw new OptionError(`--mu ${k}=${v} is not a number`, { field: 'mu' });
    }
  }
  if (mus.some((m) => Object.keys(m).length) && !['semigrand', 'charge-neutral'].includes(o.ensemble)) {
    throw new OptionError(`--mu applies to the semigrand and charge-neutral ensembles, not ${o.ensemble}`, { field: 'mu' });
  }
  if (o.ensemble === 'anneal' && o.T.length < 2) throw new OptionError('--ensemble anneal needs --T START,END', { field: 'T' });
  if (o.ensemble === 'wang-landau' && !o.wangLandau) throw new OptionError('--ensemble wang-landau needs --window MIN,MAX and --bin-width', { field: 'window' });
  if (o.swapShare !== undefined && !(o.swapShare >= 0 && o.swapShare < 1)) throw new OptionError('--swap-share must be in [0, 1)', { field: 'swap-share' });
  void model;
}

/** Move set of an ensemble at one μ. */
function movesFor(o: McOptions, layout: Layout, mu: Record<string, number>, hasEwald: boolean): MoveSet {
  const muSpecies = Float64Array.from(layout.species, (s) => mu[s] ?? 0);
  const flips = o.ensemble === 'semigrand' || (o.ensemble === 'wang-landau' && o.wangLandau?.moves === 'flip');
  if (flips) {
    if (hasEwald && layout.chargedFlips && !o.allowChargedFlips) {
      throw new OptionError('plain semigrand flips change the charge of a model with charged species and an Ewald term; use --ensemble charge-neutral', { field: 'ensemble' });
    }
    return new FlipMoves(layout, muSpecies);
  }
  if (o.ensemble === 'charge-neutral') return new TableExchangeMoves(layout, exchangeTable(layout), muSpecies, o.swapShare ?? 0.5);
  return new SwapMoves(layout);
}

function startCodes(o: McOptions, layout: Layout, hasEwald: boolean): Int32Array {
  const init = o.init ?? {};
  let codes: Int32Array;
  let what = '--composition';
  if (init.codes) {
    codes = init.codes;
    what = 'the initial occupancy';
  } else if (init.structure) {
    codes = occupancyFromStructure(layout, init.structure, init.mapping ?? defaultMapping(layout), init.structureFile);
    what = '--init';
  } else if (init.composition) {
    codes = randomOccupancy(layout, compositionCounts(layout, init.composition), new Rng(o.seed ?? 0));
  } else {
    throw new OptionError('give the starting state with --composition SPECIES=fraction,… or --init STRUCTURE', { field: 'composition' });
  }
  const q = totalCharge(layout, codes);
  if ((o.ensemble === 'charge-neutral' || hasEwald) && Math.abs(q) > 1e-6) {
    throw new InputError(`${what} gives a cell of total charge ${+q.toFixed(6)}; ${o.ensemble === 'charge-neutral' ? 'charge-neutral sampling' : 'a model with an Ewald term'} needs a charge-balanced start`, { field: what.replace(/^--/, '') });
  }
  return codes;
}

/**
 * With vacancies the atom count does not fix the number of prim cells; the species of a site
 * that never changes (O2- in the oxides) does, so it sizes the mapping when there is one.
 */
function defaultMapping(layout: Layout): MappingOptions {
  const fixed = layout.space.spaces.sites.find((s) => !s.active);
  return fixed ? { supercellSize: fixed.species[0]!.key } : {};
}

/** Per-condition seeds from the master seed, fixed before any work is distributed. */
export function conditionSeeds(seed: number, n: number): number[] {
  const r = new Rng(seed);
  return Array.from({ length: n }, () => r.nextU32());
}

export interface Sampler {
  layout: Layout;
  state: McState;
  hasEwald: boolean;
  corr: CorrelationEvaluator | null;
}

export function buildSampler(model: ClusterExpansion, o: McOptions): Sampler {
  const layout = new Layout(model.space, o.supercell);
  const { processor, ewald } = buildProcessor(model, o.supercell, o.ewald === undefined ? {} : { ewald: o.ewald });
  const codes = startCodes(o, layout, ewald !== null);
  const state = new McState(layout, processor, codes);
  return { layout, state, hasEwald: ewald !== null, corr: o.correlations || o.ensemble === 'wang-landau' ? new CorrelationEvaluator(model.space, o.supercell) : null };
}

/** Run one fixed-T (and μ) condition from `start`; deterministic in (seed, start). */
export function runCondition(s: Sampler, o: McOptions, cond: Condition, seed: number, start: Int32Array, onSteps?: (n: number) => void): { summary: ConditionSummary; detail: ConditionDetail } {
  const { layout, state } = s;
  state.set(start);
  const rng = new Rng(seed);
  const moves = movesFor(o, layout, cond.mu, s.hasEwald);
  const thin = o.thin ?? Math.max(1, layout.activeSites.length);
  const warmup = o.warmup ?? 0;
  let lowest = state.energy, lowestCodes = Int32Array.from(state.codes);
  const onNewMinimum = (st: McState) => {
    lowest = st.energy;
    lowestCodes.set(st.codes);
  };
  const progress = onSteps ? { onProgress: onSteps, progressEvery: Math.max(1, Math.floor((warmup + o.steps) / 50)) } : {};
  if (warmup > 0) metropolis(state, moves, rng, { T: cond.T, steps: warmup, thin: warmup + 1, onNewMinimum, ...progress });
  const energy = new EnergyObserver(), comp = new CompositionObserver();
  const observers: Observer[] = [energy, comp];
  const corrObs = o.correlations ? new CorrelationObserver(layout.space, o.supercell) : null;
  if (corrObs) observers.push(corrObs);
  const slotSub = Int32Array.from(layout.slotSpecies, (_, k) => layout.sublattices.findIndex((L) => k >= L.slot0 && k < L.slot0 + L.species.length));
  const sros = (o.sro ?? []).map((id) => new SroObserver(layout.space, o.supercell, id, (site, code) => (layout.subOf[site]! >= 0 ? layout.slotOf(site, code) : -1), layout.nSlots));
  observers.push(...sros);
  const res = metropolis(state, moves, rng, { T: cond.T, steps: o.steps, thin, observers, onNewMinimum, ...(onSteps ? { onProgress: (d: number) => onSteps(warmup + d), progressEvery: progress.progressEvery } : {}) });
  const traceSteps = energy.trace.map((_, k) => warmup + (k + 1) * thin);
  const trace = { step: traceSteps, energy: energy.trace.slice(), counts: comp.trace.map((c) => Array.from(c)) };
  // equilibration: MSER-5 on the energy trace; every observer drops the same samples
  const cut = mserTruncation(energy.trace);
  for (const ob of observers) ob.discard(cut);
  const st = seriesStats(energy.trace);
  const beta = 1 / (KB_EV * cond.T);
  const summary: ConditionSummary = {
    ensemble: o.ensemble,
    T: cond.T,
    mu: cond.mu,
    nSites: layout.nSites,
    steps: o.steps,
    acceptance: res.accepted / res.steps,
    stepsPerSecond: res.steps / res.seconds,
    energy: { mean: st.mean, std: st.std, stderr: st.stderr },
    ...compositionSummary(layout, comp.trace),
    heatCapacity: beta * beta * layout.nPrims * st.std * st.std,
    susceptibility: susceptibility(layout, comp.trace, beta),
    equilibrationSteps: warmup + cut * thin,
    autocorrelationSteps: st.tau * thin,
    lowestEnergy: lowest / layout.nPrims,
    seed,
  };
  if (sros.length) summary.sro = sros.map((x) => ({ orbit: x.orbitId, alpha: x.alpha(layout.slotSpecies, slotSub) }));
  if (corrObs) summary.meanCorrelations = Array.from(corrObs.mean);
  return { summary, detail: { lowestCodes, finalCodes: Int32Array.from(state.codes), trace } };
}

function compositionSummary(layout: Layout, trace: Int32Array[]): { composition: Record<string, number>; compositionBySublattice: Record<string, number>[] } {
  const mean = new Float64Array(layout.nSlots);
  for (const c of trace) for (let k = 0; k < mean.length; k++) mean[k]! += c[k]!;
  for (let k = 0; k < mean.length; k++) mean[k]! /= trace.length;
  const composition: Record<string, number> = {};
  layout.species.forEach((sp, id) => {
    let n = 0, sites = 0;
    for (const sub of layout.sublattices) {
      const c = sub.species.indexOf(sp);
      if (c < 0) continue;
      n += mean[sub.slot0 + c]!;
      sites += sub.sites.length;
    }
    composition[sp] = n / sites;
    void id;
  });
  const bySub = layout.sublattices.map((sub) => Object.fromEntries(sub.species.map((sp, c) => [sp, mean[sub.slot0 + c]! / sub.sites.length])));
  return { composition, compositionBySublattice: bySub };
}

/** β·Var(N_s)/N_prim per species (1/eV per primitive cell). */
function susceptibility(layout: Layout, trace: Int32Array[], beta: number): Record<string, number> {
  const out: Record<string, number> = {};
  layout.species.forEach((sp, id) => {
    const n = trace.map((c) => {
      let s = 0;
      for (let k = 0; k < layout.nSlots; k++) if (layout.slotSpeciesId[k] === id) s += c[k]!;
      return s;
    });
    const m = n.reduce((a, b) => a + b, 0) / n.length;
    const v = n.reduce((a, b) => a + (b - m) ** 2, 0) / n.length;
    out[sp] = (beta * v) / layout.nPrims;
  });
  return out;
}

function conditionsOf(o: McOptions): Condition[] {
  const mus = o.mu?.length ? o.mu : [{}];
  return mus.flatMap((mu) => o.T.map((T) => ({ T, mu })));
}

function layoutSummary(layout: Layout, o: McOptions, setupSeconds: number): Omit<McSummary, 'conditions'> {
  return {
    ensemble: o.ensemble,
    supercell: o.supercell,
    nSites: layout.nSites,
    nPrims: layout.nPrims,
    sublattices: layout.sublattices.map((s) => ({ index: s.index, species: s.species, sites: s.sites.length })),
    setupSeconds,
  };
}

/** The summary's head (everything but the conditions) of a grid run on `layout`. */
export function mcHead(layout: Layout, o: McOptions, setupSeconds: number): Omit<McSummary, 'conditions'> {
  const head = layoutSummary(layout, o, setupSeconds);
  if (o.ensemble === 'charge-neutral') {
    const t = exchangeTable(layout);
    head.exchangeTable = { species: t.slotSpecies, rows: t.rows };
  }
  return head;
}

/**
 * The unit of work of a condition grid (a task of src/exec): independent conditions are one
 * task each; a --path is ONE task, since each condition starts from the previous final state.
 */
export interface McTask {
  /** Condition indices, in run order. */
  conditions: number[];
  path: boolean;
}

export interface McTaskResult {
  conditions: { summary: ConditionSummary; detail: ConditionDetail }[];
}

/** Conditions, their seeds and the tasks of a fixed-T/μ grid; deterministic in the options. */
export function mcGridPlan(o: McOptions): { conditions: Condition[]; seeds: number[]; tasks: McTask[] } {
  const conditions = conditionsOf(o);
  const seeds = conditionSeeds(o.seed ?? 0, conditions.length);
  const tasks: McTask[] = o.path ? [{ conditions: conditions.map((_, k) => k), path: true }] : conditions.map((_, k) => ({ conditions: [k], path: false }));
  return { conditions, seeds, tasks };
}

/** Run one task from `start` on a built sampler: what the local run and every executor call. */
export function runMcTask(s: Sampler, o: McOptions, plan: { conditions: Condition[]; seeds: number[] }, task: McTask, start: Int32Array, onSteps?: (conditionPosition: number, steps: number) => void): McTaskResult {
  const out: McTaskResult = { conditions: [] };
  let from = start;
  task.conditions.forEach((k, pos) => {
    const r = runCondition(s, o, plan.conditions[k]!, plan.seeds[k]!, from, onSteps ? (d) => onSteps(pos, d) : undefined);
    out.conditions.push(r);
    if (task.path) from = r.detail.finalCodes;
  });
  return out;
}

/** Task results (in task order) into one McResult: the merge of a local run and of `celt collect`. */
export function mergeMcTasks(head: Omit<McSummary, 'conditions'>, layout: Layout, results: McTaskResult[]): McResult {
  const all = results.flatMap((r) => r.conditions);
  return { summary: { ...head, conditions: all.map((r) => r.summary) }, details: all.map((r) => r.detail), layout };
}

/** Validation, the sampler with its starting state, and the head: the set-up every run shares. */
export function prepareMonteCarlo(model: ClusterExpansion, o: McOptions): { sampler: Sampler; head: Omit<McSummary, 'conditions'> } {
  const t0 = performance.now();
  const layout0 = new Layout(model.space, o.supercell);
  validate(model, o, layout0);
  const sampler = buildSampler(model, o);
  return { sampler, head: mcHead(sampler.layout, o, (performance.now() - t0) / 1000) };
}

/** The library entry point: summary plus per-condition lowest states and traces. */
export async function runMonteCarlo(model: ClusterExpansion, o: McOptions): Promise<McResult> {
  const { sampler, head } = prepareMonteCarlo(model, o);
  const { layout } = sampler;
  if (o.ensemble === 'wang-landau') return runWangLandau(sampler, o, head);
  if (o.ensemble === 'anneal') return runAnneal(sampler, o, head);
  const plan = mcGridPlan(o);
  const start = Int32Array.from(sampler.state.codes);
  const perCond = (o.warmup ?? 0) + o.steps;
  const total = perCond * plan.conditions.length;
  const threads = Math.min(o.threads ?? 1, plan.tasks.length);
  let results: McTaskResult[];
  if (threads <= 1) {
    let before = 0;
    results = plan.tasks.map((t) => {
      const r = runMcTask(sampler, o, plan, t, start, o.onProgress ? (pos, d) => o.onProgress!((before + pos) * perCond + d, total) : undefined);
      before += t.conditions.length;
      return r;
    });
  } else {
    const { runOnWorkers } = await import('./parallel.ts');
    const perCondition = await runOnWorkers(model, o, plan.conditions, plan.seeds, start, threads, o.onProgress ? (d) => o.onProgress!(d, total) : undefined);
    results = perCondition.map((r) => ({ conditions: [r] }));
  }
  return mergeMcTasks(head, layout, results);
}

function runWangLandau(s: Sampler, o: McOptions, head: Omit<McSummary, 'conditions'>): McResult {
  const w = o.wangLandau!;
  const moves = movesFor(o, s.layout, {}, s.hasEwald);
  const rng = new Rng(conditionSeeds(o.seed ?? 0, 1)[0]!);
  const t = performance.now();
  const wl = wangLandau(s.state, moves, rng, { ...w, maxSteps: o.steps, ...(s.corr ? { correlations: s.corr } : {}) });
  const secs = (performance.now() - t) / 1000;
  const lnStates = moves.kind === 'flip' ? lnStatesAll(s.layout) : lnStatesCanonical(s.layout, s.state.counts);
  const compo = compositionSummary(s.layout, [s.state.counts]);
  const conditions = o.T.map((T): ConditionSummary => {
    const c = wlCanonical(wl, T, s.layout.nPrims, lnStates);
    return {
      ensemble: 'wang-landau', T, mu: {}, nSites: s.layout.nSites, steps: wl.steps, acceptance: wl.accepted / wl.steps, stepsPerSecond: wl.steps / secs,
      energy: { mean: c.energy, std: Math.sqrt(c.heatCapacity / s.layout.nPrims) * KB_EV * T, stderr: NaN },
      ...(moves.kind === 'swap' ? compo : { composition: {}, compositionBySublattice: [] }),
      heatCapacity: c.heatCapacity, susceptibility: {}, equilibrationSteps: 0, autocorrelationSteps: null,
      lowestEnergy: wl.lowestEnergy / s.layout.nPrims, seed: o.seed ?? 0, freeEnergy: c.freeEnergy,
    };
  });
  const finalCodes = Int32Array.from(s.state.codes);
  const { lowestCodes, ...walk } = wl;
  return { summary: { ...head, conditions, wangLandau: walk }, details: conditions.map(() => ({ lowestCodes, finalCodes, trace: { step: [], energy: [], counts: [] } })), layout: s.layout };
}

function runAnneal(s: Sampler, o: McOptions, head: Omit<McSummary, 'conditions'>): McResult {
  const moves = o.mu?.length ? movesFor({ ...o, ensemble: 'semigrand' }, s.layout, o.mu[0]!, s.hasEwald) : new SwapMoves(s.layout);
  const seed = conditionSeeds(o.seed ?? 0, 1)[0]!;
  const r = anneal(s.state, moves, new Rng(seed), { Tstart: o.T[0]!, Tend: o.T[o.T.length - 1]!, steps: o.steps, ...(o.onProgress ? { onProgress: (d: number) => o.onProgress!(d, o.steps) } : {}) });
  const compo = compositionSummary(s.layout, [s.state.counts]);
  const cond: ConditionSummary = {
    ensemble: 'anneal', T: o.T[o.T.length - 1]!, mu: o.mu?.[0] ?? {}, nSites: s.layout.nSites, steps: o.steps, acceptance: r.accepted / r.steps, stepsPerSecond: r.steps / r.seconds,
    energy: null, ...compo, heatCapacity: null, susceptibility: {}, equilibrationSteps: 0, autocorrelationSteps: null, lowestEnergy: r.lowestEnergy / s.layout.nPrims, seed,
  };
  return { summary: { ...head, conditions: [cond] }, details: [{ lowestCodes: r.lowestCodes, finalCodes: Int32Array.from(s.state.codes), trace: { step: [], energy: [], counts: [] } }], layout: s.layout };
}

/** "Li+=-0.1,Mn2+=0.2" → { 'Li+': -0.1, 'Mn2+': 0.2 } (species keys normalised; eV per atom). */
export function parseMu(text: string): Record<string, number> {
  return Object.fromEntries(parseSpeciesValues(text, 'mu'));
}

/**
 * Pool-based simulation of the loop (issue 13 "must show"): a featurized training set with
 * known energies plays DFT; each round "computes" the picked structures by looking up their
 * energies.
 *
 * Per seed: a fixed held-out test set (testFraction of the pool, the same for every strategy
 * and never pickable), a random start (startFraction of the rest, the same for every strategy),
 * then `rounds` rounds of `perRound` picks. Every round of every strategy refits the same way:
 * lasso with α chosen by k-fold CV over a small log grid (one warm-started path per fold, the
 * LassoCV scheme of src/fit/selection/enet-path-cv.ts; twins in one fold), a bootstrap
 * ensemble at that α, and σ_noise from the CV RMSE at that α (ensemble.ts). Measured after every round:
 *  - held-out RMSE (eV per prim cell) on the test set;
 *  - DFT ground states of the whole pool reproduced by the model's hull over the whole pool
 *    (src/thermo compareGroundStates, one representative per group of equal feature rows);
 *  - calibration: fraction of test errors inside ±1σ, σ² = σ²_ens + σ²_noise.
 */
import { OptionError } from '../core/errors.ts';
import { equalRowGroups, type Mat } from '../core/matrix.ts';
import { Rng } from '../core/rng.ts';
import { errorMetrics, mean, std } from '../core/stats.ts';
import { pathFold } from '../fit/selection/enet-path-cv.ts';
import { makeSplits, type Split, testCount } from '../fit/selection/splits.ts';
import { ensembleSupport, fitEnsemble, type FitSpec, predictEnsemble, predictMember } from './ensemble.ts';
import { cvGatedPreservingFit, groundStatePreservingFit } from './gs-fit.ts';
import { groundStateScore, type HullFrame, hullDistances, representatives } from './hull-distance.ts';
import { allowedCandidates, type Criterion, selectCandidates } from './select.ts';

export interface Pool {
  name: string;
  X: Mat;
  /** Energy per prim cell. */
  y: Float64Array;
  frame: HullFrame;
}

export const GS_MODES = ['off', 'always', 'cv'] as const;
export type GsMode = (typeof GS_MODES)[number];

export interface SimulationOptions {
  rounds: number;
  perRound: number;
  seeds: number[];
  testFraction: number;
  startFraction: number;
  strategies: Criterion[];
  /** Lasso α grid searched every round. */
  alphas: number[];
  cvFolds: number;
  /** Repeats of the k-fold CV that picks α (different fold assignments, MSE averaged). */
  cvRepeats: number;
  nBootstrap: number;
  /** Lasso duality-gap tolerance (relative, sklearn's; 1e-4 is sklearn's default). */
  tol: number;
  /** D-optimal information over the ensemble's support only (select.ts `columns`). */
  doptSupport: boolean;
  /**
   * Centre fit keeping the training set's DFT ground states (gs-fit.ts): 'off' (plain lasso),
   * 'always' (the preserving lasso every round), 'cv' (only where the one-SE CV rule accepts it).
   */
  gsConstraints: GsMode;
  onRound?: (r: SimulatedRound) => void;
}

export const DEFAULT_SIMULATION: Omit<SimulationOptions, 'seeds'> = {
  rounds: 8,
  perRound: 10,
  testFraction: 0.2,
  startFraction: 0.2,
  strategies: ['balanced', 'random'],
  alphas: [1e-2, 3e-3, 1e-3, 3e-4, 1e-4, 3e-5, 1e-5, 3e-6, 1e-6],
  cvFolds: 5,
  cvRepeats: 5,
  nBootstrap: 10,
  tol: 1e-4,
  doptSupport: false,
  gsConstraints: 'off',
};

export interface SimulatedRound {
  pool: string;
  seed: number;
  strategy: Criterion;
  round: number;
  nTrain: number;
  alpha: number;
  cvRmse: number;
  nNonzero: number;
  /** The centre fit kept the training set's DFT ground states (gsConstraints, and the rows were feasible). */
  gsConstrained: boolean;
  testRmse: number;
  gsTotal: number;
  gsMatched: number;
  gsSpurious: number;
  /** Fraction of test rows with |error| ≤ σ. */
  within1Sigma: number;
  /** Pool indices picked after this round's fit (empty after the last round). */
  picked: number[];
  seconds: number;
}

/**
 * α by path CV (sklearn LassoCV scheme) repeated over `repeats` fold assignments, the CV RMSE at
 * it and the out-of-fold residuals of the first repeat there. Repeats average away the luck of
 * one split: on lmo_drx a single 5-fold split made the chosen α jump 10× between rounds (and the
 * held-out RMSE 2× with it) when one outlier structure changed fold.
 */
export function lassoCv(X: Mat, y: Float64Array, alphas: number[], folds: number, seed: number, tol = 1e-4, repeats = 1): { alpha: number; cvRmse: number; residuals: Float64Array; splits: Split[] } {
  const desc = Float64Array.from([...alphas].sort((a, b) => b - a));
  const Xf = X.selectCols(Int32Array.from({ length: X.cols - 1 }, (_, j) => j + 1));
  const groups = equalRowGroups(X);
  const se = new Float64Array(desc.length);
  const resid = new Float64Array(desc.length * X.rows);
  const first: Split[] = [];
  for (let rep = 0; rep < repeats; rep++) {
    const splits = makeSplits(X.rows, { kind: 'kfold', k: Math.min(folds, X.rows) }, seed + 7919 * rep, groups);
    if (rep === 0) first.push(...splits);
    for (const s of splits) {
      const r = pathFold(Xf, y, { train: s.train, test: s.test, alphas: desc, l1Ratio: 1, tol, maxIter: 10000, fitIntercept: true });
      r.mse.forEach((m, k) => (se[k]! += m * s.test.length));
      if (rep === 0) s.test.forEach((i, t) => desc.forEach((_, k) => (resid[k * X.rows + i] = r.pred[k * s.test.length + t]! - y[i]!)));
    }
  }
  let best = 0;
  for (let k = 1; k < desc.length; k++) if (se[k]! < se[best]!) best = k;
  return { alpha: desc[best]!, cvRmse: Math.sqrt(se[best]! / (X.rows * repeats)), residuals: resid.slice(best * X.rows, (best + 1) * X.rows), splits: first };
}

/** Indices 0..n-1 split into the seed's test set and start set; the rest are pickable. */
export function simulationSplit(n: number, seed: number, testFraction: number, startFraction: number): { test: number[]; start: number[]; rest: number[] } {
  const perm = Array.from(new Rng(seed).permutation(n));
  const nTest = testCount(n, testFraction);
  const test = perm.slice(0, nTest);
  const others = perm.slice(nTest);
  const nStart = Math.max(5, Math.round(startFraction * others.length));
  return { test, start: others.slice(0, nStart), rest: others.slice(nStart) };
}

function runStrategy(pool: Pool, seed: number, strategy: Criterion, split: ReturnType<typeof simulationSplit>, reps: number[], o: SimulationOptions): SimulatedRound[] {
  const train = [...split.start];
  const pickable = new Set(split.rest);
  const out: SimulatedRound[] = [];
  const Xtest = pool.X.selectRows(split.test);
  const yTest = Float64Array.from(split.test, (i) => pool.y[i]!);
  for (let round = 0; round <= o.rounds; round++) {
    const t0 = performance.now();
    const Xtr = pool.X.selectRows(train);
    const ytr = Float64Array.from(train, (i) => pool.y[i]!);
    const cvSeed = seed * 1000 + round;
    const { alpha, cvRmse, residuals, splits } = lassoCv(Xtr, ytr, o.alphas, o.cvFolds, cvSeed, o.tol, o.cvRepeats);
    const spec: FitSpec = { method: 'lasso', params: { alpha, tol: o.tol } };
    // random picking needs no ensemble to choose; two members keep the code path (the centre fit is the same)
    let ens = fitEnsemble(spec, Xtr, ytr, { nBootstrap: strategy === 'random' ? 2 : o.nBootstrap, seed: cvSeed, cvRmse });
    const kept = o.gsConstraints === 'cv' ? cvGatedPreservingFit(pool.frame, train, Xtr, ytr, alpha, splits, residuals) : o.gsConstraints === 'always' ? groundStatePreservingFit(pool.frame, train, Xtr, ytr, alpha) : null;
    if (kept) ens = { ...ens, centre: kept };
    const pt = predictEnsemble(ens, Xtest);
    let inside = 0;
    pt.mean.forEach((m, k) => (inside += Math.abs(m - yTest[k]!) <= pt.sigma[k]! ? 1 : 0));
    const all = predictMember(ens.centre, pool.X);
    const gs = groundStateScore(pool.frame, reps, pool.y, all);
    out.push({
      pool: pool.name, seed, strategy, round, nTrain: train.length, alpha, cvRmse,
      nNonzero: ens.centre.coef.filter((v) => v !== 0).length,
      gsConstrained: kept !== null,
      testRmse: errorMetrics(yTest, pt.mean).rmse, gsTotal: gs.dft.length, gsMatched: gs.matched.length, gsSpurious: gs.spurious.length,
      // a random-picking round fits only two members (it needs no ensemble to choose), too few for error bars
      within1Sigma: strategy === 'random' ? NaN : inside / split.test.length, seconds: 0, picked: [],
    });
    if (round < o.rounds) {
      const picked = pickRound(pool, train, [...pickable], strategy, ens, ens.cvRmse, o.perRound, cvSeed, o.doptSupport);
      out.at(-1)!.picked = picked;
      train.push(...picked);
    }
    for (const i of train) pickable.delete(i);
    out.at(-1)!.seconds = (performance.now() - t0) / 1000;
    o.onRound?.(out.at(-1)!);
  }
  return out;
}

function pickRound(pool: Pool, train: number[], pickable: number[], strategy: Criterion, ens: ReturnType<typeof fitEnsemble>, window: number, n: number, seed: number, supportOnly: boolean): number[] {
  const Xc = pool.X.selectRows(pickable);
  const Xtr = pool.X.selectRows(train);
  const pc = predictEnsemble(ens, Xc);
  const needsHull = strategy === 'hull' || strategy === 'balanced';
  const hd = needsHull ? hullDistances(pool.frame, train, Float64Array.from(train, (i) => pool.y[i]!), pickable, pc.mean, pc.members, window) : undefined;
  const picks = selectCandidates(Xtr, { X: Xc, sigmaEnsemble: pc.sigmaEnsemble, ...(hd ? { hullDistance: hd.mean, nearFraction: hd.nearFraction } : {}) }, Math.min(n, allowedCandidates(Xtr, Xc).allowed.length), { criterion: strategy, seed, ...(supportOnly ? { columns: ensembleSupport(ens) } : {}) });
  return picks.map((p) => pickable[p.index]!);
}

export function simulate(pool: Pool, o: SimulationOptions): SimulatedRound[] {
  if (pool.X.rows !== pool.y.length || pool.frame.x.length !== pool.y.length) throw new OptionError('pool rows, energies and compositions differ in number', { field: 'pool' });
  const need = testCount(pool.X.rows, o.testFraction) + o.rounds * o.perRound;
  if (need >= pool.X.rows) throw new OptionError(`the pool has ${pool.X.rows} structures; a test set of ${o.testFraction} plus ${o.rounds} rounds × ${o.perRound} picks needs more`, { field: 'pool' });
  const reps = representatives(pool.X, pool.y);
  const out: SimulatedRound[] = [];
  for (const seed of o.seeds) {
    const split = simulationSplit(pool.X.rows, seed, o.testFraction, o.startFraction);
    for (const strategy of o.strategies) out.push(...runStrategy(pool, seed, strategy, split, reps, o));
  }
  return out;
}

export interface PairedSummary {
  round: number;
  metric: 'testRmse' | 'gsMatched';
  /** Mean ± standard error over seeds per strategy. */
  a: { mean: number; se: number };
  b: { mean: number; se: number };
  /** a − b paired by seed. */
  diff: { mean: number; se: number };
  /** Seeds where a is better (lower RMSE, more ground states), ties counted apart. */
  wins: number;
  ties: number;
  n: number;
}

function meanSe(v: number[]): { mean: number; se: number } {
  return { mean: mean(v), se: v.length > 1 ? std(v, 1) / Math.sqrt(v.length) : 0 };
}

/** Per round, strategy a vs b paired by seed. */
export function pairedSummary(records: SimulatedRound[], a: Criterion, b: Criterion, metric: PairedSummary['metric']): PairedSummary[] {
  const rounds = [...new Set(records.map((r) => r.round))].sort((x, y) => x - y);
  const key = (r: SimulatedRound) => `${r.seed}/${r.round}`;
  const byB = new Map(records.filter((r) => r.strategy === b).map((r) => [key(r), r]));
  return rounds.map((round) => {
    const ra = records.filter((r) => r.strategy === a && r.round === round && byB.has(key(r)));
    const va = ra.map((r) => r[metric]);
    const vb = ra.map((r) => byB.get(key(r))![metric]);
    const d = va.map((v, i) => v - vb[i]!);
    const better = (x: number) => (metric === 'testRmse' ? x < 0 : x > 0);
    return { round, metric, a: meanSe(va), b: meanSe(vb), diff: meanSe(d), wins: d.filter(better).length, ties: d.filter((x) => x === 0).length, n: d.length };
  });
}

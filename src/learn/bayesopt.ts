/**
 * Bayesian optimization (minimization) over a box, seeded: a GP surrogate (constant ·
 * Matérn-5/2 with one length scale per dimension + white noise, normalized targets, ML-II
 * hyperparameters refitted every step) and an acquisition — expected improvement, lower
 * confidence bound or probability of improvement — maximized by scoring a seeded random
 * candidate set and polishing the best few with bounded L-BFGS. Like scikit-optimize's
 * gp_minimize: `initial` random points first, `calls` evaluations in total, the result is the
 * best *evaluated* point (never a surrogate prediction).
 */
import { InputError, OptionError } from '../core/errors.ts';
import { erfc } from '../core/erfc.ts';
import { Mat } from '../core/matrix.ts';
import { minimizeLbfgs, numericGradient } from '../core/optimize.ts';
import { Rng } from '../core/rng.ts';
import { GaussianProcess } from './gpr.ts';
import { Constant, Stationary, White, product, sum } from './kernels.ts';

export type Acquisition = 'ei' | 'lcb' | 'pi';

export interface BayesOptOptions {
  calls?: number;
  initial?: number;
  acquisition?: Acquisition;
  /** Exploration margin of EI and PI (in normalized target units). */
  xi?: number;
  /** LCB weight on the predictive standard deviation. */
  kappa?: number;
  candidates?: number;
  seed?: number;
  /** Points to evaluate first (in the original box), e.g. a previous optimum. */
  x0?: number[][];
}

export interface BayesOptResult {
  x: number[];
  f: number;
  bestIndex: number;
  history: Array<{ x: number[]; f: number }>;
}

/** Standard normal CDF via the accurate erfc of core/erfc.ts (≈1e-16). */
export function normCdf(z: number): number {
  return 0.5 * erfc(-z / Math.SQRT2);
}
export function normPdf(z: number): number {
  return Math.exp(-0.5 * z * z) / Math.sqrt(2 * Math.PI);
}

export function bayesOpt(fun: (x: number[]) => number, lower: number[], upper: number[], opts: BayesOptOptions = {}): BayesOptResult {
  const d = lower.length;
  if (d === 0 || upper.length !== d) throw new OptionError(`bounds need one lower and one upper value per dimension (${lower.length} vs ${upper.length})`);
  for (let j = 0; j < d; j++) {
    if (!(Number.isFinite(lower[j]) && Number.isFinite(upper[j]) && upper[j]! > lower[j]!)) throw new OptionError(`dimension ${j}: need finite lower < upper, got [${lower[j]}, ${upper[j]}]`);
  }
  const calls = opts.calls ?? 50;
  const initial = Math.min(opts.initial ?? 10, calls);
  const acq = opts.acquisition ?? 'ei';
  if (!['ei', 'lcb', 'pi'].includes(acq)) throw new OptionError(`unknown acquisition '${acq}'; use ei, lcb or pi`, { field: 'acquisition' });
  if (!Number.isInteger(calls) || calls < 1) throw new OptionError(`calls must be a positive integer, got ${calls}`);
  const xi = opts.xi ?? 1e-4, kappa = opts.kappa ?? 1.96, nCand = opts.candidates ?? 500;
  const rng = new Rng(opts.seed ?? 0);
  const toBox = (u: ArrayLike<number>) => Array.from({ length: d }, (_, j) => lower[j]! + u[j]! * (upper[j]! - lower[j]!));
  const U: number[][] = [], F: number[] = [];
  const history: Array<{ x: number[]; f: number }> = [];
  const evaluate = (u: number[]) => {
    const x = toBox(u);
    const f = fun(x);
    if (!Number.isFinite(f)) throw new InputError(`objective returned ${f} at [${x.join(', ')}]`);
    U.push(u);
    F.push(f);
    history.push({ x, f });
  };
  for (const x of opts.x0 ?? []) {
    if (history.length >= calls) break;
    if (x.length !== d) throw new OptionError(`start point has ${x.length} values for ${d} dimensions`);
    evaluate(x.map((v, j) => Math.min(1, Math.max(0, (v - lower[j]!) / (upper[j]! - lower[j]!)))));
  }
  while (history.length < Math.max(initial, opts.x0?.length ?? 0) && history.length < calls) evaluate(Array.from({ length: d }, () => rng.next()));

  let kernel = sum(product(new Constant(1, [1e-3, 1e3]), new Stationary('matern52', new Float64Array(d).fill(0.3), [1e-2, 1e2])), new White(1e-4, [1e-10, 1e-1]));
  while (history.length < calls) {
    const gp = new GaussianProcess(kernel, { normalizeY: true, optimize: true, restarts: 1, seed: rng.nextU32(), alpha: 1e-10 }).fit(Mat.fromRows(U), F);
    kernel = gp.kernel;
    const { mean: m0, std: s0 } = gp.targetScale;
    let fBest = Infinity;
    for (const f of F) fBest = Math.min(fBest, f);
    const yBest = (fBest - m0) / s0;
    // Negative acquisition (to minimize), in normalized target units.
    const negAcq = (u: ArrayLike<number>): number => {
      const { mean, variance } = gp.predict(Mat.fromRows([Array.from(u)]), true);
      const mu = (mean[0]! - m0) / s0, sd = Math.sqrt(variance![0]!) / s0;
      if (acq === 'lcb') return mu - kappa * sd;
      if (sd < 1e-12) return 0;
      const z = (yBest - mu - xi) / sd;
      return acq === 'pi' ? -normCdf(z) : -((yBest - mu - xi) * normCdf(z) + sd * normPdf(z));
    };
    const cands: Array<{ u: number[]; v: number }> = [];
    for (let c = 0; c < nCand; c++) {
      const u = Array.from({ length: d }, () => rng.next());
      cands.push({ u, v: negAcq(u) });
    }
    cands.sort((a, b) => a.v - b.v);
    let best = cands[0]!;
    for (const c of cands.slice(0, 3)) {
      const r = minimizeLbfgs(numericGradient((u) => negAcq(u)), c.u, { lower: new Array(d).fill(0), upper: new Array(d).fill(1), maxIter: 30, gtol: 1e-7 });
      if (r.f < best.v) best = { u: Array.from(r.x), v: r.f };
    }
    // Re-evaluating a known point teaches the surrogate nothing: fall back to a random point.
    const dup = U.some((p) => p.every((v, j) => Math.abs(v - best.u[j]!) < 1e-9));
    evaluate(dup ? Array.from({ length: d }, () => rng.next()) : best.u);
  }
  let bestIndex = 0;
  for (let i = 1; i < F.length; i++) if (F[i]! < F[bestIndex]!) bestIndex = i;
  return { x: history[bestIndex]!.x, f: F[bestIndex]!, bestIndex, history };
}

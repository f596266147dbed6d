/**
 * Hyperparameter search: grids (`alpha=1e-6:1e-1:25:log`, `alpha=1e-6:1e-1:10:lin`,
 * `l1_ratio=0,0.5,1`) combined as a Cartesian product, each point scored by cross-validation on
 * the SAME splits, the best point, and the one-standard-error choice (Hastie et al.: the
 * sparsest model — fewest mean nonzeros, then the strongest regularization — whose CV is within
 * one SE of the best). Lasso/elastic-net grids over α run as warm-started paths per fold.
 * Folds × points run on worker threads.
 */
import { OptionError } from '../../core/errors.ts';
import type { Mat } from '../../core/matrix.ts';
import { getMethod, resolveParams, type FitContext } from '../registry.ts';
import { summarizeFolds, type CvResult } from './cv.ts';
import { pathTasks, type PathFoldResult } from './enet-path-cv.ts';
import { runTasks, type PoolOptions } from './parallel.ts';
import type { Split } from './splits.ts';
import type { FitFoldResult, Task, TaskResult } from './tasks.ts';

export interface GridAxis {
  name: string;
  values: number[];
}

/** `count` values from lo to hi (both included), evenly spaced in log10. */
export function logSpace(lo: number, hi: number, count: number): number[] {
  return Array.from({ length: count }, (_, i) => {
    const t = count === 1 ? 0 : i / (count - 1);
    return 10 ** (Math.log10(lo) + t * (Math.log10(hi) - Math.log10(lo)));
  });
}

export function parseGrid(text: string): GridAxis {
  const eq = text.indexOf('=');
  if (eq <= 0) throw new OptionError(`bad --grid '${text}'; expected name=lo:hi:count[:log|lin] or name=v1,v2,…`, { field: 'grid' });
  const name = text.slice(0, eq).trim();
  const spec = text.slice(eq + 1).trim();
  if (!spec) throw new OptionError(`grid '${text}' has no values`, { field: 'grid' });
  if (spec.includes(':')) {
    const [lo, hi, cnt, scale = 'log'] = spec.split(':');
    const a = Number(lo), b = Number(hi), k = Number(cnt);
    if (!Number.isFinite(a) || !Number.isFinite(b) || !Number.isInteger(k) || k < 1 || k > 10_000 || !['log', 'lin'].includes(scale)) {
      throw new OptionError(`bad grid '${text}'; expected name=lo:hi:count[:log|lin] with a count from 1 to 10000`, { field: 'grid' });
    }
    if (scale === 'log' && !(a > 0 && b > 0)) throw new OptionError(`log grid '${text}' needs positive ends`, { field: 'grid' });
    const values = scale === 'log' ? logSpace(a, b, k) : Array.from({ length: k }, (_, i) => (k === 1 ? a : a + (i / (k - 1)) * (b - a)));
    return { name, values };
  }
  const values = spec.split(',').map((v) => (v.trim() === '' ? NaN : Number(v)));
  if (!values.length || values.some((v) => !Number.isFinite(v))) throw new OptionError(`bad grid values in '${text}'`, { field: 'grid' });
  return { name, values };
}

export interface SearchPoint {
  params: Record<string, number>;
  cv: CvResult;
}

export interface SearchResult {
  method: string;
  fixedParams: Record<string, unknown>;
  points: SearchPoint[];
  best: SearchPoint;
  oneSE: SearchPoint;
}

function product(axes: GridAxis[]): Record<string, number>[] {
  let out: Record<string, number>[] = [{}];
  for (const ax of axes) out = out.flatMap((p) => ax.values.map((v) => ({ ...p, [ax.name]: v })));
  return out;
}

export function oneStandardError(points: SearchPoint[]): { best: SearchPoint; oneSE: SearchPoint } {
  const ok = points.filter((p) => Number.isFinite(p.cv.rmse));
  const best = ok.reduce((a, b) => (b.cv.rmse < a.cv.rmse ? b : a));
  const within = ok.filter((p) => p.cv.rmse <= best.cv.rmse + best.cv.se);
  const strength = (p: SearchPoint) => p.params.alpha ?? p.params.mu ?? 0;
  const oneSE = within.reduce((a, b) => {
    if (b.cv.nNonzeroMean !== a.cv.nNonzeroMean) return b.cv.nNonzeroMean < a.cv.nNonzeroMean ? b : a;
    return strength(b) > strength(a) ? b : a;
  });
  return { best, oneSE };
}

/**
 * The tasks of a search, in a fixed order: pathable lasso/elastic-net grids are one task per
 * (other-parameter point, fold) holding the whole warm-started α path; other methods are one
 * task per (grid point, fold). Validates every point first (a bad value fails before any work).
 */
export interface SearchPlan {
  method: string;
  fixed: Record<string, unknown>;
  /** Points outside α (pathable) or every grid point, in result order. */
  points: Record<string, number>[];
  /** Pathable: the α values, strongest first; else null. */
  alphas: Float64Array | null;
  tasks: Task[];
}

export function searchPlan(method: string, fixed: Record<string, unknown>, axes: GridAxis[], splits: Split[]): SearchPlan {
  const spec = getMethod(method);
  for (const ax of axes) {
    if (!(ax.name in spec.params)) throw new OptionError(`unknown parameter '${ax.name}' for method '${method}'; known: ${Object.keys(spec.params).join(', ')}`, { field: 'grid' });
  }
  const grid = product(axes);
  for (const g of grid) resolveParams(method, { ...fixed, ...g });
  const pathable = (method === 'lasso' || method === 'elastic-net') && axes.some((a) => a.name === 'alpha') && !fixed.positive;
  const tasks: Task[] = [];
  if (pathable) {
    const alphas = Float64Array.from(axes.find((a) => a.name === 'alpha')!.values).sort((a, b) => b - a);
    const outer = product(axes.filter((a) => a.name !== 'alpha'));
    for (const o of outer) {
      const p = resolveParams(method, { ...fixed, ...o, alpha: alphas[0] });
      const l1 = method === 'lasso' ? 1 : (p.l1_ratio as number);
      for (const t of pathTasks(splits, alphas, l1, p.tol as number, p.max_iter as number, p.fit_intercept !== false)) tasks.push({ kind: 'path', ...t });
    }
    return { method, fixed, points: outer, alphas, tasks };
  }
  for (const g of grid) for (const s of splits) tasks.push({ kind: 'fit', method, params: { ...fixed, ...g }, train: s.train, test: s.test });
  return { method, fixed, points: grid, alphas: null, tasks };
}

/** CV scores of every point from the task results (in plan order), the best and the one-SE point. */
export function mergeSearch(plan: SearchPlan, results: TaskResult[], y: Float64Array, splits: Split[]): SearchResult {
  const points: SearchPoint[] = [];
  const ns = splits.length;
  if (plan.alphas) {
    const alphas = plan.alphas;
    plan.points.forEach((o, oi) => {
      const folds = results.slice(oi * ns, (oi + 1) * ns) as PathFoldResult[];
      alphas.forEach((alpha, k) => {
        const yt: number[] = [], yp: number[] = [];
        folds.forEach((f, s) => {
          const test = splits[s]!.test;
          test.forEach((i, t) => {
            yt.push(y[i]!);
            yp.push(f.pred[k * test.length + t]!);
          });
        });
        const cv = summarizeFolds(folds.map((f) => f.mse[k]!), yt, yp, folds.map((f) => f.nnz[k]!), folds.every((f) => f.converged[k] === 1));
        points.push({ params: { ...o, alpha }, cv });
      });
    });
  } else {
    plan.points.forEach((g, gi) => {
      const folds = results.slice(gi * ns, (gi + 1) * ns) as FitFoldResult[];
      const yt: number[] = [], yp: number[] = [], mse: number[] = [];
      folds.forEach((f, s) => {
        let se = 0;
        splits[s]!.test.forEach((i, t) => {
          yt.push(y[i]!);
          yp.push(f.pred[t]!);
          se += (y[i]! - f.pred[t]!) ** 2;
        });
        mse.push(se / splits[s]!.test.length);
      });
      points.push({ params: g, cv: summarizeFolds(mse, yt, yp, folds.map((f) => f.nnz), folds.every((f) => f.converged)) });
    });
  }
  const { best, oneSE } = oneStandardError(points);
  return { method: plan.method, fixedParams: plan.fixed, points, best, oneSE };
}

export async function gridSearch(
  method: string,
  fixed: Record<string, unknown>,
  axes: GridAxis[],
  ctx: FitContext,
  X: Mat,
  y: Float64Array,
  splits: Split[],
  opts: PoolOptions & { weights?: Float64Array } = {},
): Promise<SearchResult> {
  const plan = searchPlan(method, fixed, axes, splits);
  const res = await runTasks(X, y, opts.weights, ctx, plan.tasks, opts);
  return mergeSearch(plan, res, y, splits);
}

/** Golden-section line search of one positive hyperparameter on a log scale (CV objective). */
export async function lineSearch(
  method: string,
  fixed: Record<string, unknown>,
  name: string,
  lo: number,
  hi: number,
  ctx: FitContext,
  X: Mat,
  y: Float64Array,
  splits: Split[],
  opts: PoolOptions & { weights?: Float64Array; iterations?: number } = {},
): Promise<SearchPoint[]> {
  const evals: SearchPoint[] = [];
  const score = async (logv: number) => {
    const r = await gridSearch(method, fixed, [{ name, values: [10 ** logv] }], ctx, X, y, splits, { ...opts, threads: 1 });
    evals.push(r.points[0]!);
    return r.points[0]!.cv.rmse;
  };
  const g = (Math.sqrt(5) - 1) / 2;
  let a = Math.log10(lo), b = Math.log10(hi);
  let c = b - g * (b - a), d = a + g * (b - a);
  let fc = await score(c), fd = await score(d);
  for (let it = 0; it < (opts.iterations ?? 20); it++) {
    if (fc < fd) {
      b = d; d = c; fd = fc; c = b - g * (b - a); fc = await score(c);
    } else {
      a = c; c = d; fc = fd; d = a + g * (b - a); fd = await score(d);
    }
  }
  return evals.sort((p, q) => p.cv.rmse - q.cv.rmse);
}

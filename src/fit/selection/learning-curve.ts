/**
 * Learning curve: how validation error falls as the training set grows, at fixed
 * hyperparameters. Each repeat holds out a random test set once and trains on growing nested
 * subsets of the rest, so the curve's points differ only by training size, not by test set.
 * This is what tells a user whether more DFT calculations would still help.
 *
 * The fits are expressed as model-selection tasks (train rows, rows to predict) so they run on
 * the same worker pool as the CV; each task predicts the held-out rows followed by its own
 * training rows, which gives validation and training error from one fit. The held-out count
 * follows the splits module's one rounding rule (testCount). With group ids (one per row) the
 * held-out set is made of whole groups, as in the grouped CV, so the full-size point estimates
 * the same thing as the CV; the median over repeats is reported beside the mean because one
 * unlucky held-out set can dominate a mean of a few repeats.
 */
import type { Mat } from '../../core/matrix.ts';
import { OptionError } from '../../core/errors.ts';
import { Rng } from '../../core/rng.ts';
import { mean, median, std } from '../../core/stats.ts';
import type { FitContext } from '../method-spec.ts';
import { rowsByGroup, testCount } from './splits.ts';
import { type FitFoldResult, runTask } from './tasks.ts';

/** One training size: mean RMSE on the training rows and on the held-out rows over the repeats. */
export interface LearningPoint {
  nTrain: number;
  train: number;
  cv: number;
  /** Std of the held-out RMSE over the repeats (0 for one repeat; absent in hand-made rows). */
  cvStd?: number;
  /** Median of the held-out RMSE over the repeats (absent in hand-made rows). */
  cvMedian?: number;
  /** Root of the mean held-out MSE over the repeats: the CV RMSE's own statistic (seed 000 Eq. 10). */
  cvRms?: number;
  /** Number of repeats behind the point. */
  repeats?: number;
}

export interface LearningCurveOptions {
  /** Fractions of the non-test pool to train on, ascending. */
  fractions?: number[];
  /** Training-set sizes instead of fractions (each must fit in the non-test pool). */
  sizes?: number[];
  repeats?: number;
  testFraction?: number;
  seed?: number;
  /** Smallest training set worth fitting (fewer rows than this are skipped). */
  minTrain?: number;
  /** Group id per row: held-out rows are whole groups, never sharing a group with training rows. */
  groups?: ArrayLike<string | number>;
}

export interface LearningTask {
  size: number;
  train: Int32Array;
  /** Held-out rows first (nTest of them), then the training rows. */
  predict: Int32Array;
  nTest: number;
}

export function learningCurveTasks(n: number, opts: LearningCurveOptions = {}): LearningTask[] {
  const fractions = opts.fractions ?? [0.25, 0.5, 0.75, 1];
  const repeats = opts.repeats ?? 3;
  const nTest = Math.max(1, testCount(n, opts.testFraction ?? 0.2));
  const pool = n - nTest;
  const minTrain = opts.minTrain ?? 5;
  for (const m of opts.sizes ?? []) {
    if (!Number.isInteger(m) || m < 1 || m > pool) throw new OptionError(`learning-curve size ${m} outside 1..${pool}`, { field: 'sizes' });
  }
  const sizes = opts.sizes ? [...new Set(opts.sizes)] : [...new Set(fractions.map((f) => Math.round(f * pool)))].filter((s) => s >= minTrain && s <= pool);
  const rng = new Rng(opts.seed ?? 0);
  const byGroup = opts.groups ? rowsByGroup(n, opts.groups) : undefined;
  const tasks: LearningTask[] = [];
  for (let r = 0; r < repeats; r++) {
    const perm = byGroup ? groupedOrder(byGroup, nTest, rng) : { order: rng.permutation(n), nTest };
    const test = perm.order.subarray(0, perm.nTest);
    for (const size of sizes) {
      const train = perm.order.slice(perm.nTest, perm.nTest + size);
      const predict = new Int32Array(perm.nTest + train.length);
      predict.set(test);
      predict.set(train, perm.nTest);
      tasks.push({ size, train, predict, nTest: perm.nTest });
    }
  }
  return tasks;
}

/**
 * A row order whose first `nTest` rows are whole groups: groups in seeded random order, each
 * joins the held-out set if it still fits in nTest rows, else the training pool (with many
 * singleton groups the held-out set is almost always exactly nTest rows).
 */
function groupedOrder(byGroup: number[][], want: number, rng: Rng): { order: Int32Array; nTest: number } {
  const perm = rng.permutation(byGroup.length);
  const test: number[] = [], pool: number[] = [];
  for (const g of perm) {
    const rows = byGroup[g]!;
    if (test.length + rows.length <= want) test.push(...rows);
    else pool.push(...rows);
  }
  if (test.length === 0) throw new OptionError(`no group of identical rows fits a held-out set of ${want} rows`, { field: 'groups' });
  return { order: Int32Array.from([...test, ...pool]), nTest: test.length };
}

/** Average the tasks' errors per training size; `preds[t]` are task t's predictions (predict order). */
export function learningCurveFromPredictions(tasks: LearningTask[], preds: ArrayLike<number>[], y: ArrayLike<number>): LearningPoint[] {
  const bySize = new Map<number, { train: number[]; test: number[] }>();
  tasks.forEach((t, k) => {
    const p = preds[k]!;
    let seTest = 0, seTrain = 0;
    for (let j = 0; j < t.predict.length; j++) {
      const e = (p[j]! - y[t.predict[j]!]!) ** 2;
      if (j < t.nTest) seTest += e;
      else seTrain += e;
    }
    const slot = bySize.get(t.size) ?? { train: [], test: [] };
    slot.test.push(Math.sqrt(seTest / t.nTest));
    slot.train.push(Math.sqrt(seTrain / (t.predict.length - t.nTest)));
    bySize.set(t.size, slot);
  });
  return [...bySize].sort((a, b) => a[0] - b[0]).map(([size, s]) => ({ nTrain: size, train: mean(s.train), cv: mean(s.test), cvStd: s.test.length > 1 ? std(s.test, 1) : 0, cvMedian: median(s.test), cvRms: Math.sqrt(mean(s.test.map((r) => r * r))), repeats: s.test.length }));
}

/** The whole learning curve in this thread (the workflow runs the same tasks on its worker pool). */
export function learningCurve(method: string, params: Record<string, unknown>, ctx: FitContext, X: Mat, y: Float64Array, sizes: number[], o: Omit<LearningCurveOptions, 'sizes' | 'fractions'> = {}): LearningPoint[] {
  const tasks = learningCurveTasks(X.rows, { ...o, sizes, repeats: o.repeats ?? 10 });
  const preds = tasks.map((t) => (runTask({ X, y, ctx }, { kind: 'fit', method, params, train: t.train, test: t.predict }) as FitFoldResult).pred);
  return learningCurveFromPredictions(tasks, preds, y);
}

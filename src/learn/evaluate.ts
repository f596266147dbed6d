/**
 * Evaluation over repeated random train/test splits (seed 004: 100 runs of 80/20, "without
 * duplicating compositions" — the splits, grouped or not, come from fit/selection/splits.ts)
 * and the min/max/median/mean/std summary of seed 004 Table 1.
 */
import { InputError } from '../core/errors.ts';
import type { Mat } from '../core/matrix.ts';
import { errorMetrics, mean, median, std } from '../core/stats.ts';
import type { BaseEstimator } from '../fit/estimator.ts';
import type { Split } from '../fit/selection/splits.ts';

export interface RegressionSplitResult {
  trainRmse: number;
  testRmse: number;
  trainR2: number;
  testR2: number;
}

export interface Stat {
  min: number;
  max: number;
  median: number;
  mean: number;
  std: number;
}

export function describe(values: ArrayLike<number>): Stat {
  const a = Array.from(values);
  return { min: Math.min(...a), max: Math.max(...a), median: median(a), mean: mean(a), std: std(a, 0) };
}

export interface RegressionSummary {
  trainRmse: Stat;
  testRmse: Stat;
  trainR2: Stat;
  testR2: Stat;
}

export function evaluateRegression(
  X: Mat,
  y: Float64Array,
  make: (split: number) => BaseEstimator,
  plans: Split[],
  onSplit?: (i: number, r: RegressionSplitResult) => void,
): { splits: RegressionSplitResult[]; summary: RegressionSummary } {
  const results: RegressionSplitResult[] = [];
  plans.forEach((plan, s) => {
    const Xtr = X.selectRows(plan.train), Xte = X.selectRows(plan.test);
    const ytr = Float64Array.from(plan.train, (i) => y[i]!), yte = Float64Array.from(plan.test, (i) => y[i]!);
    const m = make(s);
    m.fit(Xtr, ytr);
    const tr = errorMetrics(ytr, m.predict(Xtr)), te = errorMetrics(yte, m.predict(Xte));
    const r = { trainRmse: tr.rmse, testRmse: te.rmse, trainR2: tr.r2, testR2: te.r2 };
    results.push(r);
    onSplit?.(s, r);
  });
  return { splits: results, summary: summarizeRegression(results) };
}

export function summarizeRegression(results: RegressionSplitResult[]): RegressionSummary {
  return {
    trainRmse: describe(results.map((r) => r.trainRmse)),
    testRmse: describe(results.map((r) => r.testRmse)),
    trainR2: describe(results.map((r) => r.trainR2)),
    testR2: describe(results.map((r) => r.testR2)),
  };
}

export interface ClassificationSplitResult {
  trainAccuracy: number;
  testAccuracy: number;
}

export function evaluateClassification(
  X: Mat,
  labels: string[],
  make: (split: number) => BaseEstimator<string[], string[]>,
  plans: Split[],
): { splits: ClassificationSplitResult[]; summary: { trainAccuracy: Stat; testAccuracy: Stat } } {
  const acc = (a: string[], b: string[]) => a.reduce((s, v, i) => s + (v === b[i] ? 1 : 0), 0) / a.length;
  const results = plans.map((plan, s) => {
    const ltr = Array.from(plan.train, (i) => labels[i]!), lte = Array.from(plan.test, (i) => labels[i]!);
    if (new Set(ltr).size < 2) throw new InputError(`split ${s}: the training rows contain a single class`);
    const m = make(s);
    const Xtr = X.selectRows(plan.train);
    m.fit(Xtr, ltr);
    return { trainAccuracy: acc(m.predict(Xtr), ltr), testAccuracy: acc(m.predict(X.selectRows(plan.test)), lte) };
  });
  return {
    splits: results,
    summary: { trainAccuracy: describe(results.map((r) => r.trainAccuracy)), testAccuracy: describe(results.map((r) => r.testAccuracy)) },
  };
}

const fmt = (v: number) => (Math.abs(v) >= 100 || (Math.abs(v) < 1e-3 && v !== 0) ? v.toExponential(2) : v.toPrecision(3));

/** Seed 004 Table 1 layout: RMSE/R² maximum, minimum, median for training and testing, plus mean ± std. */
export function table1(rows: Array<{ label: string; summary: RegressionSummary }>): string {
  const head = ['Method', 'train max', 'train min', 'train median', 'test max', 'test min', 'test median', 'test mean±std'];
  const body = rows.map(({ label, summary: s }) => [
    label,
    `${fmt(s.trainRmse.max)}/${fmt(s.trainR2.max)}`,
    `${fmt(s.trainRmse.min)}/${fmt(s.trainR2.min)}`,
    `${fmt(s.trainRmse.median)}/${fmt(s.trainR2.median)}`,
    `${fmt(s.testRmse.max)}/${fmt(s.testR2.max)}`,
    `${fmt(s.testRmse.min)}/${fmt(s.testR2.min)}`,
    `${fmt(s.testRmse.median)}/${fmt(s.testR2.median)}`,
    `${fmt(s.testRmse.mean)}±${fmt(s.testRmse.std)}`,
  ]);
  const widths = head.map((h, j) => Math.max(h.length, ...body.map((r) => r[j]!.length)));
  const line = (r: string[]) => r.map((c, j) => c.padEnd(widths[j]!)).join('  ');
  return ['RMSE/R² (max and min are taken per column, as in seed 004 Table 1)', line(head), ...body.map(line)].join('\n');
}

export function accuracyTable(label: string, s: { trainAccuracy: Stat; testAccuracy: Stat }): string {
  const r = (x: Stat) => `min ${fmt(x.min)}  max ${fmt(x.max)}  median ${fmt(x.median)}  mean ${fmt(x.mean)} ± ${fmt(x.std)}`;
  return `${label}\n  train accuracy: ${r(s.trainAccuracy)}\n  test accuracy:  ${r(s.testAccuracy)}`;
}

/**
 * Diagnostics over model size and resampling (the learning curve is learning-curve.ts):
 * - capacity curve: CV error vs number of orbit groups included (groups in id order, e.g.
 *   points, pairs by distance, triplets …), given the data file's groups;
 * - bootstrap ensemble: refits on seeded resamples (with replacement) → ECI mean/std and
 *   prediction spread.
 */
import { OptionError } from '../../core/errors.ts';
import type { Mat } from '../../core/matrix.ts';
import { Rng } from '../../core/rng.ts';
import { mean, std } from '../../core/stats.ts';
import { createEstimator, type FitContext } from '../registry.ts';
import { crossValidate, type CvResult } from './cv.ts';
import type { Split } from './splits.ts';

export interface CapacityPoint {
  nGroups: number;
  nFeatures: number;
  cv: CvResult;
}

export function capacityCurve(method: string, params: Record<string, unknown>, groups: Int32Array, X: Mat, y: Float64Array, splits: Split[]): CapacityPoint[] {
  if (groups.length !== X.cols) throw new OptionError(`groups has ${groups.length} entries for ${X.cols} features`, { field: 'groups' });
  const ids = [...new Set(groups)].sort((a, b) => a - b);
  const out: CapacityPoint[] = [];
  for (let k = 1; k <= ids.length; k++) {
    const keep = new Set(ids.slice(0, k));
    const cols = [...groups.keys()].filter((j) => keep.has(groups[j]!));
    const sub = groups.filter((g) => keep.has(g));
    out.push({ nGroups: k, nFeatures: cols.length, cv: crossValidate(method, params, { groups: sub }, X.selectCols(cols), y, splits) });
  }
  return out;
}

export interface BootstrapResult {
  coefMean: Float64Array;
  coefStd: Float64Array;
  interceptMean: number;
  interceptStd: number;
  /** Std of the ensemble's predictions at each training point. */
  predictionStd: Float64Array;
  nBootstrap: number;
}

export function bootstrapEnsemble(method: string, params: Record<string, unknown>, ctx: FitContext, X: Mat, y: Float64Array, nBootstrap: number, seed = 0): BootstrapResult {
  const rng = new Rng(seed);
  const n = X.rows, p = X.cols;
  const coefs: Float64Array[] = [], icpts: number[] = [], preds: Float64Array[] = [];
  for (let b = 0; b < nBootstrap; b++) {
    const idx = Int32Array.from({ length: n }, () => rng.int(n));
    const est = createEstimator(method, params, ctx).fit(X.selectRows(idx), Float64Array.from(idx, (i) => y[i]!));
    coefs.push(est.coef.slice());
    icpts.push(est.intercept);
    preds.push(est.predict(X));
  }
  const col = (arrs: Float64Array[], j: number) => arrs.map((a) => a[j]!);
  return {
    coefMean: Float64Array.from({ length: p }, (_, j) => mean(col(coefs, j))),
    coefStd: Float64Array.from({ length: p }, (_, j) => (nBootstrap > 1 ? std(col(coefs, j), 1) : 0)),
    interceptMean: mean(icpts),
    interceptStd: nBootstrap > 1 ? std(icpts, 1) : 0,
    predictionStd: Float64Array.from({ length: n }, (_, i) => (nBootstrap > 1 ? std(col(preds, i), 1) : 0)),
    nBootstrap,
  };
}

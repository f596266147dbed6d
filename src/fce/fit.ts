/**
 * Fitting a force-constant expansion with the shared estimator registry (seed 002: "the same
 * estimators fit them"). The design matrix stacks every structure's 3N sensing rows in the free
 * (sum-rule) parameters; the target is the forces. No intercept: a constant force offset is not
 * a force constant. Cross-validation folds are whole structures, so the 3N correlated rows of
 * one structure never sit on both sides of a split.
 */
import { OptionError } from '../core/errors.ts';
import { Mat } from '../core/matrix.ts';
import { createEstimator, getMethod } from '../fit/registry.ts';
import { type CvResult, crossValidate } from '../fit/selection/cv.ts';
import { type Split, makeSplits } from '../fit/selection/splits.ts';
import type { FcClusterSpace } from './cluster-space.ts';
import type { DisplacedStructure } from './displaced.ts';
import { FcModel } from './model.ts';
import { type SensingPlan, sensingPlan, sensingRows } from './sensing.ts';
import type { FcSupercell } from './supercell.ts';

/** Dense design-matrix size limit (doubles): 6e7 ≈ 480 MB. */
const MAX_DESIGN = 60_000_000;

export interface FitData {
  X: Mat;
  y: Float64Array;
  /** Structure index of every row. */
  group: Int32Array;
  nStructures: number;
}

export function buildFitData(space: FcClusterSpace, data: DisplacedStructure[]): FitData {
  if (!data.length) throw new OptionError('no displaced structures to fit', { field: 'data' });
  const plans = new Map<FcSupercell, SensingPlan>();
  const blocks = data.map((d) => {
    let plan = plans.get(d.supercell);
    if (!plan) plans.set(d.supercell, (plan = sensingPlan(space, d.supercell)));
    return sensingRows(space, plan, d.displacements);
  });
  const rows = blocks.reduce((s, b) => s + b.rows, 0), p = space.nFree;
  if (rows * p > MAX_DESIGN) throw new OptionError(`the design matrix would hold ${rows} × ${p} numbers (limit ${MAX_DESIGN}); use fewer structures or smaller cutoffs`, { field: 'data' });
  const X = new Mat(rows, p), y = new Float64Array(rows), group = new Int32Array(rows);
  let r = 0;
  blocks.forEach((b, s) => {
    X.data.set(b.data, r * p);
    y.set(data[s]!.forces, r);
    group.fill(s, r, r + b.rows);
    r += b.rows;
  });
  return { X, y, group, nStructures: data.length };
}

/** k-fold over structures (seeded): the 3N force rows of one structure always share a fold. */
export function structureFolds(group: Int32Array, nGroups: number, k: number, seed = 0): Split[] {
  if (nGroups < 2) throw new OptionError(`cross-validation over structures needs at least 2 structures, got ${nGroups}`, { field: 'cv' });
  return makeSplits(group.length, { kind: 'kfold', k: Math.min(k, nGroups) }, seed, group);
}

/** The user's parameters with the intercept switched off (refused if asked for). */
export function forceFitParams(method: string, params: Record<string, unknown>): Record<string, unknown> {
  const spec = getMethod(method);
  const fi = params.fit_intercept;
  if (fi !== undefined && fi !== false && fi !== 'false' && fi !== '0') throw new OptionError('force fits have no intercept; drop fit_intercept', { field: 'param' });
  return 'fit_intercept' in spec.params ? { ...params, fit_intercept: false } : { ...params };
}

export interface FceFitResult {
  model: FcModel;
  cv?: CvResult;
  nRows: number;
  nNonzero: number;
  info: Record<string, unknown>;
}

export interface FceFitOptions {
  /** Folds over structures for CV (0 = skip CV). */
  cvFolds?: number;
  seed?: number;
  masses: number[];
}

export function fitFce(space: FcClusterSpace, data: DisplacedStructure[] | FitData, method: string, params: Record<string, unknown>, opts: FceFitOptions): FceFitResult {
  const fd = Array.isArray(data) ? buildFitData(space, data) : data;
  const p = forceFitParams(method, params);
  let cv: CvResult | undefined;
  const folds = opts.cvFolds ?? 5;
  if (folds > 0) cv = crossValidate(method, p, {}, fd.X, fd.y, structureFolds(fd.group, fd.nStructures, folds, opts.seed ?? 0));
  const est = createEstimator(method, p).fit(fd.X, fd.y);
  let nnz = 0;
  for (const c of est.coef) if (c !== 0) nnz++;
  const fitInfo: Record<string, unknown> = { method, params: est.params, nStructures: fd.nStructures, nRows: fd.X.rows, nFree: space.nFree, nNonzero: nnz };
  if (cv) fitInfo.cvRmse = cv.rmse;
  return { model: FcModel.fromFree(space, est.coef, opts.masses, fitInfo), ...(cv ? { cv } : {}), nRows: fd.X.rows, nNonzero: nnz, info: est.info };
}

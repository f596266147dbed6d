/** Shared fixtures for the fit tests: the embedded agpd_fcc data (data/agpd_fcc) and sklearn's numbers. */
import { readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { Mat } from '../../src/core/matrix.ts';
import { parseNpy } from '../../src/data/npy.ts';

export const FIX = fileURLToPath(new URL('../fixtures/fit/', import.meta.url));
/** The embedded agpd_fcc data (sparse-lm example, see data/README.md). */
export const AGPD = fileURLToPath(new URL('../../data/agpd_fcc/', import.meta.url));

export function agpd(): { X: Mat; y: Float64Array } {
  const X = parseNpy(readFileSync(AGPD + 'corr.npy'));
  const y = parseNpy(readFileSync(AGPD + 'energy.npy'));
  return { X: new Mat(X.shape[0]!, X.shape[1]!, X.data), y: y.data };
}

export interface RefFit {
  method: string;
  params: Record<string, number>;
  weighted?: boolean;
  coef: number[];
  intercept: number;
  alpha_?: number;
  lambda_?: number;
}

export interface Refs {
  extra: { omp: { n_nonzero_coefs: number; coef: number[]; intercept: number }; huber: { coef: number[]; intercept: number; scale: number } };
  agpd_lasso_cv: { alphas: number[]; mse_mean: number[]; alpha: number; coef: number[]; intercept: number };
  sklearn_version: string;
  agpd: { weights: number[]; fits: RefFit[] };
  synthetic: { X: number[][]; y: number[]; weights: number[]; fits: RefFit[] };
  wide: { X: number[][]; y: number[]; weights: number[]; fits: RefFit[] };
}

export function refs(): Refs {
  return JSON.parse(readFileSync(FIX + 'sklearn_refs.json', 'utf8')) as Refs;
}

/** max|a − b| / max|b| — coefficient vectors have tiny entries, so compare at the vector's scale. */
export function relErr(a: ArrayLike<number>, b: ArrayLike<number>): number {
  let d = 0, s = 0;
  for (let i = 0; i < b.length; i++) {
    d = Math.max(d, Math.abs(a[i]! - b[i]!));
    s = Math.max(s, Math.abs(b[i]!));
  }
  return d / s;
}

/** Shared by the ℓ0ℓ2 bench scripts: a dataset in the centered Gram form the estimator solves. */
import type { Dataset } from '../src/data/matrix-io.ts';

/** Centered Gram form, as the estimator builds it with fit_intercept = true. */
export function gramProblem(ds: Dataset): { G: Float64Array; b: Float64Array; yy: number; n: number; p: number } {
  const n = ds.X.rows, p = ds.X.cols, X = ds.X.data;
  const mx = new Float64Array(p);
  let my = 0;
  for (let i = 0; i < n; i++) { my += ds.y[i]! / n; for (let j = 0; j < p; j++) mx[j] += X[i * p + j]! / n; }
  const Xc = new Float64Array(n * p), yc = new Float64Array(n);
  for (let i = 0; i < n; i++) { yc[i] = ds.y[i]! - my; for (let j = 0; j < p; j++) Xc[i * p + j] = X[i * p + j]! - mx[j]!; }
  const G = new Float64Array(p * p), b = new Float64Array(p);
  let yy = 0;
  for (let i = 0; i < n; i++) {
    yy += yc[i]! * yc[i]!;
    for (let a = 0; a < p; a++) {
      const xa = Xc[i * p + a]!;
      if (xa === 0) continue;
      b[a] += xa * yc[i]!;
      for (let c = 0; c < p; c++) G[a * p + c] += xa * Xc[i * p + c]!;
    }
  }
  return { G, b, yy, n, p };
}


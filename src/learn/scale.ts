/**
 * Column scalers fitted on training rows only and applied to any rows (test rows may fall
 * outside the training range; that is extrapolation, not an error). A constant column keeps
 * scale 1 so it maps to a constant instead of NaN.
 */
import { InputError } from '../core/errors.ts';
import { Mat } from '../core/matrix.ts';
import { mean, std } from '../core/stats.ts';

export class ColumnScaler {
  constructor(readonly shift: Float64Array, readonly scale: Float64Array) {}

  /** Mean 0, (population) standard deviation 1 per column. */
  static standardize(X: Mat): ColumnScaler {
    const { rows: n, cols: p } = X;
    if (n === 0) throw new InputError('cannot scale an empty matrix');
    const mu = new Float64Array(p), sd = new Float64Array(p);
    for (let i = 0; i < n; i++) for (let j = 0; j < p; j++) mu[j] += X.data[i * p + j]! / n;
    for (let i = 0; i < n; i++) for (let j = 0; j < p; j++) sd[j] += (X.data[i * p + j]! - mu[j]!) ** 2 / n;
    for (let j = 0; j < p; j++) sd[j] = Math.sqrt(sd[j]!) > 1e-300 ? Math.sqrt(sd[j]!) : 1;
    return new ColumnScaler(mu, sd);
  }

  /** Training minimum ↦ 0, maximum ↦ 1 per column. */
  static unitCube(X: Mat): ColumnScaler {
    const { rows: n, cols: p } = X;
    if (n === 0) throw new InputError('cannot scale an empty matrix');
    const lo = new Float64Array(p).fill(Infinity), hi = new Float64Array(p).fill(-Infinity);
    for (let i = 0; i < n; i++) {
      for (let j = 0; j < p; j++) {
        const v = X.data[i * p + j]!;
        if (v < lo[j]!) lo[j] = v;
        if (v > hi[j]!) hi[j] = v;
      }
    }
    const range = new Float64Array(p);
    for (let j = 0; j < p; j++) range[j] = hi[j]! - lo[j]! > 0 ? hi[j]! - lo[j]! : 1;
    return new ColumnScaler(lo, range);
  }

  transform(X: Mat): Mat {
    const p = this.shift.length;
    if (X.cols !== p) throw new InputError(`scaler fitted on ${p} columns, got ${X.cols}`);
    const out = new Mat(X.rows, p);
    for (let i = 0; i < X.rows; i++) {
      for (let j = 0; j < p; j++) out.data[i * p + j] = (X.data[i * p + j]! - this.shift[j]!) / this.scale[j]!;
    }
    return out;
  }
}

export function meanStd(y: ArrayLike<number>): { mean: number; std: number } {
  return { mean: mean(y), std: std(y) };
}

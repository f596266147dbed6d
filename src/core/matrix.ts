/**
 * Dense row-major matrices on Float64Array and the few BLAS-like kernels every stage uses.
 * Hot kernels live here so they can be measured and replaced in one place.
 */
import { InputError } from './errors.ts';

export class Mat {
  readonly rows: number;
  readonly cols: number;
  readonly data: Float64Array;

  constructor(rows: number, cols: number, data?: Float64Array) {
    if (!Number.isInteger(rows) || !Number.isInteger(cols) || rows < 0 || cols < 0) {
      throw new InputError(`invalid matrix shape ${rows}×${cols}`);
    }
    this.rows = rows;
    this.cols = cols;
    if (data && data.length !== rows * cols) {
      throw new InputError(`matrix data has ${data.length} values, expected ${rows}×${cols}`);
    }
    this.data = data ?? new Float64Array(rows * cols);
  }

  static fromRows(rows: ArrayLike<ArrayLike<number>>, what = 'matrix'): Mat {
    const n = rows.length;
    const p = n ? rows[0]!.length : 0;
    const m = new Mat(n, p);
    for (let i = 0; i < n; i++) {
      const r = rows[i]!;
      if (r.length !== p) throw new InputError(`${what}: row ${i} has ${r.length} values, expected ${p}`);
      for (let j = 0; j < p; j++) m.data[i * p + j] = r[j]!;
    }
    return m;
  }

  static identity(n: number, scale = 1): Mat {
    const m = new Mat(n, n);
    for (let i = 0; i < n; i++) m.data[i * n + i] = scale;
    return m;
  }

  get(i: number, j: number): number {
    return this.data[i * this.cols + j]!;
  }

  set(i: number, j: number, v: number): void {
    this.data[i * this.cols + j] = v;
  }

  row(i: number): Float64Array {
    return this.data.subarray(i * this.cols, (i + 1) * this.cols);
  }

  col(j: number): Float64Array {
    const out = new Float64Array(this.rows);
    for (let i = 0; i < this.rows; i++) out[i] = this.data[i * this.cols + j]!;
    return out;
  }

  clone(): Mat {
    return new Mat(this.rows, this.cols, this.data.slice());
  }

  transpose(): Mat {
    const t = new Mat(this.cols, this.rows);
    for (let i = 0; i < this.rows; i++) {
      for (let j = 0; j < this.cols; j++) t.data[j * this.rows + i] = this.data[i * this.cols + j]!;
    }
    return t;
  }

  toRows(): number[][] {
    const out: number[][] = [];
    for (let i = 0; i < this.rows; i++) out.push(Array.from(this.row(i)));
    return out;
  }

  /** Rows selected by index (for CV folds, bootstrap samples). */
  selectRows(idx: ArrayLike<number>): Mat {
    const m = new Mat(idx.length, this.cols);
    for (let k = 0; k < idx.length; k++) m.data.set(this.row(idx[k]!), k * this.cols);
    return m;
  }

  selectCols(idx: ArrayLike<number>): Mat {
    const m = new Mat(this.rows, idx.length);
    for (let i = 0; i < this.rows; i++) {
      const base = i * this.cols;
      for (let k = 0; k < idx.length; k++) m.data[i * idx.length + k] = this.data[base + idx[k]!]!;
    }
    return m;
  }
}

/** y = A x */
export function matVec(a: Mat, x: ArrayLike<number>, out = new Float64Array(a.rows)): Float64Array {
  const { rows, cols, data } = a;
  for (let i = 0; i < rows; i++) {
    let s = 0;
    const base = i * cols;
    for (let j = 0; j < cols; j++) s += data[base + j]! * x[j]!;
    out[i] = s;
  }
  return out;
}

/** y = Aᵀ x */
export function matTVec(a: Mat, x: ArrayLike<number>, out = new Float64Array(a.cols)): Float64Array {
  const { rows, cols, data } = a;
  out.fill(0);
  for (let i = 0; i < rows; i++) {
    const xi = x[i]!;
    if (xi === 0) continue;
    const base = i * cols;
    for (let j = 0; j < cols; j++) out[j] += data[base + j]! * xi;
  }
  return out;
}

/** C = A B */
export function matMul(a: Mat, b: Mat): Mat {
  if (a.cols !== b.rows) throw new InputError(`matMul: ${a.rows}×${a.cols} times ${b.rows}×${b.cols}`);
  const n = a.rows, k = a.cols, p = b.cols;
  const c = new Mat(n, p);
  const A = a.data, B = b.data, C = c.data;
  for (let i = 0; i < n; i++) {
    const ci = i * p;
    for (let l = 0; l < k; l++) {
      const v = A[i * k + l]!;
      if (v === 0) continue;
      const bl = l * p;
      for (let j = 0; j < p; j++) C[ci + j] += v * B[bl + j]!;
    }
  }
  return c;
}

/**
 * G = Xᵀ W X (W = diag(weights) if given), symmetric p×p. Rows are processed four at a time
 * so each pass over the output triangle does four rank-1 updates (≈3× a naive loop).
 */
export function gram(x: Mat, weights?: ArrayLike<number>): Mat {
  const n = x.rows, p = x.cols, X = x.data;
  const g = new Mat(p, p);
  const G = g.data;
  const w = (i: number) => (weights ? weights[i]! : 1);
  let i = 0;
  for (; i + 3 < n; i += 4) {
    const r0 = i * p, r1 = r0 + p, r2 = r1 + p, r3 = r2 + p;
    const w0 = w(i), w1 = w(i + 1), w2 = w(i + 2), w3 = w(i + 3);
    for (let j = 0; j < p; j++) {
      const a0 = X[r0 + j]! * w0, a1 = X[r1 + j]! * w1, a2 = X[r2 + j]! * w2, a3 = X[r3 + j]! * w3;
      const gj = j * p;
      for (let k = j; k < p; k++) {
        G[gj + k] += a0 * X[r0 + k]! + a1 * X[r1 + k]! + a2 * X[r2 + k]! + a3 * X[r3 + k]!;
      }
    }
  }
  for (; i < n; i++) {
    const r = i * p, wi = w(i);
    for (let j = 0; j < p; j++) {
      const a = X[r + j]! * wi;
      if (a === 0) continue;
      const gj = j * p;
      for (let k = j; k < p; k++) G[gj + k] += a * X[r + k]!;
    }
  }
  for (let j = 0; j < p; j++) for (let k = j + 1; k < p; k++) G[k * p + j] = G[j * p + k]!;
  return g;
}

export function dot(a: ArrayLike<number>, b: ArrayLike<number>): number {
  let s = 0;
  for (let i = 0; i < a.length; i++) s += a[i]! * b[i]!;
  return s;
}

export function norm2(a: ArrayLike<number>): number {
  return Math.sqrt(dot(a, a));
}

export function axpy(alpha: number, x: ArrayLike<number>, y: Float64Array): Float64Array {
  for (let i = 0; i < y.length; i++) y[i] += alpha * x[i]!;
  return y;
}

/**
 * Twin rows: each row's id is the first row equal to it (max-abs difference ≤ tol), its own
 * index if none. Pairwise with early exit — exact for any tol (no bucketing edges), and rows
 * differ in their first few entries almost always, so this is ~n² cheap comparisons.
 */
export function equalRowGroups(X: Mat, tol = 1e-8): Int32Array {
  const ids = Int32Array.from({ length: X.rows }, (_, i) => i);
  for (let i = 0; i < X.rows; i++) {
    if (ids[i] !== i) continue;
    for (let k = i + 1; k < X.rows; k++) if (ids[k] === k && rowsEqual(X, i, X, k, tol)) ids[k] = i;
  }
  return ids;
}

/** Row i of A equals row k of B within tol (max-abs difference). */
export function rowsEqual(A: Mat, i: number, B: Mat, k: number, tol: number): boolean {
  const p = A.cols;
  for (let j = 0; j < p; j++) if (Math.abs(A.data[i * p + j]! - B.data[k * p + j]!) > tol) return false;
  return true;
}

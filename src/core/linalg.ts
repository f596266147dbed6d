/**
 * Dense factorizations: Cholesky (with jitter), LU, symmetric eigendecomposition
 * (Householder tridiagonalization + implicit QL), SVD (one-sided Jacobi) and the
 * minimum-norm least-squares solve built on it. Cluster-expansion design matrices are
 * routinely rank deficient (charge neutrality), so every solve here either handles that
 * or says so with a NumericalError.
 */
import { NumericalError, InputError } from './errors.ts';
import { Mat } from './matrix.ts';

/**
 * Lower Cholesky factor of (A − shift·I) for a row-major m×m array, written into the lower
 * triangle of `out` (which may be A itself: each entry is read before it is overwritten).
 * Returns −1 on success, else the index of the first non-positive pivot. Hot solvers (the ℓ0
 * branch-and-bound) call this directly on scratch arrays; `cholesky` wraps it for Mat.
 */
export function choleskyInto(A: Float64Array, m: number, out: Float64Array, shift = 0): number {
  for (let j = 0; j < m; j++) {
    const lj = j * m;
    let d = A[lj + j]! - shift;
    for (let k = 0; k < j; k++) d -= out[lj + k]! * out[lj + k]!;
    if (!(d > 0) || !Number.isFinite(d)) return j;
    const djj = Math.sqrt(d);
    out[lj + j] = djj;
    for (let i = j + 1; i < m; i++) {
      const li = i * m;
      let s = A[li + j]!;
      for (let k = 0; k < j; k++) s -= out[li + k]! * out[lj + k]!;
      out[li + j] = s / djj;
    }
  }
  return -1;
}

/** Solve L z = x in place (forward substitution), L lower triangular row-major m×m. */
function forwardInPlace(L: Float64Array, m: number, x: Float64Array): Float64Array {
  for (let i = 0; i < m; i++) {
    let s = x[i]!;
    const li = i * m;
    for (let k = 0; k < i; k++) s -= L[li + k]! * x[k]!;
    x[i] = s / L[li + i]!;
  }
  return x;
}

/**
 * Z ← L⁻¹Z for lower-triangular L (r×r) and m right-hand sides Z (r×m), both row-major: row
 * axpys over contiguous Z rows, four L entries per pass so each Z[i] element is loaded and
 * stored once per four multiply-adds (the ARD Woodbury step spends its time here).
 */
export function forwardSolveRowsInPlace(L: Float64Array, r: number, Z: Float64Array, m: number): Float64Array {
  for (let i = 0; i < r; i++) {
    const zi = i * m, li = i * r;
    let k = 0;
    for (; k + 3 < i; k += 4) {
      const l0 = L[li + k]!, l1 = L[li + k + 1]!, l2 = L[li + k + 2]!, l3 = L[li + k + 3]!;
      const z0 = k * m, z1 = z0 + m, z2 = z1 + m, z3 = z2 + m;
      for (let a = 0; a < m; a++) Z[zi + a] -= l0 * Z[z0 + a]! + l1 * Z[z1 + a]! + l2 * Z[z2 + a]! + l3 * Z[z3 + a]!;
    }
    for (; k < i; k++) {
      const l = L[li + k]!, zk = k * m;
      for (let a = 0; a < m; a++) Z[zi + a] -= l * Z[zk + a]!;
    }
    const inv = 1 / L[li + i]!;
    for (let a = 0; a < m; a++) Z[zi + a] *= inv;
  }
  return Z;
}

/** Solve L Lᵀ x = b in place (x holds b on entry), L lower triangular row-major m×m. */
export function cholSolveInPlace(L: Float64Array, m: number, x: Float64Array): Float64Array {
  forwardInPlace(L, m, x);
  for (let i = m - 1; i >= 0; i--) {
    let s = x[i]!;
    for (let k = i + 1; k < m; k++) s -= L[k * m + i]! * x[k]!;
    x[i] = s / L[i * m + i]!;
  }
  return x;
}

/** Lower Cholesky factor L of a symmetric positive definite A (A = L Lᵀ). Throws if not PD. */
export function cholesky(a: Mat): Mat {
  const n = a.rows;
  if (a.cols !== n) throw new InputError(`cholesky needs a square matrix, got ${a.rows}×${a.cols}`);
  const L = new Mat(n, n);
  const bad = choleskyInto(a.data, n, L.data);
  if (bad >= 0) throw new NumericalError(`matrix is not positive definite (pivot ${bad})`);
  return L;
}

/**
 * Cholesky with diagonal jitter added in growing steps (relative to the mean diagonal) until
 * the factorization succeeds; returns the factor and the jitter that was needed.
 */
export function choleskyJitter(a: Mat, maxTries = 8): { L: Mat; jitter: number } {
  try {
    return { L: cholesky(a), jitter: 0 };
  } catch (e) {
    if (!(e instanceof NumericalError)) throw e;
  }
  const n = a.rows;
  let meanDiag = 0;
  for (let i = 0; i < n; i++) meanDiag += Math.abs(a.data[i * n + i]!);
  meanDiag = meanDiag / Math.max(n, 1) || 1;
  let jitter = 1e-12 * meanDiag;
  for (let t = 0; t < maxTries; t++, jitter *= 10) {
    const b = a.clone();
    for (let i = 0; i < n; i++) b.data[i * n + i] += jitter;
    try {
      return { L: cholesky(b), jitter };
    } catch (e) {
      if (!(e instanceof NumericalError)) throw e;
    }
  }
  throw new NumericalError(`matrix is not positive definite even with jitter ${jitter.toExponential(2)}`);
}

/** Solve L Lᵀ x = b for one right-hand side. */
export function cholSolve(L: Mat, b: ArrayLike<number>, out = new Float64Array(L.rows)): Float64Array {
  for (let i = 0; i < L.rows; i++) out[i] = b[i]!;
  return cholSolveInPlace(L.data, L.rows, out);
}

/** Solve L z = b (forward substitution only). */
export function forwardSolve(L: Mat, b: ArrayLike<number>, out = new Float64Array(L.rows)): Float64Array {
  for (let i = 0; i < L.rows; i++) out[i] = b[i]!;
  return forwardInPlace(L.data, L.rows, out);
}

/** Inverse of an SPD matrix from its Cholesky factor. */
export function cholInverse(L: Mat): Mat {
  const n = L.rows;
  const inv = new Mat(n, n);
  const e = new Float64Array(n);
  const col = new Float64Array(n);
  for (let j = 0; j < n; j++) {
    e.fill(0);
    e[j] = 1;
    cholSolve(L, e, col);
    for (let i = 0; i < n; i++) inv.data[i * n + j] = col[i]!;
  }
  return inv;
}

/** log det A from its Cholesky factor. */
export function cholLogDet(L: Mat): number {
  let s = 0;
  for (let i = 0; i < L.rows; i++) s += Math.log(L.data[i * L.rows + i]!);
  return 2 * s;
}

/** Solve A x = b for a general square A by LU with partial pivoting. */
export function luSolve(a: Mat, b: ArrayLike<number>): Float64Array {
  const n = a.rows;
  if (a.cols !== n || b.length !== n) throw new InputError(`luSolve: shapes ${a.rows}×${a.cols} and ${b.length}`);
  const A = a.data.slice();
  const x = Float64Array.from(b as ArrayLike<number>);
  let scale = 0;
  for (let i = 0; i < A.length; i++) scale = Math.max(scale, Math.abs(A[i]!));
  for (let k = 0; k < n; k++) {
    let piv = k, best = Math.abs(A[k * n + k]!);
    for (let i = k + 1; i < n; i++) {
      const v = Math.abs(A[i * n + k]!);
      if (v > best) { best = v; piv = i; }
    }
    if (best <= 1e-14 * scale || best === 0) throw new NumericalError(`matrix is singular (pivot ${k})`);
    if (piv !== k) {
      for (let j = 0; j < n; j++) { const t = A[k * n + j]!; A[k * n + j] = A[piv * n + j]!; A[piv * n + j] = t; }
      const t = x[k]!; x[k] = x[piv]!; x[piv] = t;
    }
    const akk = A[k * n + k]!;
    for (let i = k + 1; i < n; i++) {
      const f = A[i * n + k]! / akk;
      if (f === 0) continue;
      for (let j = k; j < n; j++) A[i * n + j] -= f * A[k * n + j]!;
      x[i] -= f * x[k]!;
    }
  }
  for (let i = n - 1; i >= 0; i--) {
    let s = x[i]!;
    for (let j = i + 1; j < n; j++) s -= A[i * n + j]! * x[j]!;
    x[i] = s / A[i * n + i]!;
  }
  return x;
}

/**
 * Eigendecomposition of a symmetric matrix: values ascending, vectors as the columns of
 * `vectors` (A = V diag(values) Vᵀ). Householder reduction to tridiagonal form followed by
 * the implicit QL iteration (the classic tred2/tql2 pair).
 */
export function symEig(a: Mat): { values: Float64Array; vectors: Mat } {
  const n = a.rows;
  if (a.cols !== n) throw new InputError(`symEig needs a square matrix, got ${a.rows}×${a.cols}`);
  const V: number[][] = [];
  for (let i = 0; i < n; i++) V.push(Array.from(a.data.subarray(i * n, (i + 1) * n)));
  const d = new Float64Array(n), e = new Float64Array(n);
  if (n === 0) return { values: d, vectors: new Mat(0, 0) };
  tred2(V, d, e, n);
  tql2(V, d, e, n);
  const vec = new Mat(n, n);
  for (let i = 0; i < n; i++) for (let j = 0; j < n; j++) vec.data[i * n + j] = V[i]![j]!;
  return { values: d, vectors: vec };
}

function tred2(V: number[][], d: Float64Array, e: Float64Array, n: number): void {
  for (let j = 0; j < n; j++) d[j] = V[n - 1]![j]!;
  for (let i = n - 1; i > 0; i--) {
    let scale = 0, h = 0;
    for (let k = 0; k < i; k++) scale += Math.abs(d[k]!);
    if (scale === 0) {
      e[i] = d[i - 1]!;
      for (let j = 0; j < i; j++) {
        d[j] = V[i - 1]![j]!;
        V[i]![j] = 0;
        V[j]![i] = 0;
      }
    } else {
      for (let k = 0; k < i; k++) {
        d[k] /= scale;
        h += d[k]! * d[k]!;
      }
      let f = d[i - 1]!;
      let g = Math.sqrt(h);
      if (f > 0) g = -g;
      e[i] = scale * g;
      h -= f * g;
      d[i - 1] = f - g;
      for (let j = 0; j < i; j++) e[j] = 0;
      for (let j = 0; j < i; j++) {
        f = d[j]!;
        V[j]![i] = f;
        g = e[j]! + V[j]![j]! * f;
        for (let k = j + 1; k <= i - 1; k++) {
          g += V[k]![j]! * d[k]!;
          e[k] += V[k]![j]! * f;
        }
        e[j] = g;
      }
      f = 0;
      for (let j = 0; j < i; j++) {
        e[j] /= h;
        f += e[j]! * d[j]!;
      }
      const hh = f / (h + h);
      for (let j = 0; j < i; j++) e[j] -= hh * d[j]!;
      for (let j = 0; j < i; j++) {
        f = d[j]!;
        g = e[j]!;
        for (let k = j; k <= i - 1; k++) V[k]![j] -= f * e[k]! + g * d[k]!;
        d[j] = V[i - 1]![j]!;
        V[i]![j] = 0;
      }
    }
    d[i] = h;
  }
  for (let i = 0; i < n - 1; i++) {
    V[n - 1]![i] = V[i]![i]!;
    V[i]![i] = 1;
    const h = d[i + 1]!;
    if (h !== 0) {
      for (let k = 0; k <= i; k++) d[k] = V[k]![i + 1]! / h;
      for (let j = 0; j <= i; j++) {
        let g = 0;
        for (let k = 0; k <= i; k++) g += V[k]![i + 1]! * V[k]![j]!;
        for (let k = 0; k <= i; k++) V[k]![j] -= g * d[k]!;
      }
    }
    for (let k = 0; k <= i; k++) V[k]![i + 1] = 0;
  }
  for (let j = 0; j < n; j++) {
    d[j] = V[n - 1]![j]!;
    V[n - 1]![j] = 0;
  }
  V[n - 1]![n - 1] = 1;
  e[0] = 0;
}

function tql2(V: number[][], d: Float64Array, e: Float64Array, n: number): void {
  for (let i = 1; i < n; i++) e[i - 1] = e[i]!;
  e[n - 1] = 0;
  let f = 0, tst1 = 0;
  const eps = 2 ** -52;
  for (let l = 0; l < n; l++) {
    tst1 = Math.max(tst1, Math.abs(d[l]!) + Math.abs(e[l]!));
    let m = l;
    while (m < n) {
      if (Math.abs(e[m]!) <= eps * tst1) break;
      m++;
    }
    if (m > l) {
      let iter = 0;
      do {
        if (++iter > 60) throw new NumericalError('symmetric eigensolver did not converge');
        let g = d[l]!;
        let p = (d[l + 1]! - g) / (2 * e[l]!);
        let r = Math.hypot(p, 1);
        if (p < 0) r = -r;
        d[l] = e[l]! / (p + r);
        d[l + 1] = e[l]! * (p + r);
        const dl1 = d[l + 1]!;
        let h = g - d[l]!;
        for (let i = l + 2; i < n; i++) d[i] -= h;
        f += h;
        p = d[m]!;
        let c = 1, c2 = c, c3 = c;
        const el1 = e[l + 1]!;
        let s = 0, s2 = 0;
        for (let i = m - 1; i >= l; i--) {
          c3 = c2;
          c2 = c;
          s2 = s;
          g = c * e[i]!;
          h = c * p;
          r = Math.hypot(p, e[i]!);
          e[i + 1] = s * r;
          s = e[i]! / r;
          c = p / r;
          p = c * d[i]! - s * g;
          d[i + 1] = h + s * (c * g + s * d[i]!);
          for (let k = 0; k < n; k++) {
            const vk = V[k]!;
            h = vk[i + 1]!;
            vk[i + 1] = s * vk[i]! + c * h;
            vk[i] = c * vk[i]! - s * h;
          }
        }
        p = (-s * s2 * c3 * el1 * e[l]!) / dl1;
        e[l] = s * p;
        d[l] = c * p;
      } while (Math.abs(e[l]!) > eps * tst1);
    }
    d[l] = d[l]! + f;
    e[l] = 0;
  }
  for (let i = 0; i < n - 1; i++) {
    let k = i, p = d[i]!;
    for (let j = i + 1; j < n; j++) if (d[j]! < p) { k = j; p = d[j]!; }
    if (k !== i) {
      d[k] = d[i]!;
      d[i] = p;
      for (let j = 0; j < n; j++) { const t = V[j]![i]!; V[j]![i] = V[j]![k]!; V[j]![k] = t; }
    }
  }
}

/**
 * Thin SVD A = U diag(s) Vᵀ by one-sided Jacobi (accurate for small singular values, which is
 * what rank-deficient CE matrices need). s descending; U is m×k, V is n×k with k = min(m, n).
 */
export function svd(a: Mat): { U: Mat; s: Float64Array; V: Mat } {
  if (a.rows < a.cols) {
    const t = svd(a.transpose());
    return { U: t.V, s: t.s, V: t.U };
  }
  const m = a.rows, n = a.cols;
  // Work on columns: store Aᵀ so each column is contiguous.
  const W = a.transpose().data; // n × m
  const Vt = Mat.identity(n).data; // rows are the columns of V
  const eps = 1e-15;
  for (let sweep = 0; sweep < 80; sweep++) {
    let rotated = false;
    for (let p = 0; p < n - 1; p++) {
      for (let q = p + 1; q < n; q++) {
        let alpha = 0, beta = 0, gamma = 0;
        const bp = p * m, bq = q * m;
        for (let i = 0; i < m; i++) {
          const x = W[bp + i]!, y = W[bq + i]!;
          alpha += x * x;
          beta += y * y;
          gamma += x * y;
        }
        if (gamma === 0 || Math.abs(gamma) <= eps * Math.sqrt(alpha * beta)) continue;
        rotated = true;
        const zeta = (beta - alpha) / (2 * gamma);
        const t = Math.sign(zeta || 1) / (Math.abs(zeta) + Math.sqrt(1 + zeta * zeta));
        const c = 1 / Math.sqrt(1 + t * t), s = c * t;
        for (let i = 0; i < m; i++) {
          const x = W[bp + i]!, y = W[bq + i]!;
          W[bp + i] = c * x - s * y;
          W[bq + i] = s * x + c * y;
        }
        const vp = p * n, vq = q * n;
        for (let i = 0; i < n; i++) {
          const x = Vt[vp + i]!, y = Vt[vq + i]!;
          Vt[vp + i] = c * x - s * y;
          Vt[vq + i] = s * x + c * y;
        }
      }
    }
    if (!rotated) break;
  }
  const sv = new Float64Array(n);
  for (let j = 0; j < n; j++) {
    let s = 0;
    for (let i = 0; i < m; i++) s += W[j * m + i]! ** 2;
    sv[j] = Math.sqrt(s);
  }
  const order = Array.from({ length: n }, (_, j) => j).sort((x, y) => sv[y]! - sv[x]!);
  const U = new Mat(m, n), V = new Mat(n, n), s = new Float64Array(n);
  order.forEach((j, k) => {
    s[k] = sv[j]!;
    const inv = sv[j]! > 0 ? 1 / sv[j]! : 0;
    for (let i = 0; i < m; i++) U.data[i * n + k] = W[j * m + i]! * inv;
    for (let i = 0; i < n; i++) V.data[i * n + k] = Vt[j * n + i]!;
  });
  return { U, s, V };
}

/**
 * Minimum-norm least-squares solution of A x ≈ b (what numpy.linalg.lstsq returns): singular
 * values below rcond·s_max are treated as zero. Also returns the numerical rank.
 */
export function lstsqMinNorm(a: Mat, b: ArrayLike<number>, rcond = 1e-12): { x: Float64Array; rank: number; s: Float64Array } {
  if (b.length !== a.rows) throw new InputError(`lstsq: ${a.rows} rows but ${b.length} targets`);
  const { U, s, V } = svd(a);
  const k = s.length;
  const cutoff = (s[0] ?? 0) * Math.max(rcond, Number.EPSILON * Math.max(a.rows, a.cols));
  const x = new Float64Array(a.cols);
  let rank = 0;
  for (let j = 0; j < k; j++) {
    if (!(s[j]! > cutoff)) continue;
    rank++;
    let c = 0;
    for (let i = 0; i < a.rows; i++) c += U.data[i * k + j]! * b[i]!;
    c /= s[j]!;
    for (let i = 0; i < a.cols; i++) x[i] += c * V.data[i * k + j]!;
  }
  return { x, rank, s };
}

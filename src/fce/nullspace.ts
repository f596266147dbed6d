/**
 * Small dense helpers the force-constant space needs and src/core does not have: a projector's
 * image, a null space, and a reduced row-echelon form that makes such bases sparse and readable
 * (xx = yy, zz, xy instead of an arbitrary rotation of them). Sizes are ≤ a few hundred.
 */
import { symEig } from '../core/linalg.ts';
import { Mat } from '../core/matrix.ts';

/**
 * Orthonormal basis (columns) of the eigenspace of a symmetric matrix with eigenvalues above
 * `threshold`; for an orthogonal projector (eigenvalues 0 or 1) that is its image.
 */
export function eigenspaceAbove(a: Mat, threshold: number): Mat {
  const { values, vectors } = symEig(a);
  const keep: number[] = [];
  for (let j = 0; j < values.length; j++) if (values[j]! > threshold) keep.push(j);
  const out = new Mat(a.rows, keep.length);
  keep.forEach((j, c) => {
    for (let i = 0; i < a.rows; i++) out.data[i * keep.length + c] = vectors.data[i * a.rows + j]!;
  });
  return out;
}

/** Basis (columns) of {x : C x = 0} for C (m × n), via the eigenvectors of CᵀC at ≈ 0. */
export function nullSpace(c: Mat, relTol = 1e-10): Mat {
  const n = c.cols;
  const ctc = new Mat(n, n);
  for (let r = 0; r < c.rows; r++) {
    const row = c.row(r);
    for (let i = 0; i < n; i++) {
      const v = row[i]!;
      if (v === 0) continue;
      for (let j = 0; j < n; j++) ctc.data[i * n + j] += v * row[j]!;
    }
  }
  const { values, vectors } = symEig(ctc);
  const scale = Math.max(1, ...Array.from(values, Math.abs));
  const keep: number[] = [];
  for (let j = 0; j < n; j++) if (Math.abs(values[j]!) <= relTol * scale) keep.push(j);
  const out = new Mat(n, keep.length);
  keep.forEach((j, k) => {
    for (let i = 0; i < n; i++) out.data[i * keep.length + k] = vectors.data[i * n + j]!;
  });
  return out;
}

/**
 * Same column span, re-expressed in reduced column-echelon form (each column has a pivot row
 * where it is 1 and the other columns are 0): Gauss–Jordan on the transpose with partial
 * pivoting; entries below 1e-12 are set to zero so symmetry-equal entries come out exact.
 */
export function echelonBasis(b: Mat, tol = 1e-9): Mat {
  const n = b.rows, m = b.cols;
  const t = b.transpose().data.slice(); // m × n, rows are basis vectors
  let r = 0;
  for (let col = 0; col < n && r < m; col++) {
    let piv = r;
    for (let i = r + 1; i < m; i++) if (Math.abs(t[i * n + col]!) > Math.abs(t[piv * n + col]!)) piv = i;
    if (Math.abs(t[piv * n + col]!) < tol) continue;
    if (piv !== r) for (let j = 0; j < n; j++) [t[r * n + j], t[piv * n + j]] = [t[piv * n + j]!, t[r * n + j]!];
    const inv = 1 / t[r * n + col]!;
    for (let j = 0; j < n; j++) t[r * n + j] = t[r * n + j]! * inv;
    for (let i = 0; i < m; i++) {
      if (i === r) continue;
      const f = t[i * n + col]!;
      if (f === 0) continue;
      for (let j = 0; j < n; j++) t[i * n + j] -= f * t[r * n + j]!;
    }
    r++;
  }
  for (let i = 0; i < t.length; i++) if (Math.abs(t[i]!) < 1e-12) t[i] = 0;
  return new Mat(m, n, t).transpose();
}

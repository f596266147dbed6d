import { test } from 'node:test';
import assert from 'node:assert/strict';
import { Mat, gram, matMul, matVec } from '../../src/core/matrix.ts';
import { cholesky, cholSolve, luSolve, symEig, svd, lstsqMinNorm } from '../../src/core/linalg.ts';
import { Rng } from '../../src/core/rng.ts';

function randMat(rng: Rng, n: number, p: number): Mat {
  const m = new Mat(n, p);
  for (let i = 0; i < m.data.length; i++) m.data[i] = rng.normal();
  return m;
}
const maxAbsDiff = (a: ArrayLike<number>, b: ArrayLike<number>) => {
  let d = 0;
  for (let i = 0; i < a.length; i++) d = Math.max(d, Math.abs(a[i]! - b[i]!));
  return d;
};

test('gram equals Xᵀ X computed by matMul', () => {
  const x = randMat(new Rng(1), 37, 11);
  assert.ok(maxAbsDiff(gram(x).data, matMul(x.transpose(), x).data) < 1e-12);
  const w = Array.from({ length: 37 }, (_, i) => 1 + (i % 3));
  const xw = x.clone();
  for (let i = 0; i < 37; i++) for (let j = 0; j < 11; j++) xw.data[i * 11 + j] *= w[i]!;
  assert.ok(maxAbsDiff(gram(x, w).data, matMul(x.transpose(), xw).data) < 1e-12);
});

test('cholesky and LU solve recover a planted solution', () => {
  const rng = new Rng(2);
  const x = randMat(rng, 30, 8);
  const a = gram(x);
  const xs = Float64Array.from({ length: 8 }, () => rng.normal());
  const b = matVec(a, xs);
  assert.ok(maxAbsDiff(cholSolve(cholesky(a), b), xs) < 1e-10);
  assert.ok(maxAbsDiff(luSolve(a, b), xs) < 1e-10);
  assert.throws(() => cholesky(Mat.fromRows([[1, 2], [2, 1]])), /not positive definite/);
});

test('symEig reconstructs A and known eigenvalues of a 2×2', () => {
  const e2 = symEig(Mat.fromRows([[2, 1], [1, 2]]));
  assert.ok(Math.abs(e2.values[0]! - 1) < 1e-14 && Math.abs(e2.values[1]! - 3) < 1e-14);
  const a = gram(randMat(new Rng(3), 20, 9));
  const { values, vectors } = symEig(a);
  const n = 9, rec = new Mat(n, n);
  for (let i = 0; i < n; i++) for (let j = 0; j < n; j++) {
    let s = 0;
    for (let k = 0; k < n; k++) s += vectors.get(i, k) * values[k]! * vectors.get(j, k);
    rec.set(i, j, s);
  }
  assert.ok(maxAbsDiff(rec.data, a.data) < 1e-10);
});

test('svd reconstructs tall and wide matrices; lstsq gives the minimum-norm solution', () => {
  for (const [n, p] of [[15, 6], [6, 15]] as const) {
    const a = randMat(new Rng(4 + n), n, p);
    const { U, s, V } = svd(a);
    const k = s.length, rec = new Mat(n, p);
    for (let i = 0; i < n; i++) for (let j = 0; j < p; j++) {
      let v = 0;
      for (let l = 0; l < k; l++) v += U.get(i, l) * s[l]! * V.get(j, l);
      rec.set(i, j, v);
    }
    assert.ok(maxAbsDiff(rec.data, a.data) < 1e-12);
  }
  // Duplicate column: rank 1, the minimum-norm solution splits the weight equally.
  const a = Mat.fromRows([[1, 1], [2, 2], [3, 3]]);
  const { x, rank } = lstsqMinNorm(a, [2, 4, 6]);
  assert.equal(rank, 1);
  assert.ok(maxAbsDiff(x, [1, 1]) < 1e-12);
});

/**
 * Ground-state rows in three components against a brute-force hull: the lowest interpolation
 * over every triangle, edge and point of the set that contains a composition (no LP).
 */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { Mat } from '../../src/core/matrix.ts';
import { Rng } from '../../src/core/rng.ts';
import { centredConstraints, groundStateRows } from '../../src/thermo/ground-state-constraints.ts';

type P = { x: number[]; e: number };

/** Barycentric weights of q in the triangle (a, b, c) of ternary fractions, or null outside. */
function bary(q: number[], a: number[], b: number[], c: number[]): number[] | null {
  // 2-D coordinates: the first two fractions (the third is 1 − both)
  const d = (a[0]! - c[0]!) * (b[1]! - c[1]!) - (b[0]! - c[0]!) * (a[1]! - c[1]!);
  if (Math.abs(d) < 1e-14) return null;
  const l1 = ((q[0]! - c[0]!) * (b[1]! - c[1]!) - (b[0]! - c[0]!) * (q[1]! - c[1]!)) / d;
  const l2 = ((a[0]! - c[0]!) * (q[1]! - c[1]!) - (q[0]! - c[0]!) * (a[1]! - c[1]!)) / d;
  const l = [l1, l2, 1 - l1 - l2];
  return l.every((v) => v >= -1e-12) ? l : null;
}

/** Lowest energy at q over all triangles of pts containing q (degenerate triangles skipped; q itself among pts covers the point case). */
function bruteHull(q: number[], pts: P[]): number {
  let best = Infinity;
  for (let i = 0; i < pts.length; i++) {
    if (pts[i]!.x.every((v, k) => Math.abs(v - q[k]!) < 1e-12)) best = Math.min(best, pts[i]!.e);
    for (let j = i + 1; j < pts.length; j++) {
      for (let k = j + 1; k < pts.length; k++) {
        const l = bary(q, pts[i]!.x, pts[j]!.x, pts[k]!.x);
        if (l) best = Math.min(best, l[0]! * pts[i]!.e + l[1]! * pts[j]!.e + l[2]! * pts[k]!.e);
      }
    }
  }
  return best;
}

function ternarySet(seed: number): { x: number[][]; e: number[]; scale: number[] } {
  const rng = new Rng(seed);
  const x: number[][] = [[1, 0, 0], [0, 1, 0], [0, 0, 1]];
  while (x.length < 14) {
    const a = rng.int(7), b = rng.int(7 - a);
    x.push([a / 6, b / 6, (6 - a - b) / 6]);
  }
  // formation-like energies: negative bowl plus noise, end members at 0
  const e = x.map((c, i) => (i < 3 ? 0 : -0.4 * (1 - c.reduce((s, v) => s + v * v, 0)) + 0.05 * rng.normal()));
  const scale = x.map(() => 1 / (1 + rng.int(4)));
  return { x, e, scale };
}

test('ternary ground-state rows at the DFT energies: non-vertex rows = energy above the hull, vertex rows = −depth below the other vertices (brute force)', () => {
  for (const seed of [1, 2, 3]) {
    const { x, e, scale } = ternarySet(seed);
    const n = x.length;
    // X = identity, b = 0, w_i = e_i / s_i: the predicted energy per hull unit is exactly e_i
    const rows = groundStateRows(Mat.identity(n), x, e, { scale });
    const w = e.map((v, i) => v / scale[i]!);
    const val = (a: ArrayLike<number>) => Array.from(a).reduce((s, v, j) => s + v * w[j]!, 0);
    const pts = x.map((c, i) => ({ x: c, e: e[i]! }));
    const V = rows.vertices;
    // brute-force vertices: points strictly below the hull of all the others
    const bruteV = pts.map((_, i) => i).filter((i) => !(bruteHull(x[i]!, pts.filter((_, k) => k !== i)) <= e[i]! + 1e-12));
    assert.deepEqual([...V].sort((a, b) => a - b), bruteV, `seed ${seed}: vertex set`);
    let r = 0;
    for (let i = 0; i < n; i++) {
      if (V.includes(i)) continue;
      assert.ok(Math.abs(val(rows.A[r]!) - (e[i]! - bruteHull(x[i]!, pts))) < 1e-9, `seed ${seed}: row of point ${i}`);
      assert.equal(rows.lower[r], 0);
      r++;
    }
    const interior = V.filter((g) => x[g]!.every((v) => v < 1));
    assert.ok(interior.length >= 1 && r >= 5, `seed ${seed}: the set has interior ground states and points above the hull`);
    assert.equal(rows.A.length - r, interior.length, 'one row per vertex the others can reach (not the end members)');
    for (const g of interior) {
      const depth = bruteHull(x[g]!, V.filter((v) => v !== g).map((v) => pts[v]!)) - e[g]!;
      const k = rows.A.findIndex((a, j) => j >= r && Math.abs(val(a) + depth) < 1e-9);
      assert.ok(k >= 0 && rows.upper[k] === 0, `seed ${seed}: vertex ${g} row = −depth ${depth}`);
    }
    // intercept coefficients: Σ c_i s_i of each row's combination, here nonzero because s varies
    assert.ok(rows.intercept.some((k) => Math.abs(k) > 1e-6));
  }
});

test('centredConstraints: a·w + k·b at b = ȳ − x̄·w equals the folded row, bounds shifted by −k·ȳ', () => {
  const { x, e, scale } = ternarySet(4);
  const rng = new Rng(9);
  const X = new Mat(x.length, 5, Float64Array.from({ length: x.length * 5 }, () => rng.normal()));
  const rows = groundStateRows(X, x, e, { scale, margin: 0.01 });
  const y = Float64Array.from(x, () => rng.normal());
  const xMean = Array.from({ length: 5 }, (_, j) => x.reduce((s, _, i) => s + X.data[i * 5 + j]!, 0) / x.length);
  const yMean = y.reduce((s, v) => s + v, 0) / y.length;
  const folded = centredConstraints(rows, xMean, yMean);
  const w = Array.from({ length: 5 }, () => rng.normal());
  const b = yMean - xMean.reduce((s, v, j) => s + v * w[j]!, 0);
  rows.A.forEach((a, r) => {
    const full = Array.from(a).reduce((s, v, j) => s + v * w[j]!, 0) + rows.intercept[r]! * b;
    const f = Array.from(folded.A[r]!).reduce((s, v, j) => s + v * w[j]!, 0);
    // full ≥ lower  ⇔  f ≥ folded lower (same shift on both sides)
    assert.ok(Math.abs(full - rows.lower[r]! - (f - folded.lower[r]!)) < 1e-9 || rows.lower[r] === -Infinity);
    assert.ok(Math.abs(full - rows.upper[r]! - (f - folded.upper[r]!)) < 1e-9 || rows.upper[r] === Infinity);
  });
});

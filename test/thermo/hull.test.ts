import { test } from 'node:test';
import assert from 'node:assert/strict';
import { InputError } from '../../src/core/errors.ts';
import { Rng } from '../../src/core/rng.ts';
import { lowerHull, formationEnergies, referenceEnergiesFromPoints, type HullPoint, type HullResult } from '../../src/thermo/hull.ts';
import { highsLP } from '../../src/thermo/lp-highs.ts';
import type { LPSolver } from '../../src/thermo/lp-simplex.ts';

const near = (a: number, b: number, tol = 1e-9) => Math.abs(a - b) <= tol;
const decompMap = (h: HullResult, i: number) => new Map(h.decomposition[i]!.map((d) => [d.index, d.fraction]));

function assertDecomp(h: HullResult, i: number, expected: Record<number, number>) {
  const got = decompMap(h, i);
  assert.deepEqual([...got.keys()].sort(), Object.keys(expected).map(Number).sort(), `phases of point ${i}`);
  for (const [k, f] of Object.entries(expected)) assert.ok(near(got.get(Number(k))!, f, 1e-9), `fraction of ${k} in point ${i}: ${got.get(Number(k))} vs ${f}`);
}

// Binary A–B, x = fraction of B. By hand: hull A(0,0) – P1(0.5,−1) – B(1,0); lines e = −2x on
// [0, 0.5] and e = 2x − 2 on [0.5, 1].
const binary: Array<[number, number]> = [
  [0, 0], // 0 A
  [1, 0], // 1 B
  [0.5, -1], // 2 P1: vertex
  [0.25, -0.4], // 3 above: line −0.5 → 0.1, = ½A + ½P1
  [0.75, -0.2], // 4 above: line −0.5 → 0.3, = ½P1 + ½B
  [0.5, -0.5], // 5 above P1 by 0.5
  [0.25, -0.5], // 6 exactly on the A–P1 line: on hull, not a vertex
  [0.5, -1], // 7 duplicate of P1: on hull, not a vertex (first copy wins)
  [0.125, -0.2], // 8 line −0.25 → 0.05 above, = ¾A + ¼P1
];
const binPoints = (shift = (_x: number) => 0): HullPoint[] => binary.map(([x, e], i) => ({ x: [1 - x, x], e: e + shift(x), id: i }));

function checkBinary(h: HullResult) {
  assert.deepEqual(h.vertices, [0, 1, 2]);
  const above = [0, 0, 0, 0.1, 0.3, 0.5, 0, 0, 0.05];
  above.forEach((a, i) => assert.ok(near(h.eAboveHull[i]!, a), `e_above_hull[${i}] = ${h.eAboveHull[i]} vs ${a}`));
  assert.deepEqual(h.onHull, [true, true, true, false, false, false, true, true, false]);
  assertDecomp(h, 3, { 0: 0.5, 2: 0.5 });
  assertDecomp(h, 4, { 2: 0.5, 1: 0.5 });
  assertDecomp(h, 5, { 2: 1 });
  assertDecomp(h, 8, { 0: 0.75, 2: 0.25 });
  assertDecomp(h, 7, { 2: 1 });
}

test('binary hull: hand-placed points, vertices, e_above_hull, decomposition', () => {
  checkBinary(lowerHull(binPoints()));
  // Adding a linear function of composition (other reference energies) changes nothing.
  checkBinary(lowerHull(binPoints((x) => -3.7 + 5.2 * x)));
});

// Ternary A, B, C at 0 and P = centre at −0.9: by hand the hull is the three triangles A-B-P,
// B-C-P, A-C-P (edge points above 0 stay off the hull).
const ternary: Array<[number[], number]> = [
  [[1, 0, 0], 0], // 0 A
  [[0, 1, 0], 0], // 1 B
  [[0, 0, 1], 0], // 2 C
  [[1 / 3, 1 / 3, 1 / 3], -0.9], // 3 P
  [[0, 0.5, 0.5], 0.1], // 4 on edge B–C, 0.1 above = ½B + ½C
  [[0.5, 0.25, 0.25], -0.5], // 5 = ¼A + ¾P (hull −0.675) → 0.175 above
  [[0.2, 0.2, 0.6], -0.5], // 6 = 0.4C + 0.6P (hull −0.54) → 0.04 above
  [[0.5, 0.3, 0.2], -0.5], // 7 = 0.3A + 0.1B + 0.6P (hull −0.54) → 0.04 above
];

function checkTernary(h: HullResult) {
  assert.deepEqual(h.vertices, [0, 1, 2, 3]);
  [0, 0, 0, 0, 0.1, 0.175, 0.04, 0.04].forEach((a, i) => assert.ok(near(h.eAboveHull[i]!, a), `e_above_hull[${i}] = ${h.eAboveHull[i]} vs ${a}`));
  assertDecomp(h, 4, { 1: 0.5, 2: 0.5 });
  assertDecomp(h, 5, { 0: 0.25, 3: 0.75 });
  assertDecomp(h, 6, { 2: 0.4, 3: 0.6 });
  assertDecomp(h, 7, { 0: 0.3, 1: 0.1, 3: 0.6 });
}

test('ternary hull: hand case', () => {
  checkTernary(lowerHull(ternary.map(([x, e]) => ({ x, e }))));
});

// Quaternary A..D at 0, P = centre at −1, Q = AB midpoint at −0.2 (negative on an edge, so a
// vertex). Hand LPs (see comments) give the hull energies.
const quaternary: Array<[number[], number]> = [
  [[1, 0, 0, 0], 0], // 0
  [[0, 1, 0, 0], 0], // 1
  [[0, 0, 1, 0], 0], // 2
  [[0, 0, 0, 1], 0], // 3
  [[0.25, 0.25, 0.25, 0.25], -1], // 4 P
  [[0.5, 0.5, 0, 0], -0.2], // 5 Q
  // 6 R: hull = min −p − 0.2q with p ≤ 0.8 (x_C, x_D) and q = 0.4 − p/2 → −0.9p − 0.08 → p = 0.8: −0.8 (0.2A + 0.8P)
  [[0.4, 0.2, 0.2, 0.2], -0.7],
  // 7 S: p ≤ 0.4, q = 0.6 − p/2 → −0.9p − 0.12 → −0.48 at p = 0.4, q = 0.4, a = 0.2
  [[0.5, 0.3, 0.1, 0.1], -0.45],
  // 8 T = ½P + ½Q exactly on the hull
  [[0.375, 0.375, 0.125, 0.125], -0.6],
];

function checkQuaternary(h: HullResult) {
  assert.deepEqual(h.vertices, [0, 1, 2, 3, 4, 5]);
  [0, 0, 0, 0, 0, 0, 0.1, 0.03, 0].forEach((a, i) => assert.ok(near(h.eAboveHull[i]!, a), `e_above_hull[${i}] = ${h.eAboveHull[i]} vs ${a}`));
  assert.equal(h.onHull[8], true);
  assertDecomp(h, 6, { 0: 0.2, 4: 0.8 });
  assertDecomp(h, 7, { 0: 0.2, 4: 0.4, 5: 0.4 });
}

test('quaternary hull: hand case', () => {
  checkQuaternary(lowerHull(quaternary.map(([x, e]) => ({ x, e }))));
});

test('the HiGHS backend gives the same hand-case answers (independent LP solver)', async () => {
  const lp: LPSolver = await highsLP();
  checkBinary(lowerHull(binPoints(), { lp }));
  checkTernary(lowerHull(ternary.map(([x, e]) => ({ x, e })), { lp }));
  checkQuaternary(lowerHull(quaternary.map(([x, e]) => ({ x, e })), { lp }));
});

/** Brute force: hull energy at x = min over all simplices of points (pairs/triples) containing x. */
function bruteHull2(pts: Array<[number, number]>, x: number): number {
  let best = Infinity;
  for (const [xa, ea] of pts) for (const [xb, eb] of pts) {
    if (xa <= x && x <= xb) best = Math.min(best, xa === xb ? Math.min(ea, eb) : ea + ((eb - ea) * (x - xa)) / (xb - xa));
  }
  return best;
}

function bruteHull3(pts: Array<[number[], number]>, x: number[]): number {
  let best = Infinity;
  const n = pts.length;
  for (let a = 0; a < n; a++) for (let b = a; b < n; b++) for (let c = b; c < n; c++) {
    // barycentric weights over (x0, x1) (x2 = 1 − x0 − x1)
    const [pa, pb, pc] = [pts[a]![0], pts[b]![0], pts[c]![0]];
    const det = (pb[0]! - pa[0]!) * (pc[1]! - pa[1]!) - (pc[0]! - pa[0]!) * (pb[1]! - pa[1]!);
    if (Math.abs(det) < 1e-12) continue;
    const wb = ((x[0]! - pa[0]!) * (pc[1]! - pa[1]!) - (pc[0]! - pa[0]!) * (x[1]! - pa[1]!)) / det;
    const wc = ((pb[0]! - pa[0]!) * (x[1]! - pa[1]!) - (x[0]! - pa[0]!) * (pb[1]! - pa[1]!)) / det;
    const wa = 1 - wb - wc;
    if (wa < -1e-12 || wb < -1e-12 || wc < -1e-12) continue;
    best = Math.min(best, wa * pts[a]![1] + wb * pts[b]![1] + wc * pts[c]![1]);
  }
  return best;
}

test('random binary and ternary sets agree with brute-force simplex enumeration', () => {
  const rng = new Rng(11);
  for (let trial = 0; trial < 5; trial++) {
    const pts: Array<[number, number]> = [[0, rng.next() * 0.1], [1, rng.next() * 0.1]];
    for (let i = 0; i < 30; i++) pts.push([Math.round(rng.next() * 24) / 24, -rng.next()]);
    const h = lowerHull(pts.map(([x, e]) => ({ x: [1 - x, x], e })));
    pts.forEach(([x, e], i) => assert.ok(near(h.eAboveHull[i]!, Math.max(0, e - bruteHull2(pts, x)), 1e-9), `binary trial ${trial} point ${i}`));
  }
  for (let trial = 0; trial < 3; trial++) {
    const pts: Array<[number[], number]> = [[[1, 0, 0], 0], [[0, 1, 0], 0], [[0, 0, 1], 0]];
    for (let i = 0; i < 16; i++) {
      const a = rng.int(9), b = rng.int(9 - a);
      pts.push([[a / 8, b / 8, 1 - a / 8 - b / 8].map((v) => Math.min(1, Math.max(0, v))), -rng.next()]);
    }
    for (const p of pts) {
      const s = p[0].reduce((u, v) => u + v, 0);
      p[0] = p[0].map((v) => v / s);
    }
    const h = lowerHull(pts.map(([x, e]) => ({ x, e })));
    pts.forEach(([x, e], i) => assert.ok(near(h.eAboveHull[i]!, Math.max(0, e - bruteHull3(pts, x)), 1e-9), `ternary trial ${trial} point ${i}: ${h.eAboveHull[i]} vs ${e - bruteHull3(pts, x)}`));
    // vertices are exactly the points strictly below every simplex of the others
    for (const v of h.vertices) {
      const others = pts.filter((_, k) => k !== v);
      assert.ok(pts[v]![1] < bruteHull3(others, pts[v]![0]) - 1e-9 || bruteHull3(others, pts[v]![0]) === Infinity);
    }
  }
});

test('twins within tolerance: the lower energy one is the ground state', () => {
  const h = lowerHull([{ x: [1, 0], e: 0 }, { x: [0.5, 0.5], e: -1 + 5e-7 }, { x: [0.5, 0.5], e: -1 }, { x: [0, 1], e: 0 }]);
  assert.deepEqual(h.vertices, [0, 2, 3]);
  assert.deepEqual(h.onHull, [true, true, true, true]);
});

test('formation energies and references', () => {
  const pts = binPoints((x) => -3 + 2 * x); // references −3 (A) and −1 (B)
  const ref = referenceEnergiesFromPoints(pts, ['A', 'B']);
  assert.ok(near(ref[0]!, -3) && near(ref[1]!, -1));
  const ef = formationEnergies(pts, ref);
  binary.forEach(([, e], i) => assert.ok(near(ef[i]!, e)));
  assert.throws(() => referenceEnergiesFromPoints([{ x: [0.5, 0.5], e: 1 }], ['A', 'B']), /no entry is pure A/);
});

test('bad hull input is rejected with typed errors', () => {
  assert.throws(() => lowerHull([]), InputError);
  assert.throws(() => lowerHull([{ x: [0.5, 0.6], e: 0 }]), /sum to/);
  assert.throws(() => lowerHull([{ x: [1, 0], e: 0 }, { x: [1], e: 0 }]), /components/);
  assert.throws(() => lowerHull([{ x: [1, 0], e: NaN, id: 'bad' }]), (e: unknown) => e instanceof InputError && e.location.entry === 'bad');
  assert.throws(() => lowerHull([{ x: [1.2, -0.2], e: 0 }]), /negative/);
});

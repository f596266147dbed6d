import { test } from 'node:test';
import assert from 'node:assert/strict';
import type { Mat3 } from '../../src/core/mat3.ts';
import { findSqs, randomCorrelations, siteConcentrations } from '../../src/generate/sqs.ts';
import { ClusterSpace } from '../../src/space/cluster-space.ts';
import { CorrelationEvaluator } from '../../src/space/correlation.ts';
import { parseCutoffs } from '../../src/space/cutoffs.ts';
import { mapStructure } from '../../src/structure/mapping.ts';
import { allSupercells, fcc, rocksaltLiVacOF } from './helpers.ts';

const space = ClusterSpace.build(fcc(['Au', 'Cu'], 4), parseCutoffs('2:6,3:5'));
const half = new Map([['Au', 0.5], ['Cu', 0.5]]);

/** Every labeling with n/2 Cu of every supercell of size n (no symmetry): the smallest score. */
function bruteForceBest(sizes: number[], score: (corr: Float64Array) => number): { best: number; corr: Float64Array } {
  let best = Infinity, bestCorr = new Float64Array(0);
  for (const n of sizes) {
    for (const sc of allSupercells(n)) {
      const ev = new CorrelationEvaluator(space, sc as Mat3);
      for (let mask = 0; mask < 1 << n; mask++) {
        let ones = 0;
        for (let i = 0; i < n; i++) ones += (mask >> i) & 1;
        if (2 * ones !== n) continue;
        const codes = Array.from({ length: n }, (_, i) => (mask >> i) & 1);
        const corr = ev.correlations(codes);
        const s = score(corr);
        if (s < best - 1e-12) { best = s; bestCorr = corr.slice(); }
      }
    }
  }
  return { best, corr: bestCorr };
}
const sumAbs = (corr: Float64Array) => corr.slice(1).reduce((a, v) => a + Math.abs(v), 0);

test('fcc binary, pairs ≤ 6 Å and triplets ≤ 5 Å at a = 4 Å: 4 pair and 7 triplet orbits', () => {
  assert.equal(space.orbits.filter((o) => o.size === 2).length, 4);
  assert.equal(space.orbits.filter((o) => o.size === 3).length, 7);
});

test('random-alloy target: hand values ⟨φ⟩ = 1 − 2x per site in the ±1 basis, products for clusters', () => {
  assert.ok(randomCorrelations(space, siteConcentrations(space, half)).slice(1).every((v) => v === 0));
  // x_Cu = 1/4; codes in pymatgen's order (Cu 1.90 before Au 2.54): φ(Cu) = −1, φ(Au) = +1 →
  // ⟨φ⟩ = −1/4 + 3/4 = 1/2; pairs 1/4, triplets 1/8
  const t = randomCorrelations(space, siteConcentrations(space, new Map([['Au', 0.75], ['Cu', 0.25]])));
  for (const o of space.orbits) assert.ok(Math.abs(t[o.firstFunction]! - 0.5 ** o.size) < 1e-12, `orbit ${o.id}`);
  // ternary at equal fractions: every sinusoid function averages to zero
  const s3 = ClusterSpace.build(fcc(['Au', 'Cu', 'Pd']), parseCutoffs('2:3'));
  const t3 = randomCorrelations(s3, siteConcentrations(s3, new Map([['Au', 1 / 3], ['Cu', 1 / 3], ['Pd', 1 / 3]])));
  assert.ok(t3.slice(1).every((v) => Math.abs(v) < 1e-12));
});

test('SQS ≤ 4 atoms at 50 %: correlations [1, 0, −1/6, 0, …], mismatch 1/6 — equal to brute force', () => {
  const r = findSqs(space, { composition: half, maxSize: 4 });
  const expected = new Float64Array(space.nCorrelations);
  expected[0] = 1;
  expected[2] = -1 / 6;
  assert.deepEqual(Array.from(r.correlations, (v) => +v.toFixed(12)), Array.from(expected, (v) => +v.toFixed(12)));
  assert.ok(Math.abs(r.mismatch - 1 / 6) < 1e-12);
  assert.equal(r.size, 4);
  assert.ok(Math.abs(bruteForceBest([2, 4], sumAbs).best - 1 / 6) < 1e-12);
});

test('SQS ≤ 8 atoms also scores 1/6 (brute force agrees); exhaustive ≤ 12 atoms reaches 1/18', () => {
  assert.ok(Math.abs(findSqs(space, { composition: half, maxSize: 8 }).mismatch - 1 / 6) < 1e-12);
  assert.ok(Math.abs(bruteForceBest([6, 8], sumAbs).best - 1 / 6) < 1e-12);
  const r12 = findSqs(space, { composition: half, maxSize: 12 });
  assert.equal(r12.method, 'exhaustive');
  assert.ok(Math.abs(r12.mismatch - 1 / 18) < 1e-12);
  assert.equal(r12.size, 12);
});

test('simulated annealing alone (no exhaustive search) finds the exhaustive optimum ≤ 8 atoms, deterministically', () => {
  const opts = { composition: half, maxSize: 8, exhaustiveLimit: 0, steps: 3000, seed: 7 };
  const a = findSqs(space, opts);
  assert.equal(a.method, 'annealing');
  assert.ok(Math.abs(a.mismatch - 1 / 6) < 1e-12);
  const b = findSqs(space, opts);
  assert.deepEqual(Array.from(a.codes), Array.from(b.codes));
  assert.deepEqual(a.hnf, b.hnf);
});

test('per-orbit weights: the optimum equals the brute-force optimum of the weighted sum', () => {
  const weights = new Map([[2, 0.25], [3, 2]]);
  const w = (corr: Float64Array) => {
    let s = 0;
    for (const o of space.orbits) s += (weights.get(o.id) ?? 1) * Math.abs(corr[o.firstFunction]!);
    return s;
  };
  const r = findSqs(space, { composition: half, maxSize: 6, weights });
  assert.ok(Math.abs(r.objective - bruteForceBest([2, 4, 6], w).best) < 1e-12);
  assert.ok(Math.abs(r.mismatch - sumAbs(r.correlations)) < 1e-12);
  assert.equal(r.perOrbit.length, space.orbits.length);
  assert.ok(Math.abs(r.perOrbit.reduce((a, o) => a + o.mismatch, 0) - r.mismatch) < 1e-12);
});

test("ATAT mode: longest perfectly matched pair distance first, equal to brute force's lexicographic best", () => {
  const pairs = space.orbits.filter((o) => o.size === 2).sort((a, b) => a.diameter - b.diameter);
  const L = (corr: Float64Array) => {
    let l = 0;
    for (const o of pairs) {
      if (Math.abs(corr[o.firstFunction]!) > 1e-9) break;
      l = o.diameter;
    }
    return l;
  };
  const r = findSqs(space, { composition: half, maxSize: 8, mode: 'atat' });
  const brute = bruteForceBest([2, 4, 6, 8], (c) => -1000 * L(c) + sumAbs(c));
  assert.ok(Math.abs(r.objective - brute.best) < 1e-9);
  assert.ok(Math.abs(r.matchedPairDiameter - L(brute.corr)) < 1e-9);
  // the sum-mode optimum (first pair −1/6) matches no pair; this one matches the nearest pair at least
  assert.ok(r.matchedPairDiameter >= pairs[0]!.diameter - 1e-9);
});

test('bad input: sums ≠ 1, species not on the lattice, composition no cell can hold, zero size', () => {
  assert.throws(() => findSqs(space, { composition: new Map([['Au', 0.5], ['Cu', 0.4]]), maxSize: 4 }), /sum to 0\.9/);
  assert.throws(() => findSqs(space, { composition: new Map([['Ag', 0.5], ['Cu', 0.5]]), maxSize: 4 }), /'Ag' is not on an active site/);
  assert.throws(() => findSqs(space, { composition: new Map([['Au', 0.3], ['Cu', 0.7]]), maxSize: 4 }), /cannot be realized exactly in a supercell of 1, 2, 3, 4 prim cells/);
  assert.throws(() => findSqs(space, { composition: half, maxSize: 0 }), /positive integer/);
  assert.throws(() => findSqs(space, { composition: half, maxSize: 1000 }), /limit of 64/);
});

/** Every labeling with equal species counts on every sublattice, every supercell of the sizes: min Σ|ρ_f| (target 0). */
function bruteForceEqual(sp: ClusterSpace, sizes: number[]): number {
  const radix = sp.spaces.sites.map((s) => s.species.length);
  let best = Infinity;
  for (const n of sizes) {
    for (const sc of allSupercells(n)) {
      const ev = new CorrelationEvaluator(sp, sc as Mat3);
      const N = n * radix.length;
      const r = Array.from({ length: N }, (_, i) => radix[Math.floor(i / n)]!);
      const total = r.reduce((a, b) => a * b, 1);
      const codes = new Array<number>(N).fill(0);
      for (let x = 0; x < total; x++) {
        let y = x;
        for (let i = N - 1; i >= 0; i--) { codes[i] = y % r[i]!; y = Math.floor(y / r[i]!); }
        let ok = true;
        for (let s = 0; s < radix.length && ok; s++) {
          const cnt = new Array<number>(radix[s]!).fill(0);
          for (let t = 0; t < n; t++) cnt[codes[s * n + t]!]!++;
          if (cnt.some((c) => c * radix[s]! !== n)) ok = false;
        }
        if (!ok) continue;
        const corr = ev.correlations(codes);
        best = Math.min(best, corr.slice(1).reduce((a, v) => a + Math.abs(v), 0));
      }
    }
  }
  return best;
}

test('ternary fcc at 1/3 each (two functions per orbit): exhaustive ≤ 6 cells = brute force; annealing reaches it', () => {
  const s3 = ClusterSpace.build(fcc(['Au', 'Cu', 'Pd']), parseCutoffs('2:4.1,3:3'));
  const c3 = new Map([['Au', 1 / 3], ['Cu', 1 / 3], ['Pd', 1 / 3]]);
  const ex = findSqs(s3, { composition: c3, maxSize: 6 });
  assert.ok(Math.abs(ex.mismatch - bruteForceEqual(s3, [3, 6])) < 1e-12);
  const sa = findSqs(s3, { composition: c3, maxSize: 6, exhaustiveLimit: 0, steps: 2000, seed: 1 });
  assert.ok(Math.abs(sa.mismatch - ex.mismatch) < 1e-12);
});

test('two sublattices with vacancies (Li+/vacancy × O2-/F- at 1/2): exhaustive ≤ 4 cells = brute force; annealing reaches it', () => {
  const srs = ClusterSpace.build(rocksaltLiVacOF(), parseCutoffs('2:5,3:4'));
  const comp = new Map([['Li+', 0.5], ['Vacancy', 0.5], ['O2-', 0.5], ['F-', 0.5]]);
  const ex = findSqs(srs, { composition: comp, maxSize: 4 });
  assert.ok(Math.abs(ex.mismatch - bruteForceEqual(srs, [2, 4])) < 1e-12);
  const sa = findSqs(srs, { composition: comp, maxSize: 4, exhaustiveLimit: 0, steps: 2000, seed: 1 });
  assert.ok(Math.abs(sa.mismatch - ex.mismatch) < 1e-12);
  // vacancies are left out of the structure: 4 cells × 2 sites − 2 vacancies
  assert.equal(ex.structure.numSites, 2 * ex.size - ex.size / 2);
});

test('one given supercell (the conventional cube, 4 atoms): best of its labelings at 50 %, superperiodic ones included', () => {
  const cube: Mat3 = [[-1, 1, 1], [1, -1, 1], [1, 1, -1]];
  const r = findSqs(space, { composition: half, supercells: [cube] });
  assert.deepEqual(r.hnf, cube);
  const ev = new CorrelationEvaluator(space, cube);
  let best = Infinity;
  for (let mask = 0; mask < 16; mask++) {
    const codes = [0, 1, 2, 3].map((i) => (mask >> i) & 1);
    if (codes.reduce((a, b) => a + b, 0) !== 2) continue;
    best = Math.min(best, sumAbs(ev.correlations(codes)));
  }
  assert.ok(Math.abs(r.mismatch - best) < 1e-12);
  // every 50 % labeling of the cube is L1_0 (a 2-atom structure): first pair −1/3, second +1
  assert.ok(Math.abs(r.correlations[2]! + 1 / 3) < 1e-12 && Math.abs(r.correlations[3]! - 1) < 1e-12);
});

test('x(Cu) = 3/4, exhaustive: the mismatch equals correlations recomputed from the returned structure (mapped back)', () => {
  const r = findSqs(space, { composition: new Map([['Au', 0.25], ['Cu', 0.75]]), maxSize: 8 });
  assert.equal(r.method, 'exhaustive');
  const m = mapStructure(space.prim, r.structure);
  const corr = new CorrelationEvaluator(space, m.scMatrix).correlations(m.occupancy.map((sp) => (sp.key === 'Au' ? 0 : 1)));
  let mismatch = 0;
  for (const o of space.orbits) mismatch += Math.abs(corr[o.firstFunction]! - 0.5 ** o.size);
  assert.ok(Math.abs(mismatch - r.mismatch) < 1e-12);
  assert.ok(r.mismatch > 0);
});

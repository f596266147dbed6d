import { test } from 'node:test';
import assert from 'node:assert/strict';
import type { Mat3, Vec3 } from '../../src/core/mat3.ts';
import { inv3, vecMul3, mulVec3 } from '../../src/core/mat3.ts';
import { Rng } from '../../src/core/rng.ts';
import { ClusterSpace } from '../../src/space/cluster-space.ts';
import { parseCutoffs } from '../../src/space/cutoffs.ts';
import { CorrelationEvaluator } from '../../src/space/correlation.ts';
import { supercellSites } from '../../src/structure/supercell.ts';
import { FCC_CUBE, cartOf, fccBinary, lmoPrim, oxyfluoridePrim } from './helpers.ts';

const close = (a: ArrayLike<number>, b: ArrayLike<number>, tol = 1e-12) => {
  assert.equal(a.length, b.length);
  for (let i = 0; i < a.length; i++) assert.ok(Math.abs(a[i]! - b[i]!) <= tol, `index ${i}: ${a[i]} vs ${b[i]}`);
};

function randomCodes(cs: ClusterSpace, ev: CorrelationEvaluator, rng: Rng): Int32Array {
  return Int32Array.from(ev.primSiteOf, (p) => rng.int(cs.spaces.sites[p]!.species.length));
}

test('binary fcc L1₂ and L1₀ against hand-derived correlations', () => {
  // Spin basis (sinusoid, M = 2): A (code 0) = −1, B (code 1) = +1. Orbits: point, NN pair,
  // 2NN pair (a), NN triangle, NN tetrahedron.
  //  L1₂ (A3B, B on cube corners): point = (3·(−1) + 1)/4 = −½. NN bonds per cell: 24, of which
  //   the 12 around the B corner are A–B (−1) and 12 are A–A (+1) → 0. 2NN: corners see corners,
  //   faces see equivalent faces → +1. Triangles: 32 per cell; 24 contain the B site (B·A·A = +1),
  //   8 are A–A–A (−1) → (24 − 8)/32 = ½. Every NN tetrahedron has 1 corner + 3 faces → −1.
  //  L1₀ (alternating (001) planes): point 0; NN: 4 in-plane (+1), 8 out-of-plane (−1) → −⅓;
  //   2NN: same plane or two planes apart → +1; odd functions vanish (spin flip + translation
  //   is a symmetry) → triangle 0; each tetrahedron has 2 A + 2 B → +1.
  const prim = fccBinary(4);
  const cs = ClusterSpace.build(prim, parseCutoffs('2:4.1,3:3,4:3'));
  assert.deepEqual(cs.orbitTable().map((o) => [o.size, +o.diameter.toFixed(4)]), [[1, 0], [2, 2.8284], [2, 4], [3, 2.8284], [4, 2.8284]]);
  const ev = new CorrelationEvaluator(cs, FCC_CUBE);
  const sites = supercellSites(prim, FCC_CUBE);
  const half = (x: number) => ((Math.round(x / 2) % 2) + 2) % 2; // coordinate in units of a/2, mod 2
  const l12 = sites.map((s) => (cartOf(prim, s.primSite, s.offset).every((x) => half(x) === 0) ? 1 : 0));
  const l10 = sites.map((s) => half(cartOf(prim, s.primSite, s.offset)[2]));
  close(ev.correlations(l12), [1, -0.5, 0, 1, 0.5, -1]);
  close(ev.correlations(l10), [1, 0, -1 / 3, 1, 0, 1]);
  // pure A: every spin −1 → (−1)^k
  close(ev.correlations([0, 0, 0, 0]), [1, -1, 1, 1, -1, 1]);
});

test('seed 001 worked example: LiF octahedral–tetrahedral pair correlations', () => {
  // Rocksalt with octahedral (Li+, Mn2+, Mn3+, Mn4+, Va), two tetrahedral (Li+, Mn2+, Va) and an
  // anion (O2-, F-) site. LiF: oct Li (σ=0), tets vacant (σ=2), anion F (σ=1). The paper's
  // values for decorations (1,1),(2,1),(3,1),(4,1),(1,2),(2,2),(3,2),(4,2) (oct index first):
  const expected = [-0.5, 0, -0.5, 0, -0.866, 0, -0.866, 0];
  const prim = oxyfluoridePrim();
  const cs = ClusterSpace.build(prim, parseCutoffs('2:1.9'));
  const pair = cs.orbits.find((o) => o.size === 2 && o.base[0] === 0 && o.base[4] === 1)!;
  assert.equal(pair.functions.length, 8);
  const ev = new CorrelationEvaluator(cs, [[1, 0, 0], [0, 1, 0], [0, 0, 1]]);
  const corr = ev.correlations([0, 2, 2, 1]);
  const byDecoration = new Map(pair.functions.map((g, f) => [g[0]!.join(), corr[pair.firstFunction + f]!]));
  const paperOrder = [[1, 1], [2, 1], [3, 1], [4, 1], [1, 2], [2, 2], [3, 2], [4, 2]].map((t) => byDecoration.get(t.join())!);
  close(paperOrder, expected, 5e-4);
});

test('same configuration in two different supercells, and under row-permuted supercell matrices (smol issue 261)', () => {
  const prim = lmoPrim();
  const cs = ClusterSpace.build(prim, parseCutoffs('2:6,3:4'));
  const rng = new Rng(3);
  const S1: Mat3 = [[1, 0, 0], [0, 1, 0], [1, 1, 2]];
  const ev1 = new CorrelationEvaluator(cs, S1);
  const c1 = randomCodes(cs, ev1, rng);
  const sites1 = supercellSites(prim, S1);
  // occupancy as a function of (prim site, lattice vector mod S1), by fractional reduction
  const inv1 = inv3(S1);
  const key = (p: number, n: Vec3) => {
    const f = vecMul3(n, inv1).map((v) => v - Math.floor(v + 1e-9));
    return `${p}:${f.map((v) => v.toFixed(6)).join(',')}`;
  };
  const occ = new Map(sites1.map((s, i) => [key(s.primSite, s.offset), c1[i]!]));
  const codesFor = (S: Mat3) => Int32Array.from(supercellSites(prim, S), (s) => occ.get(key(s.primSite, s.offset))!);
  const ref = ev1.correlations(c1);
  for (const S of [
    [[2, 0, 0], [1, 1, 0], [1, 1, 2]], // P·S1 with P = [[2,0,0],[1,1,0],[0,0,1]]
    [[1, 1, 2], [1, 0, 0], [0, 1, 0]], // S1 with rows permuted
    [[0, 1, 0], [1, 0, 0], [1, 1, 2]],
    [[3, 0, 0], [0, 2, 0], [2, 3, 4]], // another sublattice of S1 (every row has even z)
  ] as Mat3[]) {
    const ev = new CorrelationEvaluator(cs, S);
    close(ev.correlations(codesFor(S)), ref, 1e-12);
  }
});

test('symmetry-equivalent configurations give the same vector', () => {
  const prim = lmoPrim();
  const cs = ClusterSpace.build(prim, parseCutoffs('2:6,3:4,4:3'));
  const S: Mat3 = [[2, 0, 0], [0, 2, 0], [0, 0, 2]]; // invariant under every lattice rotation
  const ev = new CorrelationEvaluator(cs, S);
  const sites = supercellSites(prim, S);
  const inv = inv3(S);
  const pos = sites.map((s) => prim.sites[s.primSite]!.frac.map((v, k) => v + s.offset[k]!) as Vec3);
  const same = (a: Vec3, b: Vec3) => vecMul3([a[0] - b[0], a[1] - b[1], a[2] - b[2]], inv).every((v) => Math.abs(v - Math.round(v)) < 1e-6);
  const rng = new Rng(11);
  const codes = randomCodes(cs, ev, rng);
  const ref = ev.correlations(codes);
  const ops = cs.symmetry.operations;
  for (const g of [1, 5, 17, 30, 47].map((i) => ops[i % ops.length]!)) {
    const moved = new Int32Array(codes.length);
    pos.forEach((x, i) => {
      const y = mulVec3(g.rotation, x).map((v, k) => v + g.translation[k]!) as Vec3;
      const j = pos.findIndex((z) => same(y, z));
      assert.ok(j >= 0);
      moved[j] = codes[i]!;
    });
    close(ev.correlations(moved), ref, 1e-12);
  }
  // a lattice translation too
  const shifted = new Int32Array(codes.length);
  pos.forEach((x, i) => (shifted[pos.findIndex((z) => same([x[0] + 1, x[1], x[2]], z))] = codes[i]!));
  close(ev.correlations(shifted), ref, 1e-12);
});

test('local flip and swap updates equal full recomputation', () => {
  const prim = lmoPrim();
  const cs = ClusterSpace.build(prim, parseCutoffs('2:6,3:4,4:3'), { basis: 'chebyshev', orthonormal: true });
  const rng = new Rng(5);
  for (const S of [[[2, 0, 0], [0, 2, 0], [0, 0, 2]], [[1, 1, 0], [0, 2, 1], [3, 0, 1]]] as Mat3[]) {
    const ev = new CorrelationEvaluator(cs, S);
    const codes = randomCodes(cs, ev, rng);
    const active = Array.from(ev.primSiteOf.keys()).filter((i) => cs.spaces.sites[ev.primSiteOf[i]!]!.active);
    for (let trial = 0; trial < 40; trial++) {
      const before = ev.correlations(codes).slice();
      let changes: [number, number][];
      if (trial % 2 === 0) {
        const i = active[rng.int(active.length)]!;
        changes = [[i, rng.int(cs.spaces.sites[ev.primSiteOf[i]!]!.species.length)]];
      } else {
        const sub = active.filter((i) => ev.primSiteOf[i] === ev.primSiteOf[active[0]!]);
        const i = sub[rng.int(sub.length)]!, j = sub[rng.int(sub.length)]!;
        changes = [[i, codes[j]!], [j, codes[i]!]];
      }
      const d = ev.delta(codes, changes).slice();
      for (const [s, c] of changes) codes[s] = c;
      const after = ev.correlations(codes);
      close(d, after.map((v, k) => v - before[k]!), 1e-12);
    }
  }
});

test('indicator-basis correlations are cluster probabilities counted by brute force over geometry', () => {
  // With φ_j(σ) = δ(σ, j−1), a point correlation is a species fraction and a cluster
  // correlation the probability of a species pattern on that cluster type, averaged over
  // its symmetric decorations. Count them from Cartesian geometry alone (no orbits, no symmetry).
  const prim = lmoPrim();
  const cs = ClusterSpace.build(prim, parseCutoffs('2:3,3:3'), { basis: 'indicator' });
  // 4×4×4: with only 3 repeats, a line of 3 nearest neighbours would close into a fake triangle
  const S: Mat3 = [[4, 0, 0], [0, 4, 0], [0, 0, 4]];
  const ev = new CorrelationEvaluator(cs, S);
  const codes = randomCodes(cs, ev, new Rng(23));
  const corr = ev.correlations(codes);
  const sites = supercellSites(prim, S);
  const lat = prim.lattice.supercell(S);
  const cart = sites.map((s) => cartOf(prim, s.primSite, s.offset));
  const memo = new Map<number, number>();
  const dist = (i: number, j: number) => {
    const key = i * sites.length + j;
    const m = memo.get(key);
    if (m !== undefined) return m;
    let best = Infinity;
    for (let a = -1; a <= 1; a++) for (let b = -1; b <= 1; b++) for (let c = -1; c <= 1; c++) {
      const t = lat.fracToCart([a, b, c]);
      best = Math.min(best, Math.hypot(cart[j]![0] + t[0] - cart[i]![0], cart[j]![1] + t[1] - cart[i]![1], cart[j]![2] + t[2] - cart[i]![2]));
    }
    memo.set(key, best);
    return best;
  };
  const oct = sites.map((s, i) => (s.primSite === 2 ? i : -1)).filter((i) => i >= 0);
  const tet = sites.map((s, i) => (s.primSite < 2 ? i : -1)).filter((i) => i >= 0);
  const near = (i: number, j: number, d: number) => Math.abs(dist(i, j) - d) < 1e-4;
  const fnValue = (orbitPred: (o: (typeof cs.orbits)[number]) => boolean, tuple: number[]) => {
    const o = cs.orbits.find(orbitPred)!;
    const f = o.functions.findIndex((g) => g.some((t) => t.join() === tuple.join()));
    return corr[o.firstFunction + f]!;
  };
  // points: fraction of octahedral sites holding species j−1
  for (let j = 1; j <= 4; j++) {
    const frac = oct.filter((i) => codes[i] === j - 1).length / oct.length;
    assert.ok(Math.abs(fnValue((o) => o.size === 1 && o.base[0] === 2, [j]) - frac) < 1e-12);
  }
  for (let j = 1; j <= 2; j++) {
    const frac = tet.filter((i) => codes[i] === j - 1).length / tet.length;
    assert.ok(Math.abs(fnValue((o) => o.size === 1 && o.base[0] !== 2, [j]) - frac) < 1e-12);
  }
  // NN oct–oct pairs (2.97 Å, symmetric under exchange): P(a, b) symmetrized over ordered pairs
  const nnOct: [number, number][] = [];
  for (const i of oct) for (const j of oct) if (i !== j && near(i, j, 2.96985)) nnOct.push([i, j]);
  assert.equal(nnOct.length, oct.length * 12);
  for (const [a, b] of [[1, 1], [1, 3], [2, 4], [4, 4]]) {
    const p = nnOct.filter(([i, j]) => codes[i] === a - 1 && codes[j] === b - 1).length / nnOct.length;
    const q = nnOct.filter(([i, j]) => codes[i] === b - 1 && codes[j] === a - 1).length / nnOct.length;
    const value = fnValue((o) => o.size === 2 && o.base[0] === 2 && o.base[4] === 2 && Math.abs(o.diameter - 2.96985) < 1e-4, [a, b]);
    assert.ok(Math.abs(value - (p + q) / 2) < 1e-12, `oct pair ${a},${b}`);
  }
  // NN tet–oct pairs (1.82 Å, two different sublattices): P(tet = a, oct = b) over tet–oct bonds
  const nnTO: [number, number][] = [];
  for (const i of tet) for (const j of oct) if (near(i, j, 1.81865)) nnTO.push([i, j]);
  assert.equal(nnTO.length, tet.length * 4);
  for (const [a, b] of [[1, 1], [2, 3], [1, 4]]) {
    const p = nnTO.filter(([i, j]) => codes[i] === a - 1 && codes[j] === b - 1).length / nnTO.length;
    const o = cs.orbits.find((x) => x.size === 2 && Math.abs(x.diameter - 1.81865) < 1e-4)!;
    const tuple = o.base[0] === 2 ? [b, a] : [a, b];
    assert.ok(Math.abs(fnValue((x) => x === o, tuple) - p) < 1e-12, `tet-oct ${a},${b}`);
  }
  // NN oct triangles: every permutation of the triangle is a symmetry (equilateral, in fcc),
  // so the correlation of pattern (a,b,c) is its probability over ordered triangles, symmetrized
  const tri: [number, number, number][] = [];
  for (const [i, j] of nnOct) for (const k of oct) if (k !== i && k !== j && near(i, k, 2.96985) && near(j, k, 2.96985)) tri.push([i, j, k]);
  assert.equal(tri.length, oct.length * 8 * 6); // fcc: 8 NN triangles per site, 3! orderings each
  const triOrbit = cs.orbits.find((o) => o.size === 3 && [0, 4, 8].every((q) => o.base[q] === 2))!;
  assert.equal(triOrbit.permutations.length, 6);
  for (const t of [[1, 1, 1], [1, 2, 3], [2, 2, 4]]) {
    const perms = [[0, 1, 2], [0, 2, 1], [1, 0, 2], [1, 2, 0], [2, 0, 1], [2, 1, 0]];
    let s = 0;
    for (const p of perms) s += tri.filter((x) => x.every((site, q) => codes[site] === t[p[q]!]! - 1)).length;
    const value = fnValue((o) => o === triOrbit, t);
    assert.ok(Math.abs(value - s / perms.length / tri.length) < 1e-12, `triangle ${t}`);
  }
});

test('occupancies of the wrong length or with out-of-range codes are rejected, not evaluated', () => {
  const cs = ClusterSpace.build(fccBinary(4), parseCutoffs('2:3'));
  const ev = new CorrelationEvaluator(cs, FCC_CUBE);
  assert.throws(() => ev.correlations([0, 1, 0]), /3 sites/);
  assert.throws(() => ev.correlations([0, 1, 2, 0]), /outside 0\.\.1/);
  assert.throws(() => ev.delta(new Int32Array(4), [[1, 5]]), /outside 0\.\.1/);
  assert.throws(() => ev.delta(new Int32Array(4), [[9, 0]]), /outside the supercell/);
});

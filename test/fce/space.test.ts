/**
 * Force-constant cluster space counts against (a) the hand derivation for fcc nearest
 * neighbours and (b) an independent brute force: the full translation-reduced force-constant
 * vector (every ordered tuple with its first atom in the home cell, 3^k numbers each) is
 * averaged over the space group × index permutations applied to random vectors; the rank of
 * the results is the number of independent parameters; the acoustic sum rule is then imposed
 * as explicit row sums on that subspace. Nothing here uses the orbit code under test.
 */
import { strict as assert } from 'node:assert';
import { test } from 'node:test';
import { svd } from '../../src/core/linalg.ts';
import { type Mat3, type Vec3, inv3, mul3, transpose3 } from '../../src/core/mat3.ts';
import { Mat } from '../../src/core/matrix.ts';
import { Rng } from '../../src/core/rng.ts';
import { FcClusterSpace } from '../../src/fce/cluster-space.ts';
import type { Structure } from '../../src/structure/structure.ts';
import { analyzeSymmetry } from '../../src/symmetry/symmetry.ts';
import { diamondPrim, fccPrim } from './helpers.ts';

test('fcc nearest neighbours: 4 parameters (1 on-site; xx = yy, zz, xy for the [110] bond), 3 after the sum rule', () => {
  const a = 3.61;
  const cs = FcClusterSpace.build(fccPrim(a), new Map([[2, 0.75 * a]]));
  assert.equal(cs.orbits.length, 2);
  const [onsite, pair] = cs.orbits;
  assert.equal(onsite!.nParams, 1);
  // on-site: cubic site symmetry leaves only an isotropic tensor c·I
  assert.deepEqual(Array.from(onsite!.basis.data), [1, 0, 0, 0, 1, 0, 0, 0, 1]);
  assert.equal(pair!.nParams, 3);
  assert.equal(pair!.members.length, 6, '12 neighbours / 2 per pair');
  // the representative bond is along a3 = (a/2)(1, 1, 0): [110]
  const rep = pair!.representative;
  const bond = cs.cart(rep[1]!).map((x, i) => x - cs.cart(rep[0]!)[i]!);
  assert.deepEqual(bond.map((x) => +(x / (a / 2)).toFixed(9)), [1, 1, 0]);
  // hand derivation for a bond along [110] with the mirror z → −z, the mirror x ↔ y and
  // inversion + pair exchange: Φ = [[A, C, 0], [C, A, 0], [0, 0, B]]
  const cols = [0, 1, 2].map((j) => Array.from({ length: 9 }, (_, i) => pair!.basis.data[i * 3 + j]!));
  const pattern = (c: number[]) => c.map((v) => (Math.abs(v) < 1e-12 ? '0' : v.toFixed(6))).join(' ');
  const patterns = cols.map(pattern).sort();
  assert.deepEqual(patterns, [
    '0 0 0 0 0 0 0 0 1.000000', // zz
    '0 1.000000 0 1.000000 0 0 0 0 0', // xy = yx
    '1.000000 0 0 0 1.000000 0 0 0 0', // xx = yy
  ].sort());
  assert.equal(cs.nParams, 4);
  assert.equal(cs.nFree, 3, 'Σ_j Φ_ij = 0 fixes the on-site constant');
});

/** Brute force, independent of src/fce: counts per order before and after the sum rule. */
function bruteForceCounts(prim: Structure, order: number, cut: number, seed: number): { before: number; after: number } {
  const M = prim.lattice.matrix;
  const cart = (s: number, n: Vec3): Vec3 => {
    const f = prim.sites[s]!.frac;
    const x = [f[0] + n[0], f[1] + n[1], f[2] + n[2]];
    return [0, 1, 2].map((c) => x[0]! * M[0][c]! + x[1]! * M[1][c]! + x[2]! * M[2][c]!) as Vec3;
  };
  // atoms near the home cell, brute-force box
  const R = 4;
  const atoms: Array<{ s: number; n: Vec3; x: Vec3 }> = [];
  for (let s = 0; s < prim.numSites; s++) for (let i = -R; i <= R; i++) for (let j = -R; j <= R; j++) for (let k = -R; k <= R; k++) atoms.push({ s, n: [i, j, k], x: cart(s, [i, j, k]) });
  const dist = (p: Vec3, q: Vec3) => Math.hypot(p[0] - q[0], p[1] - q[1], p[2] - q[2]);
  const key = (t: Array<[number, Vec3]>) => t.map(([s, n]) => `${s}:${n.join(',')}`).join('|');
  // ordered tuples with first atom in the home cell and all pairwise distances ≤ cut
  const tuples: Array<Array<[number, Vec3]>> = [];
  const grow = (t: Array<{ s: number; n: Vec3; x: Vec3 }>) => {
    if (t.length === order) return void tuples.push(t.map((a) => [a.s, a.n]));
    for (const a of atoms) if (t.every((b) => dist(a.x, b.x) <= cut + 1e-6)) grow([...t, a]);
  };
  for (let s = 0; s < prim.numSites; s++) grow([{ s, n: [0, 0, 0], x: cart(s, [0, 0, 0]) }]);
  const index = new Map(tuples.map((t, i) => [key(t), i]));
  const size = 3 ** order, D = tuples.length * size;
  const home = (t: Array<[number, Vec3]>) => { const f = t[0]![1]; return t.map(([s, n]) => [s, [n[0] - f[0], n[1] - f[1], n[2] - f[2]]] as [number, Vec3]); };
  // group action on tuples, from moyo's operations (fractional) converted to Cartesian
  const sym = analyzeSymmetry(prim);
  const ops = sym.operations.map((op) => {
    const rc: Mat3 = mul3(mul3(transpose3(M), op.rotation), inv3(transpose3(M)));
    const perm = tuples.map((t) => {
      const img = t.map(([s, n]) => {
        const f = prim.sites[s]!.frac.map((v, i) => v + n[i]!);
        const g = [0, 1, 2].map((i) => op.rotation[i]![0]! * f[0]! + op.rotation[i]![1]! * f[1]! + op.rotation[i]![2]! * f[2]! + op.translation[i]!);
        const q = prim.sites.findIndex((site) => site.frac.every((v, i) => Math.abs(g[i]! - v - Math.round(g[i]! - v)) < 1e-5));
        return [q, g.map((v, i) => Math.round(v - prim.sites[q]!.frac[i]!))] as [number, Vec3];
      });
      const j = index.get(key(home(img)));
      assert.ok(j !== undefined, 'tuple set must be closed under the group');
      return j;
    });
    return { rc, perm };
  });
  const slotPerms: number[][] = order === 2 ? [[0, 1], [1, 0]] : [[0, 1, 2], [0, 2, 1], [1, 0, 2], [1, 2, 0], [2, 0, 1], [2, 1, 0]];
  const slotMaps = slotPerms.map((p) => tuples.map((t) => index.get(key(home(p.map((i) => t[i]!))))!));
  const digitTab = Array.from({ length: size }, (_, e) => Array.from({ length: order }, (_, j) => Math.floor(e / 3 ** (order - 1 - j)) % 3));
  // R⊗…⊗R once per operation
  const krons = ops.map((op) => {
    const K = new Float64Array(size * size);
    for (let d = 0; d < size; d++) for (let a = 0; a < size; a++) {
      let w = 1;
      for (let j = 0; j < order; j++) w *= op.rc[digitTab[d]![j]!]![digitTab[a]![j]!]!;
      K[d * size + a] = w;
    }
    return K;
  });
  const slotIndex = slotPerms.map((p) => Int32Array.from({ length: size }, (_, e) => p.reduce((f, pj) => f * 3 + digitTab[e]![pj]!, 0)));
  const symmetrize = (x: Float64Array): Float64Array => {
    const y = new Float64Array(D);
    ops.forEach((op, oi) => {
      const K = krons[oi]!;
      for (let t = 0; t < tuples.length; t++) {
        const xo = t * size, yo = op.perm[t]! * size;
        for (let d = 0; d < size; d++) {
          let v = 0;
          for (let a = 0; a < size; a++) v += K[d * size + a]! * x[xo + a]!;
          y[yo + d] += v;
        }
      }
    });
    const z = new Float64Array(D);
    slotPerms.forEach((_, pi) => {
      const si = slotIndex[pi]!;
      for (let t = 0; t < tuples.length; t++) {
        const zo = slotMaps[pi]![t]! * size, yo = t * size;
        for (let e = 0; e < size; e++) z[zo + si[e]!] += y[yo + e]!;
      }
    });
    const w = 1 / (ops.length * slotPerms.length);
    return z.map((v) => v * w);
  };
  const rng = new Rng(seed);
  const nVec = 48;
  const Y = new Mat(D, nVec);
  for (let c = 0; c < nVec; c++) {
    const y = symmetrize(Float64Array.from({ length: D }, () => rng.normal()));
    for (let i = 0; i < D; i++) Y.data[i * nVec + c] = y[i]!;
  }
  const { U, s } = svd(Y);
  const before = Array.from(s).filter((v) => v > 1e-8 * s[0]!).length;
  assert.ok(before < nVec - 5, 'enough random vectors to span the invariant subspace');
  // sum rule: Σ over the last atom of Φ for every prefix, on the invariant subspace
  const prefixes = new Map<string, number[]>();
  tuples.forEach((t, i) => {
    const k = key(t.slice(0, order - 1));
    if (!prefixes.has(k)) prefixes.set(k, []);
    prefixes.get(k)!.push(i);
  });
  const C = new Mat(prefixes.size * size, before);
  let r = 0;
  for (const list of prefixes.values()) {
    for (let e = 0; e < size; e++, r++) for (const t of list) for (let c = 0; c < before; c++) C.data[r * before + c] += U.data[(t * size + e) * U.cols + c]!;
  }
  const sc = svd(C).s;
  const rankC = Array.from(sc).filter((v) => v > 1e-8 * Math.max(1, sc[0]!)).length;
  return { before, after: before - rankC };
}

function spaceCounts(prim: Structure, cut2: number, cut3: number) {
  const cs = FcClusterSpace.build(prim, new Map([[2, cut2], [3, cut3]]));
  const free = (k: number) => {
    // columns of the block-diagonal sum-rule map that act on order k
    const rows = cs.orbits.filter((o) => o.order === k).flatMap((o) => Array.from({ length: o.nParams }, (_, j) => o.paramOffset + j));
    let n = 0;
    for (let c = 0; c < cs.nFree; c++) if (rows.some((r) => cs.sumRuleMap.data[r * cs.nFree + c] !== 0)) n++;
    return n;
  };
  const params = (k: number) => cs.orbits.filter((o) => o.order === k).reduce((s, o) => s + o.nParams, 0);
  return { p2: params(2), p3: params(3), f2: free(2), f3: free(3) };
}

for (const [name, prim, cuts] of [
  ['fcc', fccPrim(3.61), [[3.0, 3.0], [4.5, 3.7]]],
  ['diamond Si', diamondPrim(5.43), [[2.5, 2.5], [4.0, 3.9]]],
] as const) {
  for (const [c2, c3] of cuts) {
    test(`${name} cutoffs 2:${c2},3:${c3}: parameter counts equal brute-force symmetrisation`, () => {
      const got = spaceCounts(prim, c2, c3);
      const b2 = bruteForceCounts(prim, 2, c2, 1);
      const b3 = bruteForceCounts(prim, 3, c3, 2);
      assert.deepEqual(got, { p2: b2.before, p3: b3.before, f2: b2.after, f3: b3.after });
    });
  }
}

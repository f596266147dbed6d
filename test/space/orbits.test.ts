import { test } from 'node:test';
import assert from 'node:assert/strict';
import { ClusterSpace } from '../../src/space/cluster-space.ts';
import { parseCutoffs } from '../../src/space/cutoffs.ts';
import { InputError, OptionError } from '../../src/core/errors.ts';
import { Lattice } from '../../src/structure/lattice.ts';
import { Species } from '../../src/structure/species.ts';
import { Structure } from '../../src/structure/structure.ts';
import { cartOf, fccBinary, lmoPrim, oxyfluoridePrim } from './helpers.ts';

/**
 * Brute force, independent of symmetry: number of k-site clusters per prim cell with all
 * pairwise distances ≤ cut, counted as (clusters containing a home-cell site) / k.
 */
function bruteForceCount(prim: Structure, active: number[], k: number, cut: number): number {
  const tol = 1e-5;
  const pts: { c: [number, number, number]; home: boolean; key: string }[] = [];
  const R = 3;
  for (const s of active) for (let x = -R; x <= R; x++) for (let y = -R; y <= R; y++) for (let z = -R; z <= R; z++) {
    pts.push({ c: cartOf(prim, s, [x, y, z]), home: x === 0 && y === 0 && z === 0, key: `${s},${x},${y},${z}` });
  }
  const d = (a: number, b: number) => Math.hypot(pts[a]!.c[0] - pts[b]!.c[0], pts[a]!.c[1] - pts[b]!.c[1], pts[a]!.c[2] - pts[b]!.c[2]);
  let total = 0;
  const homes = pts.map((p, i) => (p.home ? i : -1)).filter((i) => i >= 0);
  for (const h of homes) {
    const near = pts.map((_, i) => i).filter((i) => i !== h && d(h, i) <= cut + tol);
    // clusters containing h: choose k−1 mutually close points among `near`
    const rec = (start: number, chosen: number[]): void => {
      if (chosen.length === k - 1) {
        total++;
        return;
      }
      for (let i = start; i < near.length; i++) {
        const q = near[i]!;
        if (chosen.every((c) => d(c, q) <= cut + tol)) rec(i + 1, [...chosen, q]);
      }
    };
    rec(0, []);
  }
  return total / k;
}

test('lmo_drx, cutoffs 2:6,3:4,4:2, sinusoid: 40 orbits and 386 functions (smol\'s published numbers), 387 with Ewald', () => {
  const prim = lmoPrim();
  const cs = ClusterSpace.build(prim, parseCutoffs('2:6,3:4,4:2'), { basis: 'sinusoid' });
  assert.equal(cs.nOrbits, 40);
  assert.equal(cs.nCorrelations, 386);
  const withEwald = ClusterSpace.build(prim, parseCutoffs('2:6,3:4,4:2'), { basis: 'sinusoid', ewald: true });
  assert.equal(withEwald.nFeatures, 387);
  assert.equal(withEwald.featureNames.length, 387);
  assert.equal(withEwald.groups.length, 387);
  // multiplicities per prim cell agree with a symmetry-free brute-force count of clusters
  const active = [0, 1, 2];
  const mult = (k: number) => cs.orbits.filter((o) => o.size === k).reduce((a, o) => a + o.multiplicity, 0);
  assert.equal(mult(1), 3);
  assert.equal(mult(2), bruteForceCount(prim, active, 2, 6));
  assert.equal(mult(3), bruteForceCount(prim, active, 3, 4));
  assert.equal(mult(4), 0); // no 4 cation sites are mutually within 2 Å (tet–tet is 2.1 Å)
  // the other bases give the same number of functions
  for (const basis of ['indicator', 'chebyshev', 'polynomial', 'legendre']) {
    assert.equal(ClusterSpace.build(prim, parseCutoffs('2:6,3:4,4:2'), { basis, orthonormal: true }).nCorrelations, 386);
  }
});

test('seed 001 PDS space: pairs 7, triplets 5, quadruplets 4, quintuplets 3 Å → 4587 correlation functions (published)', () => {
  // Seed 001 ("Results: high-component CE in oxides"): rocksalt-derived lattice with an
  // octahedral site (Li+, Mn2+, Mn3+, Mn4+, Va), two tetrahedral sites (Li+, Mn2+, Va) and an
  // anion site (O2-, F-); oct–tet 1.82 Å, oct–anion 2.1 Å (the lmo_drx lattice). "The
  // correlation vector for a given structure has length 4587" (constant included; 4588 with Ewald).
  const prim = oxyfluoridePrim();
  const cs = ClusterSpace.build(prim, parseCutoffs('2:7,3:5,4:4,5:3'), { ewald: true });
  assert.equal(cs.nCorrelations, 4587);
  assert.equal(cs.nFeatures, 4588);
  assert.ok(cs.orbits.some((o) => o.size === 5));
});

test('smol issue 104: clusters of diameter just below (or at) the cutoff are all found', () => {
  // fcc with nearest-neighbour distance 2.97 Å and 3 Å cutoffs: the NN tetrahedron (2.97 Å)
  // must be there; fcc has 6 NN pairs, 8 NN triangles and 2 NN tetrahedra per site (hand count).
  const a = 2.97 * Math.SQRT2;
  const cs = ClusterSpace.build(fccBinary(a), parseCutoffs('2:3,3:3,4:3'));
  assert.deepEqual(cs.orbitTable().map((o) => [o.size, o.multiplicity]), [[1, 1], [2, 6], [3, 8], [4, 2]]);
  // cutoff equal to the NN distance itself
  const nn = cartOf(fccBinary(a), 0, [1, 0, 0]);
  const exact = Math.hypot(...nn);
  const cs2 = ClusterSpace.build(fccBinary(a), parseCutoffs(`2:${exact},3:${exact},4:${exact}`));
  assert.deepEqual(cs2.orbitTable().map((o) => o.size), [1, 2, 3, 4]);
  // on lmo_drx at 3 Å every size agrees with brute force, including quadruplets at 2.97 Å
  const prim = lmoPrim();
  const cs3 = ClusterSpace.build(prim, parseCutoffs('2:3,3:3,4:3'));
  for (const k of [2, 3, 4]) {
    const m = cs3.orbits.filter((o) => o.size === k).reduce((s, o) => s + o.multiplicity, 0);
    assert.equal(m, bruteForceCount(prim, [0, 1, 2], k, 3), `size ${k}`);
  }
  assert.ok(cs3.orbits.some((o) => o.size === 4 && Math.abs(o.diameter - 2.96985) < 1e-4));
});

test('5-body clusters enumerate and agree with brute force', () => {
  const a = 4;
  const cs = ClusterSpace.build(fccBinary(a), parseCutoffs('2:4.1,3:4.1,4:4.1,5:4.1'));
  for (const k of [2, 3, 4, 5]) {
    const m = cs.orbits.filter((o) => o.size === k).reduce((s, o) => s + o.multiplicity, 0);
    assert.equal(m, bruteForceCount(fccBinary(a), [0], k, 4.1), `size ${k}`);
  }
});

test('hierarchy: parents are the sub-clusters\' functions with the same site functions (smol issue 140)', () => {
  const cs = ClusterSpace.build(lmoPrim(), parseCutoffs('2:6,3:4,4:2'));
  const parents = new Map<number, number[]>();
  for (const [c, p] of cs.hierarchy) parents.set(c, [...(parents.get(c) ?? []), p]);
  // prim site 2 is the quinary octahedral site (4 functions); its point orbit:
  const octPoint = cs.orbits.find((o) => o.size === 1 && o.base[0] === 2)!;
  const tetPoint = cs.orbits.find((o) => o.size === 1 && o.base[0] === 0)!;
  const fnOf = (orbitId: number, tuple: number[]) => {
    const o = cs.orbits[orbitId - 1]!;
    const f = o.functions.findIndex((g) => g.some((t) => t.join() === tuple.join()));
    assert.ok(f >= 0, `decoration ${tuple} in orbit ${orbitId}`);
    return o.firstFunction + f;
  };
  // NN oct–oct pair (2.97 Å): (1,3) ≡ (3,1) has parents oct φ1 and oct φ3; (2,2) only oct φ2
  const ooPair = cs.orbits.find((o) => o.size === 2 && o.base[0] === 2 && o.base[4] === 2 && Math.abs(o.diameter - 2.96985) < 1e-4)!;
  assert.deepEqual(parents.get(fnOf(ooPair.id, [1, 3])), [fnOf(octPoint.id, [1]), fnOf(octPoint.id, [3])]);
  assert.deepEqual(parents.get(fnOf(ooPair.id, [2, 2])), [fnOf(octPoint.id, [2])]);
  // NN tet–oct pair (1.82 Å): tet φ2 × oct φ4 → parents tet φ2 and oct φ4
  const toPair = cs.orbits.find((o) => o.size === 2 && Math.abs(o.diameter - 1.8187) < 1e-3)!;
  const tup = toPair.base[0] === 2 ? [4, 2] : [2, 4];
  assert.deepEqual(parents.get(fnOf(toPair.id, tup))!.sort((a, b) => a - b), [fnOf(tetPoint.id, [2]), fnOf(octPoint.id, [4])].sort((a, b) => a - b));
  // every triplet function has parents that are pair functions whose site functions are a
  // sub-multiset of its own, and every function of size ≥ 2 has at least one parent
  const multiset = (t: number[]) => [...t].sort().join();
  for (const o of cs.orbits) {
    o.functions.forEach((group, f) => {
      const id = o.firstFunction + f;
      if (o.size < 2) {
        assert.equal(parents.get(id), undefined);
        return;
      }
      const ps = parents.get(id) ?? [];
      assert.ok(ps.length >= 1);
      for (const p of ps) {
        const po = cs.orbits[cs.functionOrbit[p]! - 1]!;
        assert.equal(po.size, o.size - 1);
        const pt = po.functions[p - po.firstFunction]![0]!;
        assert.ok(group.some((t) => t.some((_, drop) => multiset(t.filter((__, i) => i !== drop)) === multiset(pt))), `parent ${p} of ${id}`);
      }
    });
  }
});

test('bad input: cutoffs, unknown basis, prim without disorder', () => {
  assert.throws(() => parseCutoffs('2:-6,3:4'), OptionError);
  assert.throws(() => parseCutoffs('2:4,3:6'), /must not increase/);
  assert.throws(() => parseCutoffs('2:6,4:2'), /without gaps/);
  assert.throws(() => parseCutoffs('1:6'), OptionError);
  assert.throws(() => parseCutoffs('2:six'), OptionError);
  assert.throws(() => parseCutoffs(''), OptionError);
  assert.throws(() => ClusterSpace.build(lmoPrim(), parseCutoffs('2:3'), { basis: 'wavelet' }), OptionError);
  const ordered = new Structure(new Lattice([[3, 0, 0], [0, 3, 0], [0, 0, 3]]), [{ frac: [0, 0, 0], species: [{ species: Species.parse('Cu'), occu: 1 }] }]);
  assert.throws(() => ClusterSpace.build(ordered, parseCutoffs('2:3')), (e: unknown) => e instanceof InputError && /no disordered site/.test((e as Error).message));
});

import { test } from 'node:test';
import assert from 'node:assert/strict';
import { type Mat3, type Vec3, det3, mul3, vecMul3 } from '../../src/core/mat3.ts';
import { Rng } from '../../src/core/rng.ts';
import { Lattice } from '../../src/structure/lattice.ts';
import { niggliReduce } from '../../src/structure/reduction.ts';
import { PeriodicMetric } from '../../src/structure/periodic.ts';
import { findNeighbors } from '../../src/structure/neighbors.ts';
import { latticePointsInSupercell, supercell, supercellSites } from '../../src/structure/supercell.ts';
import { Structure } from '../../src/structure/structure.ts';
import { Species } from '../../src/structure/species.ts';

const close = (a: number, b: number, tol: number, what = '') => assert.ok(Math.abs(a - b) <= tol, `${what}: ${a} vs ${b}`);

function randomUnimodular(rng: Rng, steps = 6): Mat3 {
  let u: Mat3 = [[1, 0, 0], [0, 1, 0], [0, 0, 1]];
  for (let s = 0; s < steps; s++) {
    const i = rng.int(3);
    let j = rng.int(3);
    if (j === i) j = (j + 1) % 3;
    const e: Mat3 = [[1, 0, 0], [0, 1, 0], [0, 0, 1]];
    e[i]![j] = rng.int(5) - 2;
    u = mul3(e, u);
  }
  return u;
}

test('Niggli: a skewed fcc basis reduces to the 60° primitive cell (a/√2, 60°, 60°, 60°)', () => {
  const a = 4.0;
  const prim: Mat3 = [[0, a / 2, a / 2], [a / 2, 0, a / 2], [a / 2, a / 2, 0]];
  const skew: Mat3 = [[1, 0, 0], [1, 1, 0], [3, 2, 1]];
  const lat = new Lattice(mul3(skew, prim));
  const { lattice: red, transformation: t } = niggliReduce(lat);
  for (const l of red.abc) close(l, a / Math.SQRT2, 1e-9, 'length');
  for (const ang of red.angles) close(ang, 60, 1e-7, 'angle');
  assert.equal(Math.round(det3(t)), 1);
  assert.ok(t.every((r) => r.every((x) => Number.isInteger(x))));
  const back = mul3(t, lat.matrix);
  back.forEach((r, i) => r.forEach((v, j) => close(v, red.matrix[i]![j]!, 1e-9, 'T·L')));
});

test('Niggli: the reduced cell is unique — random unimodular changes of basis give the same parameters', () => {
  const rng = new Rng(11);
  for (let trial = 0; trial < 20; trial++) {
    const base = Lattice.fromParameters(3 + rng.uniform(0, 1) * 3, 3 + rng.uniform(0, 1) * 3, 3 + rng.uniform(0, 1) * 3, 70 + rng.uniform(0, 1) * 40, 70 + rng.uniform(0, 1) * 40, 70 + rng.uniform(0, 1) * 40);
    const ref = niggliReduce(base).lattice;
    const other = niggliReduce(new Lattice(mul3(randomUnimodular(rng), base.matrix))).lattice;
    ref.abc.forEach((l, k) => close(other.abc[k]!, l, 1e-7, `trial ${trial} length`));
    ref.angles.forEach((x, k) => close(other.angles[k]!, x, 1e-5, `trial ${trial} angle`));
  }
});

test('minimum-image distance equals brute force over all images within the naive distance on skewed cells', () => {
  const rng = new Rng(3);
  for (let trial = 0; trial < 10; trial++) {
    const base = Lattice.fromParameters(3, 4, 5, 80, 95, 100);
    const lat = new Lattice(mul3(randomUnimodular(rng, 4), base.matrix));
    const pm = new PeriodicMetric(lat);
    for (let k = 0; k < 10; k++) {
      const a: Vec3 = [rng.uniform(0, 1) * 3 - 1, rng.uniform(0, 1), rng.uniform(0, 1)];
      const b: Vec3 = [rng.uniform(0, 1), rng.uniform(0, 1) * 2, rng.uniform(0, 1)];
      // brute force: any image closer than the naive wrapped one lies within R/d_k planes
      const naive = lat.fracToCart([0, 1, 2].map((q) => { const d = b[q]! - a[q]!; return d - Math.round(d); }) as Vec3);
      const R = Math.hypot(...naive);
      const inv = lat.inverse;
      const nk = [0, 1, 2].map((q) => Math.ceil(R * Math.hypot(inv[0][q]!, inv[1][q]!, inv[2][q]!)) + 2);
      let best = Infinity;
      for (let i = -nk[0]!; i <= nk[0]!; i++) for (let j = -nk[1]!; j <= nk[1]!; j++) for (let l = -nk[2]!; l <= nk[2]!; l++) {
        const c = lat.fracToCart([b[0] + i - a[0], b[1] + j - a[1], b[2] + l - a[2]]);
        best = Math.min(best, Math.hypot(...c));
      }
      const mi = pm.minimumImage(a, b);
      close(mi.distance, best, 1e-9, 'distance');
      const c = lat.fracToCart([b[0] + mi.image[0] - a[0], b[1] + mi.image[1] - a[1], b[2] + mi.image[2] - a[2]]);
      close(Math.hypot(...c), best, 1e-9, 'image reproduces distance');
    }
  }
});

test('neighbor search equals brute force (skewed cell, radius beyond the cell size)', () => {
  const rng = new Rng(5);
  const lat = new Lattice(mul3([[1, 0, 0], [2, 1, 0], [-1, 1, 1]], Lattice.fromParameters(3.1, 3.7, 4.3, 85, 97, 104).matrix));
  const fracs: Vec3[] = Array.from({ length: 12 }, () => [rng.uniform(0, 1) * 2 - 0.5, rng.uniform(0, 1), rng.uniform(0, 1)] as Vec3);
  for (const r of [2.5, 5.5]) {
    const nl = findNeighbors(lat, fracs, r);
    const got = new Set<string>();
    for (let k = 0; k < nl.count; k++) {
      const img = [nl.image[3 * k]!, nl.image[3 * k + 1]!, nl.image[3 * k + 2]!];
      const i = nl.center[k]!, j = nl.neighbor[k]!;
      const c = lat.fracToCart([fracs[j]![0] + img[0]! - fracs[i]![0], fracs[j]![1] + img[1]! - fracs[i]![1], fracs[j]![2] + img[2]! - fracs[i]![2]]);
      close(Math.hypot(...c), nl.distance[k]!, 1e-9, 'listed distance');
      got.add(`${i},${j},${img.join(',')}`);
    }
    const want = new Set<string>();
    const R = 8;
    for (let i = 0; i < fracs.length; i++) for (let j = 0; j < fracs.length; j++) {
      for (let x = -R; x <= R; x++) for (let y = -R; y <= R; y++) for (let z = -R; z <= R; z++) {
        if (i === j && x === 0 && y === 0 && z === 0) continue;
        const c = lat.fracToCart([fracs[j]![0] + x - fracs[i]![0], fracs[j]![1] + y - fracs[i]![1], fracs[j]![2] + z - fracs[i]![2]]);
        if (Math.hypot(...c) <= r) want.add(`${i},${j},${x},${y},${z}`);
      }
    }
    assert.equal(got.size, nl.count, 'no duplicates');
    assert.deepEqual([...got].sort(), [...want].sort());
  }
});

test('supercell: |det| lattice points, prim-site-major order, positions = prim site + offset', () => {
  const prim = new Structure(new Lattice([[0, 2, 2], [2, 0, 2], [2, 2, 0]]), [
    { frac: [0, 0, 0], species: [{ species: Species.parse('Na+'), occu: 1 }] },
    { frac: [0.5, 0.5, 0.5], species: [{ species: Species.parse('Cl-'), occu: 1 }] },
  ]);
  const m: Mat3 = [[2, 1, 0], [0, 1, -1], [1, 0, 2]];
  const n = Math.abs(Math.round(det3(m)));
  assert.equal(latticePointsInSupercell(m).length, n);
  const sites = supercellSites(prim, m);
  assert.equal(sites.length, 2 * n);
  const sc = supercell(prim, m);
  sites.forEach((s, k) => {
    assert.equal(s.primSite, Math.floor(k / n));
    const want = prim.lattice.fracToCart([prim.sites[s.primSite]!.frac[0] + s.offset[0], prim.sites[s.primSite]!.frac[1] + s.offset[1], prim.sites[s.primSite]!.frac[2] + s.offset[2]]);
    const got = sc.lattice.fracToCart(s.frac);
    // equal modulo a supercell lattice vector
    const d = sc.lattice.cartToFrac([got[0] - want[0], got[1] - want[1], got[2] - want[2]]);
    d.forEach((x) => close(x, Math.round(x), 1e-9, 'position'));
    s.frac.forEach((x) => assert.ok(x >= 0 && x < 1));
  });
  // all distinct sites
  const keys = new Set(sites.map((s) => `${s.primSite}:${s.frac.map((x) => x.toFixed(6)).join(',')}`));
  assert.equal(keys.size, sites.length);
  close(sc.lattice.volume, n * prim.lattice.volume, 1e-9, 'volume');
  // lexicographic offsets
  const offs = latticePointsInSupercell(m).map((g) => g.join(','));
  const sorted = [...latticePointsInSupercell(m)].sort((a, b) => a[0] - b[0] || a[1] - b[1] || a[2] - b[2]).map((g) => g.join(','));
  assert.deepEqual(offs, sorted);
  void vecMul3;
});

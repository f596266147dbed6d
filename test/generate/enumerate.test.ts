import { test } from 'node:test';
import assert from 'node:assert/strict';
import { countStructures, enumerateStructures } from '../../src/generate/enumerate.ts';
import { distinctSupercells, hermiteNormalForm, hnfsOfSize, smithNormalForm } from '../../src/generate/enumerate-hnf.ts';
import { analyzeSymmetry } from '../../src/symmetry/symmetry.ts';
import { fcc, hcp } from './helpers.ts';
import type { Vec3 } from '../../src/core/mat3.ts';
import { Lattice } from '../../src/structure/lattice.ts';
import { Structure } from '../../src/structure/structure.ts';

const fccRotations = () => analyzeSymmetry(fcc(['Au', 'Cu'])).operations.map((o) => o.rotation);

test('distinct fcc supercells, sizes 2…10: 2, 3, 7, 5, 10, 7, 20, 14, 18 (Hart & Forcade 2008, Table IV)', () => {
  const rots = fccRotations();
  assert.deepEqual([2, 3, 4, 5, 6, 7, 8, 9, 10].map((n) => distinctSupercells(n, rots).length), [2, 3, 7, 5, 10, 7, 20, 14, 18]);
});

test('HNF counts equal the number of index-n sublattices of Z³ (OEIS A001001: 1, 7, 13, 35, 31, 91)', () => {
  assert.deepEqual([1, 2, 3, 4, 5, 6].map((n) => hnfsOfSize(n).length), [1, 7, 13, 35, 31, 91]);
});

test('Hermite and Smith forms: same lattice, invariant factors multiply to the index and divide each other', () => {
  const cases = [[[2, 1, 0], [0, 3, 1], [1, 0, 2]], [[-1, 1, 1], [1, -1, 1], [1, 1, -1]], [[4, 0, 0], [0, 2, 0], [0, 0, 3]], [[0, 1, 5], [3, 0, 0], [1, 1, 1]]] as const;
  for (const c of cases) {
    const s = c.map((r) => [...r]) as [[number, number, number], [number, number, number], [number, number, number]];
    const h = hermiteNormalForm(s);
    const det = Math.abs(h[0][0] * h[1][1] * h[2][2]);
    // every row of H is an integer combination of the rows of S: H·S⁻¹ integral, and vice versa by equal |det|
    const si = [[0, 0, 0], [0, 0, 0], [0, 0, 0]];
    const D = s[0][0] * (s[1][1] * s[2][2] - s[1][2] * s[2][1]) - s[0][1] * (s[1][0] * s[2][2] - s[1][2] * s[2][0]) + s[0][2] * (s[1][0] * s[2][1] - s[1][1] * s[2][0]);
    assert.equal(Math.abs(D), det);
    for (let i = 0; i < 3; i++) for (let j = 0; j < 3; j++) {
      const a = (i + 1) % 3, b = (i + 2) % 3, cc = (j + 1) % 3, d = (j + 2) % 3;
      si[j]![i] = (s[a]![cc]! * s[b]![d]! - s[a]![d]! * s[b]![cc]!) / D;
    }
    for (let i = 0; i < 3; i++) for (let j = 0; j < 3; j++) {
      const v = h[i]![0]! * si[0]![j]! + h[i]![1]! * si[1]![j]! + h[i]![2]! * si[2]![j]!;
      assert.ok(Math.abs(v - Math.round(v)) < 1e-9, `HNF row ${i} not in the lattice of ${JSON.stringify(s)}`);
    }
    const { d } = smithNormalForm(s);
    assert.equal(d[0] * d[1] * d[2], det);
    assert.equal(d[1] % d[0], 0);
    assert.equal(d[2] % d[1], 0);
  }
});

test('fcc binary, every labeling, sizes 1…8: 2, 2, 6, 19, 28, 80, 104, 390 (631)', () => {
  const r = countStructures(fcc(['Au', 'Cu']), { sizes: [1, 2, 3, 4, 5, 6, 7, 8] });
  assert.deepEqual(Object.values(r.bySize), [2, 2, 6, 19, 28, 80, 104, 390]);
  assert.equal(r.count, 631);
});

test('fcc binary, Hart–Forcade convention (both species, A↔B once), sizes 2…12: 2, 3, 12, 14, 50, 52, 229, 252, 685, 682, 3875', () => {
  const r = countStructures(fcc(['Au', 'Cu']), { sizes: [2, 3, 4, 5, 6, 7, 8, 9, 10, 11, 12], speciesSwaps: true, allSpeciesUsed: true });
  assert.deepEqual(Object.values(r.bySize), [2, 3, 12, 14, 50, 52, 229, 252, 685, 682, 3875]);
});

test('fcc ternary sizes 1…6, every labeling: 1081; hcp binary sizes 1…5: 984', () => {
  assert.equal(countStructures(fcc(['Au', 'Cu', 'Pd']), { sizes: [1, 2, 3, 4, 5, 6] }).count, 1081);
  assert.equal(countStructures(hcp(['Mg', 'Zn']), { sizes: [1, 2, 3, 4, 5] }).count, 984);
});

test('the generator streams in a fixed order and agrees with the counter', () => {
  const prim = fcc(['Au', 'Cu']);
  const a = [...enumerateStructures(prim, { sizes: [1, 2, 3, 4] })];
  const b = [...enumerateStructures(prim, { sizes: [4, 3, 2, 1] })];
  assert.equal(a.length, 2 + 2 + 6 + 19);
  assert.deepEqual(a.map((s) => `${s.size}|${s.hnf.flat()}|${s.labeling}`), b.map((s) => `${s.size}|${s.hnf.flat()}|${s.labeling}`));
  for (let i = 1; i < a.length; i++) assert.ok(a[i]!.size >= a[i - 1]!.size);
  // a generator: the first item arrives without enumerating the rest
  const it = enumerateStructures(prim, { sizes: [1, 20] });
  assert.equal(it.next().value!.size, 1);
});

test('concentration ranges keep exactly the labelings in range', () => {
  const prim = fcc(['Au', 'Cu']);
  const all = [...enumerateStructures(prim, { sizes: [1, 2, 3, 4, 5, 6] })];
  // Cu is code 0 (pymatgen's species order: electronegativity 1.90 before Au's 2.54)
  const frac = (s: { codes: Uint8Array }) => s.codes.filter((c) => c === 0).length / s.codes.length;
  const some = [...enumerateStructures(prim, { sizes: [1, 2, 3, 4, 5, 6], concentrations: new Map([['Cu', [0.25, 0.5]]]) })];
  assert.deepEqual(some.map((s) => `${s.hnf.flat()}|${s.labeling}`), all.filter((s) => frac(s) >= 0.25 - 1e-12 && frac(s) <= 0.5 + 1e-12).map((s) => `${s.hnf.flat()}|${s.labeling}`));
  assert.ok(some.length > 0 && some.length < all.length);
});

test('bad input: zero size, species not on the lattice, too many labelings, non-primitive prim', () => {
  const prim = fcc(['Au', 'Cu']);
  assert.throws(() => countStructures(prim, { sizes: [0] }), /positive integers/);
  assert.throws(() => countStructures(prim, { sizes: [2], concentrations: new Map([['Ag', [0, 1]]]) }), /'Ag' is not on an active site/);
  assert.throws(() => countStructures(prim, { sizes: [40] }), /at most 134217728/);
  assert.throws(() => countStructures(prim, { sizes: [2], concentrations: new Map([['Cu', [0.7, 0.2]]]) }), /lo ≤ hi/);
  // the conventional fcc cube (4 sites) is invariant under a fractional translation
  const cube = new Structure(new Lattice([[4, 0, 0], [0, 4, 0], [0, 0, 4]]), ([[0, 0, 0], [0, 0.5, 0.5], [0.5, 0, 0.5], [0.5, 0.5, 0]] as Vec3[]).map((frac) => ({ frac, species: prim.sites[0]!.species })));
  assert.throws(() => countStructures(cube, { sizes: [1] }), /not primitive/);
});

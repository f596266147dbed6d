import { test } from 'node:test';
import assert from 'node:assert/strict';
import { enumerateStructures, type EnumerateOptions } from '../../src/generate/enumerate.ts';
import type { Structure } from '../../src/structure/structure.ts';
import { readFileSync } from 'node:fs';
import { Species } from '../../src/structure/species.ts';
import { structureFromPymatgen } from '../../src/structure/io/pymatgen.ts';
import { DATA_DIR } from '../data-dir.ts';
import { bruteForceKeys, fcc, hcp, keyOfLabeling, rocksaltLiVacOF } from './helpers.ts';

/** Enumerator output and brute force are the same set of crystals, each enumerated once. */
function compare(prim: Structure, sizes: number[], opts: Partial<EnumerateOptions> = {}, filter?: (keys: string[]) => boolean): number {
  let total = 0;
  for (const n of sizes) {
    const brute = bruteForceKeys(prim, n, filter ? { filter } : {});
    const got = [...enumerateStructures(prim, { ...opts, sizes: [n] })].map((s) => keyOfLabeling(prim, s.hnf, s.codes));
    assert.equal(new Set(got).size, got.length, `size ${n}: the enumerator returned two equivalent structures`);
    assert.deepEqual([...new Set(got)].sort(), [...brute].sort(), `size ${n}: enumerated set differs from brute force`);
    total += got.length;
  }
  return total;
}

test('fcc binary sizes 1…4: enumerator = brute force over all labelings of all supercells', () => {
  assert.equal(compare(fcc(['Au', 'Cu']), [1, 2, 3, 4]), 2 + 2 + 6 + 19);
});

test('hcp binary sizes 1…2 and fcc ternary sizes 1…3: enumerator = brute force', () => {
  assert.equal(compare(hcp(['Mg', 'Zn']), [1, 2]), 3 + 10);
  assert.equal(compare(fcc(['Au', 'Cu', 'Pd']), [1, 2, 3]), 3 + 6 + 21);
});

test('two sublattices with vacancies (rocksalt Li+/vacancy × O2-/F-), sizes 1…3: enumerator = brute force', () => {
  const prim = rocksaltLiVacOF();
  compare(prim, [1, 2, 3]);
});

test('two sublattices with vacancies: concentration range and charge balance filter the same way as brute force', () => {
  const prim = rocksaltLiVacOF();
  const charge = (keys: string[]) => keys.reduce((q, k) => q + Species.parse(k).charge, 0);
  const balanced = compare(prim, [1, 2, 3], { chargeBalanced: true }, (keys) => charge(keys) === 0);
  assert.ok(balanced > 0);
  const liFrac = (keys: string[]) => keys.filter((k) => k === 'Li+').length / (keys.length / 2);
  compare(prim, [2, 3], { concentrations: new Map([['Li+', [0.5, 1]]]) }, (keys) => liFrac(keys) >= 0.5 - 1e-12);
});

test('a fixed (inactive) site changes nothing: rocksalt Au/Cu with a fixed O anion counts like fcc binary, = brute force', () => {
  const prim = rocksaltLiVacOF();
  prim.sites[0]!.species = [{ species: Species.parse('Au'), occu: 0.5 }, { species: Species.parse('Cu'), occu: 0.5 }];
  prim.sites[1]!.species = [{ species: Species.parse('O'), occu: 1 }];
  assert.equal(compare(prim, [1, 2, 3]), 2 + 2 + 6);
  const four = [...enumerateStructures(prim, { sizes: [4] })];
  assert.equal(four.length, 19);
  // the fixed site keeps its species everywhere (codes of prim site 1 are all 0)
  for (const s of four) assert.ok(s.codes.slice(4).every((c) => c === 0));
});

test('lno prim (Li+/vacancy, Ni3+/Ni4+, fixed O2-), charge balanced, sizes 1…3: enumerator = brute force', () => {
  const prim = structureFromPymatgen(JSON.parse(readFileSync(`${DATA_DIR}/lno/prim.json`, 'utf8')));
  const charge = (keys: string[]) => keys.reduce((q, k) => q + Species.parse(k).charge, 0);
  const n = compare(prim, [1, 2, 3], { chargeBalanced: true }, (keys) => Math.abs(charge(keys)) < 1e-9);
  assert.ok(n > 3);
});

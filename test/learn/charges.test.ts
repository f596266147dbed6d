import { test } from 'node:test';
import assert from 'node:assert/strict';
import { Rng } from '../../src/core/rng.ts';
import { Lattice } from '../../src/structure/lattice.ts';
import { Species } from '../../src/structure/species.ts';
import { Structure, type Site } from '../../src/structure/structure.ts';
import { assignStates, buildChargeProblem, decorate, evaluateCutoffs, optimizeCharges } from '../../src/learn/charges.ts';

// Planted moment ranges (μB) per Mn state, separated by gaps: Mn4+ [2.7, 3.2], Mn3+ [3.6, 4.0], Mn2+ [4.4, 4.8].
const RANGES: Record<number, [number, number]> = { 4: [2.7, 3.2], 3: [3.6, 4.0], 2: [4.4, 4.8] };

function synthetic(nGood: number, nBad: number, seed: number): { structures: Structure[]; truth: number[][] } {
  const rng = new Rng(seed);
  const lat = new Lattice([[8, 0, 0], [0, 8, 0], [0, 0, 8]]);
  const structures: Structure[] = [], truth: number[][] = [];
  for (let s = 0; s < nGood + nBad; s++) {
    const nMn = 2 + rng.int(5);
    // Bad entries hold only Mn2+ (the lowest state) and one Li+ too many: no cutoffs can balance them.
    const q = Array.from({ length: nMn }, () => (s >= nGood ? 2 : 2 + rng.int(3)));
    const nO = 12;
    let nLi = 2 * nO - q.reduce((a, b) => a + b, 0);
    if (s >= nGood) nLi += 1;
    const sites: Site[] = [];
    // Positions only label the sites here: distinct points of a 4×4×4 grid (2 Å apart, as a
    // readable crystal needs), with the three draws kept so the moments' random stream is unchanged.
    const pos = (): [number, number, number] => {
      for (let d = 0; d < 3; d++) rng.next();
      const k = sites.length;
      return [(k % 4) / 4, (Math.floor(k / 4) % 4) / 4, (Math.floor(k / 16) % 4) / 4];
    };
    q.forEach((qi) => {
      const [a, b] = RANGES[qi]!;
      const m = rng.uniform(a, b) * (rng.next() < 0.2 ? -1 : 1);
      sites.push({ frac: pos(), species: [{ species: Species.of('Mn', null), occu: 1 }], properties: { magmom: m } });
    });
    for (let i = 0; i < nLi; i++) sites.push({ frac: pos(), species: [{ species: Species.of('Li', 1), occu: 1 }] });
    for (let i = 0; i < nO; i++) sites.push({ frac: pos(), species: [{ species: Species.of('O', -2), occu: 1 }] });
    structures.push(new Structure(lat, sites));
    truth.push(q);
  }
  return { structures, truth };
}

test('assignment rule: a moment exactly at a cutoff belongs to the state whose upper cutoff it is', () => {
  // states [2, 3, 4] with upper cutoffs 5.0, 4.0, 3.0
  assert.deepEqual(Array.from(assignStates([3.0, 3.0000001, 4.0, 4.5, 5.0, 5.01, 0.1], [5.0, 4.0, 3.0])), [2, 1, 1, 0, 0, -1, 2]);
  // Order follows the cutoff values, not the list order or the charges.
  assert.deepEqual(Array.from(assignStates([1, 2], [2.5, 1.5])), [1, 0]);
});

test('charge assignment recovers planted cutoffs on a synthetic Li–Mn–O moment set', () => {
  const { structures, truth } = synthetic(60, 3, 11);
  const p = buildChargeProblem(structures, 'Mn', [2, 3, 4]);
  const res = optimizeCharges(p, { calls: 30, acquisitions: ['ei'], seed: 0 });
  assert.equal(res.nStructures, 63);
  assert.equal(res.nBalanced, 60);
  assert.deepEqual(res.balanced.map((b, i) => (b ? -1 : i)).filter((i) => i >= 0), [60, 61, 62]);
  // Observed gaps of the planted classes bound the recovered cutoffs.
  const all = (st: number) => p.structures.flatMap((s, k) => Array.from(s.moments).filter((_, i) => truth[k]![i] === st));
  const max = (st: number) => Math.max(...all(st)), min = (st: number) => Math.min(...all(st));
  assert.ok(res.cutoffs['Mn4+']! >= max(4) && res.cutoffs['Mn4+']! < min(3), JSON.stringify(res.cutoffs));
  assert.ok(res.cutoffs['Mn3+']! >= max(3) && res.cutoffs['Mn3+']! < min(2), JSON.stringify(res.cutoffs));
  assert.ok(res.cutoffs['Mn2+']! >= max(2), JSON.stringify(res.cutoffs));
  // Every balanced structure gets exactly its planted charges.
  const cut = [res.cutoffs['Mn2+']!, res.cutoffs['Mn3+']!, res.cutoffs['Mn4+']!];
  const d = decorate(structures[0]!, p.structures[0]!, 'Mn', [2, 3, 4], cut);
  const mnStates = d.sites.filter((s) => s.species[0]!.species.element === 'Mn').map((s) => s.species[0]!.species.oxidationState);
  assert.deepEqual(mnStates, truth[0]);
  const ev = evaluateCutoffs(p, cut);
  assert.equal(ev.nBalanced, 60);
});

test('charge assignment inputs: missing moments and missing oxidation states are named', () => {
  const { structures } = synthetic(2, 0, 3);
  const s = structures[1]!;
  delete s.sites[0]!.properties;
  assert.throws(() => buildChargeProblem(structures, 'Mn', [2, 3, 4]), (e: Error & { describe(): string }) => /entry 1, field 'sites\[0\].properties.magmom'/.test(e.describe()));
  const t = synthetic(1, 0, 4).structures[0]!;
  const li = t.sites.findIndex((x) => x.species[0]!.species.element === 'O');
  t.sites[li]!.species = [{ species: Species.of('O', null), occu: 1 }];
  assert.throws(() => buildChargeProblem([t], 'Mn', [2, 3, 4]), /no oxidation state/);
  assert.throws(() => buildChargeProblem([t], 'Mn', [2, 2]), /distinct integers/);
});

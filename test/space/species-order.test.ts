/**
 * Site species are coded in pymatgen's order (smol's), whatever order the prim file lists them
 * in: the sort against pymatgen's own (fixture), invariance of features and predictions under a
 * shuffled prim, and refusal of an old-format model whose coding followed a non-canonical file.
 */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { InputError } from '../../src/core/errors.ts';
import { Rng } from '../../src/core/rng.ts';
import { TrainingSet } from '../../src/data/training-set.ts';
import { ClusterExpansion } from '../../src/model/cluster-expansion.ts';
import { ClusterSpace } from '../../src/space/cluster-space.ts';
import { cutoffsFromObject } from '../../src/space/cutoffs.ts';
import { structureFromPymatgen, structureToPymatgen } from '../../src/structure/io/pymatgen.ts';
import { readEntries, readStructureFile } from '../../src/structure/io/read.ts';
import { Species } from '../../src/structure/species.ts';
import { DATA_DIR } from '../data-dir.ts';

const fixture = JSON.parse(readFileSync(resolve(import.meta.dirname, '../fixtures/structure/species_order.json'), 'utf8')) as { input: string[]; pymatgen_sorted: string[] };

test("Species.compare sorts as pymatgen's sorted() does (electronegativity, symbol, oxidation; no X last)", () => {
  const sorted = fixture.input.map((t) => Species.parse(t)).sort(Species.compare).map((s) => s.key);
  assert.deepEqual(sorted, fixture.pymatgen_sorted);
  assert.deepEqual([Species.VACANCY, Species.parse('Ar'), Species.parse('Li+')].sort(Species.compare).map((s) => s.key), ['Li+', 'Ar', 'Vacancy']);
});

/** The lmo_drx prim with every site's species list reversed (Mn4+, Mn3+, Mn2+, Li+ …). */
function shuffledPrim(): Record<string, unknown> {
  const d = JSON.parse(readFileSync(join(DATA_DIR, 'lmo_drx/prim.json'), 'utf8')) as { sites: Array<{ species: Array<{ element: string; oxidation_state?: number; occu: number }> }> };
  for (const site of d.sites) site.species.reverse();
  return d;
}

const cutoffs = cutoffsFromObject({ 2: 4, 3: 3 });

test('reversing the species of every prim site leaves features, names and predictions unchanged', () => {
  const canonical = ClusterSpace.build(readStructureFile(join(DATA_DIR, 'lmo_drx/prim.json')), cutoffs, { ewald: true });
  const shuffled = ClusterSpace.build(structureFromPymatgen(shuffledPrim()), cutoffs, { ewald: true });
  assert.deepEqual(shuffled.siteSpecies, canonical.siteSpecies);
  assert.deepEqual(shuffled.siteSpecies[2], ['Li+', 'Mn2+', 'Mn3+', 'Mn4+', 'Vacancy']);
  assert.deepEqual(shuffled.featureNames, canonical.featureNames);
  const entries = readEntries(join(DATA_DIR, 'lmo_drx/entries.json.gz')).slice(0, 40);
  const a = TrainingSet.featurize(canonical, entries, { supercellSize: 'O2-' });
  const b = TrainingSet.featurize(shuffled, entries, { supercellSize: 'O2-' });
  assert.ok(a.rows.length >= 5, `${a.rows.length} mapped`);
  assert.equal(b.rows.length, a.rows.length);
  a.rows.forEach((r, i) => assert.deepEqual(Array.from(b.rows[i]!.features), Array.from(r.features), `row ${i}`));
});

test('a format-1 model is refused when its prim listed species out of canonical order, and loads when it did not', () => {
  const dir = mkdtempSync(join(tmpdir(), 'celt-order-'));
  const space = ClusterSpace.build(readStructureFile(join(DATA_DIR, 'lmo_drx/prim.json')), cutoffs, { ewald: true });
  const rng = new Rng(3);
  const model = ClusterExpansion.fromCoefficients(space, Float64Array.from({ length: space.nFeatures - 1 }, () => rng.normal()), 0, { method: 'ols', params: {} });
  const json = model.toJSON() as unknown as { version: number; space: { prim: unknown; siteSpecies?: unknown } };
  assert.equal(json.version, 2);
  assert.deepEqual(json.space.siteSpecies, space.siteSpecies);
  // format 1 with the embedded prim (already canonical): same coding, still loads
  delete json.space.siteSpecies;
  json.version = 1;
  writeFileSync(join(dir, 'v1-canonical.json'), JSON.stringify(json));
  assert.deepEqual(Array.from(ClusterExpansion.load(join(dir, 'v1-canonical.json')).eci), Array.from(model.eci));
  // format 1 whose prim file listed species in another order: its ECIs meant other functions
  json.space.prim = shuffledPrim();
  writeFileSync(join(dir, 'v1-shuffled.json'), JSON.stringify(json));
  assert.throws(
    () => ClusterExpansion.load(join(dir, 'v1-shuffled.json')),
    (e: unknown) => e instanceof InputError && e.location.field === 'space.siteSpecies' && /refit the model/.test(e.message) && /site 0 codes its species as/.test(e.message),
  );
  // the shuffled prim written by celt itself comes back canonical
  const back = structureFromPymatgen(structureToPymatgen(structureFromPymatgen(shuffledPrim())));
  assert.deepEqual(back.allowedSpecies(2).map((s) => s.key), space.siteSpecies[2]);
});

import { test } from 'node:test';
import assert from 'node:assert/strict';
import { mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { Mat3 } from '../../src/core/mat3.ts';
import { InputError } from '../../src/core/errors.ts';
import { EvaluatorCache, TrainingSet, loadTrainingSet, occupancyCodes } from '../../src/data/training-set.ts';
import { ClusterSpace } from '../../src/space/cluster-space.ts';
import { parseCutoffs } from '../../src/space/cutoffs.ts';
import { readEntries, readJsonFile } from '../../src/structure/io/read.ts';
import { structureFromPymatgen, structureToPymatgen } from '../../src/structure/io/pymatgen.ts';
import { Lattice } from '../../src/structure/lattice.ts';
import { Species } from '../../src/structure/species.ts';
import { Structure } from '../../src/structure/structure.ts';
import { supercellSites } from '../../src/structure/supercell.ts';
import { DATA_DIR } from '../data-dir.ts';

const LNO = `${DATA_DIR}/lno`;
const prim = () => structureFromPymatgen(JSON.parse(readFileSync(`${LNO}/prim.json`, 'utf8')));

test('featurize lno: rows, per-prim energies, constant and Ewald columns, skips with reasons, JSON round trip', () => {
  const space = ClusterSpace.build(prim(), parseCutoffs('2:5,3:3.5'), { ewald: true });
  const entries = readEntries(`${LNO}/entries.json.gz`);
  // append a structure of another lattice (simple-cubic Cu) and a broken entry: both must be reported skips
  const dir = mkdtempSync(join(tmpdir(), 'celt-ts-'));
  const raw = readJsonFile(`${LNO}/entries.json.gz`) as unknown[];
  const cu = new Structure(new Lattice([[2.5, 0, 0], [0, 2.5, 0], [0, 0, 2.5]]), [{ frac: [0, 0, 0], species: [{ species: Species.parse('Cu'), occu: 1 }] }]);
  raw.push({ '@class': 'ComputedStructureEntry', energy: -3.2, correction: 0, structure: structureToPymatgen(cu) });
  raw.push({ energy: 'oops', structure: {} });
  const file = join(dir, 'entries.json');
  writeFileSync(file, JSON.stringify(raw));
  const all = readEntries(file);
  const ts = TrainingSet.featurize(space, all, { supercellSize: 'O2-' });
  assert.equal(ts.nRows + ts.skipped.length, entries.length + 2, 'every entry is either a row or a reported skip');
  assert.ok(ts.nRows > 0);
  assert.ok(ts.skipped.some((s) => s.entry === entries.length && s.reason.length > 0), 'foreign lattice is skipped with a reason');
  assert.ok(ts.skipped.some((s) => s.entry === entries.length + 1 && s.reason === 'bad-entry'));
  const X = ts.X;
  assert.equal(X.cols, space.nFeatures);
  assert.equal(ts.featureNames[X.cols - 1], 'ewald');
  ts.rows.forEach((r, i) => {
    assert.equal(X.get(i, 0), 1);
    assert.ok(Number.isFinite(X.get(i, X.cols - 1)) && X.get(i, X.cols - 1) < 0, 'Ewald energy of an ionic crystal is negative');
    // per-prim energy = total / (number of supercell sites / sites per prim), from the raw entry
    const total = (raw[r.entry] as { energy: number; correction?: number }).energy + ((raw[r.entry] as { correction?: number }).correction ?? 0);
    assert.ok(Math.abs(ts.energy[i]! - total / (r.occupancy.length / 4)) < 1e-12);
  });
  // JSON round trip through the loader the fitting code uses
  const out = join(dir, 'train.json');
  ts.save(out);
  const json = JSON.parse(readFileSync(out, 'utf8'));
  for (const k of ['featureNames', 'groups', 'hierarchy', 'X', 'energy', 'entries', 'scMatrices', 'skipped']) assert.ok(k in json, k);
  assert.equal(json.groups.length, space.nFeatures);
  const back = loadTrainingSet(out);
  assert.deepEqual(Array.from(back.X.data), Array.from(X.data));
  assert.deepEqual(Array.from(back.y), Array.from(ts.energy));
  assert.deepEqual(back.hierarchy, space.hierarchy);
  // a malformed training set names the field
  writeFileSync(out, JSON.stringify({ ...json, energy: json.energy.slice(1) }));
  assert.throws(() => loadTrainingSet(out), (e: unknown) => e instanceof InputError && e.location.field === 'energy');
});

test('duplicates by correlation vector, and row-permuted supercell matrices are distinct cells (smol issue 261)', () => {
  const p = prim();
  const space = ClusterSpace.build(p, parseCutoffs('2:5,3:3.5'), { ewald: true });
  const cache = new EvaluatorCache(space);
  const S: Mat3 = [[2, 0, 0], [0, 1, 0], [0, 0, 1]];
  const Sp: Mat3 = [[0, 1, 0], [2, 0, 0], [0, 0, 1]];
  // one configuration defined by position: Ni4+ on the Ni site of even x-offset cells, Li vacancy elsewhere
  const config = (s: { primSite: number; offset: number[] }) => {
    const even = ((s.offset[0]! % 2) + 2) % 2 === 0;
    const allowed = p.allowedSpecies(s.primSite).map((x) => x.key);
    if (s.primSite === 0) return even ? 'Li+' : 'Vacancy';
    if (s.primSite === 1) return even ? 'Ni3+' : 'Ni4+';
    return allowed[0]!;
  };
  const occ = supercellSites(p, S).map(config);
  const occP = supercellSites(p, Sp).map(config);
  const ts = TrainingSet.forSpace(space);
  ts.addMapped({ entry: 0, scMatrix: S, occupancy: occ, maxDisplacement: 0 }, -10, cache);
  ts.addMapped({ entry: 1, scMatrix: Sp, occupancy: occP, maxDisplacement: 0 }, -12, cache);
  assert.notEqual(cache.correlations(S), cache.correlations(Sp));
  // same physical configuration → identical features, Ewald included
  for (let f = 0; f < space.nFeatures; f++) assert.ok(Math.abs(ts.rows[0]!.features[f]! - ts.rows[1]!.features[f]!) < 1e-9, `feature ${f}`);
  // a different configuration in the same cell (all Ni3+). Note that swapping Ni3+ and Ni4+
  // would NOT do: inversion through a Li site maps that onto the original, a true duplicate.
  const other = occ.map((k) => (k === 'Ni4+' ? 'Ni3+' : k));
  ts.addMapped({ entry: 2, scMatrix: S, occupancy: other, maxDisplacement: 0 }, -11, cache);
  // the same lattice in a sheared basis: different representative offsets, same physics
  const Ss: Mat3 = [[2, 0, 0], [2, 1, 0], [0, 2, 1]];
  ts.addMapped({ entry: 3, scMatrix: Ss, occupancy: supercellSites(p, Ss).map(config), maxDisplacement: 0 }, -9, cache);
  for (let f = 0; f < space.nFeatures; f++) assert.ok(Math.abs(ts.rows[0]!.features[f]! - ts.rows[3]!.features[f]!) < 1e-9, `sheared feature ${f}`);
  assert.deepEqual(ts.duplicateGroups(), [[0, 1, 3]]);
  const dropped = ts.dropDuplicates();
  assert.equal(dropped, 2);
  assert.deepEqual(ts.rows.map((r) => r.entry), [1, 2], 'the lowest-energy duplicate is kept');
  assert.ok(ts.skipped.some((s) => s.entry === 0 && s.reason === 'duplicate'));
  // species the site does not allow → typed error
  assert.throws(() => occupancyCodes(space, S, occ.map((k) => (k === 'Li+' ? 'Na+' : k))), InputError);
});

import { test } from 'node:test';
import assert from 'node:assert/strict';
import { mkdtempSync, readdirSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { writeProposal } from '../../src/cli/commands/propose.ts';
import { InputError, OptionError } from '../../src/core/errors.ts';
import { EvaluatorCache, occupancyCodes } from '../../src/data/training-set.ts';
import { type Candidate, candidateStructure, poolCandidates } from '../../src/loop/candidates.ts';
import { checkSameSpace, proposeStructures } from '../../src/loop/propose.ts';
import type { ClusterExpansion } from '../../src/model/cluster-expansion.ts';
import { structureFromPymatgen, structureToPymatgen } from '../../src/structure/io/pymatgen.ts';
import { readEntries, readStructureFile } from '../../src/structure/io/read.ts';
import { Lattice } from '../../src/structure/lattice.ts';
import { mapStructure } from '../../src/structure/mapping.ts';
import { Species } from '../../src/structure/species.ts';
import { Structure } from '../../src/structure/structure.ts';
import { loopCase, smallModel } from './helpers.ts';

const here = new URL('.', import.meta.url).pathname;
const { model, ts, cands } = loopCase();
const result = proposeStructures(model, ts, cands, { n: 6, seed: 0, nBootstrap: 10 });
const dir = mkdtempSync(join(tmpdir(), 'celt-propose-'));
writeProposal(dir, model.space, result);

/** Feature row of a structure read from disk: mapped onto the lattice, correlations recomputed. */
function featuresOf(m: ClusterExpansion, s: Structure): Float64Array {
  const mapped = mapStructure(m.space.prim, s, { supercellSize: 'num_sites' });
  return new EvaluatorCache(m.space).features(mapped.scMatrix, occupancyCodes(m.space, mapped.scMatrix, mapped.occupancy.map((sp) => sp.key)));
}

const close = (a: ArrayLike<number>, b: ArrayLike<number>, tol = 1e-9) => a.length === b.length && Array.from(a).every((v, i) => Math.abs(v - b[i]!) <= tol);

test('no proposed structure has the correlation vector of a training structure or of another pick', () => {
  const rows = ts.rows.map((r) => r.features);
  const picked = result.picks.map((p) => p.candidate.features);
  for (const f of picked) assert.ok(!rows.some((r) => close(r, f, 1e-8)));
  for (let a = 0; a < picked.length; a++) for (let b = a + 1; b < picked.length; b++) assert.ok(!close(picked[a]!, picked[b]!, 1e-8));
  // the enumeration holds every training configuration (sizes ≤ 4 of ≤ 6), so the rule bites: 29 of 137 excluded (and their symmetric twins)
  assert.ok(result.nAllowed < cands.length - ts.nRows + 1);
});

test('written POSCARs and proposed.json read back (celt readers, mapped onto the lattice) as the proposed configurations', () => {
  const folders = readdirSync(join(dir, 'POSCAR')).sort();
  assert.deepEqual(folders, ['000', '001', '002', '003', '004', '005']);
  const listed = readEntries(join(dir, 'proposed.json'));
  result.picks.forEach((p, k) => {
    const s = readStructureFile(join(dir, 'POSCAR', folders[k]!, 'POSCAR'));
    assert.equal(s.numSites, p.candidate.occupancy.filter((o) => o !== 'Vacancy').length);
    assert.ok(close(featuresOf(model, s), p.candidate.features), `POSCAR ${k}`);
    assert.ok(close(featuresOf(model, listed[k]!.entry!.structure), p.candidate.features), `proposed.json entry ${k}`);
  });
  const csv = readFileSync(join(dir, 'selection.csv'), 'utf8').trim().split('\n');
  assert.equal(csv.length, 7);
  assert.match(csv[0]!, /^rank,label,source,composition,n_prims,supercell,energy_ev_per_prim,sigma,/);
});

test('pymatgen reads the same POSCARs as celt wrote them (fixture made once by fixtures/make-pymatgen-readback.py)', () => {
  const fixtureDir = join(here, 'fixtures', 'proposal');
  const readback = JSON.parse(readFileSync(join(here, 'fixtures', 'pymatgen-readback.json'), 'utf8')) as Array<Record<string, unknown>>;
  assert.equal(readback.length, result.picks.length);
  result.picks.forEach((p, k) => {
    const name = String(k).padStart(3, '0');
    // the proposal is deterministic: the POSCAR written now is the one pymatgen read
    assert.equal(readFileSync(join(dir, 'POSCAR', name, 'POSCAR'), 'utf8'), readFileSync(join(fixtureDir, 'POSCAR', name, 'POSCAR'), 'utf8'));
    const s = structureFromPymatgen(readback[k]!);
    assert.ok(close(featuresOf(model, s), p.candidate.features), `pymatgen reading of POSCAR ${name}`);
  });
});

test('bad input: N above the distinct candidates, a training set from another space, candidates that do not map', async () => {
  assert.throws(() => proposeStructures(model, ts, cands, { n: 500 }), (e: unknown) => e instanceof OptionError && /asked for 500 structures but only \d+ of the 137 candidates/.test(e.message));
  const other = smallModel({ 2: 6 });
  assert.throws(() => checkSameSpace(other, ts, 'train.json'), (e: unknown) => e instanceof InputError && /different cluster spaces/.test(e.describe()) && /train\.json/.test(e.describe()));
  assert.throws(() => proposeStructures(other, ts, cands, { n: 2 }), InputError);
  // a pool with a bcc cell (does not map onto fcc) and one with a species the lattice does not allow
  const bcc = new Structure(new Lattice([[3.2, 0, 0], [0, 3.2, 0], [0, 0, 3.2]]), [{ frac: [0, 0, 0], species: [{ species: Species.parse('Ag'), occu: 1 }] }, { frac: [0.5, 0.5, 0.5], species: [{ species: Species.parse('Pd'), occu: 1 }] }]);
  const cu = new Structure(model.space.prim.lattice, [{ frac: [0, 0, 0], species: [{ species: Species.parse('Cu'), occu: 1 }] }]);
  for (const [name, s] of [['bcc', bcc], ['cu', cu]] as const) {
    const f = join(dir, `${name}.json`);
    writeFileSync(f, JSON.stringify([structureToPymatgen(ordered()), structureToPymatgen(s)]));
    await assert.rejects(poolCandidates(model, [f], { supercellSize: 'num_sites' }), (e: unknown) => e instanceof InputError && e.location.entry === 1 && e.location.file === f);
  }
});

/** An ordered Ag cell of the prim (maps). */
function ordered(): Structure {
  return new Structure(model.space.prim.lattice, [{ frac: [0, 0, 0], species: [{ species: Species.parse('Ag'), occu: 1 }] }]);
}

test('Monte Carlo candidates keep the chain composition (canonical swaps) and are distinct feature rows', async () => {
  const { mcCandidates } = await import('../../src/loop/candidates.ts');
  const mc = await mcCandidates(model, { supercell: [[2, 0, 0], [0, 2, 0], [0, 0, 2]], compositions: [[{ species: 'Ag', fraction: 0.25 }, { species: 'Pd', fraction: 0.75 }]], T: [300, 3000], steps: 2000, seed: 3 });
  assert.ok(mc.length >= 1 && mc.length <= 4);
  for (const c of mc) assert.equal(c.occupancy.filter((o) => o === 'Ag').length, 2, c.label);
  for (let a = 0; a < mc.length; a++) for (let b = a + 1; b < mc.length; b++) assert.ok(!close(mc[a]!.features, mc[b]!.features, 1e-8));
  // the feature row is the one the mapped structure gives
  for (const c of mc) assert.ok(close(featuresOf(model, candidateStructureOf(c)), c.features));
});

function candidateStructureOf(c: Candidate): Structure {
  return candidateStructure(model.space, c);
}

test('ground-state candidate = brute-force minimum over all 28 labelings of the 2×2×2 cell at Ag 1/4; SQS candidate keeps its composition', async () => {
  const { groundStateCandidates, sqsCandidates } = await import('../../src/loop/candidates.ts');
  const sc: [[number, number, number], [number, number, number], [number, number, number]] = [[2, 0, 0], [0, 2, 0], [0, 0, 2]];
  const [gs] = await groundStateCandidates(model, sc, [{ Ag: 0.25, Pd: 0.75 }], 20, 0);
  const cache = new EvaluatorCache(model.space);
  const ag = model.space.siteSpecies[0]!.indexOf('Ag'), pd = model.space.siteSpecies[0]!.indexOf('Pd');
  let best = Infinity;
  for (let a = 0; a < 8; a++) for (let b = a + 1; b < 8; b++) {
    const codes = new Int32Array(8).fill(pd);
    codes[a] = ag;
    codes[b] = ag;
    best = Math.min(best, model.predictOne(cache.features(sc, codes)));
  }
  assert.ok(Math.abs(model.predictOne(gs!.features) - best) < 1e-9, `${model.predictOne(gs!.features)} vs ${best}`);
  const [sqs] = sqsCandidates(model, [{ Ag: 0.5, Pd: 0.5 }], 4);
  assert.equal(sqs!.occupancy.filter((o) => o === 'Ag').length * 2, sqs!.occupancy.length);
});

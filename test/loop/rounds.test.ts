import { test } from 'node:test';
import assert from 'node:assert/strict';
import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { InputError } from '../../src/core/errors.ts';
import { type ConvergenceCriteria, convergenceVerdict, eciChange, readRounds, updateRounds } from '../../src/loop/rounds.ts';

const names = ['c0', 'o1', 'o2'];
const stats = (cv: number, gs = { matched: 3, missing: 0, spurious: 0 }) => ({ nTrain: 10, cvRmse: cv, nEci: 3, groundStates: gs });
const criteria: ConvergenceCriteria = { maxCvRmse: null, maxCvChange: 0.1, maxEciChange: 0.1, groundStates: true, minRounds: 2 };

test('ECI change leaves the constant out: ‖(0.1, 0.2) − (0.1, 0.1)‖ / ‖(0.1, 0.2)‖ = 0.1/√0.05', () => {
  assert.ok(Math.abs(eciChange([-4, 0.1, 0.2], [-3, 0.1, 0.1]) - 0.1 / Math.sqrt(0.05)) < 1e-12);
});

test('rounds: new entries open a round, a re-run restates it, another space starts afresh', () => {
  const r1 = updateRounds(undefined, ['a#0', 'a#1'], names, [-4, 0.1, 0.2], stats(0.010), 't1');
  assert.equal(r1.rounds.length, 1);
  assert.deepEqual(r1.rounds[0]!.added, ['a#0', 'a#1']);
  assert.equal(r1.rounds[0]!.eciChange, null);
  const r2 = updateRounds(r1, ['a#0', 'a#1', 'a#2', 'b#0'], names, [-4, 0.1, 0.1], stats(0.0095), 't2');
  assert.deepEqual(r2.rounds.map((r) => r.round), [1, 2]);
  assert.deepEqual(r2.rounds[1]!.added, ['a#2', 'b#0']);
  assert.ok(Math.abs(r2.rounds[1]!.eciChange! - 0.1 / Math.sqrt(0.02)) < 1e-12);
  // same entries again (other fit settings): round 2 restated, its ECI change still against round 1
  const r3 = updateRounds(r2, ['a#0', 'a#1', 'a#2', 'b#0'], names, [-4, 0.1, 0.19], stats(0.0094), 't3');
  assert.deepEqual(r3.rounds.map((r) => r.round), [1, 2]);
  assert.deepEqual(r3.rounds[1]!.added, ['a#2', 'b#0']);
  assert.ok(Math.abs(r3.rounds[1]!.eciChange! - 0.01 / Math.sqrt(0.01 + 0.0361)) < 1e-12);
  // an entry removed from the data is reported
  const r4 = updateRounds(r3, ['a#0', 'a#2', 'b#0', 'b#1'], names, [-4, 0.1, 0.19], stats(0.0094), 't4');
  assert.deepEqual(r4.rounds[2]!.removed, ['a#1']);
  const other = updateRounds(r4, ['a#0'], ['c0', 'o1', 'o2', 'o3'], [-4, 0, 0, 0], stats(0.01), 't5');
  assert.equal(other.rounds.length, 1);
});

test('verdict: converged only when every criterion holds; otherwise it names the failing ones', () => {
  const one = updateRounds(undefined, ['a#0'], names, [-4, 0.1, 0.2], stats(0.010));
  assert.match(convergenceVerdict(one, criteria).text, /only 1 round \(2 needed/);
  const stable = updateRounds(one, ['a#0', 'a#1'], names, [-4, 0.1, 0.2 + 0.01], stats(0.0095));
  const v = convergenceVerdict(stable, criteria);
  assert.ok(v.converged, v.text);
  assert.match(v.text, /^Converged after round 2/);
  assert.ok(!convergenceVerdict(stable, { ...criteria, maxCvRmse: 0.005 }).converged);
  const jumpy = updateRounds(one, ['a#0', 'a#1'], names, [-4, 0.3, 0.2], stats(0.007, { matched: 2, missing: 1, spurious: 2 }));
  const w = convergenceVerdict(jumpy, criteria);
  assert.equal(w.failures.length, 3);
  assert.match(w.text, /CV RMSE changed by 30\.0 %/);
  // 0.2 / ‖(0.3, 0.2)‖ = 0.2/√0.13
  assert.match(w.text, /‖ΔJ‖\/‖J‖ = 0\.555/);
  assert.match(w.text, /1 DFT ground state missing, 2 spurious/);
});

test('a rounds file that is not one is refused; a missing one is no rounds', () => {
  const dir = mkdtempSync(join(tmpdir(), 'celt-rounds-'));
  assert.equal(readRounds(join(dir, 'rounds.json')), undefined);
  writeFileSync(join(dir, 'rounds.json'), '{"format": "something"}');
  assert.throws(() => readRounds(join(dir, 'rounds.json')), InputError);
});

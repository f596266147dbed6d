import { test } from 'node:test';
import assert from 'node:assert/strict';
import type { TrainingSet } from '../../src/data/training-set.ts';
import { enumeratedCandidates } from '../../src/loop/candidates.ts';
import { hullFrame } from '../../src/loop/hull-distance.ts';
import { DEFAULT_SIMULATION, pairedSummary, type SimulatedRound, simulate, simulationSplit } from '../../src/loop/simulate.ts';
import { smallModel, trainingFrom } from './helpers.ts';

const model = smallModel();
const ts: TrainingSet = trainingFrom(model, enumeratedCandidates(model, { sizes: [1, 2, 3, 4, 5, 6] }), 0.003, 4);
const pool = { name: 'fcc', X: ts.X, y: ts.energy, frame: hullFrame(ts.rows) };
const o = { ...DEFAULT_SIMULATION, rounds: 3, perRound: 6, seeds: [0, 1], nBootstrap: 4, alphas: [1e-3, 1e-4, 1e-5] };
const records = simulate(pool, o);

test('pool simulation protocol: test rows never picked, same start and test set for both strategies, no duplicate picks', () => {
  for (const seed of o.seeds) {
    const split = simulationSplit(ts.nRows, seed, o.testFraction, o.startFraction);
    assert.equal(split.test.length, Math.round(0.2 * ts.nRows));
    assert.equal(new Set([...split.test, ...split.start, ...split.rest]).size, ts.nRows);
    const test = new Set(split.test);
    for (const strategy of o.strategies) {
      const rs = records.filter((r) => r.seed === seed && r.strategy === strategy);
      assert.deepEqual(rs.map((r) => r.round), [0, 1, 2, 3]);
      assert.deepEqual(rs.map((r) => r.nTrain), [0, 1, 2, 3].map((k) => split.start.length + k * o.perRound));
      const train = [...split.start];
      for (const r of rs.slice(0, -1)) {
        assert.equal(r.picked.length, o.perRound);
        for (const i of r.picked) {
          assert.ok(!test.has(i), `${strategy} picked test row ${i}`);
          // no pick has the correlation vector of a row already in training (or of another pick)
          for (const t of train) assert.ok(ts.rows[t]!.features.some((v, j) => Math.abs(v - ts.rows[i]!.features[j]!) > 1e-8), `${strategy} picked a duplicate of row ${t}`);
          train.push(i);
        }
      }
    }
    // round 0 is the same fit for both strategies
    const r0 = records.filter((r) => r.seed === seed && r.round === 0);
    assert.equal(r0[0]!.testRmse, r0[1]!.testRmse);
    assert.equal(r0[0]!.gsMatched, r0[1]!.gsMatched);
  }
});

test('paired summary: mean ± SE of the per-seed differences and wins, by hand', () => {
  const rec = (seed: number, strategy: 'balanced' | 'random', testRmse: number, gsMatched: number): SimulatedRound => ({ pool: 'x', seed, strategy, round: 1, nTrain: 1, alpha: 1, cvRmse: 1, nNonzero: 1, gsConstrained: false, testRmse, gsTotal: 3, gsMatched, gsSpurious: 0, within1Sigma: 0.5, picked: [], seconds: 0 });
  const rs = [rec(0, 'balanced', 1, 3), rec(0, 'random', 2, 2), rec(1, 'balanced', 2, 2), rec(1, 'random', 5, 2), rec(2, 'balanced', 4, 1), rec(2, 'random', 3, 2)];
  const [s] = pairedSummary(rs, 'balanced', 'random', 'testRmse');
  // differences −1, −3, +1: mean −1, sample SD 2, SE 2/√3
  assert.ok(Math.abs(s!.diff.mean + 1) < 1e-12 && Math.abs(s!.diff.se - 2 / Math.sqrt(3)) < 1e-12);
  assert.equal(s!.wins, 2);
  const [g] = pairedSummary(rs, 'balanced', 'random', 'gsMatched');
  assert.equal(g!.wins, 1);
  assert.equal(g!.ties, 1);
});

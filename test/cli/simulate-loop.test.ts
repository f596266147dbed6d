/**
 * `celt simulate-loop` through the CLI on a small pool (every fcc Ag/Pd ordering of ≤ 6 prim
 * cells, energies from a hand-set CE plus seeded noise, saved as a celt training set). Checked
 * from outside the command: its records equal an in-process `simulate` call with the same
 * options; the protocol (split recomputed with simulationSplit, training sizes, a shared round 0,
 * no test row picked) read back from rounds.csv and simulation.json; the paired differences
 * recomputed by hand from rounds.csv; and every bad input ends in one line and exit 1.
 */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { mkdirSync, mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { enumeratedCandidates } from '../../src/loop/candidates.ts';
import { hullFrame } from '../../src/loop/hull-distance.ts';
import { DEFAULT_SIMULATION, type SimulatedRound, simulate, simulationSplit } from '../../src/loop/simulate.ts';
import { celt } from '../exec/cli-helpers.ts';
import { smallModel, trainingFrom } from '../loop/helpers.ts';

const model = smallModel();
const ts = trainingFrom(model, enumeratedCandidates(model, { sizes: [1, 2, 3, 4, 5, 6] }), 0.003, 4);
const dir = mkdtempSync(join(tmpdir(), 'celt-simulate-loop-'));
const POOL = join(dir, 'pool.json');
ts.save(POOL);
const OUT = join(dir, 'sim');
const o = { ...DEFAULT_SIMULATION, seeds: [0, 1, 2], rounds: 3, perRound: 6, nBootstrap: 4, alphas: [1e-3, 1e-4, 1e-5], strategies: ['dopt', 'random'] as SimulatedRound['strategy'][] };
const ARGS = ['--pool', POOL, '--criterion', 'dopt', '--seeds', '3', '--rounds', '3', '--per-round', '6', '--bootstrap', '4', '--alphas', '1e-3,1e-4,1e-5'];
const run = celt(['simulate-loop', ...ARGS, '--out', OUT]);

interface SimulationJson {
  settings: { seeds: number[]; rounds: number; perRound: number; testFraction: number; startFraction: number; criterion: string; against: string };
  records: Array<Omit<SimulatedRound, 'within1Sigma'> & { within1Sigma: number | null }>;
  testRmse: Array<{ round: number; diff: { mean: number; se: number }; wins: number; n: number }>;
  gsMatched: Array<{ round: number; diff: { mean: number; se: number }; wins: number; ties: number; n: number }>;
}
const read = (): SimulationJson => JSON.parse(readFileSync(join(OUT, 'simulation.json'), 'utf8')) as SimulationJson;
/** rounds.csv as objects; numbers parsed, empty cells NaN. */
function readCsv(): Array<Record<string, string | number | boolean>> {
  const [head, ...lines] = readFileSync(join(OUT, 'rounds.csv'), 'utf8').trim().split('\n');
  const cols = head!.split(',');
  return lines.map((l) => Object.fromEntries(l.split(',').map((v, j) => [cols[j]!, cols[j] === 'pool' || cols[j] === 'strategy' ? v : cols[j] === 'gsConstrained' ? v === 'true' : v === '' ? NaN : Number(v)])));
}

test('simulate-loop: exit 0, writes simulation.json, rounds.csv, report.html with two figures', () => {
  assert.equal(run.status, 0, run.stderr);
  assert.match(run.stdout, /held-out RMSE \(meV\/prim\)/);
  const html = readFileSync(join(OUT, 'report.html'), 'utf8');
  assert.match(html, /pool: held-out RMSE vs round/);
  assert.match(html, /pool: DFT ground states reproduced vs round/);
});

test('simulate-loop: the records equal an in-process simulate() with the same options', () => {
  const inProcess = simulate({ name: 'pool', X: ts.X, y: ts.energy, frame: hullFrame(ts.rows) }, o);
  const cli = read().records;
  assert.equal(cli.length, o.seeds.length * 2 * (o.rounds + 1));
  const strip = (r: Record<string, unknown>) => {
    const { seconds: _, ...rest } = r;
    return { ...rest, within1Sigma: rest.within1Sigma ?? NaN };
  };
  assert.deepEqual(cli.map(strip), inProcess.map((r) => strip({ ...r })));
});

test('simulate-loop: protocol read back (training sizes, shared round 0, test rows never picked)', () => {
  const s = read();
  const rows = readCsv();
  const recs = s.records;
  for (const seed of s.settings.seeds) {
    const split = simulationSplit(ts.nRows, seed, s.settings.testFraction, s.settings.startFraction);
    const test = new Set(split.test);
    const byStrategy = ['dopt', 'random'].map((st) => rows.filter((r) => r.seed === seed && r.strategy === st));
    for (const rs of byStrategy) {
      assert.deepEqual(rs.map((r) => r.round), [0, 1, 2, 3]);
      assert.deepEqual(rs.map((r) => r.nTrain), [0, 1, 2, 3].map((k) => split.start.length + k * s.settings.perRound));
    }
    // within1Sigma differs by design: random picking fits a 2-member ensemble and reports none
    const { seconds: _a, strategy: _s, within1Sigma: _w, ...r0a } = byStrategy[0]![0]!;
    const { seconds: _b, strategy: _t, within1Sigma: _v, ...r0b } = byStrategy[1]![0]!;
    assert.deepEqual(r0a, r0b, 'round 0 is one fit on the shared start');
    for (const st of ['dopt', 'random']) {
      const picked = recs.filter((r) => r.seed === seed && r.strategy === st).flatMap((r) => r.picked);
      assert.equal(picked.length, s.settings.rounds * s.settings.perRound);
      assert.equal(new Set(picked).size, picked.length, `${st} picked a structure twice`);
      for (const i of picked) {
        assert.ok(!test.has(i), `${st} picked test row ${i}`);
        assert.ok(!split.start.includes(i), `${st} picked start row ${i}`);
      }
    }
  }
});

test('simulate-loop: paired diff, SE and wins equal a hand computation from rounds.csv', () => {
  const s = read();
  const rows = readCsv();
  for (const [metric, summary] of [['testRmse', s.testRmse], ['gsMatched', s.gsMatched]] as const) {
    for (const p of summary) {
      const d = s.settings.seeds.map((seed) => {
        const v = (st: string) => rows.find((r) => r.seed === seed && r.round === p.round && r.strategy === st)![metric] as number;
        return v('dopt') - v('random');
      });
      const mean = d.reduce((a, b) => a + b, 0) / d.length;
      const sd = Math.sqrt(d.reduce((a, b) => a + (b - mean) ** 2, 0) / (d.length - 1));
      assert.ok(Math.abs(p.diff.mean - mean) <= 1e-12 * (1 + Math.abs(mean)), `${metric} round ${p.round}: ${p.diff.mean} vs ${mean}`);
      assert.ok(Math.abs(p.diff.se - sd / Math.sqrt(d.length)) <= 1e-12 * (1 + sd), `${metric} round ${p.round} SE`);
      assert.equal(p.wins, d.filter((x) => (metric === 'testRmse' ? x < 0 : x > 0)).length);
      assert.equal(p.n, s.settings.seeds.length);
    }
  }
});

const bad = (name: string, text: string) => {
  writeFileSync(join(dir, name), text);
  return join(dir, name);
};
const noOccupancy = JSON.parse(readFileSync(POOL, 'utf8')) as Record<string, unknown>;
delete noOccupancy.occupancies;
const folder = join(dir, 'a-folder');
mkdirSync(folder);
const poolArgs = (pool: string) => ['--pool', pool, '--seeds', '1', '--rounds', '1', '--per-round', '2'];
const cases: Array<[string, string[], RegExp]> = [
  ['an unknown criterion', ['--pool', POOL, '--criterion', 'best'], /--criterion must be one of balanced, hull, uncertainty, dopt, random, got 'best'/],
  ['--against equal to --criterion', ['--pool', POOL, '--criterion', 'hull', '--against', 'hull'], /--against must differ from --criterion/],
  ['--test-fraction 0', ['--pool', POOL, '--test-fraction', '0'], /--test-fraction must be a fraction in \(0, 1\), got '0'/],
  ['--start-fraction 1.5', ['--pool', POOL, '--start-fraction', '1.5'], /--start-fraction must be a fraction in \(0, 1\), got '1.5'/],
  ['test + start leaving nothing to pick', ['--pool', POOL, '--test-fraction', '0.95', '--start-fraction', '0.99'], /pool\.json, field 'pool': the pool has 137 structures: a test set of 130 .* and a start of 7 .* leave 0 to pick, fewer than --rounds 8 × --per-round 10 = 80/],
  ['a pool too small for rounds × per-round', ['--pool', POOL, '--rounds', '20', '--per-round', '10'], /the pool has 137 structures: .* leave 88 to pick, fewer than --rounds 20 × --per-round 10 = 200/],
  ['a POSCAR as pool', poolArgs(bad('POSCAR', 'Ag\n1.0\n4 0 0\n0 4 0\n0 0 4\nAg\n1\nDirect\n0 0 0\n')), /POSCAR.*invalid JSON/],
  ['a structure JSON as pool', poolArgs(bad('structure.json', JSON.stringify({ '@module': 'pymatgen.core.structure', '@class': 'Structure', lattice: { matrix: [[4, 0, 0], [0, 4, 0], [0, 0, 4]] }, sites: [] }))), /structure\.json, field 'pool': not a celt training set/],
  ['a directory as pool', poolArgs(folder), /a-folder: is a directory, not a file/],
  ['a missing pool file', poolArgs(join(dir, 'nope.json')), /nope\.json: file not found/],
  ['a truncated pool file', poolArgs(bad('cut.json', readFileSync(POOL, 'utf8').slice(0, 500))), /cut\.json.*truncated or incomplete JSON/],
  ['a training set without occupancies', poolArgs(bad('noocc.json', JSON.stringify(noOccupancy))), /noocc\.json, entry 0, field 'occupancies': a configuration has no occupancy/],
  ['--seeds 0', ['--pool', POOL, '--seeds', '0'], /--seeds must be a whole number from 1 to 1000, got '0'/],
  ['--seeds 1e6', ['--pool', POOL, '--seeds', '1e6'], /--seeds must be a whole number from 1 to 1000, got '1e6'/],
  ['a negative α', ['--pool', POOL, '--alphas', '1e-3,-1'], /--alphas must be a positive number, got '-1'/],
  ['a NaN α', ['--pool', POOL, '--alphas', 'NaN'], /--alphas must be a positive number, got 'NaN'/],
  ['--bootstrap 1', ['--pool', POOL, '--bootstrap', '1'], /--bootstrap must be a whole number from 2 to 10000, got '1'/],
  ['an unknown --gs-constraints mode', ['--pool', POOL, '--gs-constraints', 'yes'], /--gs-constraints must be one of off, always, cv, got 'yes'/],
];

for (const [what, args, message] of cases) {
  test(`simulate-loop bad input: ${what}`, () => {
    const r = celt(['simulate-loop', ...args, '--out', join(dir, 'bad')]);
    assert.equal(r.status, 1, `${what}: exit ${r.status}\n${r.stderr}`);
    const lines = r.stderr.trim().split('\n');
    assert.equal(lines.length, 1, r.stderr);
    assert.match(lines[0]!, /^celt: /);
    assert.match(lines[0]!, message);
    assert.doesNotMatch(r.stderr, /internal error|\n\s+at /);
  });
}

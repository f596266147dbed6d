import { test } from 'node:test';
import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { fileURLToPath } from 'node:url';
import { Command } from 'commander';
import { InputError, OptionError } from '../../src/core/errors.ts';
import { register as registerHull } from '../../src/cli/commands/hull.ts';
import { register as registerVoltage } from '../../src/cli/commands/voltage.ts';

const root = fileURLToPath(new URL('../../', import.meta.url));
const fixture = fileURLToPath(new URL('../fixtures/thermo/limn2o4_hand.json', import.meta.url));

/** Run a command in-process (no tsx start-up per call) and capture what it prints. */
async function run(...args: string[]): Promise<string> {
  const program = new Command().exitOverride();
  registerHull(program);
  registerVoltage(program);
  let out = '';
  const write = process.stdout.write.bind(process.stdout);
  process.stdout.write = ((chunk: string) => {
    out += chunk;
    return true;
  }) as typeof process.stdout.write;
  try {
    await program.parseAsync(['node', 'celt', ...args]);
  } finally {
    process.stdout.write = write;
  }
  return out;
}

test('celt voltage --json reproduces the hand-computed Li_xMn2O4 steps (4.6 V, 2.5 V)', async () => {
  const out = JSON.parse(await run('voltage', '--data', fixture, '--ion', 'Li', '--ref-energy', '-1.90', '--host', 'Mn2O4', '--json'));
  assert.deepEqual(out.steps.map((s: { x1: number; x2: number; voltage: number }) => [s.x1, s.x2, +s.voltage.toFixed(9)]), [[0, 1, 4.6], [1, 2, 2.5]]);
  assert.deepEqual(out.groundStates.map((g: { id: string }) => g.id), ['Mn2O4', 'LiMn2O4', 'Li2Mn2O4']);
  assert.match(await run('voltage', '--data', fixture, '--ion', 'Li', '--ref-energy', '-1.90'), /Li_x MnO2/);
});

test('celt hull --json: ground states, e_above_hull and formation energies per formula unit', async () => {
  const out = JSON.parse(await run('hull', '--data', fixture, '--end-members', 'Mn2O4,Li2Mn2O4', '--json'));
  assert.deepEqual(out.groundStates, ['Mn2O4', 'LiMn2O4', 'Li2Mn2O4']);
  const byId = Object.fromEntries(out.entries.map((e: { id: string }) => [e.id, e]));
  // Li0.5Mn2O4 = ¾ Mn2O4 + ¼ Li2Mn2O4 per f.u.: E = −106/2 = −53; hull −53.25 → 0.25 eV/f.u. above;
  // E_f(LiMn2O4) = −56.5 − (−50 − 60.9)/2 = −1.05
  assert.ok(Math.abs(byId['Li0.5Mn2O4'].eAboveHull - 0.25) < 1e-9);
  assert.ok(Math.abs(byId.LiMn2O4.formationEnergy + 1.05) < 1e-9);
  assert.match(await run('hull', '--data', fixture), /ground states \(3\)/);
});

test('bad options and data give typed errors naming the problem', async () => {
  await assert.rejects(run('voltage', '--data', fixture, '--ion', 'Li', '--ref-energy', 'abc'), OptionError);
  // LiMn2O4 = 2 MnO2 + ½ Li2O would need 4.5 O: not a mixture of these end members
  await assert.rejects(run('hull', '--data', fixture, '--end-members', 'MnO2,Li2O'), (e: unknown) => e instanceof InputError && /not a non-negative combination/.test(e.message) && e.location.entry === 'Li0.5Mn2O4');
  await assert.rejects(run('hull', '--data', fixture, '--lp', 'cplex'), OptionError);
});

test('the real binary prints one line and exits 1 on a missing file', () => {
  const r = spawnSync(process.execPath, ['--import', 'tsx', 'src/cli/main.ts', 'hull', '--data', 'no/such.json'], { cwd: root, encoding: 'utf8' });
  assert.equal(r.status, 1);
  assert.match(r.stderr, /^celt: no\/such\.json: file not found\n$/);
});

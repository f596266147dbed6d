/**
 * `celt fce` end to end: space counts as JSON, then generate → fit → phonons with the spring
 * network, whose X-point frequencies are closed-form (√(4k/m) twice, √(8k/m)).
 */
import { strict as assert } from 'node:assert';
import { spawnSync } from 'node:child_process';
import { existsSync, mkdtempSync, readFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { test } from 'node:test';

const celt = (...args: string[]) => spawnSync(process.execPath, ['bin/celt.js', 'fce', ...args], { encoding: 'utf8' });
const prim = 'data/fce/Ar-fcc.poscar';

test('celt fce space --json: fcc first neighbours have 4 parameters, 3 after the sum rules', () => {
  const r = celt('space', '--prim', prim, '--cutoffs', '2:4.0', '--json');
  assert.equal(r.status, 0, r.stderr);
  const j = JSON.parse(r.stdout) as { orbits: Array<{ parameters: number }>; parameters: number; parametersAfterSumRules: number };
  assert.deepEqual(j.orbits.map((o) => o.parameters), [1, 3]);
  assert.equal(j.parameters, 4);
  assert.equal(j.parametersAfterSumRules, 3);
});

test('celt fce generate → fit → phonons reproduces the spring model at X', () => {
  const dir = mkdtempSync(join(tmpdir(), 'celt-fce-cli-'));
  const k = 0.8, m = 39.948;
  let r = celt('generate', '--prim', prim, '--supercell=-2,2,2,2,-2,2,2,2,-2', '--potential', 'springs', '--spring-k', String(k), '--spring-cutoff', '4.0', '--rattle', '0.02', '--n', '3', '--seed', '5', '--out', join(dir, 'd.extxyz'));
  assert.equal(r.status, 0, r.stderr);
  r = celt('fit', '--prim', prim, '--cutoffs', '2:4.0', '--data', join(dir, 'd.extxyz'), '--method', 'ols', '--cv', '3', '--out', join(dir, 'fcp.json'));
  assert.equal(r.status, 0, r.stderr);
  r = celt('phonons', '--model', join(dir, 'fcp.json'), '--points', '4', '--mesh', '4,4,4', '--tmax', '100', '--tstep', '50', '--supercell', '2', '--out', join(dir, 'ph'));
  assert.equal(r.status, 0, r.stderr);
  for (const f of ['band.csv', 'band.svg', 'band.png', 'dos.csv', 'dos.png', 'thermal.csv', 'thermal.png', 'FORCE_CONSTANTS', 'SPOSCAR']) assert.ok(existsSync(join(dir, 'ph', f)), f);
  // path Γ–X–…: with 4 points per segment the 5th row is X
  const row = readFileSync(join(dir, 'ph', 'band.csv'), 'utf8').trim().split('\n')[5]!.split(',').map(Number);
  const thz = (lambda: number) => Math.sqrt((lambda * 1.602176634e-19) / 1e-20 / (m * 1.6605390666e-27)) / (2 * Math.PI) / 1e12;
  const expected = [thz(4 * k), thz(4 * k), thz(8 * k)];
  row.slice(1).forEach((v, i) => assert.ok(Math.abs(v / expected[i]! - 1) < 1e-5, `${v} vs ${expected[i]}`));
});

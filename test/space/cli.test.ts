import { test } from 'node:test';
import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { LMO_PRIM } from './helpers.ts';

const run = (...args: string[]) => spawnSync(process.execPath, ['--import', 'tsx', 'src/cli/main.ts', ...args], { encoding: 'utf8', cwd: new URL('../..', import.meta.url).pathname });

test('celt space --json on lmo_drx: 40 orbits, 386 functions, 387 features with --ewald', () => {
  const r = run('space', '--prim', LMO_PRIM, '--cutoffs', '2:6,3:4,4:2', '--basis', 'sinusoid', '--ewald', '--json');
  assert.equal(r.status, 0, r.stderr);
  const j = JSON.parse(r.stdout);
  assert.equal(j.nOrbits, 40);
  assert.equal(j.nFunctions, 386);
  assert.equal(j.nFeatures, 387);
  assert.equal(j.orbits.length, 39);
  assert.deepEqual(Object.keys(j.orbits[0]).sort(), ['diameter', 'id', 'multiplicity', 'nFunctions', 'size']);
  assert.equal(1 + j.orbits.reduce((a: number, o: { nFunctions: number }) => a + o.nFunctions, 0), 386);
});

test('celt space: bad input gives one line and exit code 1', () => {
  // one process only (each costs a TypeScript start-up); the other bad inputs are unit-tested
  for (const [args, pattern] of [[['--cutoffs', '2:3,3:4'], /must not increase/]] as [string[], RegExp][]) {
    const r = run('space', '--prim', LMO_PRIM, ...args);
    assert.equal(r.status, 1, r.stderr);
    assert.match(r.stderr, pattern);
    assert.equal(r.stderr.trim().split('\n').length, 1);
  }
});

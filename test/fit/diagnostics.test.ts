/**
 * Fits that are not what their method promises say so on the console (issue 19 item 4): a lasso
 * stopped at max_iter, an ℓ0ℓ2 search stopped with a gap (and its status always), a
 * rank-deficient OLS. Each case is built so the condition holds by construction.
 */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Rng } from '../../src/core/rng.ts';

const MAIN = new URL('../../src/cli/main.ts', import.meta.url).pathname;
const run = (args: string[]) => spawnSync(process.execPath, ['--import', 'tsx', MAIN, ...args], { encoding: 'utf8' });

const dir = mkdtempSync(join(tmpdir(), 'celt-diag-'));
const rng = new Rng(11);
// 30 samples, 12 correlated features; the last column is twice the first (rank 11 of 12)
const rows = Array.from({ length: 30 }, () => {
  const x = Array.from({ length: 11 }, () => rng.normal());
  x[1] = x[0]! + 0.01 * x[1]!;
  return [...x, 2 * x[0]!];
});
const csv = [...Array.from({ length: 12 }, (_, j) => `x${j}`), 'y'].join(',') + '\n' + rows.map((x) => [...x, x.reduce((a, v, j) => a + (j % 3 === 0 ? v : 0), 0) + 0.1 * rng.normal()].join(',')).join('\n') + '\n';
writeFileSync(join(dir, 'd.csv'), csv);
const fit = (...params: string[]) => run(['fit', '--data', join(dir, 'd.csv'), ...params, '--out', join(dir, 'f.json')]);

test('a lasso stopped at max_iter prints a warning naming the gap', () => {
  const r = fit('--method', 'lasso', '--param', 'alpha=1e-6', '--param', 'max_iter=2');
  assert.equal(r.status, 0, r.stderr);
  assert.match(r.stderr, /celt: warning: lasso did not converge in 2 iterations \(duality gap [^)]+ > tolerance [^)]+\)/);
  const ok = fit('--method', 'lasso', '--param', 'alpha=0.1');
  assert.doesNotMatch(ok.stderr, /warning/);
});

test('l0l2 always prints its status and bound; stopped by a node limit it warns with the gap', () => {
  const r = fit('--method', 'l0l2', '--param', 'mu0=1e-4', '--param', 'mu2=1e-3', '--param', 'max_nodes=1');
  assert.equal(r.status, 0, r.stderr);
  assert.match(r.stderr, /celt fit: l0l2: \w+, objective \S+, lower bound \S+, gap \S+ after 1 nodes/);
  assert.match(r.stderr, /celt: warning: l0l2 stopped \(\w+\) before proving optimality/);
  const done = fit('--method', 'l0l2', '--param', 'mu0=10', '--param', 'mu2=1');
  assert.match(done.stderr, /celt fit: l0l2: optimal/);
  assert.doesNotMatch(done.stderr, /warning/);
});

test('OLS on a rank-deficient matrix says it returned the minimum-norm solution', () => {
  const r = fit('--method', 'ols');
  assert.equal(r.status, 0, r.stderr);
  assert.match(r.stderr, /celt: warning: ols: the feature matrix has rank 11 < 12 columns/);
});

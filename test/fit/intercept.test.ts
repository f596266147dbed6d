/**
 * fit_intercept=false on a CE feature matrix whose first column is the constant correlation
 * (what smol users fit): the constant column stays a feature, so the constant is still fitted —
 * the same least-squares solution as with an intercept (hand case y = 3 + 2x exactly).
 */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

const MAIN = new URL('../../src/cli/main.ts', import.meta.url).pathname;
const run = (args: string[]) => spawnSync(process.execPath, ['--import', 'tsx', MAIN, ...args], { encoding: 'utf8' });

test('fit_intercept=false keeps the constant first column and recovers y = 3 + 2x', () => {
  const dir = mkdtempSync(join(tmpdir(), 'celt-intercept-'));
  const csv = 'c0,x,y\n' + [0, 1, 2, 3, 4, 5].map((x) => `1,${x},${3 + 2 * x}`).join('\n') + '\n';
  writeFileSync(join(dir, 'd.csv'), csv);
  for (const method of ['ols', 'ridge']) {
    const params = method === 'ridge' ? ['--param', 'alpha=1e-12'] : [];
    const r = run(['fit', '--data', join(dir, 'd.csv'), '--method', method, ...params, '--param', 'fit_intercept=false', '--out', join(dir, 'f.json')]);
    assert.equal(r.status, 0, r.stderr);
    assert.match(r.stderr, /constant first column 'c0' is kept as a feature/);
    const fit = JSON.parse(readFileSync(join(dir, 'f.json'), 'utf8'));
    assert.deepEqual(fit.featureNames, ['c0', 'x']);
    assert.equal(fit.intercept, 0);
    assert.ok(Math.abs(fit.coef[0] - 3) < 1e-8 && Math.abs(fit.coef[1] - 2) < 1e-8, `${method}: ${fit.coef}`);
    assert.ok(fit.train.rmse < 1e-8);
  }
});

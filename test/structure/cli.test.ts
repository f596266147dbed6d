import { test } from 'node:test';
import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { mkdtempSync, readFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { DATA_DIR } from '../data-dir.ts';

const MAIN = new URL('../../src/cli/main.ts', import.meta.url).pathname;
const DATA = DATA_DIR;
const run = (args: string[]) => spawnSync(process.execPath, ['--import', 'tsx', MAIN, ...args], { encoding: 'utf8' });

test('celt structure info --json: rocksalt DRX prim is Fm-3m (225) with 48 operations', () => {
  const r = run(['structure', 'info', join(DATA, 'lmo_drx/prim.json'), '--json']);
  assert.equal(r.status, 0, r.stderr);
  const info = JSON.parse(r.stdout);
  assert.equal(info.spaceGroup.number, 225);
  assert.equal(info.spaceGroup.numOperations, 48);
  assert.equal(info.numSites, 4);
  assert.ok(Math.abs(info.lattice.alpha - 60) < 1e-9);
});

test('celt map writes mapped/skipped JSON with entry indices; bad options are one-line errors', () => {
  const out = join(mkdtempSync(join(tmpdir(), 'celt-map-')), 'mapped.json');
  const r = run(['map', '--prim', join(DATA, 'lno/prim.json'), '--data', join(DATA, 'lno/entries.json.gz'), '--supercell-size', 'O2-', '--out', out]);
  assert.equal(r.status, 0, r.stderr);
  const res = JSON.parse(readFileSync(out, 'utf8'));
  assert.equal(res.mapped.length + res.skipped.length, 31);
  assert.match(r.stdout, new RegExp(`mapped ${res.mapped.length} of 31`));
  const seen = [...res.mapped, ...res.skipped].map((x: { entry: number }) => x.entry).sort((a: number, b: number) => a - b);
  assert.deepEqual(seen, Array.from({ length: 31 }, (_, i) => i));
  for (const m of res.mapped) {
    assert.equal(m.scMatrix.length, 3);
    const det = (a: number[][]) => a[0]![0]! * (a[1]![1]! * a[2]![2]! - a[1]![2]! * a[2]![1]!) - a[0]![1]! * (a[1]![0]! * a[2]![2]! - a[1]![2]! * a[2]![0]!) + a[0]![2]! * (a[1]![0]! * a[2]![1]! - a[1]![1]! * a[2]![0]!);
    assert.equal(m.occupancy.length, 4 * Math.abs(det(m.scMatrix)));
    assert.ok(m.maxDisplacement >= 0);
  }
  for (const s of res.skipped) assert.ok(typeof s.reason === 'string' && s.reason.length > 0);
  const bad = run(['map', '--prim', join(DATA, 'lno/prim.json'), '--data', join(DATA, 'lno/entries.json.gz'), '--mode', 'fancy', '--out', out]);
  assert.equal(bad.status, 1);
  assert.match(bad.stderr, /^celt: .*--mode/);
  assert.equal(bad.stderr.trim().split('\n').length, 1);
});

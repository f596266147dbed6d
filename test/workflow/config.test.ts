import { test } from 'node:test';
import assert from 'node:assert/strict';
import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { OptionError, InputError } from '../../src/core/errors.ts';
import { configFromObject, configTemplate, defaultConfig, loadConfig, parseCvSpec, parseGridSpec, DATA_DIR } from '../../src/workflow/config.ts';

const dir = mkdtempSync(join(tmpdir(), 'celt-config-'));
const write = (name: string, obj: unknown) => {
  const p = join(dir, name);
  writeFileSync(p, typeof obj === 'string' ? obj : JSON.stringify(obj));
  return p;
};
const expectOption = (fn: () => unknown, field: string, msg?: RegExp) =>
  assert.throws(fn, (e: unknown) => {
    assert.ok(e instanceof OptionError, `expected OptionError, got ${String(e)}`);
    assert.equal(e.location.field, field);
    if (msg) assert.match(e.message, msg);
    return true;
  });

test('the init template is a valid config and relative paths resolve against its folder', () => {
  const cfg = loadConfig(write('template.json', configTemplate()));
  assert.equal(cfg.prim, join(dir, 'prim.json'));
  assert.deepEqual(cfg.data, [join(dir, 'entries.json')]);
  assert.equal(cfg.output, join(dir, 'celt-out'));
  assert.deepEqual(cfg.space.cutoffs, { 2: 6, 3: 4, 4: 2 });
  assert.equal(cfg.fit.method, 'lasso');
  assert.deepEqual(cfg.fit.cv, { kind: 'kfold', k: 5 });
});

test('defaults (no config) use the embedded lmo_drx data and the published smol settings', () => {
  const cfg = defaultConfig('/somewhere');
  assert.equal(cfg.prim, join(DATA_DIR, 'lmo_drx/prim.json'));
  assert.deepEqual(cfg.data, [join(DATA_DIR, 'lmo_drx/entries.json.gz')]);
  assert.equal(cfg.output, '/somewhere/celt-out');
  assert.deepEqual(cfg.mapping, { ltol: 0.15, stol: 0.2, angleTol: 15, supercellSize: 'O2-', mode: 'standard' });
  assert.equal(cfg.space.basis, 'sinusoid');
  assert.equal(cfg.space.ewald, true);
  const alpha = cfg.fit.grid.alpha!;
  assert.ok(Math.abs(alpha[0]! - 1e-6) < 1e-18 && Math.abs(alpha.at(-1)! - 1e-1) < 1e-13);
});

test('unknown keys and wrong types name the key path', () => {
  const ok = { prim: 'p.json', data: ['d.json'] };
  expectOption(() => configFromObject({ ...ok, fit: { grid: { alpha: 5 } } }, dir), 'fit.grid.alpha');
  expectOption(() => configFromObject({ ...ok, fit: { methd: 'lasso' } }, dir), 'fit.methd', /unknown key 'methd' in 'fit'/);
  expectOption(() => configFromObject({ ...ok, cutoffs: { 2: 6 } }, dir), 'cutoffs', /unknown key/);
  expectOption(() => configFromObject({ ...ok, space: { ewald: 'yes' } }, dir), 'space.ewald', /true or false/);
  expectOption(() => configFromObject({ ...ok, space: { cutoffs: { 2: -1 } } }, dir), 'space.cutoffs.2', /> 0/);
  expectOption(() => configFromObject({ ...ok, space: { cutoffs: { pair: 6 } } }, dir), 'space.cutoffs.pair');
  expectOption(() => configFromObject({ ...ok, space: { basis: 'fourier' } }, dir), 'space.basis', /sinusoid/);
  expectOption(() => configFromObject({ ...ok, data: 'd.json' }, dir), 'data', /list/);
  expectOption(() => configFromObject({ ...ok, fit: { cv: 'kfold:1' } }, dir), 'fit.cv');
  expectOption(() => configFromObject({ ...ok, fit: { grid: { alpha: '1e-6:1e-1:x:log' } } }, dir), 'fit.grid.alpha');
  // "_" keys are comments at any depth
  configFromObject({ ...ok, _note: 1, fit: { _comment: 'x', grid: { _why: 'y' } } }, dir);
});

test('missing required keys and missing files are actionable', () => {
  expectOption(() => configFromObject({ data: ['x'] }, dir, 'c.json'), 'prim', /celt init/);
  expectOption(() => configFromObject({ prim: 'x' }, dir, 'c.json'), 'data');
  assert.throws(() => loadConfig(join(dir, 'nope.json')), (e: unknown) => e instanceof InputError && /celt init/.test(e.message));
  assert.throws(() => loadConfig(write('bad.json', '{"prim": ')), /truncated or incomplete JSON/);
});

test('grid specs expand to the values a hand calculation gives', () => {
  const g = parseGridSpec('1e-6:1e-1:6:log', 'g');
  [1e-6, 1e-5, 1e-4, 1e-3, 1e-2, 1e-1].forEach((v, i) => assert.ok(Math.abs(g[i]! / v - 1) < 1e-12, `${g[i]} vs ${v}`));
  assert.deepEqual(parseGridSpec('0:1:5:lin', 'g'), [0, 0.25, 0.5, 0.75, 1]);
  assert.deepEqual(parseGridSpec([3, 1], 'g'), [3, 1]);
  assert.throws(() => parseGridSpec('0:1:3:log', 'g'), OptionError);
});

test('CV specs', () => {
  assert.deepEqual(parseCvSpec('kfold:10'), { kind: 'kfold', k: 10 });
  assert.deepEqual(parseCvSpec('shuffle:50:0.2'), { kind: 'shuffle', n: 50, testFraction: 0.2 });
  assert.deepEqual(parseCvSpec('loo'), { kind: 'loo' });
  for (const bad of ['kfold:1', 'shuffle:50:1.5', 'bootstrap:3', 'loo:2']) assert.throws(() => parseCvSpec(bad), OptionError, bad);
});

test('cutoffs that grow with cluster size are rejected under space.cutoffs', () => {
  expectOption(() => configFromObject({ prim: 'p', data: ['d'], space: { cutoffs: { 2: 4, 3: 6 } } }, dir), 'space.cutoffs', /increase/);
});

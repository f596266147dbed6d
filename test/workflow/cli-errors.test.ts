/**
 * Bad input through the real CLI (`node bin/celt.js …`): every case must end with exit code 1
 * and one line on stderr that says what to fix — never a stack trace.
 */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { mkdtempSync, writeFileSync, readFileSync, existsSync } from 'node:fs';
import { gunzipSync } from 'node:zlib';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';

const root = resolve(import.meta.dirname, '../..');
const dir = mkdtempSync(join(tmpdir(), 'celt-cli-'));
const prim = join(root, 'data/lmo_drx/prim.json');
const entries = join(root, 'data/lmo_drx/entries.json.gz');

function celt(...args: string[]): { code: number | null; stdout: string; stderr: string } {
  const r = spawnSync(process.execPath, [join(root, 'bin/celt.js'), ...args], { cwd: dir, encoding: 'utf8', env: { ...process.env, CELT_NO_PROGRESS: '1' } });
  return { code: r.status, stdout: r.stdout, stderr: r.stderr.split('\n').filter((l) => !/npm warn/i.test(l)).join('\n') };
}
function config(name: string, obj: unknown): string {
  const p = join(dir, name);
  writeFileSync(p, JSON.stringify(obj));
  return p;
}
function expectFailure(r: ReturnType<typeof celt>, pattern: RegExp): void {
  assert.equal(r.code, 1, `exit code; stderr: ${r.stderr}`);
  assert.match(r.stderr, pattern);
  assert.doesNotMatch(r.stderr, /\n\s+at /, 'no stack trace');
}

test('config file not found', () => {
  expectFailure(celt('run', 'nope.json'), /celt: nope\.json: config file not found \(create one with `celt init/);
});

test('missing required key names the key', () => {
  expectFailure(celt('run', config('c1.json', { prim })), /c1\.json, field 'data': missing required key 'data'/);
});

test('unknown key and wrong type name the key path', () => {
  expectFailure(celt('run', config('c2.json', { prim, data: [entries], fit: { grid: { alpha: 5 } } })), /field 'fit\.grid\.alpha': expected/);
  expectFailure(celt('run', config('c3.json', { prim, data: [entries], mapping: { ltol: 0.1, sTol: 0.2 } })), /field 'mapping\.sTol': unknown key 'sTol' in 'mapping'; known keys: ltol, stol/);
});

test('unknown method lists the known ones', () => {
  expectFailure(celt('run', config('c4.json', { prim, data: [entries], fit: { method: 'lassoo' } })), /field 'fit\.method': unknown method 'lassoo'; known methods: .*lasso/);
});

test('a data file that does not exist', () => {
  expectFailure(celt('run', config('c5.json', { prim, data: ['missing-entries.json'] })), /field 'data\[0\]': data file not found: .*missing-entries\.json/);
});

test('a dataset where nothing maps stops with the skip reasons', () => {
  // three Ag–Pd fcc structures given as entries for the Li–Mn–O lattice
  const structs = JSON.parse(gunzipSync(readFileSync(join(root, 'data/agpd_fcc/structures.json.gz'))).toString()).slice(0, 3);
  const data = join(dir, 'agpd-entries.json');
  writeFileSync(data, JSON.stringify(structs.map((s: unknown, i: number) => ({ '@class': 'ComputedStructureEntry', energy: -4 - i, correction: 0, structure: s }))));
  const r = celt('run', config('c6.json', { prim, data: [data], fit: { learningCurve: false } }), '--quiet');
  expectFailure(r, /none of the 3 entries could be mapped onto the lattice of .*prim\.json \(.*×3\); check that the primitive cell allows the data's species/);
});

test('init writes a template that refuses to overwrite, and run on it names the missing prim', () => {
  const r = celt('init', '--out', 'celt.json');
  assert.equal(r.code, 0, r.stderr);
  assert.ok(existsSync(join(dir, 'celt.json')));
  expectFailure(celt('init', '--out', 'celt.json'), /already exists; use --force/);
  expectFailure(celt('run', 'celt.json'), /celt\.json, field 'prim': primitive cell file not found/);
});

test('predict with a missing model file', () => {
  expectFailure(celt('predict', '--model', 'none.json', '--data', entries), /celt: none\.json: model file not found/);
});

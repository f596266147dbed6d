/**
 * File-system and pipe problems a user causes end in one line naming the path and exit 1 (or a
 * quiet exit 0 when a reader closes the pipe), never "internal error" with a stack trace.
 */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { gzipSync } from 'node:zlib';
import { DATA_DIR } from '../data-dir.ts';

const MAIN = new URL('../../src/cli/main.ts', import.meta.url).pathname;
const run = (args: string[]) => spawnSync(process.execPath, ['--import', 'tsx', MAIN, ...args], { encoding: 'utf8' });
const LNO = join(DATA_DIR, 'lno');

test('a directory where a file belongs: one line naming it, exit 1, for every reading command', () => {
  const dir = mkdtempSync(join(tmpdir(), 'celt-dir-'));
  const commands = [
    ['structure', 'info', dir],
    ['space', '--prim', dir, '--cutoffs', '2:5'],
    ['map', '--prim', join(LNO, 'prim.json'), '--data', dir, '--out', join(dir, 'm.json')],
    ['fit', '--data', dir, '--method', 'ols', '--out', join(dir, 'f.json')],
    ['predict', '--model', dir, '--data', join(LNO, 'prim.json')],
    ['learn', '--data', dir, '--target', 'y', '--model', 'linear'],
    ['hull', '--data', dir],
    ['voltage', '--data', dir, '--ion', 'Li', '--ref-energy', '-1.9'],
    ['charges', '--data', dir, '--element', 'Ni', '--states', '3,4'],
  ];
  for (const args of commands) {
    const r = run(args);
    assert.equal(r.status, 1, `${args.join(' ')}: ${r.stderr}`);
    assert.equal(r.stderr, `celt: ${dir}: is a directory, not a file\n`, args.join(' '));
  }
});

test('a NaN literal (as Python writes it) is named as such at its own line, not as truncation', () => {
  const dir = mkdtempSync(join(tmpdir(), 'celt-nan-'));
  const file = join(dir, 'entries.json');
  // outside a list of entries (the whole file is one dict) the literal is the file's error
  writeFileSync(file, '{\n"a": "NaN inside a string is fine",\n"energy": NaN\n}\n');
  const r = run(['map', '--prim', join(LNO, 'prim.json'), '--data', file, '--out', join(dir, 'm.json')]);
  assert.equal(r.status, 1);
  assert.match(r.stderr, new RegExp(`^celt: ${file}, line 3: NaN or Infinity literal`));
  writeFileSync(file, '[\n{"a": 1},\n{"a": 2');
  const t = run(['map', '--prim', join(LNO, 'prim.json'), '--data', file, '--out', join(dir, 'm.json')]);
  assert.match(t.stderr, /line 3: truncated or incomplete JSON/);
});

test('gzip-compressed inputs are read where plain ones are (CSV for fit)', () => {
  const dir = mkdtempSync(join(tmpdir(), 'celt-gz-'));
  // y = 1 + 2x exactly: OLS recovers it from the compressed file
  const csv = 'x,y\n' + [0, 1, 2, 3, 4].map((x) => `${x},${1 + 2 * x}`).join('\n') + '\n';
  writeFileSync(join(dir, 'd.csv.gz'), gzipSync(csv));
  const r = run(['fit', '--data', join(dir, 'd.csv.gz'), '--method', 'ols', '--out', join(dir, 'f.json')]);
  assert.equal(r.status, 0, r.stderr);
  const fit = JSON.parse(readFileSync(join(dir, 'f.json'), 'utf8'));
  assert.ok(Math.abs(fit.intercept - 1) < 1e-12 && Math.abs(fit.coef[0] - 2) < 1e-12, JSON.stringify(fit));
});

test('`celt … | head -1` ends quietly when the reader closes the pipe', () => {
  const r = spawnSync('bash', ['-c', `"${process.execPath}" --import tsx "${MAIN}" methods | head -c 10 >/dev/null; echo "status=\${PIPESTATUS[0]}"`], { encoding: 'utf8' });
  assert.match(r.stdout, /status=0/);
  assert.doesNotMatch(r.stderr, /EPIPE|internal error/);
});

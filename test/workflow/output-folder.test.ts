/**
 * Nothing lost, nothing mixed (issue 19 item 18), through the real binary: a small `celt run`
 * is interrupted with SIGINT as each stage starts, into a folder that holds a complete earlier
 * run. After every interrupt the folder must hold either the old complete run or a new complete
 * one — judged from the outside: manifest.json present, every file it lists has its SHA-256, no
 * run file beside them that it does not list, no staging folder left behind.
 */
import assert from 'node:assert/strict';
import { spawn, spawnSync } from 'node:child_process';
import { createHash } from 'node:crypto';
import { existsSync, mkdirSync, mkdtempSync, readdirSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { test } from 'node:test';
import { gunzipSync } from 'node:zlib';

const root = resolve(import.meta.dirname, '../..');
const dir = mkdtempSync(join(tmpdir(), 'celt-out-'));
const bin = join(root, 'bin/celt.js');
const out = join(dir, 'out');
const all = JSON.parse(gunzipSync(readFileSync(join(root, 'data/lmo_drx/entries.json.gz'))).toString()) as unknown[];
writeFileSync(join(dir, 'entries.json'), JSON.stringify(all.slice(0, 60)));
const cfgFile = join(dir, 'celt.json');
writeFileSync(
  cfgFile,
  JSON.stringify({
    prim: join(root, 'data/lmo_drx/prim.json'),
    data: ['entries.json'],
    space: { cutoffs: { 2: 4, 3: 3 } },
    fit: { grid: { alpha: '1e-4:1e-2:3:log' }, cv: 'kfold:3', learningCurveRepeats: 3 },
    output: 'out',
  }),
);

interface Manifest {
  files: Array<{ path: string; bytes: number; sha256: string }>;
}

/** The manifest when the folder is one complete run, else a description of what is wrong. */
function completeRun(folder: string): Manifest | string {
  const mPath = join(folder, 'manifest.json');
  if (!existsSync(mPath)) return 'no manifest.json';
  const m = JSON.parse(readFileSync(mPath, 'utf8')) as Manifest;
  for (const f of m.files) {
    const p = join(folder, f.path);
    if (!existsSync(p)) return `${f.path} missing`;
    if (createHash('sha256').update(readFileSync(p)).digest('hex') !== f.sha256) return `${f.path} is not the manifest's`;
  }
  const listed = new Set(m.files.map((f) => f.path.split('/')[0]));
  // a hidden .celt-staging-PID folder of an interrupted run is not part of the results
  const extra = readdirSync(folder).filter((n) => n !== 'manifest.json' && !listed.has(n) && !n.startsWith('.celt-staging-'));
  return extra.length ? `unlisted: ${extra.join(', ')}` : m;
}

function runToCompletion(): Manifest {
  const r = spawnSync(process.execPath, [bin, 'run', cfgFile], { cwd: dir, encoding: 'utf8', env: { ...process.env, CELT_NO_PROGRESS: '1' } });
  assert.equal(r.status, 0, r.stderr);
  const m = completeRun(out);
  assert.ok(typeof m !== 'string', `after a full run: ${m}`);
  return m;
}

/** Start a run, send SIGINT when the stage's progress line appears; resolves with the exit code and whether the signal was sent. */
function interruptAt(label: string): Promise<{ code: number | null; signalled: boolean }> {
  return new Promise((done) => {
    const child = spawn(process.execPath, [bin, 'run', cfgFile], { cwd: dir, env: { ...process.env, CELT_NO_PROGRESS: '1' } });
    let err = '', signalled = false;
    child.stderr.on('data', (b: Buffer) => {
      err += b.toString();
      if (!signalled && err.split('\n').some((l) => l.startsWith(label) && l.endsWith(' …'))) {
        signalled = true;
        child.kill('SIGINT');
      }
    });
    child.on('exit', (code) => done({ code, signalled }));
  });
}

test('the output folder is checked before any work: a file in the way is a one-line error, exit 1', () => {
  const blocker = join(dir, 'blocker');
  writeFileSync(blocker, 'x');
  const r = spawnSync(process.execPath, [bin, 'run', cfgFile, '--out', blocker], { cwd: dir, encoding: 'utf8' });
  assert.equal(r.status, 1);
  assert.match(r.stderr, /blocker, field 'output': the output path exists and is not a folder/);
  assert.doesNotMatch(r.stderr, /mapping \+ features/, 'refused before the mapping');
  mkdirSync(join(dir, 'sub'));
  writeFileSync(join(dir, 'sub/file'), 'x');
  const r2 = spawnSync(process.execPath, [bin, 'run', cfgFile, '--out', join(dir, 'sub/file/deeper')], { cwd: dir, encoding: 'utf8' });
  assert.equal(r2.status, 1);
  assert.match(r2.stderr, /field 'output': cannot write the output folder/);
});

test('SIGINT at each stage of celt run leaves the old complete folder or a new complete one', async (t) => {
  const first = runToCompletion();
  // the report is shared: no absolute path of this machine in it (issue 19 item 11)
  const html = readFileSync(join(out, 'report.html'), 'utf8');
  for (const p of [root, dir]) assert.ok(!html.includes(p), `report.html names ${p}`);
  assert.match(html, /…\/lmo_drx\/prim\.json/);
  const shaOf = (m: Manifest) => m.files.map((f) => `${f.path}:${f.sha256}`).join('\n');
  let previous = shaOf(first);
  const stages = ['cluster space', 'mapping + features', 'CV search', 'final fit', 'CV predictions + learning curve', 'convex hulls'];
  let interrupted = 0;
  for (const label of stages) {
    const r = await interruptAt(label);
    const m = completeRun(out);
    assert.ok(r.signalled, `no '${label} …' line`);
    t.diagnostic(`SIGINT at '${label}': exit ${r.code}`);
    assert.ok(typeof m !== 'string', `interrupt at '${label}' (exit ${r.code}): ${m}`);
    // Ctrl-C keeps its immediate default effect, so the interrupted run's hidden staging folder
    // stays until the next run into the folder removes it: at most one at a time.
    assert.ok(readdirSync(out).filter((n) => n.startsWith('.celt-')).length <= 1, `staging folders pile up after '${label}'`);
    if (r.code !== 0) {
      interrupted++;
      assert.equal(shaOf(m), previous, `interrupted at '${label}': the old run must be untouched`);
    }
    previous = shaOf(m);
  }
  assert.ok(interrupted >= 4, `only ${interrupted} of ${stages.length} runs were stopped by the interrupt`);
  const m = completeRun(out) as Manifest;
  assert.ok(m.files.some((f) => f.path === 'model.json') && m.files.some((f) => f.path === 'report.html'));
});

test('the swap: old run files (also ones the new run does not write) leave, the user’s own files stay, the manifest verifies', async () => {
  const { prepareOutput, commitOutput, verifyManifest } = await import('../../src/workflow/output-folder.ts');
  const folder = join(dir, 'swap');
  mkdirSync(join(folder, 'mc'), { recursive: true });
  writeFileSync(join(folder, 'mc/old.json'), 'old mc');
  writeFileSync(join(folder, 'model.json'), 'old model');
  writeFileSync(join(folder, 'notes.txt'), 'mine');
  const staged = prepareOutput(folder);
  writeFileSync(join(staged.staging, 'model.json'), 'new model');
  mkdirSync(join(staged.staging, 'figures'));
  writeFileSync(join(staged.staging, 'figures/a.svg'), '<svg/>');
  commitOutput(staged);
  assert.deepEqual(readdirSync(folder).sort(), ['figures', 'manifest.json', 'model.json', 'notes.txt']);
  assert.equal(readFileSync(join(folder, 'model.json'), 'utf8'), 'new model');
  assert.ok(verifyManifest(folder));
  writeFileSync(join(folder, 'model.json'), 'tampered');
  assert.ok(!verifyManifest(folder), 'a changed file fails the manifest');
});

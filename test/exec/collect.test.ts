/**
 * `celt collect` and `celt exec-task` without a cluster: a work dir from another grid is
 * refused untouched; a job that never started is reported with its queue state and the sbatch
 * line that resubmits only the missing chunks, against stand-in sbatch/squeue scripts that
 * answer like SLURM 22.05 does (`sbatch --parsable` → "JOBID", `squeue -h -r -o '%i %T %r'` →
 * "JOBID_INDEX PENDING Resources"); a failing task is listed with its array index's log.
 * The real-SLURM run is scripts/test-slurm.mjs.
 */
import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { chmodSync, existsSync, mkdirSync, readdirSync, readFileSync, writeFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { test } from 'node:test';
import { BIN, celt, MC, pathWithout, tmp } from './cli-helpers.ts';


test('a work dir from another grid is refused; its files stay as they were', () => {
  const out = join(tmp(), 'mc');
  assert.equal(celt([...MC, '--out', out, '--executor', 'local']).status, 0);
  const before = readdirSync(join(`${out}.grid`, 'tasks')).map((f) => readFileSync(join(`${out}.grid`, 'tasks', f), 'utf8'));
  const summary = readFileSync(join(out, 'summary.json'), 'utf8');
  const r = celt([...MC.map((a) => (a === '3000,6000,9000' ? '3000,6000' : a)), '--out', out, '--executor', 'local']);
  assert.equal(r.status, 1);
  assert.match(r.stderr, /^celt: .*mc\.grid: holds another grid \(mc [0-9a-f]{12}, built by `celt mc .*`\), not this mc grid/);
  assert.equal(r.stderr.trim().split('\n').length, 1);
  assert.deepEqual(readdirSync(join(`${out}.grid`, 'tasks')).map((f) => readFileSync(join(`${out}.grid`, 'tasks', f), 'utf8')), before);
  assert.equal(readFileSync(join(out, 'summary.json'), 'utf8'), summary);
});

test('a job that never starts: collect reports the queue state and the line that resubmits only the missing chunks', () => {
  const bin = tmp();
  const log = join(bin, 'sbatch.log');
  writeFileSync(join(bin, 'sbatch'), `#!/bin/sh\necho "$@" >> ${log}\necho 4242\n`);
  // the controller still holds index 1 as pending; index 0 and 2 are gone from the queue
  writeFileSync(join(bin, 'squeue'), `#!/bin/sh\necho "4242_1 PENDING Resources"\n`);
  chmodSync(join(bin, 'sbatch'), 0o755);
  chmodSync(join(bin, 'squeue'), 0o755);
  const env = { PATH: pathWithout(bin) };
  const out = join(tmp(), 'mc');
  const r = celt([...MC, '--out', out, '--executor', 'slurm'], env);
  assert.equal(r.status, 0, r.stderr);
  assert.match(r.stderr, /submitted SLURM job 4242 \(array 0-2, 3 tasks, 1 per index\)/);
  const dir = `${out}.grid`;
  assert.equal(readFileSync(log, 'utf8').trim(), `--parsable --array=0-2 ${dir}/slurm/job.sh`);
  // run chunk 2 as its array index would; 0 never ran, 1 is pending
  const node = spawnSync(process.execPath, [BIN, 'exec-task', dir, '--chunk', '2'], { encoding: 'utf8', env: { ...process.env, SLURM_ARRAY_JOB_ID: '4242', SLURM_ARRAY_TASK_ID: '2' } });
  assert.equal(node.status, 0, node.stderr);
  const c = celt(['collect', dir, '--json'], env);
  assert.equal(c.status, 1);
  const rep = JSON.parse(c.stdout);
  assert.equal(rep.done, 1);
  assert.deepEqual(rep.open.map((t: { chunk: number; state: string; log: string }) => [t.chunk, t.state, t.log]), [
    [0, 'missing', `${dir}/logs/4242_0.out`],
    [1, 'PENDING (Resources)', `${dir}/logs/4242_1.out`],
  ]);
  const text = celt(['collect', dir], env);
  assert.equal(text.status, 1);
  assert.match(text.stderr, /1 of 3 tasks done, 0 failed, 2 missing; nothing merged/);
  assert.match(text.stderr, /1 chunks are still queued or running/);
  assert.match(text.stderr, new RegExp(`resubmit only these: sbatch --array=0 ${dir}/slurm/job.sh`));
  assert.ok(!existsSync(join(out, 'summary.json')), 'nothing merged');
  const re = celt(['collect', dir, '--resubmit', '--array-throttle', '1'], env);
  assert.equal(re.status, 0, re.stderr);
  assert.equal(readFileSync(log, 'utf8').trim().split('\n').at(-1), `--parsable --array=0%1 ${dir}/slurm/job.sh`);
  assert.equal(JSON.parse(readFileSync(join(dir, 'slurm', 'submissions.json'), 'utf8')).length, 2);
});

test('exec-task: a failing task exits 1 and its .err names the array index log; collect lists it', () => {
  const out = join(tmp(), 'mc');
  assert.equal(celt([...MC, '--out', out, '--executor', 'slurm', '--dry-run']).status, 0);
  const dir = `${out}.grid`;
  // break the shared payload's model so every task fails (a corrupt copy on the cluster's file system)
  const shared = JSON.parse(readFileSync(join(dir, 'shared.json'), 'utf8'));
  shared.model = { bogus: true };
  writeFileSync(join(dir, 'shared.json'), JSON.stringify(shared));
  mkdirSync(dirname(join(dir, 'logs', 'x')), { recursive: true });
  const r = spawnSync(process.execPath, [BIN, 'exec-task', dir, '--chunk', '1'], { encoding: 'utf8', env: { ...process.env, SLURM_ARRAY_JOB_ID: '77', SLURM_ARRAY_TASK_ID: '1' } });
  assert.equal(r.status, 1);
  assert.match(r.stderr, /chunk 1: 1 of 1 tasks failed/);
  const c = celt(['collect', dir, '--json'], { PATH: pathWithout() });
  const failed = JSON.parse(c.stdout).open.filter((t: { state: string }) => t.state === 'failed');
  assert.equal(failed.length, 1);
  assert.equal(failed[0].log, `${dir}/logs/77_1.out`);
  assert.ok(failed[0].error.length > 0 && !failed[0].error.includes('\n'));
  const past = spawnSync(process.execPath, [BIN, 'exec-task', dir, '--chunk', '3'], { encoding: 'utf8' });
  assert.equal(past.status, 1);
  assert.match(past.stderr, /--chunk 3 is past the grid's last chunk \(2\)/);
});

/**
 * `npm run test:slurm`: task grids against a real SLURM (Debian's slurmctld/slurmd/munge 22.05)
 * brought up on loopback by scripts/slurm-up.sh and stopped by slurm-down.sh at the end.
 *  1. an MC grid (12 conditions, lno model), two search grids (lasso α paths, ridge points) and a
 *     sparsity study (two phases chained with afterok) run locally (plain, no executor) and with
 *     --executor slurm; collected; compared: canonical summary / search / study JSON (timing,
 *     speed and path fields removed) byte for byte, every other output file (trace, lowest
 *     structures, HTML page, CSVs, figures) byte for byte;
 *  2. resume: a slower grid is scancel'ed midway; collect reports the missing tasks and the
 *     resubmit line; `celt collect --resubmit`; the collected result is identical to the local one;
 *  3. a job that never starts (a DOWN partition): collect says PENDING (PartitionDown);
 *  4. a task that fails: reported with the log path of its array index, and that log holds the error.
 * Without sbatch on PATH this fails (installing SLURM is the caller's job), unless
 * SLURM_OPTIONAL=1, when it prints "skipped: no slurm" and exits 0.
 */
import assert from 'node:assert/strict';
import { execFileSync, spawnSync } from 'node:child_process';
import { existsSync, mkdtempSync, readdirSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { canonicalResultText } from '../src/exec/codec.ts';
import { findOnPath } from '../src/exec/slurm.ts';

const ROOT = fileURLToPath(new URL('../', import.meta.url));
const BIN = join(ROOT, 'bin/celt.js');
const MODEL = join(ROOT, 'test/fixtures/exec/lno-model.json');
const DATA = `${join(ROOT, 'data/agpd_fcc/corr.npy')},${join(ROOT, 'data/agpd_fcc/energy.npy')}`;

const missing = ['sbatch', 'squeue', 'scancel', 'sinfo', 'slurmctld', 'slurmd', 'munged'].filter((b) => !findOnPath(b, `${process.env.PATH}:/usr/sbin:/sbin`));
// slurm-up.sh runs slurmctld/slurmd with SlurmUser=root: a loopback cluster needs root
const why = missing.length ? `${missing.join(', ')} not on PATH; install SLURM first (apt-get install -y slurmctld slurmd slurm-client munge)` : process.getuid?.() !== 0 ? 'the loopback SLURM (slurmd as root) needs root' : '';
if (why) {
  if (process.env.SLURM_OPTIONAL === '1') {
    console.log('skipped: no slurm');
    process.exit(0);
  }
  console.error(`test:slurm: ${why}; or set SLURM_OPTIONAL=1 to skip`);
  process.exit(1);
}

const work = mkdtempSync(join(tmpdir(), 'celt-test-slurm-'));
const sdir = join(work, 'slurm');
const env: NodeJS.ProcessEnv = { ...process.env, CELT_NO_PROGRESS: '1', CELT_SLURM_PORT: String(27000 + (process.pid % 500) * 2), PATH: `${process.env.PATH}:/usr/sbin:/sbin` };
const t0 = performance.now();
const log = (msg: string) => console.log(`[${((performance.now() - t0) / 1000).toFixed(1)} s] ${msg}`);

function celt(args: string[], ok = true): { status: number; stdout: string; stderr: string } {
  const r = spawnSync(process.execPath, [BIN, ...args], { encoding: 'utf8', env });
  if (ok && r.status !== 0) throw new Error(`celt ${args.join(' ')} exited ${r.status}:\n${r.stderr}`);
  return { status: r.status ?? -1, stdout: r.stdout, stderr: r.stderr };
}
const jobIdOf = (stderr: string) => /submitted SLURM job (\d+)/.exec(stderr)?.[1] ?? assert.fail(`no job id in: ${stderr}`);
const queued = (job: string) => execFileSync('squeue', ['-h', '-r', '-j', job, '-o', '%i %T'], { encoding: 'utf8', env }).trim();

async function waitFor(job: string, limitSeconds = 600): Promise<void> {
  const end = Date.now() + limitSeconds * 1000;
  for (;;) {
    let q = '';
    try {
      q = queued(job);
    } catch {
      return; // the controller forgot the job: it ended
    }
    if (!q) return;
    assert.ok(Date.now() < end, `job ${job} still queued after ${limitSeconds} s:\n${q}`);
    await new Promise((r) => setTimeout(r, 500));
  }
}

const canon = (f: string) => canonicalResultText(JSON.parse(readFileSync(f, 'utf8')));

/** Two output directories: canonical summary equal, every other file byte for byte. */
function sameMcOutput(a: string, b: string): void {
  assert.equal(canon(join(b, 'summary.json')), canon(join(a, 'summary.json')), `${b}/summary.json`);
  const files = readdirSync(a).filter((f) => f !== 'summary.json');
  assert.deepEqual(readdirSync(b).filter((f) => f !== 'summary.json').sort(), files.sort());
  for (const f of files) assert.ok(readFileSync(join(a, f)).equals(readFileSync(join(b, f))), `${b}/${f} differs from ${a}/${f}`);
}

async function main(): Promise<void> {
  const up = spawnSync('bash', [join(ROOT, 'scripts/slurm-up.sh'), sdir], { encoding: 'utf8', env });
  if (up.status !== 0) throw new Error(`slurm-up failed:\n${up.stderr}`);
  env.SLURM_CONF = join(sdir, 'slurm.conf');
  log(`SLURM up (${up.stderr.trim()})`);

  // 1. MC grid, local vs slurm
  const mc = ['mc', '--model', MODEL, '--supercell', '2', '--ensemble', 'charge-neutral', '--T', '3000,6000,9000,12000', '--mu', 'Li+=-5.5', '--mu', 'Li+=-5', '--mu', 'Li+=-4.5', '--composition', 'Li+=0.5,Ni4+=0.5', '--steps', '2000', '--seed', '7'];
  celt([...mc, '--out', join(work, 'mc-local')]);
  const sub = celt([...mc, '--out', join(work, 'mc-slurm'), '--executor', 'slurm', '--chunk-size', '2', '--array-throttle', '2', '--time', '10', '--mem', '500M']);
  const job = jobIdOf(sub.stderr);
  log(`mc grid submitted as job ${job}`);
  await waitFor(job);
  celt(['collect', join(work, 'mc-slurm.grid')]);
  sameMcOutput(join(work, 'mc-local'), join(work, 'mc-slurm'));
  log('mc: 12 conditions on SLURM (6 array indices) == local run (canonical summary, trace, structures, page, figures)');

  // search grids: lasso (one task per fold's α path) and ridge (grid point × fold)
  for (const [method, grid, cv] of [['lasso', 'alpha=1e-5:1e-2:12:log', 'kfold:5'], ['ridge', 'alpha=1e-6:1e-1:6:log', 'kfold:4']] as const) {
    const s = ['search', '--data', DATA, '--method', method, '--grid', grid, '--cv', cv, '--seed', '1'];
    celt([...s, '--out', join(work, `${method}-local.json`)]);
    const js = jobIdOf(celt([...s, '--out', join(work, `${method}-slurm.json`), '--executor', 'slurm', '--chunk-size', '4']).stderr);
    await waitFor(js);
    celt(['collect', `${join(work, `${method}-slurm.json`)}.grid`]);
    assert.equal(canon(join(work, `${method}-slurm.json`)), canon(join(work, `${method}-local.json`)));
    log(`search ${method}: SLURM job ${js} == local run (canonical search JSON)`);
  }

  // sparsity study: two phases chained with afterok (ℓ0ℓ2 CV folds + full fits, then subset fits)
  const st = ['sparsity-study', '--data', join(ROOT, 'test/fixtures/exec/planted.csv'), '--subsets', '0.5,0.8', '--repeats', '3', '--cv', 'kfold:4', '--seed', '2', '--param', 'max_nodes=100000'];
  celt([...st, '--out', join(work, 'study-local')]);
  const sjobs = /submitted SLURM job ([\d,]+)/.exec(celt([...st, '--out', join(work, 'study-slurm'), '--executor', 'slurm', '--chunk-size', '8']).stderr)?.[1] ?? assert.fail('no job ids');
  assert.equal(sjobs.split(',').length, 2, 'one array job per phase');
  for (const j of sjobs.split(',')) await waitFor(j);
  celt(['collect', join(work, 'study-slurm.grid')]);
  assert.equal(canon(join(work, 'study-slurm', 'study.json')), canon(join(work, 'study-local', 'study.json')));
  for (const f of ['fig4a_cv_vs_sparsity.csv', 'fig4b_eci_convergence.csv', 'fig4a_cv_vs_sparsity.svg', 'fig4b_eci_convergence.png']) assert.ok(readFileSync(join(work, 'study-local', f)).equals(readFileSync(join(work, 'study-slurm', f))), f);
  log(`sparsity-study: jobs ${sjobs} (phase 1 afterok phase 0) == local run (canonical study.json, CSVs, figures)`);

  // 2. resume: cancel midway, collect reports, resubmit only the missing, identical result
  const slow = [...mc.map((a) => (a === '2000' ? '30000' : a)), '--out'];
  celt([...slow, join(work, 'resume-local')]);
  const rdir = join(work, 'resume-slurm.grid');
  const rjob = jobIdOf(celt([...slow, join(work, 'resume-slurm'), '--executor', 'slurm', '--array-throttle', '1']).stderr);
  for (;;) {
    const done = existsSync(join(rdir, 'tasks')) ? readdirSync(join(rdir, 'tasks')).filter((f) => f.endsWith('.json')).length : 0;
    if (done >= 3) break;
    await new Promise((r) => setTimeout(r, 200));
  }
  execFileSync('scancel', [rjob], { env });
  await waitFor(rjob);
  const partial = celt(['collect', rdir], false);
  assert.equal(partial.status, 1);
  const m = /(\d+) of 12 tasks done, 0 failed, (\d+) missing; nothing merged/.exec(partial.stderr);
  assert.ok(m && Number(m[2]) > 0, partial.stderr);
  const line = /resubmit only these: sbatch --array=(\S+) (\S+)/.exec(partial.stderr);
  assert.ok(line, partial.stderr);
  assert.ok(!existsSync(join(work, 'resume-slurm', 'summary.json')), 'nothing merged while tasks are missing');
  log(`resume: scancel after ${m[1]} of 12 tasks; collect says ${m[2]} missing, resubmit --array=${line[1]}`);
  const re = celt(['collect', rdir, '--resubmit']);
  const rjob2 = /as SLURM job (\d+)/.exec(re.stderr)?.[1] ?? assert.fail(re.stderr);
  await waitFor(rjob2);
  celt(['collect', rdir]);
  sameMcOutput(join(work, 'resume-local'), join(work, 'resume-slurm'));
  const subs = JSON.parse(readFileSync(join(rdir, 'slurm', 'submissions.json'), 'utf8')) as { chunks: number[] }[];
  assert.equal(subs[1]!.chunks.length, Number(m[2]), 'the resubmission holds only the missing chunks (one task each)');
  log(`resume: resubmitted ${subs[1]!.chunks.length} chunks as job ${rjob2}; collected result == local run`);

  // 3. a job that never starts
  const hdir = join(work, 'held.grid');
  const hjob = jobIdOf(celt([...mc, '--out', join(work, 'held'), '--executor', 'slurm', '--partition', 'held']).stderr);
  await new Promise((r) => setTimeout(r, 1500));
  const held = celt(['collect', hdir, '--json'], false);
  assert.equal(held.status, 1);
  const states = new Set((JSON.parse(held.stdout).open as { state: string }[]).map((t) => t.state));
  assert.deepEqual([...states], ['PENDING (PartitionDown)'], held.stdout);
  execFileSync('scancel', [hjob], { env });
  log(`never starts: collect reports job ${hjob} as PENDING (PartitionDown) for all 12 tasks`);

  // 4. a failing task: reported with its log path, which holds the error
  const fdir = join(work, 'fail.grid');
  celt([...mc, '--out', join(work, 'fail'), '--executor', 'slurm', '--dry-run']);
  const shared = JSON.parse(readFileSync(join(fdir, 'shared.json'), 'utf8'));
  shared.model = { not: 'a model' };
  writeFileSync(join(fdir, 'shared.json'), JSON.stringify(shared));
  const fsub = celt(['collect', fdir, '--resubmit'], true);
  const fjob = /as SLURM job (\d+)/.exec(fsub.stderr)?.[1] ?? assert.fail(fsub.stderr);
  await waitFor(fjob);
  const failed = celt(['collect', fdir, '--json'], false);
  const open = JSON.parse(failed.stdout).open as { state: string; log: string; error: string }[];
  assert.equal(open.length, 12);
  for (const t of open) {
    assert.equal(t.state, 'failed');
    assert.match(t.error, /not a celt model file/);
    assert.ok(existsSync(t.log), `log ${t.log} exists`);
    assert.match(readFileSync(t.log, 'utf8'), /tasks failed/);
  }
  log(`failing tasks: 12 reported failed with their logs (${open[0]!.log})`);
}

let failed = false;
try {
  await main();
  console.log(`test:slurm: all checks passed in ${((performance.now() - t0) / 1000).toFixed(1)} s`);
} catch (e) {
  failed = true;
  console.error(`test:slurm: FAILED: ${(e as Error).stack ?? e}`);
  console.error(`(work dir kept: ${work}; SLURM logs in ${sdir}/log)`);
} finally {
  spawnSync('bash', [join(ROOT, 'scripts/slurm-down.sh'), sdir], { env: { ...env, KEEP: failed ? '1' : '0' }, stdio: 'inherit' });
}
process.exit(failed ? 1 : 0);

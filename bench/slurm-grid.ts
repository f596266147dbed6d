/**
 * What the SLURM path costs per task: an N-condition MC grid of tiny tasks (lno model, 2×2×2
 * supercell, --steps STEPS) run locally in one process (today's `celt mc`, no executor) and with
 * --executor slurm at each chunk size, on a one-node loopback SLURM (scripts/slurm-up.sh).
 * Prints wall times — submission (the `celt mc --executor slurm` command: model load, start
 * state, grid files, sbatch), queue (until squeue is empty), collection (`celt collect`: read N
 * task files, merge, write summary/trace/structures/page/figures) — and the overhead per task,
 * (submit + queue + collect − local run) / N, and checks the merged output equals the local one
 * (canonical summary; every other file byte for byte). Run `npm run build` first so array
 * indices start from dist/ rather than compiling the sources with tsx.
 *   npx tsx bench/slurm-grid.ts [N=1000] [STEPS=200] [CHUNKS=1,50]
 */
import { execFileSync, spawnSync } from 'node:child_process';
import { mkdtempSync, readdirSync, readFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { canonicalResultText } from '../src/exec/codec.ts';

const ROOT = fileURLToPath(new URL('../', import.meta.url));
const N = Number(process.argv[2] ?? 1000), STEPS = process.argv[3] ?? '200', CHUNKS = (process.argv[4] ?? '1,50').split(',').map(Number);
const work = mkdtempSync(join(tmpdir(), 'celt-bench-slurm-'));
const sdir = join(work, 'slurm');
const env: NodeJS.ProcessEnv = { ...process.env, CELT_NO_PROGRESS: '1', CELT_SLURM_PORT: String(28000 + (process.pid % 500) * 2), PATH: `${process.env.PATH}:/usr/sbin:/sbin` };

function timed(args: string[]): { seconds: number; stderr: string } {
  const t = performance.now();
  const r = spawnSync(process.execPath, [join(ROOT, 'bin/celt.js'), ...args], { encoding: 'utf8', env });
  if (r.status !== 0) throw new Error(`celt ${args.join(' ')}: ${r.stderr}`);
  return { seconds: (performance.now() - t) / 1000, stderr: r.stderr };
}

async function drain(job: string): Promise<number> {
  const t = performance.now();
  for (;;) {
    const q = execFileSync('squeue', ['-h', '-j', job, '-o', '%i'], { encoding: 'utf8', env }).trim();
    if (!q) return (performance.now() - t) / 1000;
    await new Promise((r) => setTimeout(r, 250));
  }
}

function same(a: string, b: string): boolean {
  const canon = (d: string) => canonicalResultText(JSON.parse(readFileSync(join(d, 'summary.json'), 'utf8')));
  if (canon(a) !== canon(b)) return false;
  return readdirSync(a).filter((f) => f !== 'summary.json').every((f) => readFileSync(join(a, f)).equals(readFileSync(join(b, f))));
}

const up = spawnSync('bash', [join(ROOT, 'scripts/slurm-up.sh'), sdir], { encoding: 'utf8', env });
if (up.status !== 0) throw new Error(up.stderr);
env.SLURM_CONF = join(sdir, 'slurm.conf');
try {
  const hi = 100 + (N - 1) * 10;
  const mc = ['mc', '--model', join(ROOT, 'test/fixtures/exec/lno-model.json'), '--supercell', '2', '--ensemble', 'canonical', '--T', `100:${hi}:10`, '--composition', 'Li+=0.5,Ni4+=0.5', '--steps', STEPS, '--seed', '1'];
  const local = timed([...mc, '--out', join(work, 'local')]);
  console.log(`local (1 process, 1 thread): ${N} conditions × ${STEPS} steps in ${local.seconds.toFixed(1)} s wall`);
  for (const chunk of CHUNKS) {
    const out = join(work, `slurm-${chunk}`);
    const sub = timed([...mc, '--out', out, '--executor', 'slurm', '--chunk-size', String(chunk)]);
    const job = /submitted SLURM job (\d+)/.exec(sub.stderr)![1]!;
    const queue = await drain(job);
    const col = timed(['collect', `${out}.grid`]);
    const taskSeconds = readdirSync(join(`${out}.grid`, 'tasks')).reduce((a, f) => a + (JSON.parse(readFileSync(join(`${out}.grid`, 'tasks', f), 'utf8')) as { seconds: number }).seconds, 0);
    const total = sub.seconds + queue + col.seconds;
    console.log(
      `slurm --chunk-size ${chunk} (${Math.ceil(N / chunk)} array indices, 2 CPUs): submit ${sub.seconds.toFixed(1)} s, queue ${queue.toFixed(1)} s, collect ${col.seconds.toFixed(1)} s, ` +
        `total ${total.toFixed(1)} s; task compute ${taskSeconds.toFixed(1)} s; overhead per task (total − local) / N = ${(((total - local.seconds) / N) * 1000).toFixed(0)} ms; ` +
        `submit+collect per task ${(((sub.seconds + col.seconds) / N) * 1000).toFixed(1)} ms; merged output == local: ${same(join(work, 'local'), out)}`,
    );
  }
} finally {
  spawnSync('bash', [join(ROOT, 'scripts/slurm-down.sh'), sdir], { env, stdio: 'inherit' });
}

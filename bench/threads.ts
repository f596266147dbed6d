/**
 * Worker pool pay-off: 5-fold 100-α lasso path CV with 1 and 2 threads in one process,
 * alternating, reporting wall time AND CPU per OS thread (/proc/self/task/<tid>/stat).
 *
 *   npm run build && npx tsx bench/threads.ts [--data X.npy,y.npy | --train ts.json] [--reps 2]
 *
 * Why per-thread CPU: on a shared Linux machine with sched_autogroup_enabled = 1, CPU is
 * shared per session, not per thread, so while other sessions keep the cores busy a second
 * thread cannot shorten wall time at all. The busiest JavaScript thread's CPU time is then the
 * honest stand-in for wall time on an idle machine (the critical path); the sum shows the pool's
 * overhead. Runs from dist/ when built (workers then start without tsx), else from the sources.
 */
import { existsSync, readFileSync, readdirSync } from 'node:fs';
import { loadDataset } from '../src/data/matrix-io.ts';
import type * as EnetCv from '../src/fit/selection/enet-path-cv.ts';
import type * as Parallel from '../src/fit/selection/parallel.ts';
import type * as Solver from '../src/fit/solvers/enet-cd.ts';
import type * as Prep from '../src/fit/prepare.ts';
import { median } from './dense.ts';
import { synthetic } from './fit.ts';

const built = existsSync(new URL('../dist/.stamp', import.meta.url));
const mod = async <T>(path: string): Promise<T> => (await import(new URL(built ? `../dist/${path}.js` : `../src/${path}.ts`, import.meta.url).href)) as T;
const { runTasks, closePool } = await mod<typeof Parallel>('fit/selection/parallel');
const { pathTasks } = await mod<typeof EnetCv>('fit/selection/enet-path-cv');
const { alphaGrid, alphaMax, EnetProblem } = await mod<typeof Solver>('fit/solvers/enet-cd');
const { prepare } = await mod<typeof Prep>('fit/prepare');

/** CPU seconds per OS thread of this process (utime + stime, 100 ticks/s). */
function threadCpu(): Map<string, number> {
  const out = new Map<string, number>();
  for (const t of readdirSync('/proc/self/task')) {
    const stat = readFileSync(`/proc/self/task/${t}/stat`, 'utf8');
    const f = stat.slice(stat.lastIndexOf(')') + 2).split(' ');
    out.set(t, (Number(f[11]) + Number(f[12])) / 100);
  }
  return out;
}

const args = process.argv.slice(2);
const get = (k: string) => {
  const i = args.indexOf(k);
  return i >= 0 ? args[i + 1] : undefined;
};
const spec = get('--data') ?? get('--train');
const { X, y } = spec ? loadDataset(spec) : synthetic();
const reps = Number(get('--reps') ?? 2);
const P = prepare(X, y, {}, { fitIntercept: true });
const grid = alphaGrid(alphaMax(new EnetProblem(P.X, P.y), 1), 100, 1e-3);
const splits = [];
for (let f = 0, start = 0; f < 5; f++) {
  const size = Math.floor(X.rows / 5) + (f < X.rows % 5 ? 1 : 0);
  splits.push({ test: Int32Array.from({ length: size }, (_, k) => start + k), train: Int32Array.from({ length: X.rows - size }, (_, k) => (k < start ? k : k + size)) });
  start += size;
}
const tasks = pathTasks(splits, grid, 1, 1e-4, 10000, true).map((t) => ({ kind: 'path' as const, ...t }));
console.log(`${spec ?? 'synthetic 1000×2000'}: X ${X.rows}×${X.cols}, 5 folds × 100 α; code from ${built ? 'dist/' : 'src/ (tsx)'}; ${reps} alternating repetitions`);
const rec: Record<number, { wall: number[]; busiest: number[]; total: number[] }> = { 1: { wall: [], busiest: [], total: [] }, 2: { wall: [], busiest: [], total: [] } };
for (let r = 0; r < reps; r++) {
  for (const th of [1, 2]) {
    const before = threadCpu();
    const t0 = performance.now();
    await runTasks(X, y, undefined, {}, tasks, { threads: th });
    const wall = (performance.now() - t0) / 1000;
    const after = threadCpu();
    const d = [...after].map(([t, c]) => c - (before.get(t) ?? 0)).sort((a, b) => b - a);
    rec[th]!.wall.push(wall);
    rec[th]!.busiest.push(d[0]!);
    rec[th]!.total.push(d.reduce((a, b) => a + b, 0));
    console.log(`  rep ${r + 1}, ${th} thread(s): ${wall.toFixed(2)} s wall; per-thread CPU ${d.filter((v) => v >= 0.01).map((v) => v.toFixed(2)).join(' ')} s`);
  }
}
for (const th of [1, 2]) {
  const m = rec[th]!;
  console.log(`${th} thread(s): median wall ${median(m.wall).toFixed(2)} s, busiest thread ${median(m.busiest).toFixed(2)} s CPU, all threads ${median(m.total).toFixed(2)} s CPU`);
}
console.log(`critical-path speed-up (busiest thread, 1 → 2): ${(median(rec[1]!.busiest) / median(rec[2]!.busiest)).toFixed(2)}×; wall speed-up ${(median(rec[1]!.wall) / median(rec[2]!.wall)).toFixed(2)}× (machine shared: see header)`);
await closePool();

/**
 * Lasso path with 5-fold CV (100 α, sklearn's grid) — celt vs scikit-learn's
 * LassoCV(n_alphas=100, cv=5), whole process against whole process.
 *
 *   npx tsx bench/fit.ts                       # agpd_fcc + 1000×2000 synthetic (+ TRAIN_JSON)
 *   npx tsx bench/fit.ts --train path/to/lmo_drx_train.json
 *   npx tsx bench/fit.ts --write-npy /tmp/celt-syn   # also write the synthetic X/y for Python
 *
 * Each case runs in a fresh child process (`--case NAME`), so the celt number includes Node
 * start-up, module loading and data reading, as the Python number includes interpreter start-up
 * and imports. scikit-learn timings were measured by hand on this machine (2 shared cores, noisy)
 * with the command in SKLEARN below; re-measure with it after changing the data.
 */
import { execFileSync } from 'node:child_process';
import { writeFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { Mat } from '../src/core/matrix.ts';
import { Rng } from '../src/core/rng.ts';
import { loadDataset } from '../src/data/matrix-io.ts';
import { encodeNpy } from '../src/data/npy.ts';
import { enetCV, type pathFold, type PathFoldTask } from '../src/fit/selection/enet-path-cv.ts';
import { runTasks } from '../src/fit/selection/parallel.ts';
import type { Split } from '../src/fit/selection/splits.ts';

/**
 * Wall-clock seconds of `/usr/bin/python3 -W ignore -c "<SKLEARN_SCRIPT>" X.npy y.npy` (whole
 * process, best of 2; cpu = user + sys from /usr/bin/time), measured 2026-11-22 11:17 UTC with
 * scikit-learn 1.2.1 / OpenBLAS on this 2-core machine at load average ≈ 3 (other jobs running).
 */
const SKLEARN_SCRIPT = `import sys, numpy as np; from sklearn.linear_model import LassoCV; X=np.load(sys.argv[1]); y=np.load(sys.argv[2]); m=LassoCV(n_alphas=100, cv=5).fit(X, y); print(m.alpha_, (m.coef_!=0).sum())`;
const SKLEARN: Record<string, { seconds: number; cpu: number; alpha: number; nnz: number; note: string }> = {
  agpd_fcc: { seconds: 1.10, cpu: 1.34, alpha: 1.7488439793861532e-4, nnz: 18, note: 'python3 -c SCRIPT agpd_fcc/corr.npy agpd_fcc/energy.npy' },
  // lmo_drx training set from `celt featurize` (238 × 387, constant column → intercept: 238 × 386),
  // exported to .npy by loadDataset + encodeNpy; file used: /tmp/l0/lmo_train.json.
  train: { seconds: 1.89, cpu: 2.92, alpha: 1.6914610206843204e-3, nnz: 18, note: 'python3 -W ignore -c SCRIPT lmo-X.npy lmo-y.npy' },
  synthetic_1000x2000: { seconds: 6.88, cpu: 12.86, alpha: 3.35202443865055e-3, nnz: 202, note: 'python3 -c SCRIPT /tmp/celt-syn-X.npy /tmp/celt-syn-y.npy (files from --write-npy /tmp/celt-syn)' },
};

const HERE = fileURLToPath(new URL('.', import.meta.url));
const AGPD = HERE + '../data/agpd_fcc/';

/** Seeded correlated design: AR(1) columns (ρ = 0.9), 40 true nonzeros, noise 0.1. */
export function synthetic(n = 1000, p = 2000, seed = 42): { X: Mat; y: Float64Array } {
  const rng = new Rng(seed);
  const X = new Mat(n, p);
  const rho = 0.9, s = Math.sqrt(1 - rho * rho);
  for (let i = 0; i < n; i++) {
    let v = rng.normal();
    X.data[i * p] = v;
    for (let j = 1; j < p; j++) {
      v = rho * v + s * rng.normal();
      X.data[i * p + j] = v;
    }
  }
  const w = new Float64Array(p);
  for (let k = 0; k < 40; k++) w[rng.int(p)] = rng.normal();
  const y = new Float64Array(n);
  for (let i = 0; i < n; i++) {
    let t = 0.1 * rng.normal();
    for (let j = 0; j < p; j++) t += X.data[i * p + j]! * w[j]!;
    y[i] = t;
  }
  return { X, y };
}

function loadCase(name: string, train?: string): { X: Mat; y: Float64Array } {
  if (name === 'agpd_fcc') {
    const ds = loadDataset(`${AGPD}corr.npy,${AGPD}energy.npy`);
    return { X: ds.X, y: ds.y };
  }
  if (name === 'synthetic_1000x2000') return synthetic();
  const ds = loadDataset(train!);
  return { X: ds.X, y: ds.y };
}

async function runCase(name: string, threads: number, train?: string): Promise<void> {
  const t0 = performance.now();
  const { X, y } = loadCase(name, train);
  const t1 = performance.now();
  // sklearn's KFold(5) (no shuffling): contiguous blocks, the first n % 5 one larger.
  const splits: Split[] = [];
  for (let f = 0, start = 0; f < 5; f++) {
    const size = Math.floor(X.rows / 5) + (f < X.rows % 5 ? 1 : 0);
    splits.push({ test: Int32Array.from({ length: size }, (_, k) => start + k), train: Int32Array.from({ length: X.rows - size }, (_, k) => (k < start ? k : k + size)) });
    start += size;
  }
  const run = threads > 1 ? async (tasks: PathFoldTask[]) => (await runTasks(X, y, undefined, {}, tasks.map((t) => ({ kind: 'path' as const, ...t })), { threads })) as ReturnType<typeof pathFold>[] : undefined;
  const r = await enetCV(X, y, splits, { run });
  let nnz = 0;
  for (const c of r.coef) if (c !== 0) nnz++;
  const cpu = process.cpuUsage();
  console.log(JSON.stringify({ name, cpu: (cpu.user + cpu.system) / 1e6, n: X.rows, p: X.cols, load: (t1 - t0) / 1000, path: r.seconds.path, refit: r.seconds.refit, alpha: r.bestAlpha, nnz, converged: r.converged }));
}

async function main(): Promise<void> {
  const args = process.argv.slice(2);
  const get = (k: string) => {
    const i = args.indexOf(k);
    return i >= 0 ? args[i + 1] : undefined;
  };
  const caseName = get('--case');
  if (caseName) return runCase(caseName, Number(get('--threads') ?? 1), get('--train'));
  const npyBase = get('--write-npy');
  if (npyBase) {
    const { X, y } = synthetic();
    writeFileSync(`${npyBase}-X.npy`, encodeNpy([X.rows, X.cols], X.data));
    writeFileSync(`${npyBase}-y.npy`, encodeNpy([y.length], y));
    console.log(`wrote ${npyBase}-X.npy, ${npyBase}-y.npy`);
    return;
  }
  const train = get('--train') ?? process.env.TRAIN_JSON;
  const cases = ['agpd_fcc', 'synthetic_1000x2000', ...(train ? ['train'] : [])];
  console.log('LassoCV(n_alphas=100, cv=5): whole-process wall time, celt (1 and 2 threads) vs scikit-learn (measured by hand)');
  for (const c of cases) {
    for (const threads of [1, 2]) {
      const t0 = performance.now();
      const out = execFileSync(process.execPath, ['--import', 'tsx', fileURLToPath(import.meta.url), '--case', c, '--threads', String(threads), ...(train ? ['--train', train] : [])], { encoding: 'utf8', cwd: HERE + '..' });
      const wall = (performance.now() - t0) / 1000;
      const r = JSON.parse(out.trim().split('\n').pop()!);
      const sk = SKLEARN[c];
      const ratio = sk && Number.isFinite(sk.seconds) ? `  sklearn ${sk.seconds.toFixed(2)} s wall, ${sk.cpu.toFixed(2)} s CPU (α ${sk.alpha.toExponential(3)}, ${sk.nnz} nonzero) → wall ratio sklearn/celt ${(sk.seconds / wall).toFixed(2)}×, CPU ratio ${(sk.cpu / r.cpu).toFixed(2)}×` : '  (no sklearn timing stored)';
      console.log(`${c} ${r.n}×${r.p}, ${threads} thread(s): ${wall.toFixed(2)} s whole process, CPU ${r.cpu.toFixed(2)} s (load ${r.load.toFixed(2)}, path+CV ${r.path.toFixed(2)}, refit ${r.refit.toFixed(3)}); α ${r.alpha.toExponential(3)}, ${r.nnz} nonzero, converged ${r.converged}${ratio}`);
    }
  }
  console.log(`sklearn command: /usr/bin/python3 -c "${SKLEARN_SCRIPT}" X.npy y.npy`);
}

if (process.argv[1]?.endsWith("fit.ts")) await main();

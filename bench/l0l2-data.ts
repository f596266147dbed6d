/** Shared by the ℓ0ℓ2 bench scripts: a dataset in the centered Gram form the estimator solves. */
import { type Dataset, loadDataset } from '../src/data/matrix-io.ts';
import { buildProblem, type L0Problem } from '../src/fit/l0/problem.ts';

/** The value after `--name` on the command line, if given. */
export function benchArg(name: string): string | undefined {
  const i = process.argv.indexOf(name);
  return i >= 0 ? process.argv[i + 1] : undefined;
}

/** Centered Gram form, as the estimator builds it with fit_intercept = true. */
export function gramProblem(ds: Dataset): { G: Float64Array; b: Float64Array; yy: number; n: number; p: number } {
  const n = ds.X.rows, p = ds.X.cols, X = ds.X.data;
  const mx = new Float64Array(p);
  let my = 0;
  for (let i = 0; i < n; i++) { my += ds.y[i]! / n; for (let j = 0; j < p; j++) mx[j] += X[i * p + j]! / n; }
  const Xc = new Float64Array(n * p), yc = new Float64Array(n);
  for (let i = 0; i < n; i++) { yc[i] = ds.y[i]! - my; for (let j = 0; j < p; j++) Xc[i * p + j] = X[i * p + j]! - mx[j]!; }
  const G = new Float64Array(p * p), b = new Float64Array(p);
  let yy = 0;
  for (let i = 0; i < n; i++) {
    yy += yc[i]! * yc[i]!;
    for (let a = 0; a < p; a++) {
      const xa = Xc[i * p + a]!;
      if (xa === 0) continue;
      b[a] += xa * yc[i]!;
      for (let c = 0; c < p; c++) G[a * p + c] += xa * Xc[i * p + c]!;
    }
  }
  return { G, b, yy, n, p };
}


/**
 * The bench instances of issue 15: agpd_fcc (μ2 = 9.63e-4) and, given a TrainingSet path,
 * lmo_drx (μ2 = 7.526e-3, hierarchy, Ewald ≥ 0), each at its three μ0; `only` = 'agpd' | 'lmo'.
 */
export function benchInstances(only: string | undefined, lmoPath: string | undefined): Array<{ label: string; prob: L0Problem }> {
  const instances: Array<{ label: string; prob: L0Problem }> = [];
  if (only !== 'lmo') {
    const dir = new URL('../data/agpd_fcc', import.meta.url).pathname;
    const gp = gramProblem(loadDataset(`${dir}/corr.npy,${dir}/energy.npy`));
    for (const mu0 of [1.83e-4, 1.83e-3, 1.83e-2]) instances.push({ label: `agpd μ0=${mu0}`, prob: { ...buildProblem(gp.G, gp.b, gp.yy, gp.p, { mu0, mu2: 9.63e-4 }), n: gp.n } });
  }
  if (lmoPath && only !== 'agpd') {
    const ds = loadDataset(lmoPath);
    const gp = gramProblem(ds);
    const ewald = ds.featureNames.findIndex((f) => /ewald/i.test(f));
    for (const mu0 of [1.9e-4, 1.9e-3, 1.9e-2]) instances.push({ label: `lmo μ0=${mu0}`, prob: { ...buildProblem(gp.G, gp.b, gp.yy, gp.p, { mu0, mu2: 7.526e-3, hierarchy: ds.hierarchy ?? [], nonneg: [ewald] }), n: gp.n } });
  }
  return instances;
}

/**
 * Which σ_noise makes the loop's error bars calibrated (src/loop/ensemble.ts): on a featurized
 * pool, for 10 seeds × 3 training sizes of random rows (the bench/loop.ts split: 20 % test set,
 * 20 % start, +40, +80 rows), lasso with α by path CV, a 10-member bootstrap ensemble, and the
 * fraction of held-out errors inside ±1σ with σ² = σ²_ens + σ²_noise for
 *   rms: σ²_noise = MSE_CV;   mad: σ_noise = 1.4826·median |CV residual|;
 *   sub: σ²_noise = MSE_CV − mean σ²_ens over training rows (what ensemble.ts uses);
 *   ensOnly: σ_noise = 0.
 *   npx tsx bench/loop-noise.ts scratch/agpd-train.json      (featurize command: bench/loop.ts)
 */
import { TrainingSet } from '../src/data/training-set.ts';
import { fitEnsemble, predictEnsemble } from '../src/loop/ensemble.ts';
import { lassoCv, simulationSplit } from '../src/loop/simulate.ts';

const ts = TrainingSet.load(process.argv[2] ?? 'scratch/agpd-train.json');
const X = ts.X, y = ts.energy;
const alphas = [1e-2, 3e-3, 1e-3, 3e-4, 1e-4, 3e-5, 1e-5, 3e-6, 1e-6];
const acc: Record<string, number[]> = { rms: [], mad: [], sub: [], ensOnly: [] };
for (let seed = 0; seed < 10; seed++) {
  const sp = simulationSplit(X.rows, seed, 0.2, 0.2);
  for (const ntr of [sp.start.length, sp.start.length + 40, sp.start.length + 80]) {
    const tr = [...sp.start, ...sp.rest].slice(0, ntr);
    const Xtr = X.selectRows(tr), ytr = Float64Array.from(tr, (i) => y[i]!);
    const cv = lassoCv(Xtr, ytr, alphas, 5, seed);
    const ens = fitEnsemble({ method: 'lasso', params: { alpha: cv.alpha } }, Xtr, ytr, { nBootstrap: 10, seed, cvRmse: cv.cvRmse });
    const pt = predictEnsemble(ens, X.selectRows(sp.test));
    const spread = predictEnsemble(ens, Xtr).sigmaEnsemble;
    const r = Array.from(cv.residuals, Math.abs).sort((a, b) => a - b);
    const variants: Array<[string, number]> = [
      ['rms', cv.cvRmse],
      ['mad', 1.4826 * r[Math.floor(r.length / 2)]!],
      ['sub', Math.sqrt(Math.max(0, cv.cvRmse ** 2 - spread.reduce((a, s) => a + s * s, 0) / Xtr.rows))],
      ['ensOnly', 0],
    ];
    for (const [k, sn] of variants) {
      let inside = 0;
      sp.test.forEach((i, t) => (inside += Math.abs(pt.mean[t]! - y[i]!) <= Math.sqrt(pt.sigmaEnsemble[t]! ** 2 + sn ** 2) ? 1 : 0));
      acc[k]!.push(inside / sp.test.length);
    }
  }
}
for (const [k, v] of Object.entries(acc)) console.log(`${k.padEnd(8)} mean ${(v.reduce((a, b) => a + b) / v.length).toFixed(3)}  min ${Math.min(...v).toFixed(2)}  max ${Math.max(...v).toFixed(2)}`);

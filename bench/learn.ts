/**
 * Seed 004 Table 1 on Friedman #1: linear regression, MLPs with 1–12 tanh neurons (LM),
 * full GPR, additive GPR and GPR-NN with growing neuron counts, each over the same seeded
 * 80/20 splits. Question asked (seed 004): does MLP test error grow with neurons while
 * GPR-NN's does not?
 *
 *   npx tsx bench/learn.ts [--splits 100] [--n 100] [--features 10] [--noise 1] [--epochs 100]
 */
import { parseArgs } from 'node:util';
import { Rng } from '../src/core/rng.ts';
import { shuffleSplit } from '../src/fit/selection/splits.ts';
import { evaluateRegression, table1, type RegressionSummary } from '../src/learn/evaluate.ts';
import { friedman1 } from '../src/learn/datasets.ts';
import { GprNn } from '../src/learn/gprnn.ts';
import { GprRegressor } from '../src/learn/gpr-regressor.ts';
import { LinearRegression } from '../src/learn/linear.ts';
import { Mlp } from '../src/learn/mlp.ts';
import type { BaseEstimator } from '../src/fit/estimator.ts';

const { values } = parseArgs({
  options: {
    splits: { type: 'string', default: '100' },
    n: { type: 'string', default: '100' },
    features: { type: 'string', default: '10' },
    noise: { type: 'string', default: '1' },
    epochs: { type: 'string', default: '100' },
    seed: { type: 'string', default: '0' },
  },
});
const splits = Number(values.splits), n = Number(values.n), D = Number(values.features), epochs = Number(values.epochs), seed = Number(values.seed);
const { X, y } = friedman1(n, { features: D, noise: Number(values.noise), seed });
const plans = shuffleSplit(n, splits, 0.2, new Rng(seed));
console.log(`Friedman #1: n = ${n}, D = ${D} (5 informative), noise σ = ${values.noise}; ${splits} seeded 80/20 splits; MLP: LM, ${epochs} epochs max`);

const models: Array<[string, (s: number) => BaseEstimator]> = [
  ['Linear', () => new LinearRegression()],
  ...[1, 2, 3, 4, 6, 9, 12].map((N) => [`MLP, N = ${N}`, (s: number) => new Mlp({ neurons: N, epochs, seed: s })] as [string, (s: number) => BaseEstimator]),
  ['GPR (const·ARD-RBF + white)', (s) => new GprRegressor({ restarts: 1, seed: s })],
  [`Additive GPR (N = D = ${D})`, (s) => new GprNn({ seed: s }, 'additive-gpr')],
  ...[2 * D, 4 * D].map((N) => [`GPR-NN, N = ${N}`, (s: number) => new GprNn({ neurons: N, seed: s })] as [string, (s: number) => BaseEstimator]),
];

const rows: Array<{ label: string; summary: RegressionSummary }> = [];
const timing: string[] = [];
for (const [label, make] of models) {
  const t0 = performance.now();
  const { summary } = evaluateRegression(X, y, (s) => make(seed + s), plans);
  const dt = (performance.now() - t0) / 1000;
  rows.push({ label, summary });
  timing.push(`${label}: ${dt.toFixed(1)} s (${((dt / splits) * 1000).toFixed(0)} ms per split)`);
  console.error(`done ${label} in ${dt.toFixed(1)} s`);
}
console.log(table1(rows));
console.log('\nTimings (wall clock, 2-core machine shared with other jobs: noisy):');
for (const t of timing) console.log(`  ${t}`);
const med = (l: string) => rows.find((r) => r.label.startsWith(l))!.summary.testRmse.median;
const mlpMed = [1, 2, 3, 4, 6, 9, 12].map((N) => med(`MLP, N = ${N}`));
console.log(`\nmedian test RMSE, MLP N = 1…12: ${mlpMed.map((v) => v.toFixed(3)).join(', ')}`);
console.log(`median test RMSE, additive GPR → GPR-NN 2D → 4D: ${[med('Additive'), med(`GPR-NN, N = ${2 * D}`), med(`GPR-NN, N = ${4 * D}`)].map((v) => v.toFixed(3)).join(', ')}`);

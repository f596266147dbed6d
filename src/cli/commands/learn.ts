/**
 * `celt learn`: repeated-split evaluation of a small-data learner on a CSV table, printed in
 * the layout of seed 004 Table 1; optional JSON summary and GPR-NN component plots.
 */
import { checkOutputFile, checkOutputFolder, writeFileAtomic } from '../../core/files.ts';
import { MAX_SPLITS } from '../../fit/selection/splits.ts';
import { join } from 'node:path';
import type { Command } from 'commander';
import { InputError, OptionError } from '../../core/errors.ts';
import { Rng } from '../../core/rng.ts';
import { shuffleSplit } from '../../fit/selection/splits.ts';
import { accuracyTable, evaluateClassification, evaluateRegression, table1 } from '../../learn/evaluate.ts';
import type { GprNn } from '../../learn/gprnn.ts';
import { createClassifier, createRegressor, learnerSpec, resolveLearnParams } from '../../learn/registry.ts';
import { kindOf } from '../../fit/method-spec.ts';
import { componentPlotSpec } from '../../report/gprnn-figures.ts';
import { columnIndex, numericColumn, numericMatrix, readCsv } from '../../data/table.ts';
import { writePlot } from '../../report/plot.ts';
import { collect, parseParams, seedOption } from '../options.ts';

export function parseSplitsOption(s: string): { splits: number; testFraction: number } {
  const m = /^(\d+)(?::([0-9.eE+-]+))?$/.exec(s.trim());
  if (!m) throw new OptionError(`--splits must look like 100:0.2, got '${s}'`, { field: 'splits' });
  const splits = Number(m[1]);
  if (splits > MAX_SPLITS) throw new OptionError(`--splits ${splits} is past the limit of ${MAX_SPLITS}`, { field: 'splits' });
  return { splits, testFraction: m[2] === undefined ? 0.2 : Number(m[2]) };
}

export function register(program: Command): void {
  program
    .command('learn')
    .description('evaluate a nonlinear small-data learner by repeated train/test splits (seed 004 Table 1)')
    .requiredOption('--data <file>', 'CSV table with a header line')
    .requiredOption('--target <column>', 'target column (numeric; class labels for logistic)')
    .requiredOption('--model <name>', 'linear | mlp | gpr | additive-gpr | gpr-nn | logistic')
    .option('--param <key=value>', 'model parameter (repeatable)', collect, [])
    .option('--features <columns>', 'comma-separated feature columns (default: all others)')
    .option('--splits <n:fraction>', 'number of random splits and test fraction', '100:0.2')
    .option('--group <column>', 'keep rows with the same id in this column on the same side')
    .option('--seed <n>', 'random seed', '0')
    .option('--out <file>', 'write the per-split results and summary as JSON')
    .option('--plot <dir>', 'GPR-NN/additive GPR: plot the component functions f_n of a fit on all rows')
    .action(async (o) => {
      if (o.out) checkOutputFile(o.out);
      if (o.plot) checkOutputFolder(o.plot, '--plot');
      const spec = learnerSpec(o.model);
      const params = resolveLearnParams(o.model, parseParams(o.param));
      const { splits, testFraction } = parseSplitsOption(o.splits);
      if (o.plot && o.model !== 'gpr-nn' && o.model !== 'additive-gpr') throw new OptionError('--plot is available for gpr-nn and additive-gpr', { field: 'plot' });
      const seed = seedOption(o.seed);
      const table = readCsv(o.data);
      if (table.rows.length === 0) throw new InputError('the table has no data rows', { file: o.data });
      const tj = columnIndex(table, o.target, 'target');
      const gj = o.group ? columnIndex(table, o.group, 'group') : -1;
      const featureCols = o.features
        ? String(o.features).split(',').map((c: string) => columnIndex(table, c.trim(), 'feature'))
        : table.header.map((_, j) => j).filter((j) => j !== tj && j !== gj);
      if (featureCols.length === 0) throw new InputError('no feature columns left', { file: o.data });
      const X = numericMatrix(table, featureCols);
      const groups = gj >= 0 ? table.rows.map((r) => r[gj]!) : undefined;
      const plans = shuffleSplit(X.rows, splits, testFraction, new Rng(seed), groups);
      let out: Record<string, unknown>;
      if (kindOf(spec) === 'classification') {
        const labels = table.rows.map((r) => r[tj]!);
        const res = evaluateClassification(X, labels, () => createClassifier(params), plans);
        console.log(accuracyTable(`${o.model} (${splits} splits, test fraction ${testFraction})`, res.summary));
        const full = createClassifier(params).fit(X, labels);
        console.log('coefficients (per class row; standardized features if standardize=true):');
        const names = featureCols.map((j) => table.header[j]!);
        full.coef.toRows().forEach((row, r) => {
          const label = full.coef.rows === 1 ? `${full.classes[1]} vs ${full.classes[0]}` : full.classes[r];
          console.log(`  ${label}: ${row.map((c, k) => `${names[k]}=${c.toPrecision(4)}`).join('  ')}`);
        });
        out = { model: o.model, params, splits: res.splits, summary: res.summary, coefficients: full.summary() };
      } else {
        const y = numericColumn(table, tj);
        if (y.every((v) => v === y[0])) throw new InputError(`target column '${o.target}' is constant (${y[0]}); nothing to learn`, { file: o.data, field: o.target });
        const res = evaluateRegression(X, y, (s) => createRegressor(o.model, params, seed + s), plans);
        console.log(table1([{ label: `${o.model} (${splits} splits)`, summary: res.summary }]));
        out = { model: o.model, params, splits: res.splits, summary: res.summary };
        if (o.plot) {
          const m = createRegressor(o.model, params, seed) as GprNn;
          m.fit(X, y);
          const comps = m.components();
          const names = featureCols.map((j) => table.header[j]!);
          const files = await writePlot(componentPlotSpec(comps, names), join(o.plot, `${o.model}-components`));
          console.log(`component functions (importance = (var f_n)^½): ${comps.map((c) => `${labelOf(c.weights, names, c.neuron)}=${c.importance.toPrecision(3)}`).join(', ')}`);
          console.log(`wrote ${files.png}`);
          out.components = comps.map((c) => ({ neuron: c.neuron, weights: c.weights, importance: c.importance }));
          out.fullFit = m.summary();
        }
      }
      if (o.out) writeFileAtomic(o.out, JSON.stringify(out, null, 1));
    });
}

/** Identity neurons by feature name, Sobol neurons as y<n> (their weights are in --out). */
export function labelOf(w: number[], names: string[], neuron: number): string {
  const nz = w.map((v, k) => [v, k] as const).filter(([v]) => v !== 0);
  return nz.length === 1 && nz[0]![0] === 1 ? names[nz[0]![1]]! : `y${neuron + 1}`;
}

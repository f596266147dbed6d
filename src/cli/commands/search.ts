/**
 * `celt search` — cross-validated grid search of a method's hyperparameters.
 *   celt search --data FILE --method NAME --grid alpha=1e-6:1e-1:25:log [--grid …]
 *               [--param key=value …] [--cv kfold:5] [--seed N] [--threads N] --out search.json
 */
import { checkOutputFile, writeFileAtomic } from '../../core/files.ts';
import type { Command } from 'commander';
import { OptionError } from '../../core/errors.ts';
import { loadDataset } from '../../data/matrix-io.ts';
import { createEstimator, prepareMethod } from '../../fit/registry.ts';
import { gridSearch, parseGrid } from '../../fit/selection/search.ts';
import { parseCv } from '../../fit/selection/splits.ts';
import { contextOf, splitsFor } from './fit.ts';
import { consoleProgress } from '../../core/progress.ts';
import { searchPlotSpec } from '../../report/figures.ts';
import { writePlot } from '../../report/plot.ts';
import { collect, parseParams, seedOption, threadsOption } from '../options.ts';
import { addExecutorOptions, type ExecutorCliOptions, executorFromCli, runGridCli } from '../executor-options.ts';
import { searchDocument } from '../../fit/selection/search-grid.ts';
import { resolve } from 'node:path';

export function register(program: Command): void {
  const cmd = program
    .command('search')
    .description('grid search over hyperparameters with cross-validation (best point and one-SE choice)')
    .requiredOption('--data <file>', 'TrainingSet JSON, {"X","y"} JSON, CSV, or X.npy,y.npy')
    .requiredOption('--method <name>', 'fitting method (see `celt methods`)')
    .option('--grid <spec>', 'name=lo:hi:count[:log|lin] or name=v1,v2,… (repeatable)', collect, [])
    .option('--param <key=value>', 'fixed method parameter (repeatable)', collect, [])
    .option('--cv <spec>', 'kfold:K | shuffle:N:FRACTION | loo', 'kfold:5')
    .option('--seed <n>', 'seed for the CV splits', '0')
    .option('--threads <n>', 'worker threads')
    .option('--on-constant <policy>', 'constant feature columns: warn | error | drop', 'warn')
    .option('--plot <base>', 'write CV error vs the first grid parameter to BASE.svg/.png')
    .requiredOption('--out <file>', 'write the search JSON here');
  addExecutorOptions(cmd).action(async (o: ExecutorCliOptions & { data: string; method: string; grid: string[]; param: string[]; cv: string; seed: string; threads?: string; onConstant: string; plot?: string; out: string }) => {
      checkOutputFile(o.out);
      if (o.plot) checkOutputFile(o.plot, '--plot');
      if (!o.grid.length) throw new OptionError('give at least one --grid name=lo:hi:count[:log]', { field: 'grid' });
      const fixed = parseParams(o.param);
      const threads = threadsOption(o.threads), seed = seedOption(o.seed);
      const choice = executorFromCli(o, o.out, threads ?? 1);
      if (choice && o.method === 'l0l2') {
        // a wall-clock limit stops a branch-and-bound at a machine-dependent node: grids need the same numbers everywhere
        if (fixed.max_nodes === undefined) throw new OptionError('--executor with l0l2 needs --param max_nodes=N: a node limit gives the same fit on every machine, a time limit does not', { field: 'param' });
        if (fixed.time_limit === undefined) fixed.time_limit = '1e9';
      }
      const probe = createEstimator(o.method, fixed);
      await prepareMethod(o.method);
      const axes = o.grid.map(parseGrid);
      const spec = parseCv(o.cv);
      const ds = loadDataset(o.data, { onConstant: o.onConstant as 'warn', keepConstantFirst: probe.params.fit_intercept === false });
      for (const w of ds.warnings) process.stderr.write(`celt: warning: ${ds.source}: ${w}\n`);
      const splits = splitsFor(ds.X.rows, spec, seed, ds.source);
      if (choice) {
        const { searchGridSpec } = await import('../../fit/selection/search-grid.ts');
        const shared = { rows: ds.X.rows, cols: ds.X.cols, X: ds.X.data, y: ds.y, ...(ds.weights ? { weights: ds.weights } : {}), ctx: contextOf(ds), method: o.method, fixed, axes, splits };
        const finish = { out: resolve(o.out), ...(o.plot ? { plot: resolve(o.plot) } : {}), cv: o.cv, seed, data: { source: ds.source, nSamples: ds.X.rows, nFeatures: ds.X.cols } };
        await runGridCli('search', choice, searchGridSpec(shared, ['celt', ...process.argv.slice(2)], finish));
        return;
      }
      const total = axes.reduce((a, ax) => a * ax.values.length, 1) * splits.length;
      const step = consoleProgress().step('search', total);
      const t0 = performance.now();
      const r = await gridSearch(o.method, fixed, axes, contextOf(ds), ds.X, ds.y, splits, { weights: ds.weights, threads, onProgress: (done: number) => step.set(done, total) });
      step.done();
      const out = searchDocument(r, { cv: o.cv, seed, data: { source: ds.source, nSamples: ds.X.rows, nFeatures: ds.X.cols } }, (performance.now() - t0) / 1000);
      writeFileAtomic(o.out, JSON.stringify(out, null, 1));
      if (o.plot) await writePlot(searchPlotSpec(out.points, axes[0]!.name, r.best.params, r.oneSE.params, `${o.method} on ${ds.source} (${o.cv})`), o.plot);
      process.stderr.write(`celt search: ${r.points.length} points × ${splits.length} splits; best ${JSON.stringify(r.best.params)} CV ${r.best.cv.rmse.toExponential(4)}; one-SE ${JSON.stringify(r.oneSE.params)} CV ${r.oneSE.cv.rmse.toExponential(4)} → ${o.out}\n`);
    });
}

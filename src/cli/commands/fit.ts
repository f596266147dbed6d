/**
 * `celt fit` — fit one method to a data file, with training and cross-validation errors.
 *   celt fit --data FILE --method NAME [--param key=value …] [--cv kfold:5|shuffle:50:0.2|loo]
 *            [--seed N] [--threads N] [--on-constant warn|error|drop] --out model.json
 */
import { checkOutputFile, writeFileAtomic } from '../../core/files.ts';
import { fitDiagnostics } from '../../fit/diagnostics.ts';
import type { Command } from 'commander';
import { CeltError, OptionError } from '../../core/errors.ts';
import { errorMetrics } from '../../core/stats.ts';
import { loadDataset, type Dataset } from '../../data/matrix-io.ts';
import { countNonzero } from '../../fit/linear-model.ts';
import { createEstimator, prepareMethod, type FitContext } from '../../fit/registry.ts';
import { bootstrapEnsemble } from '../../fit/selection/curves.ts';
import { isClosedFormLoo, looClosedForm, summarizeFolds } from '../../fit/selection/cv.ts';
import { runTasks } from '../../fit/selection/parallel.ts';
import { MAX_SPLITS, makeSplits, parseCv, type CvSpec, type Split } from '../../fit/selection/splits.ts';
import type { FitFoldResult } from '../../fit/selection/tasks.ts';
import { consoleProgress } from '../../core/progress.ts';
import { collect, parseParams, seedOption, threadsOption } from '../options.ts';

/** CV splits; a fold count the data cannot support is reported against the data file. */
export function splitsFor(n: number, spec: CvSpec, seed: number, source: string): Split[] {
  try {
    return makeSplits(n, spec, seed);
  } catch (e) {
    if (e instanceof CeltError) throw e.at({ file: source });
    throw e;
  }
}

export function contextOf(ds: Dataset): FitContext {
  const ctx: FitContext = { featureNames: ds.featureNames };
  if (ds.groups) ctx.groups = ds.groups;
  if (ds.hierarchy) ctx.hierarchy = ds.hierarchy;
  return ctx;
}


export function register(program: Command): void {
  program
    .command('fit')
    .description('fit ECIs (or any linear model) to a data file and report training/CV errors')
    .requiredOption('--data <file>', 'TrainingSet JSON, {"X","y"} JSON, CSV, or X.npy,y.npy')
    .requiredOption('--method <name>', 'fitting method (see `celt methods`)')
    .option('--param <key=value>', 'method parameter (repeatable)', collect, [])
    .option('--cv <spec>', 'kfold:K | shuffle:N:FRACTION | loo')
    .option('--seed <n>', 'seed for the CV splits', '0')
    .option('--threads <n>', 'worker threads for CV folds')
    .option('--on-constant <policy>', 'constant feature columns: warn | error | drop', 'warn')
    .option('--bootstrap <n>', 'also fit N bootstrap resamples (seeded by --seed) for ECI standard deviations')
    .requiredOption('--out <file>', 'write the model JSON here')
    .action(async (o: { data: string; method: string; param: string[]; cv?: string; seed: string; threads?: string; onConstant: string; bootstrap?: string; out: string }) => {
      checkOutputFile(o.out);
      if (!['warn', 'error', 'drop'].includes(o.onConstant)) throw new OptionError(`--on-constant must be warn, error or drop`, { field: 'on-constant' });
      const params = parseParams(o.param);
      const threads = threadsOption(o.threads), seed = seedOption(o.seed);
      // Validate method and parameters before reading data.
      const probe = createEstimator(o.method, params);
      await prepareMethod(o.method);
      const ds = loadDataset(o.data, { onConstant: o.onConstant as 'warn', keepConstantFirst: probe.params.fit_intercept === false });
      for (const w of ds.warnings) process.stderr.write(`celt: warning: ${ds.source}: ${w}\n`);
      const ctx = contextOf(ds);
      const est = createEstimator(o.method, params, ctx);
      est.fit(ds.X, ds.y, ds.weights ? { sampleWeight: ds.weights } : {});
      const train = errorMetrics(ds.y, est.predict(ds.X));
      const diag = fitDiagnostics(est, ds.X.cols);
      for (const n of diag.notes) process.stderr.write(`celt fit: ${n}\n`);
      for (const w of diag.warnings) process.stderr.write(`celt: warning: ${w}\n`);
      const out: Record<string, unknown> = {
        method: est.method,
        params: est.params,
        featureNames: ds.featureNames,
        coef: Array.from(est.coef),
        intercept: est.intercept,
        nNonzero: countNonzero(est.coef),
        train,
        info: est.info,
        data: { source: ds.source, nSamples: ds.X.rows, nFeatures: ds.X.cols, constantColumn: ds.constantColumn ?? null, droppedColumns: ds.droppedColumns },
      };
      if (ds.constantColumn && ds.constantColumn.value !== 0) out.constantColumnCoef = est.intercept / ds.constantColumn.value;
      if (o.cv) {
        const spec = parseCv(o.cv);
        const loo = spec.kind === 'loo' ? isClosedFormLoo(o.method, est.params) : null;
        if (loo !== null && !ds.weights) {
          out.cv = { spec: o.cv, closedForm: true, ...looClosedForm(ds.X, ds.y, loo, est.fitIntercept) };
        } else {
          const splits = splitsFor(ds.X.rows, spec, seed, ds.source);
          const step = consoleProgress().step('cv folds', splits.length);
          const tasks = splits.map((s) => ({ kind: 'fit' as const, method: o.method, params, train: s.train, test: s.test }));
          const res = (await runTasks(ds.X, ds.y, ds.weights, ctx, tasks, { threads, onProgress: (done: number) => step.set(done, splits.length) })) as FitFoldResult[];
          step.done();
          const yt: number[] = [], yp: number[] = [], mse: number[] = [];
          res.forEach((f, s) => {
            let se = 0;
            splits[s]!.test.forEach((i, t) => {
              yt.push(ds.y[i]!);
              yp.push(f.pred[t]!);
              se += (ds.y[i]! - f.pred[t]!) ** 2;
            });
            mse.push(se / splits[s]!.test.length);
          });
          out.cv = { spec: o.cv, seed, ...summarizeFolds(mse, yt, yp, res.map((r) => r.nnz), res.every((r) => r.converged)) };
        }
      }
      if (o.bootstrap) {
        const nb = Number(o.bootstrap);
        if (!Number.isInteger(nb) || nb < 2) throw new OptionError(`--bootstrap needs an integer ≥ 2, got '${o.bootstrap}'`, { field: 'bootstrap' });
        if (nb > MAX_SPLITS) throw new OptionError(`--bootstrap ${nb} is past the limit of ${MAX_SPLITS} resamples`, { field: 'bootstrap' });
        const b = bootstrapEnsemble(o.method, params, ctx, ds.X, ds.y, nb, seed);
        out.bootstrap = { n: nb, coefMean: Array.from(b.coefMean), coefStd: Array.from(b.coefStd), interceptStd: b.interceptStd };
      }
      writeFileAtomic(o.out, JSON.stringify(out, null, 1));
      const cv = out.cv as { rmse: number } | undefined;
      process.stderr.write(`celt fit: ${o.method} on ${ds.X.rows}×${ds.X.cols}: ${out.nNonzero} nonzero, train RMSE ${train.rmse.toExponential(4)}${cv ? `, CV RMSE ${cv.rmse.toExponential(4)}` : ''} → ${o.out}\n`);
    });
}

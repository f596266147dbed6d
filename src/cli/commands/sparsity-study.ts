/**
 * `celt sparsity-study` — seed 000's ℓ0ℓ2 procedure and its comparison with lasso:
 *   celt sparsity-study --data FILE --out DIR [--cv kfold:5] [--seed 0] [--threads N]
 *        [--time-limit 10] [--mu2-grid a,b,…] [--mu0-grid a,b,…] [--alpha-grid a,b,…]
 *        [--subsets 0.2,0.3,…] [--repeats 10] [--param key=value …] [--scale 1000 --unit meV/atom]
 * μ2 by ridge CV, then a μ0 scan; writes DIR/study.json, DIR/fig4a_cv_vs_sparsity.{csv,svg,png}
 * and DIR/fig4b_eci_convergence.{csv,svg,png}. --param passes ℓ0ℓ2 options (hierarchy, group,
 * always_in, nonneg, M).
 */
import { checkOutputFolder } from '../../core/files.ts';
import type { Command } from 'commander';
import { resolve } from 'node:path';
import { OptionError } from '../../core/errors.ts';
import { loadDataset } from '../../data/matrix-io.ts';
import { resolveParams } from '../../fit/registry.ts';
import { type StudyOptions, sparsityStudy, studyPrelude, writeStudyOutput } from '../../workflow/sparsity-study.ts';
import { parseCv } from '../../fit/selection/splits.ts';
import { contextOf } from './fit.ts';
import { addExecutorOptions, type ExecutorCliOptions, executorFromCli, runGridCli } from '../executor-options.ts';
import { consoleProgress, type Step } from '../../core/progress.ts';
import { collect, integerOption, parseParams, seedOption } from '../options.ts';

function numberList(text: string | undefined, field: string): number[] | undefined {
  if (text === undefined) return undefined;
  const v = text.split(',').map((t) => Number(t.trim()));
  if (!v.length || v.some((x) => !Number.isFinite(x) || x < 0)) throw new OptionError(`expected comma-separated non-negative numbers, got '${text}'`, { field });
  return v;
}


/** Random subsets per size: each is a full ℓ0ℓ2 + lasso study, so 1000 is already hours. */
const MAX_REPEATS = 1000;

export function register(program: Command): void {
  const cmd = program
    .command('sparsity-study')
    .description('seed 000 workflow: μ2 by ridge CV, μ0 scan; CV error vs sparsity and ECI convergence, lasso vs ℓ0ℓ2 (Fig. 4)')
    .requiredOption('--data <file>', 'TrainingSet JSON, {"X","y"} JSON, CSV, or X.npy,y.npy')
    .requiredOption('--out <dir>', 'output directory')
    .option('--cv <spec>', 'kfold:K | shuffle:N:FRACTION', 'kfold:5')
    .option('--seed <n>', 'seed for splits and subsets', '0')
    .option('--threads <n>', 'worker threads for CV folds', '2')
    .option('--time-limit <s>', 'time limit per ℓ0ℓ2 fit (s)', '10')
    .option('--mu2-grid <list>', 'ridge / μ2 grid (default: 15 log points, 1e-6·n … 10·n)')
    .option('--mu0-grid <list>', 'μ0 grid (default: 12 log points, 0.1σ² … 300σ² of the ridge fit)')
    .option('--alpha-grid <list>', 'lasso α grid, sklearn scaling (default: 16 log points below α_max)')
    .option('--subsets <list>', 'training-subset sizes as fractions of the data', '0.2,0.3,0.4,0.5,0.6,0.7,0.8,0.9')
    .option('--repeats <n>', 'random subsets per size', '10')
    .option('--param <key=value>', 'ℓ0ℓ2 option: hierarchy, group, always_in, nonneg, M, max_nodes (repeatable; --executor needs max_nodes)', collect, [])
    .option('--scale <x>', 'multiply errors by this for the plot (1000: eV → meV)', '1000')
    .option('--unit <text>', 'unit label of the scaled errors', 'meV per target unit')
    .option('--title <text>', 'figure title', '');
  addExecutorOptions(cmd).action(async (o: Record<string, string> & ExecutorCliOptions & { param: string[] }) => {
      const seed = seedOption(o.seed!), threads = integerOption('threads', o.threads!, 1, 256), timeLimit = Number(o.timeLimit), repeats = integerOption('repeats', o.repeats!, 1, MAX_REPEATS), scale = Number(o.scale);
      if (!(timeLimit > 0)) throw new OptionError('--time-limit must be > 0', { field: 'time-limit' });
      if (!(scale > 0)) throw new OptionError('--scale must be > 0', { field: 'scale' });
      const l0Params = parseParams(o.param);
      for (const k of Object.keys(l0Params)) {
        if (!['hierarchy', 'group', 'always_in', 'nonneg', 'M', 'fit_intercept', 'max_nodes'].includes(k)) throw new OptionError(`--param ${k} is not a study option (allowed: hierarchy, group, always_in, nonneg, M, fit_intercept, max_nodes)`, { field: 'param' });
      }
      const progress = consoleProgress();
      let step: Step | null = null, stage = '';
      const onProgress = (s: string, d: number, t: number) => {
        if (s !== stage) { step?.done(); step = progress.step(s, t); stage = s; }
        step!.set(d, t);
      };
      const choice = executorFromCli(o, o.out, threads, (d, t) => onProgress('l0l2 tasks', d, t));
      if (!choice) checkOutputFolder(o.out!); // a grid writes OUT only when it merges
      // a wall-clock limit stops a branch-and-bound at a machine-dependent node: grids need the same numbers everywhere
      if (choice && l0Params.max_nodes === undefined) throw new OptionError('--executor needs --param max_nodes=N: ℓ0ℓ2 tasks stop on a node limit (the same fit on every machine), not a time limit', { field: 'param' });
      resolveParams('l0l2', l0Params);
      const ds = loadDataset(o.data, { keepConstantFirst: resolveParams('l0l2', l0Params).fit_intercept === false });
      for (const w of ds.warnings) process.stderr.write(`celt: warning: ${ds.source}: ${w}\n`);
      if (ds.weights?.some((w) => w !== ds.weights![0])) process.stderr.write('celt: warning: sample weights in the data are ignored by sparsity-study\n');
      const ctx = contextOf(ds);
      const opts: StudyOptions = {
        cv: parseCv(o.cv!), seed, threads, timeLimit: choice ? 1e9 : timeLimit, repeats,
        mu2Grid: numberList(o.mu2Grid, 'mu2-grid'), mu0Grid: numberList(o.mu0Grid, 'mu0-grid'), alphaGrid: numberList(o.alphaGrid, 'alpha-grid'),
        subsetFractions: numberList(o.subsets, 'subsets')!,
        l0Params,
        onProgress,
      };
      const meta = { data: ds.source, ...(ds.featureNames ? { featureNames: ds.featureNames } : {}), title: o.title!, scale, unit: o.unit! };
      if (choice) {
        const { studyGridSpec } = await import('../../workflow/sparsity-grid.ts');
        const pre = await studyPrelude(ds.X, ds.y, ctx, opts);
        const shared = { rows: ds.X.rows, cols: ds.X.cols, X: ds.X.data, y: ds.y, ctx, pre };
        await runGridCli('sparsity-study', choice, studyGridSpec(shared, ['celt', ...process.argv.slice(2)], { out: resolve(o.out!), ...meta }));
        (step as Step | null)?.done();
        return;
      }
      const res = await sparsityStudy(ds.X, ds.y, ctx, opts);
      (step as Step | null)?.done();
      await writeStudyOutput(o.out!, res, meta);
      const best = (a: typeof res.lasso) => a.reduce((b, r) => (r.cvRmse < b.cvRmse ? r : b));
      const bl = best(res.lasso), b0 = best(res.l0l2);
      process.stderr.write(
        `celt sparsity-study: μ2 = ${res.mu2.toPrecision(3)} (ridge CV); best lasso CV ${(bl.cvRmse * scale).toPrecision(4)} at ${bl.nonzero} ECIs, best ℓ0ℓ2 CV ${(b0.cvRmse * scale).toPrecision(4)} at ${b0.nonzero} ECIs; ` +
          `${res.l0l2.filter((s) => s.status !== 'optimal').length} of ${res.l0l2.length} full ℓ0ℓ2 fits hit the time limit; ${res.seconds.toFixed(0)} s → ${o.out}\n`,
      );
    });
}

/**
 * `celt mc`: Monte Carlo on a saved cluster expansion.
 *   celt mc --model model.json --supercell 4 --ensemble canonical --T 300,600,900 \
 *           --composition Li+=0.5,Ni4+=0.5 --steps 100000 [--mu Li+=-3.2 …] [--out DIR]
 * Conditions are T × μ; they run as independent seeded chains (on --threads workers) or, with
 * --path, as one chain carried from condition to condition in the order given.
 */
import { checkOutputFolder } from '../../core/files.ts';
import type { Command } from 'commander';
import { OptionError } from '../../core/errors.ts';
import { consoleProgress } from '../../core/progress.ts';
import { parseComposition } from '../../mc/init.ts';
import { parseSupercell } from '../../structure/supercell.ts';
import { ENSEMBLES, type EnsembleName, type McOptions, parseMu, runMonteCarlo } from '../../mc/run.ts';
import { ClusterExpansion } from '../../model/cluster-expansion.ts';
import { writeMcOutput } from '../../report/mc.ts';
import { readStructureFile } from '../../structure/io/read.ts';
import { collect, optionalInteger } from '../options.ts';
import { addExecutorOptions, type ExecutorCliOptions, executorFromCli, runGridCli } from '../executor-options.ts';
import { resolve } from 'node:path';

interface McCliOptions extends ExecutorCliOptions {
  model: string;
  supercell: string;
  ensemble: string;
  T: string;
  mu: string[];
  steps: string;
  warmup?: string;
  thin?: string;
  seed: string;
  init?: string;
  composition?: string;
  path?: boolean;
  threads?: string;
  swapShare?: string;
  sro?: string;
  correlations?: boolean;
  window?: string;
  binWidth?: string;
  lnfFinal?: string;
  flatness?: string;
  wlMoves?: string;
  allowChargedFlips?: boolean;
  ewald?: boolean;
  out?: string;
  plots?: boolean;
  json?: boolean;
}

function num(name: string, text: string): number {
  const x = Number(text);
  if (text.trim() === '' || !Number.isFinite(x)) throw new OptionError(`--${name}: '${text}' is not a number`, { field: name });
  return x;
}

/** "300,600" or "300:1200:100" (start:stop:step, inclusive). */
function parseTemperatures(text: string): number[] {
  const parts = text.split(',').filter((p) => p.trim());
  const out: number[] = [];
  for (const p of parts) {
    const r = p.split(':');
    if (r.length === 3) {
      const [a, b, s] = r.map((x) => num('T', x)) as [number, number, number];
      if (s === 0 || (b - a) / s < 0) throw new OptionError(`--T range '${p}' never reaches its end`, { field: 'T' });
      for (let k = 0; a + k * s <= Math.max(a, b) + 1e-9 && a + k * s >= Math.min(a, b) - 1e-9; k++) out.push(+(a + k * s).toFixed(10));
    } else out.push(num('T', p));
  }
  return out;
}

export function optionsFromCli(o: McCliOptions): McOptions {
  if (!(ENSEMBLES as readonly string[]).includes(o.ensemble)) throw new OptionError(`--ensemble must be one of ${ENSEMBLES.join(', ')} (got '${o.ensemble}')`, { field: 'ensemble' });
  const opts: McOptions = {
    supercell: parseSupercell(o.supercell),
    ensemble: o.ensemble as EnsembleName,
    T: parseTemperatures(o.T),
    mu: o.mu.map(parseMu),
    steps: optionalInteger('steps', o.steps, 1)!,
    seed: optionalInteger('seed', o.seed, 0)!,
    path: Boolean(o.path),
    allowChargedFlips: Boolean(o.allowChargedFlips),
    correlations: Boolean(o.correlations),
  };
  const warmup = optionalInteger('warmup', o.warmup, 0), thin = optionalInteger('thin', o.thin, 1), threads = optionalInteger('threads', o.threads, 1);
  if (warmup !== undefined) opts.warmup = warmup;
  if (thin !== undefined) opts.thin = thin;
  if (threads !== undefined) opts.threads = threads;
  if (o.swapShare !== undefined) opts.swapShare = num('swap-share', o.swapShare);
  if (o.ewald === false) opts.ewald = false;
  if (o.sro) opts.sro = o.sro.split(',').map((x) => optionalInteger('sro', x.trim(), 1)!);
  if (o.init && o.composition) throw new OptionError('give either --init or --composition, not both', { field: 'init' });
  if (o.init) opts.init = { structure: readStructureFile(o.init), structureFile: o.init };
  if (o.composition) opts.init = { composition: parseComposition(o.composition) };
  if (opts.ensemble === 'wang-landau') {
    if (!o.window || !o.binWidth) throw new OptionError('--ensemble wang-landau needs --window MIN,MAX (eV per primitive cell) and --bin-width', { field: 'window' });
    const w = o.window.split(',').map((x) => num('window', x));
    if (w.length !== 2) throw new OptionError(`--window must be MIN,MAX, got '${o.window}'`, { field: 'window' });
    if (o.wlMoves !== undefined && o.wlMoves !== 'swap' && o.wlMoves !== 'flip') throw new OptionError(`--wl-moves must be swap or flip`, { field: 'wl-moves' });
    opts.wangLandau = { min: w[0]!, max: w[1]!, binWidth: num('bin-width', o.binWidth), ...(o.lnfFinal ? { lnfFinal: num('lnf-final', o.lnfFinal) } : {}), ...(o.flatness ? { flatness: num('flatness', o.flatness) } : {}), moves: (o.wlMoves ?? 'swap') as 'swap' | 'flip' };
  }
  return opts;
}

export function register(program: Command): void {
  const cmd = program
    .command('mc')
    .description('Monte Carlo on a saved cluster expansion: canonical, semigrand, charge-neutral semigrand, Wang–Landau, annealing')
    .requiredOption('--model <file>', 'model.json (from `celt run` or `celt fit`)')
    .requiredOption('--supercell <rows|N>', 'supercell in prim units: "a b c,d e f,g h i" or N for N·I')
    .option('--ensemble <name>', ENSEMBLES.join(' | '), 'canonical')
    .requiredOption('--T <list>', 'temperatures in K: 300,600 or 300:1500:100 (anneal: START,END)')
    .option('--mu <SPECIES=value,…>', 'chemical potentials in eV per atom (repeat for a grid)', collect, [])
    .option('--steps <n>', 'production steps per condition (one step = one proposal); Wang–Landau: step cap', '100000')
    .option('--warmup <n>', 'steps before sampling starts', '0')
    .option('--thin <n>', 'keep every n-th step (default: number of active sites)')
    .option('--seed <n>', 'master seed', '0')
    .option('--init <structure>', 'ordered starting structure (mapped onto the prim, tiled over the supercell)')
    .option('--composition <SPECIES=x,…>', 'random start: fraction of each species on its sublattice (SPECIES@k=x for sublattice k)')
    .option('--path', 'run the conditions as one path, each starting from the previous final state')
    .option('--threads <n>', 'worker threads for independent conditions', '1')
    .option('--swap-share <x>', 'charge-neutral: share of canonical swaps among steps', '0.5')
    .option('--sro <orbits>', 'pair orbit ids (see `celt space`) for Warren–Cowley short-range order')
    .option('--correlations', 'also report mean correlation vectors')
    .option('--window <min,max>', 'Wang–Landau energy window, eV per primitive cell')
    .option('--bin-width <x>', 'Wang–Landau bin width, eV per primitive cell')
    .option('--lnf-final <x>', 'Wang–Landau final ln f', '1e-6')
    .option('--flatness <x>', 'Wang–Landau flatness criterion', '0.8')
    .option('--wl-moves <swap|flip>', 'Wang–Landau moves: swap (fixed composition) or flip', 'swap')
    .option('--allow-charged-flips', 'benchmark override: semigrand flips on charged species (charge not conserved)')
    .option('--no-ewald', 'leave the Ewald term out (cluster terms only)')
    .option('--out <dir>', 'write summary.json, trace.csv, lowest structures and index.html here')
    .option('--no-plots', 'with --out: skip the HTML page and figures')
    .option('--json', 'print summary.json to stdout instead of a table');
  addExecutorOptions(cmd).action(async (o: McCliOptions) => {
      const opts = optionsFromCli(o);
      const progress = consoleProgress();
      let gstep: ReturnType<typeof progress.step> | null = null;
      const choice = executorFromCli(o, o.out, opts.threads ?? 1, (d, t) => (gstep ??= progress.step('mc tasks', t)).set(d, t));
      if (choice && !o.out) throw new OptionError('--executor needs --out DIR (where the merged results go)', { field: 'out' });
      // a grid writes OUT only when it merges (celt collect may do that later), so only a local run claims it now
      if (o.out && !choice) checkOutputFolder(o.out);
      const model = ClusterExpansion.load(o.model);
      if (choice && o.out) {
        const { mcGridSpec } = await import('../../mc/grid.ts');
        const spec = mcGridSpec(model, opts, ['celt', ...process.argv.slice(2)], { out: resolve(o.out), plots: o.plots !== false });
        await runGridCli('mc', choice, spec);
        (gstep as ReturnType<typeof progress.step> | null)?.done();
        return;
      }
      // the bar starts with the first sampled steps, so input errors print alone
      let step: ReturnType<typeof progress.step> | null = null;
      opts.onProgress = (done, total) => (step ??= progress.step('mc', total)).set(done, total);
      const res = await runMonteCarlo(model, opts);
      (step as ReturnType<typeof progress.step> | null)?.done();
      if (o.out) {
        const files = await writeMcOutput(o.out, res, { plots: o.plots !== false });
        progress.log(`celt mc: wrote ${files.length} files to ${o.out}`);
      }
      if (o.json) {
        process.stdout.write(JSON.stringify(res.summary, null, 1) + '\n');
        return;
      }
      const lines = ['# T(K)\tmu\tE(eV/prim)\tstderr\tC(kB/prim)\tacceptance\tsteps/s\tequil.steps\tlowest E\tcomposition'];
      const f = (x: number | null | undefined, fmt: (v: number) => string) => (x !== null && x !== undefined && Number.isFinite(x) ? fmt(x) : '-');
      for (const c of res.summary.conditions) {
        lines.push([c.T, Object.entries(c.mu).map(([k, v]) => `${k}=${v}`).join(',') || '-', f(c.energy?.mean, (v) => v.toFixed(6)), f(c.energy?.stderr, (v) => v.toExponential(2)), f(c.heatCapacity, (v) => v.toFixed(4)), f(c.acceptance, (v) => v.toFixed(3)), c.stepsPerSecond.toFixed(0), c.equilibrationSteps, c.lowestEnergy.toFixed(6), Object.entries(c.composition).map(([s, x]) => `${s}:${x.toFixed(4)}`).join(' ')].join('\t'));
      }
      process.stdout.write(`${res.summary.ensemble}: ${res.summary.nSites} sites, ${res.summary.nPrims} prims, set-up ${res.summary.setupSeconds.toFixed(2)} s\n${lines.join('\n')}\n`);
    });
}

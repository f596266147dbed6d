/**
 * `celt simulate-loop`: the closed loop in pool mode (issue 13), for benchmarking a selection
 * criterion. The pool is a celt training set with known energies; per seed a held-out test set
 * and a random start are drawn, then every round "computes" the structures a strategy picks by
 * looking up their energies (src/loop/simulate.ts). Two strategies (--criterion, --against) run
 * on the same splits and are compared per round, paired by seed. Writes DIR/simulation.json
 * (settings, every round, paired summaries, calibration), DIR/rounds.csv (one row per seed ×
 * strategy × round) and DIR/report.html (curves with ± SE bands, the paired tables).
 */
import { writeFileSync } from 'node:fs';
import { basename, join } from 'node:path';
import type { Command } from 'commander';
import { InputError, OptionError, withLocation } from '../../core/errors.ts';
import { checkOutputFolder, readJsonFile } from '../../core/files.ts';
import { consoleProgress } from '../../core/progress.ts';
import { TrainingSet } from '../../data/training-set.ts';
import { prepareMethod } from '../../fit/registry.ts';
import { hullFrame } from '../../loop/hull-distance.ts';
import { CRITERIA, type Criterion } from '../../loop/select.ts';
import { DEFAULT_SIMULATION, GS_MODES, type GsMode, type Pool, type SimulatedRound, type SimulationOptions, simulate, simulationSplit } from '../../loop/simulate.ts';
import { simulationSections } from '../../report/loop-figures.ts';
import { csvQuote, writeReport } from '../../report/report.ts';
import { integerOption, positiveNumber } from '../options.ts';

interface SimulateLoopCliOptions {
  pool: string;
  criterion: string;
  against: string;
  seeds: string;
  rounds: string;
  perRound: string;
  testFraction: string;
  startFraction: string;
  alphas: string;
  cvFolds: string;
  cvRepeats: string;
  bootstrap: string;
  tol: string;
  gsConstraints: string;
  doptSupport?: boolean;
  out: string;
  json?: boolean;
}

/** Most seeds accepted: each seed is a full simulation per strategy (minutes on a large pool). */
const MAX_SIMULATION_SEEDS = 1000;
/** Columns of rounds.csv: the SimulatedRound fields except `picked` (those are in simulation.json). */
const ROUNDS_COLUMNS = ['pool', 'seed', 'strategy', 'round', 'nTrain', 'alpha', 'cvRmse', 'nNonzero', 'gsConstrained', 'testRmse', 'gsTotal', 'gsMatched', 'gsSpurious', 'within1Sigma', 'seconds'] as const;

function criterionOption(name: string, text: string): Criterion {
  if (!(CRITERIA as readonly string[]).includes(text)) throw new OptionError(`--${name} must be one of ${CRITERIA.join(', ')}, got '${text}'`, { field: name });
  return text as Criterion;
}

function gsModeOption(text: string): GsMode {
  if (!(GS_MODES as readonly string[]).includes(text)) throw new OptionError(`--gs-constraints must be one of ${GS_MODES.join(', ')}, got '${text}'`, { field: 'gs-constraints' });
  return text as GsMode;
}

function fractionOption(name: string, text: string): number {
  const x = Number(text);
  if (!(x > 0 && x < 1)) throw new OptionError(`--${name} must be a fraction in (0, 1), got '${text}'`, { field: name });
  return x;
}

function alphasOption(text: string): number[] {
  const parts = text.split(',').map((t) => t.trim());
  if (parts.some((t) => t === '')) throw new OptionError(`--alphas must be comma-separated positive numbers, got '${text}'`, { field: 'alphas' });
  if (parts.length > 100) throw new OptionError(`--alphas has ${parts.length} values, past the limit of 100 (every round fits a lasso path over them per CV fold)`, { field: 'alphas' });
  return parts.map((t) => positiveNumber('alphas', t));
}

/** Every option checked and mapped to its SimulationOptions field (strategies: criterion first). */
function simulationOptions(o: SimulateLoopCliOptions): SimulationOptions {
  const criterion = criterionOption('criterion', o.criterion);
  const against = criterionOption('against', o.against);
  if (against === criterion) throw new OptionError(`--against must differ from --criterion (both are '${criterion}')`, { field: 'against' });
  const tol = positiveNumber('tol', o.tol);
  if (tol >= 1) throw new OptionError(`--tol is a relative duality-gap tolerance and must be below 1, got '${o.tol}'`, { field: 'tol' });
  const nSeeds = integerOption('seeds', o.seeds, 1, MAX_SIMULATION_SEEDS);
  return {
    ...DEFAULT_SIMULATION,
    seeds: Array.from({ length: nSeeds }, (_, i) => i),
    strategies: [criterion, against],
    rounds: integerOption('rounds', o.rounds, 1, 1000),
    perRound: integerOption('per-round', o.perRound, 1, 100_000),
    testFraction: fractionOption('test-fraction', o.testFraction),
    startFraction: fractionOption('start-fraction', o.startFraction),
    alphas: alphasOption(o.alphas),
    cvFolds: integerOption('cv-folds', o.cvFolds, 2, 100),
    cvRepeats: integerOption('cv-repeats', o.cvRepeats, 1, 100),
    nBootstrap: integerOption('bootstrap', o.bootstrap, 2, 10_000),
    tol,
    gsConstraints: gsModeOption(o.gsConstraints),
    doptSupport: Boolean(o.doptSupport),
  };
}

/** The pool: a celt training set with energies and occupancies (its compositions place it on the hull). */
function loadPool(file: string): { pool: Pool; ts: TrainingSet } {
  const raw = readJsonFile(file);
  const format = typeof raw === 'object' && raw !== null && !Array.isArray(raw) ? (raw as { format?: unknown }).format : undefined;
  if (format !== 'celt-training-set') throw new InputError('not a celt training set (no "format": "celt-training-set"); give the training-set.json of celt featurize or celt run', { file, field: 'pool' });
  const ts = TrainingSet.fromJSON(raw, file);
  const frame = withLocation({ file }, () => hullFrame(ts.rows));
  return { pool: { name: basename(file).replace(/\.gz$/, '').replace(/\.json$/, ''), X: ts.X, y: ts.energy, frame }, ts };
}

/** Refuses up front a pool that the test set and start leave too few structures to pick from. */
function checkPoolSize(file: string, n: number, s: SimulationOptions): void {
  const split = simulationSplit(n, 0, s.testFraction, s.startFraction);
  if (split.test.length < 1) throw new OptionError(`--test-fraction ${s.testFraction} of ${n} structures leaves no test row`, { field: 'test-fraction' });
  const need = s.rounds * s.perRound;
  if (split.rest.length < need) {
    throw new InputError(`the pool has ${n} structures: a test set of ${split.test.length} (--test-fraction ${s.testFraction}) and a start of ${split.start.length} (--start-fraction ${s.startFraction}) leave ${Math.max(0, split.rest.length)} to pick, fewer than --rounds ${s.rounds} × --per-round ${s.perRound} = ${need}`, { file, field: 'pool' });
  }
}

/** Numbers at full precision (they read back equal), non-finite as empty; text quoted per RFC 4180 when needed. */
const csvCell = (v: string | number | boolean) => (typeof v === 'boolean' ? String(v) : typeof v === 'number' ? (Number.isFinite(v) ? String(v) : '') : csvQuote(v));

function roundsCsv(records: SimulatedRound[]): string {
  return [ROUNDS_COLUMNS.join(','), ...records.map((r) => ROUNDS_COLUMNS.map((c) => csvCell(r[c])).join(','))].join('\n') + '\n';
}

export function register(program: Command): void {
  const d = DEFAULT_SIMULATION;
  program
    .command('simulate-loop')
    .description('benchmark a selection criterion in pool mode: structures with known energies play DFT; each round looks up the picked ones, refits and measures held-out RMSE and ground states, paired against another strategy')
    .requiredOption('--pool <file>', 'training set with known energies (training-set.json from celt featurize or celt run)')
    .option('--criterion <name>', `strategy measured: ${CRITERIA.join(' | ')}`, 'balanced')
    .option('--against <name>', 'strategy it is paired against on the same splits', 'random')
    .option('--seeds <n>', `number of seeds (0…n−1), each its own test set and start; at most ${MAX_SIMULATION_SEEDS}`, '10')
    .option('--rounds <n>', 'rounds of picks after the start', String(d.rounds))
    .option('--per-round <n>', 'structures picked per round', String(d.perRound))
    .option('--test-fraction <f>', 'held-out test set per seed (never pickable), fraction of the pool', String(d.testFraction))
    .option('--start-fraction <f>', 'random start per seed, fraction of the rest (at least 5 structures)', String(d.startFraction))
    .option('--alphas <list>', 'lasso α grid searched by path CV every round', d.alphas.map((a) => a.toExponential()).join(','))
    .option('--cv-folds <k>', 'folds of the CV that picks α', String(d.cvFolds))
    .option('--cv-repeats <n>', 'repeats of that CV over different fold assignments (MSE averaged)', String(d.cvRepeats))
    .option('--bootstrap <n>', 'bootstrap ensemble members per fit (random picking fits 2: it needs none to choose)', String(d.nBootstrap))
    .option('--tol <x>', 'lasso duality-gap tolerance (relative)', String(d.tol))
    .option('--gs-constraints <mode>', `centre fit keeping the training set's DFT ground states (ground-state-preserving lasso): ${GS_MODES.join(' | ')} (cv: only where the one-SE CV rule accepts it)`, d.gsConstraints)
    .option('--dopt-support', "D-optimal information over the ensemble's non-zero ECIs only")
    .requiredOption('--out <dir>', 'output folder')
    .option('--json', 'print the paired summaries as JSON instead of the tables')
    .action(async (o: SimulateLoopCliOptions) => {
      checkOutputFolder(o.out);
      const settings = simulationOptions(o);
      const { pool, ts } = loadPool(o.pool);
      checkPoolSize(o.pool, ts.nRows, settings);
      if (settings.gsConstraints !== 'off') await prepareMethod('constrained'); // the preserving refit solves a QP with HiGHS's LP as phase 1
      const [criterion, against] = settings.strategies as [Criterion, Criterion];
      const step = consoleProgress().step('simulate', settings.seeds.length * 2 * (settings.rounds + 1));
      const t0 = performance.now();
      const records = simulate(pool, { ...settings, onRound: () => step.tick() });
      const seconds = (performance.now() - t0) / 1000;
      step.done();
      const testRows = simulationSplit(ts.nRows, 0, settings.testFraction, settings.startFraction).test.length;
      const sim = simulationSections(pool.name, records, { criterion, against, unit: 'meV/prim', scale: 1000, nRows: ts.nRows, nFeatures: ts.nFeatures, components: pool.frame.components, testRows, seconds });
      const out = { format: 'celt-simulation', pool: o.pool, settings: { ...settings, criterion, against }, seconds, calibration: sim.calibration, testRmse: sim.rmse, gsMatched: sim.groundStates, records };
      writeFileSync(join(o.out, 'simulation.json'), JSON.stringify(out, null, 1) + '\n');
      writeFileSync(join(o.out, 'rounds.csv'), roundsCsv(records));
      const rep = await writeReport({ title: `celt simulate-loop: ${criterion} vs ${against} (pool mode)`, subtitle: `pool ${o.pool}; ${settings.seeds.length} seeds × ${settings.rounds} rounds × ${settings.perRound} picks`, sections: sim.sections }, o.out);
      if (o.json) {
        process.stdout.write(JSON.stringify({ out: o.out, pool: o.pool, criterion, against, seeds: settings.seeds.length, seconds, calibration: sim.calibration, testRmse: sim.rmse, gsMatched: sim.groundStates }, null, 1) + '\n');
        return;
      }
      process.stdout.write([...sim.lines, `wrote ${join(o.out, 'simulation.json')}, ${join(o.out, 'rounds.csv')}, ${rep.html}`].join('\n') + '\n');
    });
}

/**
 * `celt run`: DFT files → mapped training set → hyperparameter search → fitted cluster
 * expansion (saved) → judged (CV, parity, hull, learning curve) → HTML report. Every stage is
 * the library's own (src/structure, src/space, src/data, src/fit, src/thermo); this module
 * only sequences them: each numbered stage is one function below with a typed result, and the
 * config is checked up front so mistakes fail in a second rather than after a minute.
 *
 * Choices a materials scientist would expect, written down:
 *  - The fitting target is the DFT energy per primitive cell (the unit of a correlation
 *    vector); the constant correlation becomes the fit's intercept, folded back into ECI₀.
 *  - The chosen hyperparameters minimise the CV RMSE (seed 000 Eq. 10); the one-standard-error
 *    choice is reported alongside.
 *  - Entries that do not map are skipped with their reason and listed in the report; when
 *    none map the run stops with the reasons, since there is nothing to fit.
 *  - Hulls compare DFT and CE on the training structures (in-sample), as seed 000 Fig. 5a.
 */
import { mcOptions, mcSection, sampleModel } from './mc-stage.ts';
import { writeFileSync } from 'node:fs';
import { dirname, join, relative as relativePath } from 'node:path';
import { CeltError, InputError, OptionError } from '../core/errors.ts';
import type { Progress } from '../core/progress.ts';
import { equalRowGroups } from '../core/matrix.ts';
import { errorMetrics } from '../core/stats.ts';
import { type Dataset, datasetFromArrays } from '../data/matrix-io.ts';
import { TrainingSet } from '../data/training-set.ts';
import type { Estimator } from '../fit/estimator.ts';
import { createEstimator, getMethod, prepareMethod, resolveParams, type FitContext } from '../fit/registry.ts';
import { type LearningPoint, learningCurveFromPredictions, learningCurveTasks } from '../fit/selection/learning-curve.ts';
import { runTasks } from '../fit/selection/parallel.ts';
import { gridSearch, type GridAxis, type SearchResult } from '../fit/selection/search.ts';
import { makeSplits, type Split } from '../fit/selection/splits.ts';
import type { FitFoldResult, Task } from '../fit/selection/tasks.ts';
import { convergenceVerdict, readRounds, ROUNDS_FILE, type RoundsFile, updateRounds, type Verdict } from '../loop/rounds.ts';
import { ClusterExpansion } from '../model/cluster-expansion.ts';
import { convergenceSection } from '../report/loop-figures.ts';
import { writeReport } from '../report/report.ts';
import { ClusterSpace } from '../space/cluster-space.ts';
import { type Cutoffs, cutoffsFromObject } from '../space/cutoffs.ts';
import { readStructureFile } from '../structure/io/read.ts';
import type { Structure } from '../structure/structure.ts';
import { voltagePointsFromEntries, voltageProfile } from '../thermo/index.ts';
import { checkInputFiles, cvToText, type CeltConfig } from './config.ts';
import { type LoadedEntries, loadEntryFiles } from './load-entries.ts';
import { commitOutput, finalPath, prepareOutput } from './output-folder.ts';
import { displayPath, eciRows, orbitRows, reportInput, runSettings, runTitle, type RunResults } from './report-input.ts';
import { type HullComparison, carryFormation, compareHulls, elementComposition } from './thermo-analysis.ts';

export interface RunSummary {
  outputDir: string;
  modelFile: string;
  reportFile: string;
  nEntries: number;
  nMapped: number;
  nSkipped: number;
  nFeatures: number;
  nOrbits: number;
  method: string;
  params: Record<string, unknown>;
  /** The mapping, basis and CV settings used, in one line (with smol's defaults where they differ). */
  settings: string;
  cvRmse?: number;
  trainRmse: number;
  nNonzero: number;
  groundStates?: { matched: number; missing: number; spurious: number };
  /** The round this run recorded in rounds.json, and the convergence verdict after it. */
  round: number;
  converged: boolean;
  /** The verdict in one sentence (which criterion fails). */
  convergence: string;
  seconds: number;
  timings: Array<[string, number]>;
}

/** Config checks that need the method registry: method name, parameter names and values. */
export function checkFitOptions(cfg: CeltConfig): void {
  const where = { file: cfg.file };
  try {
    getMethod(cfg.fit.method);
  } catch (e) {
    if (e instanceof OptionError) throw new OptionError(e.message, { ...where, field: 'fit.method' });
    throw e;
  }
  const first = Object.fromEntries(Object.entries(cfg.fit.grid).map(([k, v]) => [k, v[0]]));
  for (const k of Object.keys(cfg.fit.grid)) {
    if (k in cfg.fit.params) throw new OptionError(`'${k}' is both a fixed parameter (fit.params) and searched (fit.grid); keep one`, { ...where, field: `fit.grid.${k}` });
  }
  for (const [source, raw] of [['params', cfg.fit.params], ['grid', first]] as const) {
    try {
      resolveParams(cfg.fit.method, source === 'params' ? raw : { ...cfg.fit.params, ...raw });
    } catch (e) {
      if (!(e instanceof OptionError)) throw e;
      const key = (e.location.field ?? '').split('.').at(-1) ?? '';
      throw new OptionError(e.message, { ...where, field: `fit.${source}.${key}` });
    }
  }
  for (const [k, vals] of Object.entries(cfg.fit.grid)) {
    for (const v of vals) {
      try {
        resolveParams(cfg.fit.method, { ...cfg.fit.params, ...first, [k]: v });
      } catch (e) {
        if (e instanceof OptionError) throw new OptionError(e.message, { ...where, field: `fit.grid.${k}` });
        throw e;
      }
    }
  }
}

/** A path relative to the working directory when it lies below it, else absolute. */
function relative(from: string, to: string): string {
  const r = relativePath(from, to);
  return r.startsWith('..') ? to : r;
}

function secondsSince(t0: number): number {
  return (performance.now() - t0) / 1000;
}

/** Average repeated out-of-fold predictions per sample (NaN where a sample was never tested). */
function assembleOutOfFold(n: number, splits: Split[], preds: ArrayLike<number>[]): Float64Array {
  const sum = new Float64Array(n);
  const cnt = new Float64Array(n);
  preds.forEach((p, s) => splits[s]!.test.forEach((i, t) => {
    sum[i]! += p[t]!;
    cnt[i]!++;
  }));
  return Float64Array.from(sum, (v, i) => (cnt[i]! > 0 ? v / cnt[i]! : NaN));
}

/** Runs one stage under a progress step and records its wall time. */
export type StageRunner = <T>(label: string, total: number, f: (tick: (n?: number) => void, set: (done: number, total: number) => void) => T | Promise<T>, note?: (r: T) => string) => Promise<T>;

export function stageRunner(progress: Progress, timings: Array<[string, number]>): StageRunner {
  return async (label, total, f, note) => {
    const t0 = performance.now();
    const step = progress.step(label, total);
    const r = await f((n) => step.tick(n), (d, t) => step.set(d, t));
    step.done(note?.(r));
    timings.push([label, secondsSince(t0)]);
    return r;
  };
}

/** 1. Everything that can be checked without work. */
export function checkConfig(cfg: CeltConfig): Cutoffs {
  checkInputFiles(cfg);
  checkFitOptions(cfg);
  return cutoffsFromObject(Object.fromEntries(Object.entries(cfg.space.cutoffs).map(([k, v]) => [k, v])));
}

/** 2. Cluster space. */
export function buildSpaceStage(cfg: CeltConfig, cutoffs: Cutoffs, stage: StageRunner): Promise<ClusterSpace> {
  const prim = readStructureFile(cfg.prim);
  return stage('cluster space', 1, () => {
    try {
      return ClusterSpace.build(prim, cutoffs, { basis: cfg.space.basis, orthonormal: cfg.space.orthonormal, measure: cfg.space.measure, ewald: cfg.space.ewald });
    } catch (e) {
      if (e instanceof CeltError) throw e.at({ file: cfg.prim });
      throw e;
    }
  }, (s) => `${s.nOrbits} orbits, ${s.nCorrelations} correlation functions${s.ewald ? ' + Ewald' : ''}`);
}

export interface MappedData extends LoadedEntries {
  ts: TrainingSet;
  skipped: RunResults['dataset']['skipped'];
}

/** 3. Read and map the DFT entries, compute features; stop with the reasons if too few map. */
export async function mapStage(cfg: CeltConfig, space: ClusterSpace, stage: StageRunner): Promise<MappedData> {
  const { entries, origin } = await loadEntryFiles(cfg.data);
  if (entries.length === 0) throw new InputError('the data files contain no entries', { file: cfg.data.join(', '), field: 'data' });
  const ts = await stage('mapping + features', entries.length, (tick) => {
    let last = 0;
    return TrainingSet.featurize(space, entries, { ltol: cfg.mapping.ltol, stol: cfg.mapping.stol, angleTol: cfg.mapping.angleTol, supercellSize: cfg.mapping.supercellSize, mode: cfg.mapping.mode }, {
      onEach: (done) => {
        tick(done - last);
        last = done;
      },
    });
  }, (t) => `${t.nRows} of ${entries.length} entries mapped`);
  const skipped = ts.skipped.map((s) => ({ file: displayPath(origin[s.entry]!.file), entry: origin[s.entry]!.index, reason: s.reason, message: s.message ?? '' }));
  if (ts.nRows === 0) {
    const counts = new Map<string, number>();
    for (const s of skipped) counts.set(s.reason, (counts.get(s.reason) ?? 0) + 1);
    const reasons = [...counts].sort((a, b) => b[1] - a[1]).map(([r, n]) => `${r} ×${n}`).join(', ');
    throw new InputError(
      `none of the ${entries.length} entries could be mapped onto the lattice of ${relative(process.cwd(), cfg.prim) || cfg.prim} (${reasons}); ` +
        `check that the primitive cell allows the data's species, or loosen mapping.ltol/stol/angleTol, or change mapping.supercellSize` +
        (skipped[0] ? `. First: ${skipped[0].file} entry ${skipped[0].entry}: ${skipped[0].message}` : ''),
      { file: cfg.file, field: 'data' },
    );
  }
  const splitsNeeded = cfg.fit.cv.kind === 'kfold' ? cfg.fit.cv.k : 2;
  if (ts.nRows < Math.max(splitsNeeded, 3)) {
    throw new InputError(`only ${ts.nRows} entries mapped; ${cfg.fit.cv.kind === 'kfold' ? `${cfg.fit.cv.k}-fold ` : ''}cross-validation needs more (see the skip reasons with \`celt map\`)`, { file: cfg.file, field: 'data' });
  }
  return { entries, origin, ts, skipped };
}

export interface FitOutcome {
  ds: Dataset;
  axes: GridAxis[];
  search?: SearchResult;
  /** Fixed parameters plus the searched ones at the CV optimum. */
  chosen: Record<string, unknown>;
  est: Estimator;
  trainPred: Float64Array;
  trainRmse: number;
  /** Out-of-fold predictions at the chosen parameters (parity plot). */
  oof: Float64Array;
  learning?: LearningPoint[];
}

/** 4. CV search, final fit, out-of-fold predictions and learning curve. */
export async function fitStage(cfg: CeltConfig, ts: TrainingSet, stage: StageRunner): Promise<FitOutcome> {
  await prepareMethod(cfg.fit.method);
  // The constant column becomes the intercept (matrix-io convention).
  const ds = datasetFromArrays(ts.X, ts.energy, { featureNames: ts.featureNames, groups: Int32Array.from(ts.groups), hierarchy: ts.hierarchy, source: 'training set' });
  const ctx: FitContext = { featureNames: ds.featureNames };
  if (ds.groups) ctx.groups = ds.groups;
  if (ds.hierarchy) ctx.hierarchy = ds.hierarchy;
  // Duplicates of one configuration share a fold (issue 19 item 6): a copy on the training side
  // would make its twin's held-out error ~0 and the CV RMSE optimistic.
  const rowGroups = cfg.fit.groupDuplicates ? equalRowGroups(ds.X) : undefined; // the constant column is equal in every row
  const splits = makeSplits(ds.X.rows, cfg.fit.cv, cfg.fit.seed, rowGroups);
  const axes: GridAxis[] = Object.entries(cfg.fit.grid).map(([name, values]) => ({ name, values }));
  let search: SearchResult | undefined;
  let chosen: Record<string, unknown> = { ...cfg.fit.params };
  if (axes.length) {
    const nPoints = axes.reduce((a, ax) => a * ax.values.length, 1);
    search = await stage(`CV search (${nPoints} points × ${splits.length} splits)`, nPoints * splits.length, async (_tick, set) => {
      // lasso/elastic-net grids run as one warm-started path per fold, so the task count is the caller's to learn
      return gridSearch(cfg.fit.method, cfg.fit.params, axes, ctx, ds.X, ds.y, splits, { onProgress: set });
    }, (s) => `best ${Object.entries(s.best.params).map(([k, v]) => `${k}=${v.toPrecision(3)}`).join(', ')}, CV RMSE ${s.best.cv.rmse.toFixed(4)} eV/prim`);
    chosen = { ...cfg.fit.params, ...search.best.params };
  }
  const est = await stage('final fit', 1, () => createEstimator(cfg.fit.method, chosen, ctx).fit(ds.X, ds.y));
  const trainPred = est.predict(ds.X);
  const trainRmse = errorMetrics(ds.y, trainPred).rmse;
  // Out-of-fold predictions at the chosen parameters (parity plot) and the learning-curve fits
  // share one worker pool: worker start-up costs more than a fold here.
  const lcTasks = cfg.fit.learningCurve ? learningCurveTasks(ds.X.rows, { seed: cfg.fit.seed, repeats: cfg.fit.learningCurveRepeats, testFraction: testFractionOf(cfg.fit.cv, ds.X.rows), ...(rowGroups ? { groups: rowGroups } : {}) }) : [];
  const tasks: Task[] = [
    ...splits.map((sp): Task => ({ kind: 'fit', method: cfg.fit.method, params: chosen, train: sp.train, test: sp.test })),
    ...lcTasks.map((t): Task => ({ kind: 'fit', method: cfg.fit.method, params: chosen, train: t.train, test: t.predict })),
  ];
  const preds = await stage(cfg.fit.learningCurve ? 'CV predictions + learning curve' : 'CV predictions', tasks.length, async (_tick, set) => {
    const res = (await runTasks(ds.X, ds.y, undefined, ctx, tasks, { onProgress: set })) as FitFoldResult[];
    return res.map((r) => r.pred);
  });
  const oof = assembleOutOfFold(ds.X.rows, splits, preds.slice(0, splits.length));
  const learning = cfg.fit.learningCurve ? learningCurveFromPredictions(lcTasks, preds.slice(splits.length), ds.y) : undefined;
  return { ds, axes, search, chosen, est, trainPred, trainRmse, oof, learning };
}

/** The CV's held-out fraction, so the learning curve's full-size point trains on as many rows as a CV fold. */
function testFractionOf(cv: CeltConfig['fit']['cv'], n: number): number {
  if (cv.kind === 'kfold') return 1 / cv.k;
  if (cv.kind === 'shuffle') return cv.testFraction;
  return 1 / n;
}

/** 5. The model file (and the training set next to it). */
export function saveModelStage(cfg: CeltConfig, space: ClusterSpace, ts: TrainingSet, fit: FitOutcome): { model: ClusterExpansion; modelFile: string } {
  const { est, ds, search } = fit;
  const cvBest = search?.best.cv;
  const model = ClusterExpansion.fromCoefficients(space, est.coef, est.intercept / (ds.constantColumn?.value ?? 1), {
    method: cfg.fit.method,
    params: est.params,
    cvRmse: cvBest?.rmse,
    cvStd: cvBest?.std,
    cvScheme: cvToText(cfg.fit.cv),
    trainRmse: fit.trainRmse,
    nTrain: ds.X.rows,
    search: search ? { grid: cfg.fit.grid, scores: search.points.map((p) => ({ params: p.params, rmse: p.cv.rmse, std: p.cv.std })) } : undefined,
    oneStandardError: search?.oneSE.params,
    mapping: { ...cfg.mapping },
    info: est.info,
    created: new Date().toISOString(),
  });
  const modelFile = join(cfg.output, 'model.json');
  model.save(modelFile);
  ts.save(join(cfg.output, 'training-set.json'));
  return { model, modelFile };
}

export interface ThermoOutcome {
  /** Entry names of the structures that entered the hulls. */
  names: string[];
  duplicateGroups: number[][];
  hull?: HullComparison;
  hullError?: string;
  voltage?: RunResults['voltage'];
  voltageNote?: string;
  /** DFT formation energy of every training row (NaN where the hull gives none), for the residual plot. */
  formation?: { values: Float64Array; per: 'prim' | 'atom' };
}

/**
 * 6. Thermodynamics on the training structures. Entries with identical feature vectors are
 * one configuration to the CE (identical CE energies), so only the lowest-DFT-energy entry of
 * each such group enters the hulls; otherwise a tie-break between copies would show up as a
 * "missing" plus a "spurious" ground state. A hull or voltage that cannot be computed is
 * reported, not fatal.
 */
export async function thermoStage(cfg: CeltConfig, data: MappedData, model: ClusterExpansion, stage: StageRunner, progress: Progress): Promise<ThermoOutcome> {
  const { ts, entries, origin } = data;
  const yPerPrim = ts.energy;
  const hidden = new Set<number>();
  const duplicateGroups = ts.duplicateGroups();
  for (const g of duplicateGroups) {
    const keep = g.reduce((b, i) => (yPerPrim[i]! < yPerPrim[b]! ? i : b), g[0]!);
    for (const i of g) if (i !== keep) hidden.add(i);
  }
  const hullRows = ts.rows.map((_, i) => i).filter((i) => !hidden.has(i));
  const structures: Structure[] = hullRows.map((i) => entries[ts.rows[i]!.entry]!.entry!.structure);
  const names = hullRows.map((i) => {
    const r = ts.rows[i]!;
    const e = entries[r.entry]!.entry!;
    return `${e.entryId ?? `#${origin[r.entry]!.index}`} ${e.structure.formula()}`;
  });
  const ceTotal = Float64Array.from(hullRows, (i) => model.predictOne(ts.rows[i]!.features) * ts.rows[i]!.nPrims);
  const dftTotal = Float64Array.from(hullRows, (i) => ts.rows[i]!.energyTotal);
  const out: ThermoOutcome = { names, duplicateGroups };
  try {
    const hull = await stage('convex hulls', 1, () => compareHulls(structures, names, dftTotal, ceTotal, { endMembers: cfg.thermo.endMembers, perUnit: { amount: Float64Array.from(hullRows, (i) => ts.rows[i]!.nPrims), name: 'prim cell' } }), (h) => `${h.matched.length} matched, ${h.missing.length} missing, ${h.spurious.length} spurious ground states`);
    if (hidden.size) hull.note += ` ${hidden.size} entries that duplicate another entry's correlation vector (same configuration to the CE) are represented by their lowest-energy copy.`;
    out.hull = hull;
    if (hull.dftFormation) out.formation = formationPerRow(ts, entries, hullRows, duplicateGroups, hull.dftFormation);
  } catch (e) {
    if (!(e instanceof CeltError)) throw e;
    out.hullError = e.describe();
    progress.log(`convex hull skipped: ${out.hullError}`);
  }
  if (cfg.thermo.ion && cfg.thermo.ionRefEnergy !== null) {
    try {
      out.voltage = voltageSteps(cfg.thermo.ion, cfg.thermo.ionRefEnergy, structures, names, dftTotal, ceTotal);
    } catch (e) {
      if (!(e instanceof CeltError)) throw e;
      out.voltageNote = e.describe();
      progress.log(`voltage profile skipped: ${out.voltageNote}`);
    }
  }
  return out;
}

/** The hull's DFT formation energies for every training row, per prim or per atom as the hull measured them. */
function formationPerRow(ts: TrainingSet, entries: MappedData['entries'], hullRows: number[], groups: number[][], f: { values: Float64Array; per: 'prim' | 'atom' }): ThermoOutcome['formation'] {
  const energy = Float64Array.from(ts.rows, (r) => (f.per === 'prim' ? r.energyTotal / r.nPrims : r.energyTotal / entries[r.entry]!.entry!.structure.numSites));
  return { values: carryFormation(energy, hullRows, groups, f.values), per: f.per };
}

/** DFT and CE voltage profiles of the same structures (the CE's host is the DFT's). */
function voltageSteps(ion: string, ionRefEnergy: number, structures: Structure[], names: string[], dftTotal: Float64Array, ceTotal: Float64Array): RunResults['voltage'] {
  const mk = (e: Float64Array) => structures.map((s, i) => ({ id: names[i]!, composition: elementComposition(s), energy: e[i]! }));
  const vp = voltagePointsFromEntries(mk(dftTotal), ion);
  const vc = voltagePointsFromEntries(mk(ceTotal), ion, vp.host);
  const pd = voltageProfile(vp.points, ionRefEnergy);
  const pc = voltageProfile(vc.points, ionRefEnergy);
  return {
    ion,
    steps: [
      ...pd.steps.map((s) => ({ model: 'DFT', from: names[s.from]!, to: names[s.to]!, xFrom: s.x1, xTo: s.x2, voltage: s.voltage })),
      ...pc.steps.map((s) => ({ model: 'CE', from: names[s.from]!, to: names[s.to]!, xFrom: s.x1, xTo: s.x2, voltage: s.voltage })),
    ],
  };
}

/** 7. The report's plain data (see report-input.ts for the prose and figures). */
export function runResults(cfg: CeltConfig, space: ClusterSpace, data: MappedData, fit: FitOutcome, model: ClusterExpansion, modelFile: string, thermo: ThermoOutcome, timings: Array<[string, number]>): RunResults {
  const { search, axes } = fit;
  const firstAxis = axes[0];
  const cvBest = search?.best.cv;
  const atomsPerUnit = Float64Array.from(data.ts.rows, (r) => data.entries[r.entry]!.entry!.structure.numSites / r.nPrims);
  return {
    title: runTitle(space),
    settings: runSettings(cfg, space, model, search, thermo),
    dataset: { files: cfg.data.map(displayPath), total: data.entries.length, mapped: data.ts.nRows, skipped: data.skipped, duplicateGroups: thermo.duplicateGroups },
    space: { nOrbits: space.nOrbits, nFunctions: space.nCorrelations, nFeatures: space.nFeatures, spaceGroup: `${space.symmetry.hmSymbol} (${space.symmetry.number})`, orbits: orbitRows(space, model) },
    fit: { method: cfg.fit.method, params: fit.chosen, trainRmse: fit.trainRmse, cvRmse: cvBest?.rmse, cvStd: cvBest?.std, nNonzero: nonzeroCount(fit.est), nFeatures: fit.ds.X.cols, cvScheme: `${cvToText(cfg.fit.cv)}${cfg.fit.groupDuplicates ? ', duplicates grouped' : ''}`, trainRmseMeVPerAtom: rmsePerAtom(fit.ds.y, fit.trainPred, atomsPerUnit), cvRmseMeVPerAtom: rmsePerAtom(fit.ds.y, fit.oof, atomsPerUnit) },
    cv: search && firstAxis ? { param: firstAxis.name, points: search.points.filter((p) => axes.slice(1).every((ax) => p.params[ax.name] === search.best.params[ax.name])).map((p) => ({ value: p.params[firstAxis.name]!, rmse: p.cv.rmse, std: p.cv.std })), best: search.best.params[firstAxis.name]! } : undefined,
    parity: { dft: fit.ds.y, train: fit.trainPred, cv: fit.oof, atomsPerUnit, ...(thermo.formation ? { formation: thermo.formation } : {}) },
    eci: eciRows(space, model, data.ts.featureNames),
    hull: thermo.hull,
    voltage: thermo.voltage,
    learning: fit.learning,
    timings,
    modelFile: relative(cfg.output, modelFile),
  };
}

/** What a user comparing with smol needs to know was used (smol: StructureMatcher 0.2/0.3/5°, indicator basis). */
function settingsLine(cfg: CeltConfig): string {
  const m = cfg.mapping;
  return `mapping ${m.mode}, ltol ${m.ltol}, stol ${m.stol}, angleTol ${m.angleTol}° (smol: 0.2, 0.3, 5°), size by ${m.supercellSize}; basis ${cfg.space.basis}${cfg.space.orthonormal ? ' orthonormal' : ''} (smol: indicator); CV ${cvToText(cfg.fit.cv)}${cfg.fit.groupDuplicates ? ', duplicates grouped' : ''}`;
}

/** RMSE in meV/atom of per-prim predictions (rows never predicted, NaN, are left out). */
function rmsePerAtom(y: ArrayLike<number>, pred: ArrayLike<number>, atomsPerUnit: ArrayLike<number>): number | undefined {
  let se = 0, n = 0;
  for (let i = 0; i < y.length; i++) {
    if (!Number.isFinite(pred[i]!)) continue;
    se += ((pred[i]! - y[i]!) / atomsPerUnit[i]!) ** 2;
    n++;
  }
  return n ? 1000 * Math.sqrt(se / n) : undefined;
}

function nonzeroCount(est: Estimator): number {
  return Array.from(est.coef).filter((v) => v !== 0).length;
}

/**
 * 8. Rounds (src/loop/rounds.ts): the entries of this run against the previous run's
 * rounds.json — a new round when the data files gained entries — and the convergence verdict.
 * Entries are named by their file relative to the config's folder and their position in it.
 */
function roundsStage(cfg: CeltConfig, data: MappedData, fit: FitOutcome, model: ClusterExpansion, thermo: ThermoOutcome, previous?: RoundsFile): { file: RoundsFile; verdict: Verdict } {
  const base = cfg.file ? dirname(cfg.file) : process.cwd();
  const ids = data.origin.map((o) => `${relativePath(base, o.file).split('\\').join('/')}#${o.index}`);
  const h = thermo.hull;
  const file = updateRounds(previous, ids, model.featureNames, model.eci, {
    nTrain: data.ts.nRows,
    cvRmse: fit.search?.best.cv.rmse ?? null,
    nEci: Array.from(model.eci).filter((v) => v !== 0).length,
    groundStates: h ? { matched: h.matched.length, missing: h.missing.length, spurious: h.spurious.length } : null,
  });
  writeFileSync(join(cfg.output, ROUNDS_FILE), JSON.stringify(file, null, 1) + '\n');
  return { file, verdict: convergenceVerdict(file, cfg.convergence) };
}

/**
 * The whole run. The output folder is checked before any work and the run writes into a staging
 * folder that replaces the old results only when everything is written (output-folder.ts). An
 * error removes the staging folder; Ctrl-C keeps its default (immediate) effect during the
 * stages — a JavaScript handler would wait for the current synchronous stage — and leaves the
 * old results and a hidden staging folder that the next run removes. Only the swap itself holds
 * the signal until the new folder is complete.
 */
export async function runWorkflow(cfg: CeltConfig, progress: Progress): Promise<RunSummary> {
  const cutoffs = checkConfig(cfg);
  if (cfg.mc) mcOptions(cfg.mc, cfg.file); // a bad mc block fails now, not after the fit
  const previousRounds = readRounds(join(cfg.output, ROUNDS_FILE));
  const out = prepareOutput(cfg.output);
  try {
    const s = await runStages({ ...cfg, output: out.staging }, cutoffs, progress, previousRounds);
    let signal: NodeJS.Signals | undefined;
    const hold = (sig: NodeJS.Signals) => {
      signal = sig;
    };
    process.on('SIGINT', hold);
    process.on('SIGTERM', hold);
    try {
      commitOutput(out);
      await new Promise((r) => setImmediate(r)); // a signal that came during the swap is delivered here
    } finally {
      process.off('SIGINT', hold);
      process.off('SIGTERM', hold);
    }
    if (signal) process.exit(signal === 'SIGINT' ? 130 : 143);
    return { ...s, outputDir: cfg.output, modelFile: finalPath(out, s.modelFile), reportFile: finalPath(out, s.reportFile) };
  } finally {
    out.discard();
  }
}

async function runStages(cfg: CeltConfig, cutoffs: Cutoffs, progress: Progress, previousRounds?: RoundsFile): Promise<RunSummary> {
  const tStart = performance.now();
  const timings: Array<[string, number]> = [];
  const stage = stageRunner(progress, timings);
  const space = await buildSpaceStage(cfg, cutoffs, stage);
  const data = await mapStage(cfg, space, stage);
  const fit = await fitStage(cfg, data.ts, stage);
  const { model, modelFile } = saveModelStage(cfg, space, data.ts, fit);
  const thermo = await thermoStage(cfg, data, model, stage, progress);
  // 7. Optional Monte Carlo on the fitted model (the config's mc block).
  const mc = cfg.mc ? await stage('Monte Carlo', 1, (_tick, set) => sampleModel(cfg, model, set)) : undefined;
  const results = runResults(cfg, space, data, fit, model, modelFile, thermo, timings);
  const rounds = roundsStage(cfg, data, fit, model, thermo, previousRounds);
  results.extra = [...(results.extra ?? []), convergenceSection(rounds.file, rounds.verdict, cfg.convergence)];
  if (mc) results.extra = [...(results.extra ?? []), mcSection(mc)];
  const t0 = performance.now();
  const rep = await writeReport(reportInput(results), cfg.output);
  timings.push(['report', secondsSince(t0)]);
  const { hull, names } = thermo;
  writeFileSync(join(cfg.output, 'summary.json'), JSON.stringify({ ...results, extra: undefined, mc, parity: undefined, hull: hull ? { matched: hull.matched.map((i) => names[i]), missing: hull.missing.map((i) => names[i]), spurious: hull.spurious.map((i) => names[i]) } : undefined, convergence: { round: rounds.file.rounds.at(-1)!.round, converged: rounds.verdict.converged, failures: rounds.verdict.failures } }, null, 1));
  return {
    outputDir: cfg.output,
    modelFile,
    reportFile: rep.html,
    nEntries: data.entries.length,
    nMapped: data.ts.nRows,
    nSkipped: data.skipped.length,
    nFeatures: space.nFeatures,
    nOrbits: space.nOrbits,
    method: cfg.fit.method,
    params: fit.chosen,
    settings: settingsLine(cfg),
    cvRmse: fit.search?.best.cv.rmse,
    trainRmse: fit.trainRmse,
    nNonzero: nonzeroCount(fit.est),
    groundStates: hull ? { matched: hull.matched.length, missing: hull.missing.length, spurious: hull.spurious.length } : undefined,
    round: rounds.file.rounds.at(-1)!.round,
    converged: rounds.verdict.converged,
    convergence: rounds.verdict.text,
    seconds: secondsSince(tStart),
    timings,
  };
}

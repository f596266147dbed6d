/**
 * The lab's engine: runs inside the page's Web Worker and calls the celt library exactly as
 * `celt run` does — the same config parser (workflow/config.ts), the same stages
 * (workflow/run.ts: space, mapping, CV search + final fit + out-of-fold predictions, model,
 * hulls/voltage, report data) — so the page computes the CLI's numbers. Files live in the
 * in-memory file system of lab/src/shims/fs.ts: /data/NAME/ (embedded datasets) and /FILE
 * (dropped files, at the root so errors name them as the CLI does a file in its working directory).
 */
import { CeltError, InputError } from '../../src/core/errors.ts';
import { errorMetrics } from '../../src/core/stats.ts';
import type { Progress } from '../../src/core/progress.ts';
import { configFromObject, type CeltConfig } from '../../src/workflow/config.ts';
import { buildSpaceStage, checkConfig, fitStage, mapStage, runResults, saveModelStage, stageRunner, thermoStage, type FitOutcome, type MappedData, type ThermoOutcome } from '../../src/workflow/run.ts';
import { reportInput } from '../../src/workflow/report-input.ts';
import { reportHtml, type ReportInput } from '../../src/report/report.ts';
import { renderSvg } from '../../src/report/plot.ts';
import { parityFigure } from '../../src/report/figures.ts';
import type { ClusterSpace } from '../../src/space/cluster-space.ts';
import type { ClusterExpansion } from '../../src/model/cluster-expansion.ts';
import { loadEntries, readStructureFile } from '../../src/structure/io/read.ts';
import { analyzeSymmetry } from '../../src/symmetry/symmetry.ts';
import type { Structure } from '../../src/structure/structure.ts';
import { listMethods } from '../../src/fit/registry.ts';
import { getFile } from './shims/fs.ts';
import type { Session } from './session.ts';

export type ProgressFn = (label: string, done: number, total: number) => void;

/** Where a session's files are: an embedded dataset or the dropped files. */
export function inputPaths(s: Session): { prim: string; data: string[] } {
  if (s.dataset === 'upload') {
    if (!s.upload?.prim) throw new InputError('drop a primitive cell file (pymatgen JSON, POSCAR or CIF) on the prim slot first', { field: 'prim' });
    if (!s.upload.data.length) throw new InputError('drop at least one entries file (pymatgen JSON list, extxyz) on the data slot first', { field: 'data' });
    return { prim: `/${s.upload.prim}`, data: s.upload.data.map((d) => `/${d}`) };
  }
  return { prim: `/data/${s.dataset}/prim.json`, data: [`/data/${s.dataset}/entries.json.gz`] };
}

/** The session as a celt config (what `celt run` would read), checked by the CLI's own parser. */
export function sessionConfig(s: Session): CeltConfig {
  const { prim, data } = inputPaths(s);
  return configFromObject({ prim, data, space: s.space, mapping: s.mapping, fit: s.fit, thermo: s.thermo, output: '/out' }, '/', 'lab settings');
}

function progressOf(fn: ProgressFn): Progress {
  return {
    log: (line) => console.info(line),
    step(label, total) {
      fn(label, 0, total);
      return { tick: () => undefined, set: (d, t) => fn(label, d, t), done: () => fn(label, total, total) };
    },
  };
}

/** A one-line structure description for the viewer and tables. */
export function structureSummary(s: Structure): { formula: string; nSites: number; lattice: number[][]; sites: Array<{ frac: number[]; xyz: number[]; species: string[]; occu: number[] }> } {
  const m = s.lattice.matrix;
  return {
    formula: s.formula(),
    nSites: s.numSites,
    lattice: m.map((r) => [...r]),
    sites: s.sites.map((site) => {
      const f = site.frac;
      const xyz = [0, 1, 2].map((k) => f[0] * m[0][k] + f[1] * m[1][k] + f[2] * m[2][k]);
      return { frac: [...f], xyz, species: site.species.map((o) => o.species.key), occu: site.species.map((o) => o.occu) };
    }),
  };
}

export interface PrimSummary {
  file: string;
  formula: string;
  spaceGroup: string;
  nSites: number;
  abc: number[];
  angles: number[];
  sites: Array<{ species: string; wyckoff: string }>;
  structure: ReturnType<typeof structureSummary>;
}

export function primSummary(path: string): PrimSummary {
  const prim = readStructureFile(path);
  const sg = analyzeSymmetry(prim);
  const m = prim.lattice.matrix;
  const len = (v: readonly number[]) => Math.hypot(v[0]!, v[1]!, v[2]!);
  const ang = (a: readonly number[], b: readonly number[]) => (Math.acos((a[0]! * b[0]! + a[1]! * b[1]! + a[2]! * b[2]!) / (len(a) * len(b))) * 180) / Math.PI;
  return {
    file: path.split('/').pop()!,
    formula: prim.formula(),
    spaceGroup: `${sg.hmSymbol} (${sg.number})`,
    nSites: prim.numSites,
    abc: m.map(len),
    angles: [ang(m[1], m[2]), ang(m[0], m[2]), ang(m[0], m[1])],
    sites: prim.sites.map((site, i) => ({ species: site.species.map((o) => `${o.species.key}:${o.occu.toFixed(3)}`).join(', '), wyckoff: sg.wyckoffs[i] ?? '' })),
    structure: structureSummary(prim),
  };
}

/** What a dropped file holds, or its one-line error (the CLI's `celt: …` line). */
export async function checkDroppedFile(name: string, role: 'prim' | 'data'): Promise<{ ok: boolean; message: string }> {
  // The bare name, as the CLI names a file given relative to the working directory.
  const path = name;
  try {
    if (role === 'prim') {
      const s = readStructureFile(path);
      const sg = analyzeSymmetry(s);
      return { ok: true, message: `${s.formula()}, ${s.numSites} sites, ${sg.hmSymbol} (${sg.number})` };
    }
    const entries = await loadEntries(path);
    const bad = entries.filter((e) => e.error);
    const first = bad[0]?.error;
    return { ok: bad.length < entries.length, message: `${entries.length} entries${bad.length ? `, ${bad.length} unreadable (first — celt: ${first!.describe()})` : ''}` };
  } catch (e) {
    if (e instanceof CeltError) return { ok: false, message: `celt: ${e.describe()}` };
    return { ok: false, message: `celt: ${path.split('/').pop()}: ${(e as Error).message}` };
  }
}

interface Prepared {
  key: string;
  cfg: CeltConfig;
  space: ClusterSpace;
  data: MappedData;
  timings: Array<[string, number]>;
}

interface Fitted {
  prepared: Prepared;
  cfg: CeltConfig;
  fit: FitOutcome;
  model: ClusterExpansion;
  modelFile: string;
  thermo: ThermoOutcome;
  report: ReportInput;
  seconds: number;
  /** Wall time per stage (the same labels as `celt run`'s summary.json timings). */
  timings: Array<[string, number]>;
}

let prepared: Prepared | undefined;
let fitted: Fitted | undefined;

/** Space + mapping (cached on the settings that change them). */
export async function prepare(s: Session, onProgress: ProgressFn): Promise<Prepared> {
  const cfg = sessionConfig(s);
  const key = JSON.stringify({ prim: cfg.prim, data: cfg.data, space: cfg.space, mapping: cfg.mapping, upload: s.upload });
  if (prepared?.key === key) return prepared;
  const timings: Array<[string, number]> = [];
  const stage = stageRunner(progressOf(onProgress), timings);
  const cutoffs = checkConfig(cfg);
  const space = await buildSpaceStage(cfg, cutoffs, stage);
  const data = await mapStage(cfg, space, stage);
  prepared = { key, cfg, space, data, timings };
  fitted = undefined;
  return prepared;
}

export function spaceView(p: Prepared) {
  const { space, data } = p;
  const ts = data.ts;
  const counts = new Map<string, number>();
  for (const s of data.skipped) counts.set(s.reason, (counts.get(s.reason) ?? 0) + 1);
  return {
    spaceGroup: `${space.symmetry.hmSymbol} (${space.symmetry.number})`,
    nOrbits: space.nOrbits,
    nFunctions: space.nCorrelations,
    nFeatures: space.nFeatures,
    ewald: Boolean(space.ewald),
    orbits: space.orbitTable().map((o) => ({ ...o })),
    matrix: [ts.nRows, ts.nFeatures],
    entries: data.entries.length,
    mapped: ts.nRows,
    skipped: data.skipped,
    skipCounts: [...counts].sort((a, b) => b[1] - a[1]),
    duplicates: ts.duplicateGroups(),
    rowNames: ts.rows.map((r) => rowName(p, r.entry)),
    timings: p.timings,
  };
}

function rowName(p: Prepared, entryIndex: number): string {
  const e = p.data.entries[entryIndex]!.entry!;
  return `${e.entryId ?? `#${p.data.origin[entryIndex]!.index}`} ${e.structure.formula()}`;
}

/** Fit with the session's method, grid and CV — the CLI workflow's fit, model and thermo stages. */
export async function fit(s: Session, onProgress: ProgressFn) {
  const p = await prepare(s, onProgress);
  const cfg = sessionConfig(s);
  const timings: Array<[string, number]> = [...p.timings];
  const progress = progressOf(onProgress);
  const stage = stageRunner(progress, timings);
  const t0 = performance.now();
  const f = await fitStage(cfg, p.data.ts, stage);
  const fitSeconds = (performance.now() - t0) / 1000;
  const { model, modelFile } = saveModelStage(cfg, p.space, p.data.ts, f);
  const thermo = await thermoStage(cfg, p.data, model, stage, progress);
  const results = runResults(cfg, p.space, p.data, f, model, modelFile, thermo, timings);
  const report = reportInput(results);
  fitted = { prepared: p, cfg, fit: f, model, modelFile, thermo, report, seconds: fitSeconds, timings };
  return fitView(fitted, results.fit);
}

function fitView(F: Fitted, summary: ReturnType<typeof runResults>['fit']) {
  const { fit: f, prepared: p, thermo } = F;
  const names = p.data.ts.rows.map((r) => rowName(p, r.entry));
  const ewaldIndex = f.ds.featureNames.indexOf('ewald');
  const ewaldEci = ewaldIndex >= 0 ? f.est.coef[ewaldIndex]! : undefined;
  const oof = errorMetrics(f.ds.y, f.oof);
  // The figures: the report's own specs (report-input.ts), plus the parity plot with entry labels for hovering.
  const figures = F.report.sections.filter((sec) => sec.figure).map((sec) => ({ id: sec.id, title: sec.title, caption: sec.figure!.caption, spec: sec.figure!.spec }));
  const parity = parityFigure({ dft: f.ds.y, train: f.trainPred, cv: f.oof, trainRmse: f.trainRmse, cvRmse: summary.cvRmse, labels: names });
  const hull = thermo.hull;
  const gs = hull ? { matched: hull.matched.map((i) => thermo.names[i]!), missing: hull.missing.map((i) => thermo.names[i]!), spurious: hull.spurious.map((i) => thermo.names[i]!) } : undefined;
  return {
    method: F.cfg.fit.method,
    params: f.chosen,
    trainRmse: f.trainRmse,
    cvRmse: summary.cvRmse,
    cvStd: summary.cvStd,
    oofRmse: oof.rmse,
    nNonzero: summary.nNonzero,
    nFeatures: summary.nFeatures,
    ewaldEci,
    dielectric: ewaldEci ? 1 / ewaldEci : undefined,
    fitSeconds: F.seconds,
    figures,
    parity,
    groundStates: gs,
    hullError: thermo.hullError,
    voltageNote: thermo.voltageNote,
    timings: F.timings,
    eci: f.ds.featureNames.map((n, i) => [n, f.est.coef[i]!] as [string, number]),
    intercept: f.est.intercept,
  };
}

/** A structure for the viewer: the prim, a mapped entry (row) or a ground state (by name). */
export function structureFor(what: { kind: 'prim' } | { kind: 'row'; row: number } | { kind: 'name'; name: string }) {
  const p = prepared;
  if (!p) throw new InputError('build the space first');
  if (what.kind === 'prim') return { title: 'primitive cell', ...structureSummary(p.space.prim) };
  const rows = p.data.ts.rows;
  const row = what.kind === 'row' ? what.row : rows.findIndex((r) => rowName(p, r.entry) === what.name);
  const r = rows[row];
  if (!r) throw new InputError(`no mapped entry ${what.kind === 'row' ? what.row : what.name}`);
  return { title: rowName(p, r.entry), ...structureSummary(p.data.entries[r.entry]!.entry!.structure) };
}

/** Export files: the model (as `celt run` writes it), the training set, or the report input. */
export function exportFile(what: 'model' | 'training-set'): string {
  if (!fitted) throw new InputError('fit a model first');
  const path = what === 'model' ? fitted.modelFile : `${fitted.cfg.output}/training-set.json`;
  const bytes = getFile(path);
  if (!bytes) throw new InputError(`${what} was not written`);
  return new TextDecoder().decode(bytes);
}

/** report.html as `celt run` writes it (the same sections and specs; figures rendered by Vega to SVG here). */
export async function reportFile(): Promise<string> {
  if (!fitted) throw new InputError('fit a model first');
  return reportHtml(fitted.report, async (_name, spec) => {
    const bytes = new TextEncoder().encode(await renderSvg(spec));
    let bin = '';
    for (let i = 0; i < bytes.length; i += 0x8000) bin += String.fromCharCode(...bytes.subarray(i, i + 0x8000));
    return { dataUri: `data:image/svg+xml;base64,${btoa(bin)}` };
  });
}

export function fittedModel(): ClusterExpansion {
  if (!fitted) throw new InputError('fit a model first');
  return fitted.model;
}

/** The registry's methods with their parameter specs (drives the Fit form). */
export function methods() {
  return listMethods().map((m) => ({ name: m.name, summary: m.summary, params: m.params }));
}

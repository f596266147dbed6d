/**
 * What `celt run` found, as plain data, and its translation into report sections. Kept apart
 * from the pipeline so the report can be built (and tested) from arrays alone.
 */
import { isAbsolute, relative as relativePath } from 'node:path';
import type { LearningPoint } from '../fit/selection/learning-curve.ts';
import { cvCurveFigure, datasetFigure, eciFigure, hullFigure, learningCurveFigure, parityFigure, residualFigure, voltageFigure, type CvPoint, type EciRow, type HullPlotPoint } from '../report/figures.ts';
import type { SearchResult } from '../fit/selection/search.ts';
import type { ClusterExpansion } from '../model/cluster-expansion.ts';
import type { VegaLiteSpec } from '../report/plot.ts';
import type { ClusterSpace } from '../space/cluster-space.ts';
import { type CeltConfig, cvToText } from './config.ts';
import { formatNumber, orbitTable, skipReasonCounts, type OrbitRow, type ReportInput, type ReportSection, type SkippedInFile } from '../report/report.ts';

export interface HullReport {
  points: HullPlotPoint[];
  names: string[];
  dftHull: number[];
  ceHull: number[];
  matched: number[];
  missing: number[];
  spurious: number[];
  xTitle: string;
  /** How the composition axis/space was chosen (shown under the figure). */
  note: string;
  /** A ready figure (e.g. a composition map for many components) instead of energy vs x. */
  figure?: VegaLiteSpec;
  /** What the figure draws (the caption says the same). */
  figureKind?: 'energy' | 'composition-map';
}

export interface VoltageRow {
  /** "DFT" or "CE". */
  model: string;
  from: string;
  to: string;
  xFrom: number;
  xTo: number;
  voltage: number;
}

export interface RunResults {
  title: string;
  settings: Array<[string, string | number]>;
  dataset: { files: string[]; total: number; mapped: number; skipped: SkippedInFile[]; duplicateGroups?: number[][] };
  space: { nOrbits: number; nFunctions: number; nFeatures: number; spaceGroup: string; orbits: OrbitRow[] };
  fit: { method: string; params: Record<string, unknown>; trainRmse: number; cvRmse?: number; cvStd?: number; nNonzero: number; nFeatures: number; cvScheme: string; trainRmseMeVPerAtom?: number; cvRmseMeVPerAtom?: number };
  cv?: { param: string; points: CvPoint[]; best: number };
  /** Per row: DFT, final-fit and out-of-fold energies (eV/prim) and atoms per prim (for meV/atom). */
  parity: { dft: ArrayLike<number>; train: ArrayLike<number>; cv?: ArrayLike<number>; atomsPerUnit?: ArrayLike<number>; formation?: { values: ArrayLike<number>; per: 'prim' | 'atom' } };
  eci: EciRow[];
  hull?: HullReport;
  voltage?: { ion: string; steps: VoltageRow[] };
  learning?: LearningPoint[];
  timings: Array<[string, number]>;
  modelFile: string;
  extra?: ReportSection[];
}

/**
 * A path as the report shows it: relative to the working directory when below it, else its
 * last two parts — a report is shared, and an absolute path says nothing to its reader.
 */
export function displayPath(path: string): string {
  const r = relativePath(process.cwd(), path);
  if (r && !r.startsWith('..') && !isAbsolute(r)) return r;
  return `…/${path.split(/[\\/]/).filter(Boolean).slice(-2).join('/')}`;
}

export function runTitle(space: ClusterSpace): string {
  return `celt cluster expansion on ${space.spaces.sublattices.map((sl) => `[${sl.species.map((sp) => sp.key).join(' ')}]`).join(' ')}`;
}

/** The report's "Settings" facts: what was run, in words, with warnings a reader must see. */
export function runSettings(cfg: CeltConfig, space: ClusterSpace, model: ClusterExpansion, search: SearchResult | undefined, notes: { hullError?: string; voltageNote?: string }): Array<[string, string | number]> {
  const ewaldEci = cfg.space.ewald ? model.eci[space.ewaldIndex]! : 0;
  return [
    ['config', cfg.file ? displayPath(cfg.file) : '(built-in defaults: embedded lmo_drx data)'],
    ['primitive cell', displayPath(cfg.prim)],
    ['cutoffs (Å)', Object.entries(cfg.space.cutoffs).map(([k, v]) => `${k}-body ${v}`).join(', ')],
    ['basis', `${cfg.space.basis}${cfg.space.orthonormal ? ` (orthonormal, ${cfg.space.measure} measure)` : ''}`],
    ['Ewald term', cfg.space.ewald ? `yes (ECI = ${ewaldEci.toPrecision(4)}, ≈ 1/ε${ewaldEci < 0 ? '; NEGATIVE, which is unphysical: refit with the constrained method and nonnegative = [Ewald column]' : ''})` : 'no'],
    ['mapping', `${cfg.mapping.mode}, ltol ${cfg.mapping.ltol}, stol ${cfg.mapping.stol}, angleTol ${cfg.mapping.angleTol}°, size by ${cfg.mapping.supercellSize}`],
    ['fit', `${cfg.fit.method}, grid ${Object.entries(cfg.fit.grid).map(([k, v]) => `${k}: ${v.length} values ${formatNumber(v[0]!, 3)}…${formatNumber(v.at(-1)!, 3)}`).join('; ') || '(none)'}, CV ${cvToText(cfg.fit.cv)}, seed ${cfg.fit.seed}`],
    [
      'CV splits',
      cfg.fit.groupDuplicates
        ? 'entries with identical correlation vectors are kept in the same fold (grouped splits), for the CV and the learning curve alike; fit.groupDuplicates = false gives plain splits'
        : 'plain splits: entries with identical correlation vectors may fall on both sides (fit.groupDuplicates = false), which makes the CV optimistic',
    ],
    ...(cfg.fit.learningCurve ? [['learning curve', `${cfg.fit.learningCurveRepeats} random held-out sets per size; the line is the median, the band ±1 std`] as [string, string]] : []),
    ...(search ? [['one-standard-error choice', Object.entries(search.oneSE.params).map(([k, v]) => `${k}=${v.toPrecision(3)}`).join(', ') + ` (CV RMSE ${search.oneSE.cv.rmse.toFixed(4)}, ${search.oneSE.cv.nNonzeroMean.toFixed(0)} nonzero)`] as [string, string]] : []),
    ...(notes.hullError ? [['convex hull', `not computed: ${notes.hullError}`] as [string, string]] : []),
    ...(notes.voltageNote ? [['voltage', `not computed: ${notes.voltageNote}`] as [string, string]] : []),
  ];
}

/** The learning-curve caption, with the full-size point set beside the CV RMSE it should agree with. */
function learningCaption(points: LearningPoint[], cvRmse: number | undefined): string {
  const last = points.at(-1);
  const full = last && last.cvMedian !== undefined && cvRmse !== undefined ? ` At ${last.nTrain} training structures the validation RMSE is ${formatNumber(last.cvMedian)} (median of ${last.repeats} held-out sets, ±${formatNumber(last.cvStd ?? 0)}; root mean square ${formatNumber(last.cvRms ?? NaN)}) vs the CV RMSE ${formatNumber(cvRmse)}.` : '';
  return `Training and validation RMSE vs training-set size (random subsets, same hyperparameters, validation on a held-out set drawn like a CV fold; line: median over repeats, band: ±1 std).${full}`;
}

/** Nonzero ECIs with their cluster size and diameter (the ECI figure's rows). */
export function eciRows(space: ClusterSpace, model: ClusterExpansion, featureNames: string[]): EciRow[] {
  return space.orbits.flatMap((o) => o.functions.map((_, f) => ({ size: o.size, diameter: o.diameter, eci: model.eci[o.firstFunction + f]!, name: featureNames[o.firstFunction + f] }))).filter((r) => r.eci !== 0);
}

/** The orbit table with each orbit's ECI norm and nonzero count. */
export function orbitRows(space: ClusterSpace, model: ClusterExpansion): OrbitRow[] {
  return space.orbitTable().map((o) => {
    const orbit = space.orbits[o.id - 1]!;
    let norm = 0, nz = 0;
    for (let f = 0; f < o.nFunctions; f++) {
      const v = model.eci[orbit.firstFunction + f]!;
      norm += Math.abs(v);
      if (v !== 0) nz++;
    }
    return { id: o.id, size: o.size, diameter: o.diameter, multiplicity: o.multiplicity, functions: o.nFunctions, eciNorm: norm, nonzero: nz };
  });
}

/** The residual figure: against the DFT formation energy (the hull's reference) when the hull gives one, else the DFT energy per prim. */
function residualSection(p: RunResults['parity'], atomsPerUnit: ArrayLike<number>): NonNullable<ReportSection['figure']> {
  const f = p.formation;
  const x = f ? { x: f.values, xTitle: `DFT formation energy (eV/${f.per === 'prim' ? 'prim' : 'atom'})` } : {};
  const against = f ? `the DFT formation energy per ${f.per === 'prim' ? 'primitive cell' : 'atom'} (the convex hull's reference)` : 'the DFT energy per primitive cell (the hull gives no formation energies here)';
  return { name: 'residuals', spec: residualFigure({ ...p, atomsPerUnit, ...x }), caption: `CE − DFT per atom (meV/atom) vs ${against}, for the final fit and the out-of-fold CV predictions.` };
}

export function reportInput(r: RunResults): ReportInput {
  const sections: ReportSection[] = [];
  const d = r.dataset;
  const reasons = skipReasonCounts(d.skipped);
  sections.push({
    id: 'dataset',
    title: 'Dataset',
    facts: [
      ['files', d.files.join(', ')],
      ['entries read', d.total],
      ['mapped onto the lattice (used for fitting)', d.mapped],
      ['skipped', d.skipped.length],
      ...(d.duplicateGroups?.length ? [['mapped entries sharing a correlation vector (kept for fitting)', `${d.duplicateGroups.reduce((a, g) => a + g.length, 0)} in ${d.duplicateGroups.length} groups`] as [string, string]] : []),
      ...reasons.map(({ reason, count }) => [`  skipped: ${reason}`, count] as [string, number]),
    ],
    figure: { name: 'dataset', spec: datasetFigure({ counts: [{ label: 'mapped', count: d.mapped }, ...reasons.map((x) => ({ label: `skipped: ${x.reason}`, count: x.count }))] }), caption: 'Entries mapped onto the lattice and skip reasons.' },
    table: d.skipped.length ? { columns: ['file', 'entry', 'reason', 'message'], rows: d.skipped.map((s) => [s.file, String(s.entry), s.reason, s.message]), csv: 'skipped.csv' } : undefined,
  });
  sections.push({
    id: 'settings',
    title: 'Settings',
    facts: r.settings,
  });
  sections.push({
    id: 'space',
    title: 'Cluster space',
    facts: [
      ['space group of the prim', r.space.spaceGroup],
      ['orbits (incl. empty cluster)', r.space.nOrbits],
      ['correlation functions (incl. constant)', r.space.nFunctions],
      ['features (incl. external terms)', r.space.nFeatures],
    ],
    table: orbitTable(r.space.orbits),
  });
  const f = r.fit;
  sections.push({
    id: 'fit',
    title: 'Fit',
    facts: [
      ['method', f.method],
      ['parameters', Object.entries(f.params).map(([k, v]) => `${k}=${typeof v === 'number' ? formatNumber(v) : String(v)}`).join(', ') || '(defaults)'],
      ['CV scheme', f.cvScheme],
      ['training RMSE (eV/prim)', f.trainRmse],
      ...(f.trainRmseMeVPerAtom !== undefined ? [['training RMSE (meV/atom)', formatNumber(f.trainRmseMeVPerAtom, 3)] as [string, string]] : []),
      ...(f.cvRmse !== undefined ? [['CV RMSE (eV/prim)', `${formatNumber(f.cvRmse)} ± ${formatNumber(f.cvStd ?? 0)}`] as [string, string]] : []),
      ...(f.cvRmseMeVPerAtom !== undefined ? [['out-of-fold RMSE (meV/atom)', formatNumber(f.cvRmseMeVPerAtom, 3)] as [string, string]] : []),
      ['nonzero ECIs', `${f.nNonzero} of ${f.nFeatures}`],
      ['model file', r.modelFile],
    ],
  });
  if (r.cv) {
    sections.push({ id: 'cv', title: 'CV curve', figure: { name: 'cv-curve', spec: cvCurveFigure(r.cv), caption: `Mean CV RMSE (±1 std over folds) vs ${r.cv.param}; dashed line: chosen value ${formatNumber(r.cv.best)}.` } });
  }
  sections.push({
    id: 'parity',
    title: 'Parity',
    figure: { name: 'parity', spec: parityFigure({ ...r.parity, trainRmse: f.trainRmse, cvRmse: f.cvRmse }), caption: 'CE vs DFT energy per primitive cell: the final fit on all data (train) and out-of-fold predictions of the CV at the chosen hyperparameters.' },
  });
  if (r.parity.atomsPerUnit) {
    sections.push({
      id: 'residuals',
      title: 'Residuals',
      figure: residualSection(r.parity, r.parity.atomsPerUnit),
    });
  }
  sections.push({
    id: 'eci',
    title: 'ECIs',
    figure: { name: 'eci', spec: eciFigure({ rows: r.eci }), caption: `Nonzero effective cluster interactions (${r.eci.filter((e) => e.eci !== 0).length}) vs cluster diameter (points at 0 Å), coloured by cluster size; the constant and external terms are not shown.` },
  });
  if (r.hull) {
    const h = r.hull;
    const list = (idx: number[]) => (idx.length ? idx.map((i) => `${h.names[i]} (${h.xTitle} = ${formatNumber(h.points[i]!.x)})`).join('\n  ') : '(none)');
    sections.push({
      id: 'hull',
      title: 'Convex hull',
      text: [h.note],
      figure: { name: 'hull', spec: h.figure ?? hullFigure({ ...h }), caption: h.figureKind === 'composition-map' ? 'Where the ground states lie in composition (several composition coordinates vary, so energies are not projected): DFT and CE ground states, with the DFT ground states the CE misses and the spurious CE ground states marked.' : 'Formation energies (DFT and CE) with both lower hulls; squares: DFT ground states the CE misses, diamonds: spurious CE ground states.' },
      pre: `matched ground states (${h.matched.length}):\n  ${list(h.matched)}\nmissing (on the DFT hull, not on the CE hull) (${h.missing.length}):\n  ${list(h.missing)}\nspurious (on the CE hull, not on the DFT hull) (${h.spurious.length}):\n  ${list(h.spurious)}`,
    });
  }
  if (r.voltage) {
    sections.push({
      id: 'voltage',
      title: 'Voltage',
      figure: {
        name: 'voltage',
        spec: voltageFigure({ ion: r.voltage.ion, series: ['DFT', 'CE'].map((m) => ({ name: m, steps: r.voltage!.steps.filter((st) => st.model === m).map((st) => ({ x1: st.xFrom, x2: st.xTo, voltage: st.voltage })) })) }),
        caption: 'Average voltage between adjacent ground states of E vs ion content (seed 000 Eq. 11), from DFT and from the CE.',
      },
      table: { columns: ['model', 'from', 'to', 'x from', 'x to', 'voltage (V)'], rows: r.voltage.steps.map((s) => [s.model, s.from, s.to, s.xFrom, s.xTo, s.voltage]) },
    });
  }
  if (r.learning) {
    sections.push({ id: 'learning', title: 'Learning curve', figure: { name: 'learning-curve', spec: learningCurveFigure({ points: r.learning }), caption: learningCaption(r.learning, f.cvRmse) } });
  }
  for (const s of r.extra ?? []) sections.push(s);
  sections.push({ id: 'timings', title: 'Timings', facts: r.timings.map(([k, v]) => [k, `${v.toFixed(1)} s`]) });
  return { title: r.title, subtitle: `generated by celt on ${new Date().toISOString()}`, sections };
}

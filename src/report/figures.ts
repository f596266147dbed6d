/**
 * Figure builders for the workflow report. Each takes plain arrays (no ClusterSpace, no
 * estimator) and returns a Vega-Lite spec for src/report/plot.ts, so every figure can be
 * built and checked without running the pipeline.
 */
import type { VegaLiteSpec } from './plot.ts';
import type { LearningPoint } from '../fit/selection/learning-curve.ts';

const WIDTH = 420;
const HEIGHT = 320;
const base = (title: string): VegaLiteSpec => ({
  $schema: 'https://vega.github.io/schema/vega-lite/v5.json',
  title,
  width: WIDTH,
  height: HEIGHT,
  config: { font: 'DejaVu Sans', axis: { labelFontSize: 11, titleFontSize: 12 }, legend: { labelFontSize: 11, titleFontSize: 11 } },
});

export interface CvPoint {
  /** Hyperparameter value (first grid parameter). */
  value: number;
  /** Mean CV RMSE over folds (same units as the energies). */
  rmse: number;
  /** Standard deviation of the fold RMSEs. */
  std: number;
}

/** CV RMSE vs one hyperparameter with ±1 std band; the chosen value marked. */
export function cvCurveFigure(opts: { param: string; points: CvPoint[]; best: number; log?: boolean; units?: string }): VegaLiteSpec {
  const log = opts.log ?? opts.points.every((p) => p.value > 0);
  const data = opts.points.map((p) => ({ value: p.value, rmse: p.rmse, lo: Math.max(p.rmse - p.std, 0), hi: p.rmse + p.std }));
  const x = { field: 'value', type: 'quantitative', title: opts.param, scale: { type: log ? 'log' : 'linear' }, axis: { format: log ? '.0e' : '' } };
  const yTitle = `CV RMSE (${opts.units ?? 'eV/prim'})`;
  return {
    ...base(`Cross-validation over ${opts.param}`),
    layer: [
      { data: { values: data }, mark: { type: 'area', opacity: 0.2, color: '#4c78a8' }, encoding: { x, y: { field: 'lo', type: 'quantitative', title: yTitle }, y2: { field: 'hi' } } },
      { data: { values: data }, mark: { type: 'line', point: true, color: '#4c78a8' }, encoding: { x, y: { field: 'rmse', type: 'quantitative', title: yTitle } } },
      { data: { values: [{ value: opts.best }] }, mark: { type: 'rule', color: '#e45756', strokeDash: [4, 3] }, encoding: { x } },
    ],
  };
}

/** Predicted vs DFT energies for the training fit and for out-of-fold CV predictions. */
export function parityFigure(opts: { dft: ArrayLike<number>; train: ArrayLike<number>; cv?: ArrayLike<number>; units?: string; trainRmse?: number; cvRmse?: number; labels?: string[] }): VegaLiteSpec {
  const rows: Array<{ dft: number; ce: number; set: string; entry?: string; error?: number }> = [];
  const trainLabel = `fit (train)${opts.trainRmse !== undefined ? `, RMSE ${fmt(opts.trainRmse)}` : ''}`;
  const cvLabel = `CV (out of fold)${opts.cvRmse !== undefined ? `, RMSE ${fmt(opts.cvRmse)}` : ''}`;
  // With labels (the browser lab) every point carries its entry and error for the hover tooltip.
  const row = (i: number, ce: number, set: string) => (opts.labels ? { dft: opts.dft[i]!, ce, set, entry: opts.labels[i] ?? '', error: ce - opts.dft[i]! } : { dft: opts.dft[i]!, ce, set });
  for (let i = 0; i < opts.dft.length; i++) {
    rows.push(row(i, opts.train[i]!, trainLabel));
    if (opts.cv && Number.isFinite(opts.cv[i]!)) rows.push(row(i, opts.cv[i]!, cvLabel));
  }
  let lo = Infinity;
  let hi = -Infinity;
  for (const r of rows) {
    lo = Math.min(lo, r.dft, r.ce);
    hi = Math.max(hi, r.dft, r.ce);
  }
  const pad = 0.03 * (hi - lo || 1);
  const domain = [lo - pad, hi + pad];
  const units = opts.units ?? 'eV/prim';
  return {
    ...base('Parity: cluster expansion vs DFT'),
    layer: [
      { data: { values: [{ a: domain[0], b: domain[0] }, { a: domain[1], b: domain[1] }] }, mark: { type: 'line', color: '#888', strokeDash: [4, 3] }, encoding: { x: { field: 'a', type: 'quantitative', scale: { domain } }, y: { field: 'b', type: 'quantitative', scale: { domain } } } },
      {
        data: { values: rows },
        mark: { type: 'point', filled: true, size: 18, opacity: 0.6 },
        encoding: {
          x: { field: 'dft', type: 'quantitative', title: `DFT energy (${units})`, scale: { domain, zero: false } },
          y: { field: 'ce', type: 'quantitative', title: `CE energy (${units})`, scale: { domain, zero: false } },
          color: { field: 'set', type: 'nominal', title: null, scale: { range: ['#4c78a8', '#f58518'] } },
          ...(opts.labels ? { tooltip: [{ field: 'entry', title: 'entry' }, { field: 'set', title: 'set' }, { field: 'dft', title: `DFT (${units})`, format: '.5f' }, { field: 'ce', title: `CE (${units})`, format: '.5f' }, { field: 'error', title: `CE − DFT (${units})`, format: '.5f' }] } : {}),
        },
      },
    ],
    config: { ...(base('').config as object), legend: { orient: 'top-left', labelLimit: 300 } },
  };
}

export interface EciRow {
  /** Number of sites in the cluster (1 = point, 2 = pair, …). */
  size: number;
  /** Largest site–site distance (Å); 0 for points. */
  diameter: number;
  eci: number;
  name?: string;
}

/** ECIs (times multiplicity if the caller wants) vs cluster diameter, one colour per cluster size. */
export function eciFigure(opts: { rows: EciRow[]; title?: string; units?: string }): VegaLiteSpec {
  const sizeName = (s: number) => ['empty', 'point', 'pair', 'triplet', 'quadruplet', 'quintuplet', 'sextuplet'][s] ?? `${s}-body`;
  const values = opts.rows.map((r) => ({ ...r, kind: `${r.size}: ${sizeName(r.size)}`, nonzero: r.eci !== 0 ? 'nonzero' : 'zero' }));
  return {
    ...base(opts.title ?? 'ECIs vs cluster diameter'),
    layer: [
      { data: { values: [{ y: 0 }] }, mark: { type: 'rule', color: '#888' }, encoding: { y: { field: 'y', type: 'quantitative' } } },
      {
        data: { values },
        mark: { type: 'point', filled: true, size: 40, opacity: 0.8 },
        encoding: {
          x: { field: 'diameter', type: 'quantitative', title: 'cluster diameter (Å)' },
          y: { field: 'eci', type: 'quantitative', title: `ECI (${opts.units ?? 'eV'})` },
          color: { field: 'kind', type: 'nominal', title: 'cluster size' },
          shape: { field: 'kind', type: 'nominal', title: 'cluster size' },
          tooltip: [{ field: 'name' }, { field: 'eci' }],
        },
      },
    ],
  };
}

export interface HullPlotPoint {
  /** Composition coordinate on the plot's x axis. */
  x: number;
  /** Formation energy from DFT and from the CE (eV per formula unit of the end members). */
  dft: number;
  ce: number;
  name?: string;
}

/**
 * Formation energies with the DFT hull and the CE hull. Missing ground states (on the DFT hull,
 * not on the CE hull) and spurious ones (on the CE hull, not on the DFT hull) are marked.
 * `dftHull`/`ceHull` are indices into `points` of the hull vertices.
 */
export function hullFigure(opts: { points: HullPlotPoint[]; dftHull: number[]; ceHull: number[]; missing: number[]; spurious: number[]; xTitle: string; units?: string; title?: string }): VegaLiteSpec {
  const units = opts.units ?? 'eV/prim';
  const p = opts.points;
  const cloud = [
    ...p.map((q) => ({ x: q.x, e: q.dft, set: 'DFT', name: q.name ?? '' })),
    ...p.map((q) => ({ x: q.x, e: q.ce, set: 'CE', name: q.name ?? '' })),
  ];
  const line = (idx: number[], get: (q: HullPlotPoint) => number, set: string) =>
    [...idx].sort((a, b) => p[a]!.x - p[b]!.x || get(p[a]!) - get(p[b]!)).map((i, order) => ({ x: p[i]!.x, e: get(p[i]!), set, order }));
  const marks = [
    ...opts.missing.map((i) => ({ x: p[i]!.x, e: p[i]!.dft, kind: 'missing (DFT GS not on CE hull)' })),
    ...opts.spurious.map((i) => ({ x: p[i]!.x, e: p[i]!.ce, kind: 'spurious (CE-only GS)' })),
  ];
  const x = { field: 'x', type: 'quantitative', title: opts.xTitle };
  const y = { field: 'e', type: 'quantitative', title: `formation energy (${units})` };
  const color = { field: 'set', type: 'nominal', title: null, scale: { domain: ['DFT', 'CE'], range: ['#4c78a8', '#f58518'] } };
  const layers: unknown[] = [
    { data: { values: cloud }, mark: { type: 'point', size: 14, opacity: 0.35, filled: true }, encoding: { x, y, color: { ...color, legend: null } } },
    { data: { values: [...line(opts.dftHull, (q) => q.dft, 'DFT'), ...line(opts.ceHull, (q) => q.ce, 'CE')] }, mark: { type: 'line', point: { size: 40 }, strokeWidth: 1.5 }, encoding: { x, y, color, order: { field: 'order', type: 'quantitative' } } },
  ];
  if (marks.length) {
    layers.push({
      data: { values: marks },
      mark: { type: 'point', size: 160, strokeWidth: 2, filled: false },
      encoding: { x, y, shape: { field: 'kind', type: 'nominal', title: 'ground states', scale: { domain: ['missing (DFT GS not on CE hull)', 'spurious (CE-only GS)'], range: ['square', 'diamond'] } }, stroke: { field: 'kind', type: 'nominal', title: 'ground states', scale: { domain: ['missing (DFT GS not on CE hull)', 'spurious (CE-only GS)'], range: ['#e45756', '#54a24b'] } } },
    });
  }
  return { ...base(opts.title ?? 'Convex hull: DFT vs CE'), layer: layers, resolve: { scale: { color: 'independent', shape: 'independent', stroke: 'independent' } }, config: { ...(base('').config as object), legend: { labelLimit: 300 } } };
}

/**
 * Residuals: CE − DFT per atom (meV/atom) vs the DFT energy, for the final fit and the
 * out-of-fold CV predictions; a trend or a cloud at one end shows where the model is weak.
 */
export function residualFigure(opts: { dft: ArrayLike<number>; train: ArrayLike<number>; cv?: ArrayLike<number>; atomsPerUnit: ArrayLike<number>; units?: string; x?: ArrayLike<number>; xTitle?: string }): VegaLiteSpec {
  const rows: Array<{ dft: number; res: number; set: string }> = [];
  for (let i = 0; i < opts.dft.length; i++) {
    const perAtom = 1000 / opts.atomsPerUnit[i]!;
    // x: the DFT energy itself, or another per-row abscissa (formation energy); rows without one are left out
    const at = opts.x ? opts.x[i]! : opts.dft[i]!;
    if (!Number.isFinite(at)) continue;
    rows.push({ dft: at, res: (opts.train[i]! - opts.dft[i]!) * perAtom, set: 'fit (train)' });
    if (opts.cv && Number.isFinite(opts.cv[i]!)) rows.push({ dft: at, res: (opts.cv[i]! - opts.dft[i]!) * perAtom, set: 'CV (out of fold)' });
  }
  const x = { field: 'dft', type: 'quantitative', title: opts.xTitle ?? `DFT energy (${opts.units ?? 'eV/prim'})`, scale: { zero: false } };
  return {
    ...base('Residuals: CE − DFT'),
    layer: [
      { data: { values: [{ y: 0 }] }, mark: { type: 'rule', color: '#888', strokeDash: [4, 3] }, encoding: { y: { field: 'y', type: 'quantitative' } } },
      { data: { values: rows }, mark: { type: 'point', filled: true, size: 18, opacity: 0.6 }, encoding: { x, y: { field: 'res', type: 'quantitative', title: 'CE − DFT (meV/atom)' }, color: { field: 'set', type: 'nominal', title: null, scale: { range: ['#4c78a8', '#f58518'] } } } },
    ],
  };
}

/** Training and CV RMSE vs number of training structures. */
export function learningCurveFigure(opts: { points: LearningPoint[]; units?: string }): VegaLiteSpec {
  const rows = opts.points.flatMap((p) => [
    { n: p.nTrain, rmse: p.train, set: 'train' },
    { n: p.nTrain, rmse: p.cvMedian ?? p.cv, set: 'validation' },
  ]);
  // The median when present: one unlucky held-out set cannot drag it, unlike the mean.
  const band = opts.points.filter((p) => p.cvStd !== undefined).map((p) => ({ n: p.nTrain, lo: Math.max((p.cvMedian ?? p.cv) - p.cvStd!, 0), hi: (p.cvMedian ?? p.cv) + p.cvStd! }));
  const x = { field: 'n', type: 'quantitative', title: 'training structures' };
  // An underdetermined fit (fewer rows than functions) can blow one repeat up by orders of
  // magnitude; the band is cut at 10× the largest line value so the lines stay readable
  // (the axis title says so; clamped in the data: renderers mishandle 10⁷-pixel paths).
  const top = 10 * Math.max(...rows.map((r) => r.rmse).filter(Number.isFinite));
  const clipped = top > 0 && band.some((b) => b.hi > top);
  if (clipped) for (const b of band) b.hi = Math.min(b.hi, top);
  const yTitle = `RMSE (${opts.units ?? 'eV/prim'})${clipped ? `, band cut at ${+top.toPrecision(2)}` : ''}`;
  const layers: unknown[] = [];
  if (band.length) layers.push({ data: { values: band }, mark: { type: 'area', opacity: 0.15, color: '#f58518' }, encoding: { x, y: { field: 'lo', type: 'quantitative', title: yTitle }, y2: { field: 'hi' } } });
  layers.push({ data: { values: rows }, mark: { type: 'line', point: true }, encoding: { x, y: { field: 'rmse', type: 'quantitative', title: yTitle }, color: { field: 'set', type: 'nominal', title: null, scale: { domain: ['train', 'validation'], range: ['#4c78a8', '#f58518'] } } } });
  return { ...base('Learning curve'), layer: layers };
}

/** Counts of mapped entries and of each skip reason. */
export function datasetFigure(opts: { counts: Array<{ label: string; count: number }> }): VegaLiteSpec {
  return {
    ...base('Dataset: mapped and skipped entries'),
    height: Math.max(80, 26 * opts.counts.length),
    config: { ...(base('').config as object), axisY: { labelLimit: 400 } },
    data: { values: opts.counts },
    layer: [
      { mark: { type: 'bar', color: '#4c78a8' }, encoding: { y: { field: 'label', type: 'nominal', title: null, sort: null, axis: { labelLimit: 400 } }, x: { field: 'count', type: 'quantitative', title: 'entries' } } },
      { mark: { type: 'text', align: 'left', dx: 3 }, encoding: { y: { field: 'label', type: 'nominal', sort: null, axis: { labelLimit: 400 } }, x: { field: 'count', type: 'quantitative' }, text: { field: 'count' } } },
    ],
  };
}

function fmt(x: number): string {
  return Math.abs(x) >= 0.01 ? x.toFixed(3) : x.toExponential(2);
}

/**
 * Ground states over a two-coordinate composition space (seed 000 Fig. 5a style): every
 * structure's composition as a grey dot, DFT and CE ground states, and the missing/spurious
 * ones marked. Used when the composition space has more than one dimension, where an
 * energy-vs-x hull plot would be a misleading projection.
 */
export function phaseDiagramFigure(opts: { x: number[]; y: number[]; names?: string[]; dftHull: number[]; ceHull: number[]; missing: number[]; spurious: number[]; xTitle: string; yTitle: string; title?: string }): VegaLiteSpec {
  const at = (i: number, kind: string) => ({ x: opts.x[i]!, y: opts.y[i]!, kind, name: opts.names?.[i] ?? String(i) });
  const kinds = ['DFT ground state', 'CE ground state', 'missing (DFT GS not on CE hull)', 'spurious (CE-only GS)'];
  const colors = ['#4c78a8', '#f58518', '#e45756', '#54a24b'];
  const shapes = ['circle', 'circle', 'square', 'diamond'];
  const sizes = [220, 60, 330, 330];
  const sets = [opts.dftHull, opts.ceHull, opts.missing, opts.spurious];
  const enc = {
    x: { field: 'x', type: 'quantitative', title: opts.xTitle, scale: { zero: false, padding: 12 } },
    y: { field: 'y', type: 'quantitative', title: opts.yTitle, scale: { zero: false, padding: 12 } },
  };
  const legendScale = { domain: kinds };
  // One layer per kind so each keeps its own marker size, with colour and shape on one shared
  // legend (a size channel on the same field would drop the merged legend).
  const layers: unknown[] = [
    { data: { values: opts.x.map((_, i) => at(i, 'structure')) }, mark: { type: 'circle', size: 14, color: '#bbbbbb' }, encoding: { ...enc, tooltip: [{ field: 'name' }] } },
    ...sets.map((idx, k) => ({
      data: { values: idx.map((i) => at(i, kinds[k]!)) },
      mark: { type: 'point', size: sizes[k], strokeWidth: 2, filled: k === 1 },
      encoding: {
        ...enc,
        color: { field: 'kind', type: 'nominal', title: null, scale: { ...legendScale, range: colors } },
        shape: { field: 'kind', type: 'nominal', title: null, scale: { ...legendScale, range: shapes } },
        tooltip: [{ field: 'name' }, { field: 'kind' }],
      },
    })),
  ];
  return {
    ...base(opts.title ?? 'Ground states: DFT vs CE'),
    layer: layers,
    config: { ...(base('').config as object), legend: { labelLimit: 300 } },
  };
}

/** Voltage profile as steps between adjacent ground states (seed 000 Fig. 5b), one line per energy model. */
export function voltageFigure(opts: { series: Array<{ name: string; steps: Array<{ x1: number; x2: number; voltage: number }> }>; ion: string }): VegaLiteSpec {
  const values = opts.series.flatMap((s) => s.steps.flatMap((st, k) => [
    { x: st.x1, v: st.voltage, series: s.name, order: 2 * k },
    { x: st.x2, v: st.voltage, series: s.name, order: 2 * k + 1 },
  ]));
  return {
    ...base(`Voltage profile (${opts.ion})`),
    data: { values },
    mark: { type: 'line', strokeWidth: 2 },
    encoding: {
      x: { field: 'x', type: 'quantitative', title: `${opts.ion} per host formula unit` },
      y: { field: 'v', type: 'quantitative', title: 'average voltage (V)', scale: { zero: false } },
      color: { field: 'series', type: 'nominal', title: null, scale: { domain: ['DFT', 'CE'], range: ['#4c78a8', '#f58518'] } },
      order: { field: 'order', type: 'quantitative' },
    },
  };
}

/** CV RMSE ± fold std vs the first grid parameter (log axis), one line per other-parameter combination. */
export function searchPlotSpec(points: { params: Record<string, number>; cvRmse: number; cvStd: number; nNonzeroMean: number }[], xName: string, best: Record<string, number>, oneSE: Record<string, number>, title: string): VegaLiteSpec {
  const key = (p: Record<string, number>) => Object.entries(p).filter(([k]) => k !== xName).map(([k, v]) => `${k}=${v}`).join(', ') || 'CV';
  const values = points.map((p) => ({ x: p.params[xName], cv: p.cvRmse, lo: p.cvRmse - p.cvStd, hi: p.cvRmse + p.cvStd, series: key(p.params), nnz: p.nNonzeroMean }));
  const marks = [{ x: best[xName], label: 'best' }, { x: oneSE[xName], label: 'one-SE' }];
  const logX = values.every((v) => (v.x ?? 0) > 0);
  const x = { field: 'x', type: 'quantitative', title: xName, scale: { type: logX ? 'log' : 'linear' } };
  return {
    $schema: 'https://vega.github.io/schema/vega-lite/v5.json',
    title,
    width: 480,
    height: 300,
    layer: [
      { data: { values }, mark: { type: 'area', opacity: 0.2 }, encoding: { x, y: { field: 'lo', type: 'quantitative', title: 'CV RMSE (Eq. 10) ± fold std' }, y2: { field: 'hi' }, color: { field: 'series', type: 'nominal', title: null } } },
      { data: { values }, mark: { type: 'line', point: true }, encoding: { x, y: { field: 'cv', type: 'quantitative' }, color: { field: 'series', type: 'nominal', title: null } } },
      { data: { values: marks }, mark: { type: 'rule', strokeDash: [4, 3] }, encoding: { x, color: { value: '#555' } } },
      { data: { values: marks }, mark: { type: 'text', align: 'left', dx: 3, dy: -130, angle: 0 }, encoding: { x, text: { field: 'label' } } },
    ],
  };
}

/**
 * Figures of the closed loop (src/loop): a metric vs round, one line per strategy or quantity
 * with a band (mean ± standard error over seeds, or any lo/hi the caller gives), the
 * report's Convergence section over the rounds of `celt run`, and the sections and console
 * tables of a pool simulation (bench/loop.ts and `celt simulate-loop` share them).
 */
import type { ConvergenceCriteria, RoundsFile, Verdict } from '../loop/rounds.ts';
import type { Criterion } from '../loop/select.ts';
import { pairedSummary, type PairedSummary, type SimulatedRound } from '../loop/simulate.ts';
import type { VegaLiteSpec } from './plot.ts';
import type { ReportSection } from './report.ts';

export interface RoundBand {
  round: number;
  /** Line name (strategy, or quantity). */
  series: string;
  value: number;
  lo: number;
  hi: number;
}

export function roundCurvesFigure(opts: { title: string; yTitle: string; points: RoundBand[]; xTitle?: string; logY?: boolean }): VegaLiteSpec {
  const x = { field: 'round', type: 'quantitative', title: opts.xTitle ?? 'round', axis: { tickMinStep: 1 } };
  const scale = opts.logY ? { type: 'log' } : { zero: false };
  const color = { field: 'series', type: 'nominal', title: null };
  return {
    $schema: 'https://vega.github.io/schema/vega-lite/v5.json',
    title: opts.title,
    width: 420,
    height: 300,
    config: { font: 'DejaVu Sans', axis: { labelFontSize: 11, titleFontSize: 12 }, legend: { labelFontSize: 11, orient: 'top-right' } },
    data: { values: opts.points },
    layer: [
      { mark: { type: 'area', opacity: 0.18 }, encoding: { x, y: { field: 'lo', type: 'quantitative', title: opts.yTitle, scale }, y2: { field: 'hi' }, color } },
      { mark: { type: 'line', point: true }, encoding: { x, y: { field: 'value', type: 'quantitative', title: opts.yTitle, scale }, color } },
    ],
  };
}

/** The report's "Convergence" section over the rounds of `celt run` (src/loop/rounds.ts). */
export function convergenceSection(file: RoundsFile, verdict: Verdict, criteria: ConvergenceCriteria, roundsPath = 'rounds.json'): ReportSection {
  const r = file.rounds;
  const pct = (x: number) => `${(100 * x).toFixed(0)} %`;
  return {
    id: 'convergence',
    title: 'Convergence',
    text: [
      verdict.text,
      `Criteria: CV RMSE ${criteria.maxCvRmse === null ? 'not bounded' : `≤ ${(criteria.maxCvRmse * 1000).toFixed(2)} meV/prim`} and changed by ≤ ${pct(criteria.maxCvChange)} from the previous round; ‖ΔJ‖/‖J‖ ≤ ${criteria.maxEciChange}; ${criteria.groundStates ? 'every DFT ground state reproduced, none spurious; ' : ''}at least ${criteria.minRounds} rounds (config section "convergence").`,
      `A round is a run of celt run whose data files hold entries not seen before (${roundsPath} lists them by file and position); re-running on the same data re-states the last round.`,
    ],
    table: {
      columns: ['round', 'new entries', 'removed', 'training rows', 'CV RMSE (meV/prim)', 'non-zero ECIs', '‖ΔJ‖/‖J‖', 'GS matched', 'GS missing', 'GS spurious'],
      rows: r.map((x) => [x.round, x.added.length, x.removed.length, x.nTrain, x.cvRmse === null ? '–' : x.cvRmse * 1000, x.nEci, x.eciChange === null ? '–' : x.eciChange, x.groundStates?.matched ?? '–', x.groundStates?.missing ?? '–', x.groundStates?.spurious ?? '–']),
    },
    ...(r.some((x) => x.cvRmse !== null)
      ? {
          figure: {
            name: 'convergence',
            spec: roundCurvesFigure({ title: 'CV RMSE over rounds', yTitle: 'CV RMSE (meV/prim)', points: r.filter((x) => x.cvRmse !== null).map((x) => ({ round: x.round, series: 'CV RMSE', value: x.cvRmse! * 1000, lo: x.cvRmse! * 1000, hi: x.cvRmse! * 1000 })) }),
            caption: 'CV RMSE at the chosen hyperparameters, one point per round',
          },
        }
      : {}),
  };
}

/** What the pool-simulation sections say about the pool and the run besides the records. */
export interface SimulationReportOptions {
  /** The strategy measured (first column) and the one it is paired against. */
  criterion: Criterion;
  against: Criterion;
  /** Unit of the RMSE after multiplying by `scale` (energies are eV per prim cell). */
  unit: string;
  scale: number;
  nRows: number;
  nFeatures: number;
  /** Hull components of the pool (the header names the system by them). */
  components: string[];
  /** Held-out rows per seed (the calibration line counts errors with it). */
  testRows: number;
  seconds: number;
}

export interface SimulationSummary {
  sections: ReportSection[];
  /** The console text: header, both per-round tables, the calibration line. */
  lines: string[];
  rmse: PairedSummary[];
  groundStates: PairedSummary[];
  /** Fraction of the criterion's held-out errors within ±1σ: after the last round and over all rounds (NaN for random picking, which fits no ensemble). */
  calibration: { lastRound: number; allRounds: number };
}

const fmtMeanSe = (m: { mean: number; se: number }, k = 1) => `${(m.mean * k).toFixed(2)} ± ${(m.se * k).toFixed(2)}`;

/** One console/report row per round: mean ± SE of each strategy, paired difference, wins. */
function pairedTable(rows: PairedSummary[], k: number): string[] {
  return rows.map((r) => `${String(r.round).padStart(5)}  ${fmtMeanSe(r.a, k).padStart(16)}  ${fmtMeanSe(r.b, k).padStart(16)}  ${fmtMeanSe(r.diff, k).padStart(16)}  ${`${r.wins}/${r.n}`.padStart(6)}${r.ties ? ` (${r.ties} ties)` : ''}`);
}

/** Mean ± SE over seeds per strategy and round, as figure bands (×k). */
function strategyBands(records: SimulatedRound[], metric: 'testRmse' | 'gsMatched', k: number): RoundBand[] {
  const out: RoundBand[] = [];
  const strategies = [...new Set(records.map((r) => r.strategy))];
  for (const s of strategies) {
    for (const r of pairedSummary(records, s, s, metric)) out.push({ round: r.round, series: s === 'random' ? 'random' : `active (${s})`, value: r.a.mean * k, lo: (r.a.mean - r.a.se) * k, hi: (r.a.mean + r.a.se) * k });
  }
  return out;
}

const meanOf = (v: number[]) => v.reduce((a, b) => a + b, 0) / v.length;

/**
 * The pool simulation of one pool as console lines and two report sections (held-out RMSE and
 * DFT ground states reproduced vs round, curves with ± SE bands and the paired tables).
 */
export function simulationSections(poolName: string, records: SimulatedRound[], o: SimulationReportOptions): SimulationSummary {
  const { criterion, against, scale } = o;
  const seeds = new Set(records.map((r) => r.seed)).size;
  const lastRound = Math.max(...records.map((r) => r.round));
  const gsTotal = records[0]!.gsTotal;
  const rmse = pairedSummary(records, criterion, against, 'testRmse');
  const groundStates = pairedSummary(records, criterion, against, 'gsMatched');
  const last = records.filter((r) => r.strategy === criterion && r.round === lastRound);
  const calibration = { lastRound: meanOf(last.map((r) => r.within1Sigma)), allRounds: meanOf(records.filter((r) => r.strategy === criterion).map((r) => r.within1Sigma)) };
  const head = `round  ${criterion.padStart(16)}  ${against.padStart(16)}  ${'paired diff'.padStart(16)}  ${'wins'.padStart(6)}`;
  const lines = [
    `== ${poolName}: ${o.nRows} structures × ${o.nFeatures} features, ${o.components.join('-')} hull with ${gsTotal} DFT ground states; ${seeds} seeds, ${o.seconds.toFixed(0)} s`,
    `held-out RMSE (${o.unit}), mean ± SE over seeds; wins = seeds where ${criterion} is lower`,
    head,
    ...pairedTable(rmse, scale),
    `DFT ground states reproduced (of ${gsTotal}), mean ± SE; wins = seeds where ${criterion} reproduces more`,
    head,
    ...pairedTable(groundStates, 1),
    criterion === 'random'
      ? 'calibration: not measured (random picking fits a 2-member ensemble, too few for error bars)'
      : `calibration (${criterion}): fraction of held-out errors within ±1σ = ${calibration.lastRound.toFixed(3)} after the last round (${last.length} seeds × ${last.length ? o.testRows : 0} test rows), ${calibration.allRounds.toFixed(3)} over all rounds`,
  ];
  const vs = `${criterion} vs ${against === 'random' ? 'random picking' : against}`;
  const sections: ReportSection[] = [
    {
      id: `${poolName}-rmse`,
      title: `${poolName}: held-out RMSE vs round`,
      text: [`${o.nRows} structures, ${seeds} seeds; lines are the mean over seeds, bands ± one standard error. ${lines[0]}`],
      figure: { name: `${poolName}-rmse`, spec: roundCurvesFigure({ title: `${poolName}: held-out RMSE`, yTitle: `RMSE (${o.unit})`, points: strategyBands(records, 'testRmse', scale) }), caption: `held-out RMSE, ${vs}` },
      pre: [head, ...pairedTable(rmse, scale)].join('\n'),
    },
    {
      id: `${poolName}-gs`,
      title: `${poolName}: DFT ground states reproduced vs round`,
      text: [`Ground states of the whole pool's DFT hull (${gsTotal}) that are vertices of the model's hull over the pool. ${lines.at(-1)}`],
      figure: { name: `${poolName}-gs`, spec: roundCurvesFigure({ title: `${poolName}: ground states reproduced`, yTitle: `of ${gsTotal} DFT ground states`, points: strategyBands(records, 'gsMatched', 1) }), caption: `DFT ground states reproduced, ${vs}` },
      pre: [head, ...pairedTable(groundStates, 1)].join('\n'),
    },
  ];
  return { sections, lines, rmse, groundStates, calibration };
}

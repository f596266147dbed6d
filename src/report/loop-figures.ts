/**
 * Figures of the closed loop (src/loop): a metric vs round, one line per strategy or quantity
 * with a band (mean ± standard error over seeds, or any lo/hi the caller gives), and the
 * report's Convergence section over the rounds of `celt run`.
 */
import type { ConvergenceCriteria, RoundsFile, Verdict } from '../loop/rounds.ts';
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

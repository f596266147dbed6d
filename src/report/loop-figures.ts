/**
 * Figures of the closed loop (src/loop): a metric vs round, one line per strategy or quantity
 * with a band (mean ± standard error over seeds, or any lo/hi the caller gives). Plain arrays
 * in, a Vega-Lite spec out (rendered by plot.ts).
 */
import type { VegaLiteSpec } from './plot.ts';

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

/** Vega-Lite specs for learner figures (rendered by src/report/plot.ts writePlot). */
import type { ComponentShape } from '../learn/gprnn.ts';
import type { VegaLiteSpec } from './plot.ts';

// Sobol neurons are named y<n> (their weight rows are in the JSON output); identity rows by feature.
function label(c: ComponentShape, names: string[]): string {
  const nz = c.weights.map((v, k) => [v, k] as const).filter(([v]) => v !== 0);
  if (nz.length === 1 && nz[0]![0] === 1) return names[nz[0]![1]] ?? `x${nz[0]![1] + 1}`;
  return `y${c.neuron + 1}`;
}

/** One panel per component f_n (as seed 004 Figs. 8–9), ordered by decreasing (var f_n)^½. */
export function componentPlotSpec(comps: ComponentShape[], names: string[]): VegaLiteSpec {
  const values: Array<Record<string, unknown>> = [];
  comps.forEach((c, rank) => {
    const title = `${rank + 1}. ${label(c, names)}  [${c.importance.toPrecision(3)}]`;
    c.t.forEach((t, i) => values.push({ panel: title, rank, t, f: c.f[i] }));
  });
  return {
    $schema: 'https://vega.github.io/schema/vega-lite/v5.json',
    data: { values },
    facet: { field: 'panel', type: 'nominal', sort: { field: 'rank' }, title: null, header: { labelFontSize: 11 } },
    columns: Math.min(4, comps.length),
    spec: {
      width: 170,
      height: 120,
      mark: { type: 'line', strokeWidth: 2 },
      encoding: {
        x: { field: 't', type: 'quantitative', title: 'coordinate (unit-scaled)' },
        y: { field: 'f', type: 'quantitative', title: 'f_n', scale: { zero: false } },
      },
    },
    resolve: { scale: { y: 'independent' } },
    title: 'GPR-NN component functions f_n (importance (var f_n)^½ in brackets)',
  };
}

/** Vega-Lite spec for seed 004 Fig. 3 (rendered by src/report/plot.ts writePlot). */
import type { VegaLiteSpec } from '../report/plot.ts';

/** Er against sf, one line per structure, with the Er = 0 rule and the default sf = 0.74. */
export function erCurvePlotSpec(curves: Array<{ name: string; kind: string; curve: Array<{ sf: number; Er: number }> }>): VegaLiteSpec {
  const values = curves.flatMap((c) => c.curve.map((p) => ({ structure: c.name, kind: c.kind, sf: p.sf, Er: p.Er })));
  return {
    $schema: 'https://vega.github.io/schema/vega-lite/v5.json',
    width: 420,
    height: 300,
    title: 'SoftBV lattice error Er after relaxation vs screening factor (seed 004 Fig. 3)',
    layer: [
      {
        data: { values },
        mark: { type: 'line', point: true },
        encoding: {
          x: { field: 'sf', type: 'quantitative', title: 'screening factor sf', scale: { zero: false } },
          y: { field: 'Er', type: 'quantitative', title: 'Er = (a_opt − a_ref)/a_ref' },
          color: { field: 'structure', type: 'nominal' },
          strokeDash: { field: 'kind', type: 'nominal', title: 'type' },
        },
      },
      { data: { values: [{ y: 0 }] }, mark: { type: 'rule', color: 'black' }, encoding: { y: { field: 'y', type: 'quantitative' } } },
      { data: { values: [{ x: 0.74 }] }, mark: { type: 'rule', color: 'gray', strokeDash: [4, 4] }, encoding: { x: { field: 'x', type: 'quantitative' } } },
    ],
  };
}

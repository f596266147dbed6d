/** Vega-Lite specs of the phonon outputs (plain objects; src/report/plot.ts renders them). */
import type { ThermalRow } from './phonons.ts';

type Spec = Record<string, unknown>;

export function bandSpec(band: { x: number[]; freqs: Float64Array[]; ticks: Array<{ x: number; label: string }> }, title: string): Spec {
  const values = band.freqs.flatMap((f, i) => Array.from(f, (v, b) => ({ x: band.x[i]!, freq: v, band: b })));
  return {
    title,
    width: 480,
    height: 320,
    layer: [
      { data: { values }, mark: { type: 'line', strokeWidth: 1.5 }, encoding: { x: { field: 'x', type: 'quantitative', title: null, axis: { labels: false, ticks: false, grid: false }, scale: { domain: [0, band.ticks.at(-1)!.x] } }, y: { field: 'freq', type: 'quantitative', title: 'frequency (THz)' }, detail: { field: 'band', type: 'nominal' } } },
      { data: { values: band.ticks }, mark: { type: 'rule', color: '#999', strokeWidth: 0.8 }, encoding: { x: { field: 'x', type: 'quantitative' } } },
      { data: { values: band.ticks }, mark: { type: 'text', dy: 12, baseline: 'top' }, encoding: { x: { field: 'x', type: 'quantitative' }, y: { value: 320 }, text: { field: 'label' } } },
    ],
  };
}

export function dosSpec(dos: { freq: number[]; dos: number[] }, title: string): Spec {
  return {
    title,
    width: 480,
    height: 240,
    data: { values: dos.freq.map((f, i) => ({ freq: f, dos: dos.dos[i]! })) },
    mark: { type: 'area', line: true, opacity: 0.4 },
    encoding: { x: { field: 'freq', type: 'quantitative', title: 'frequency (THz)' }, y: { field: 'dos', type: 'quantitative', title: 'DOS (states/THz/cell)' } },
  };
}

export function thermalSpec(rows: ThermalRow[], title: string): Spec {
  const values = rows.flatMap((r) => [
    { T: r.T, value: r.freeEnergy * 1000, quantity: 'F (meV/cell)' },
    { T: r.T, value: r.heatCapacity, quantity: 'C_V (k_B/cell)' },
  ]);
  return {
    title,
    data: { values },
    facet: { row: { field: 'quantity', type: 'nominal', title: null } },
    spec: { width: 420, height: 180, mark: 'line', encoding: { x: { field: 'T', type: 'quantitative', title: 'T (K)' }, y: { field: 'value', type: 'quantitative', title: null } } },
    resolve: { scale: { y: 'independent' } },
  };
}

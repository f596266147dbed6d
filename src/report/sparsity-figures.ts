/**
 * The sparsity study's figures (seed 000 Fig. 4): CV error vs number of nonzero ECIs, and ECI
 * convergence vs training-subset size, lasso vs ℓ0ℓ2. Data: workflow/sparsity-study.ts.
 */
import type { VegaLiteSpec } from './plot.ts';

/** What the figures read of a sparsity-study result (workflow/sparsity-study.ts StudyResult). */
export interface SparsityFigureInput {
  n: number;
  p: number;
  mu2: number;
  lasso: Array<{ method: string; nonzero: number; cvRmse: number }>;
  l0l2: Array<{ method: string; nonzero: number; cvRmse: number }>;
  convergence: Array<{ method: string; size: number; mean: number; std: number }>;
  chosen: { lassoAlpha: number; lassoNonzero: number; mu0: number; l0l2Nonzero: number };
}

/** Fig. 4a: CV error vs number of nonzero ECIs, lasso vs ℓ0ℓ2. */
export function figure4aSpec(r: SparsityFigureInput, title: string, scale: number, unit: string): VegaLiteSpec {
  const rows = [...r.lasso, ...r.l0l2].map((s) => ({ method: s.method === 'l0l2' ? 'ℓ0ℓ2' : 'lasso (ℓ1)', nonzero: s.nonzero, cv: s.cvRmse * scale }));
  return {
    $schema: 'https://vega.github.io/schema/vega-lite/v5.json',
    title: { text: title, subtitle: `CV error vs sparsity (${r.n} structures, ${r.p} features; ℓ0ℓ2 at μ2 = ${r.mu2.toPrecision(3)} from ridge CV)` },
    width: 420, height: 300,
    data: { values: rows },
    mark: { type: 'line', point: true },
    encoding: {
      x: { field: 'nonzero', type: 'quantitative', title: 'number of nonzero ECIs ‖J‖₀' },
      y: { field: 'cv', type: 'quantitative', title: `CV RMSE (${unit})`, scale: { type: 'log' } },
      color: { field: 'method', type: 'nominal', title: null },
      order: { field: 'nonzero' },
    },
  };
}

/** Fig. 4b: ‖J_sub − J‖₁/‖J‖₁ vs training-subset size (mean ± std over repeats). */
export function figure4bSpec(r: SparsityFigureInput, title: string): VegaLiteSpec {
  const rows = r.convergence.map((c) => ({ method: c.method === 'l0l2' ? 'ℓ0ℓ2' : 'lasso (ℓ1)', size: c.size, mean: c.mean, lo: Math.max(c.mean - c.std, 1e-6), hi: c.mean + c.std }));
  return {
    $schema: 'https://vega.github.io/schema/vega-lite/v5.json',
    title: { text: title, subtitle: `ECI convergence; lasso α = ${r.chosen.lassoAlpha.toPrecision(3)} (${r.chosen.lassoNonzero} ECIs), ℓ0ℓ2 μ0 = ${r.chosen.mu0.toPrecision(3)} (${r.chosen.l0l2Nonzero} ECIs)` },
    width: 420, height: 300,
    data: { values: rows },
    encoding: {
      x: { field: 'size', type: 'quantitative', title: 'training-subset size' },
      color: { field: 'method', type: 'nominal', title: null },
    },
    layer: [
      { mark: { type: 'line', point: { filled: true, shape: 'square' } }, encoding: { y: { field: 'mean', type: 'quantitative', title: '‖J_sub − J‖₁ / ‖J‖₁' } } },
      { mark: { type: 'errorbar', ticks: true }, encoding: { y: { field: 'lo', type: 'quantitative', title: '‖J_sub − J‖₁ / ‖J‖₁' }, y2: { field: 'hi' } } },
    ],
  };
}

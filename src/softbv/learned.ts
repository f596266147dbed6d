/**
 * Seed 004 Table 2: Er of structures relaxed with sf = 0.74, with sf_auto (zero pressure of
 * the strained start cell, the seed's "Auto"), and with a learned sf.
 *
 * The learned sf of a structure is model(Er = 0, x̃) (seed 004: sf_opt = f(0, x̃)) from a model
 * trained on the learning-table rows of all OTHER structures (leave one structure out), so
 * every structure is a "new, putative" one for the model that predicts its sf. Seed 004 used
 * the best of 100 random splits instead; with a handful of structures, leave-one-out is the
 * split that uses the data fully and still never tests on training compositions.
 */
import { Mat } from '../core/matrix.ts';
import { mean, std } from '../core/stats.ts';
import { createRegressor, resolveLearnParams } from '../learn/registry.ts';
import type { Structure } from '../structure/structure.ts';
import type { IonSet } from './ions.ts';
import { type CellMode, latticeError, relax, scaled } from './relax.ts';
import { SEED_STRAINS, sfAuto } from './sfopt.ts';

export interface LooInput {
  name: string;
  reference: Structure;
  ions: IonSet;
  /** Rows [Er, x̃…] with their sf targets. */
  X: number[][];
  y: number[];
  /** x̃ of this structure (descriptors without Er). */
  descriptors: number[];
}

export interface LooRow {
  name: string;
  model: string;
  /** sf used per strain of SEED_STRAINS (the same for all but sf_auto). */
  sf: number[];
  /** Er per strain of SEED_STRAINS. */
  Er: number[];
}

export interface ModelChoice {
  label: string;
  model: string;
  params: Record<string, unknown>;
}

export const TABLE2_MODELS: ModelChoice[] = [
  { label: 'Linear', model: 'linear', params: {} },
  { label: 'NN (node = 1)', model: 'mlp', params: { neurons: 1 } },
  { label: 'GPR-NN', model: 'gpr-nn', params: {} },
  // first-order additive GPR with the hyperparameters that did best in the Table 1 scan
  // (seed 004 likewise fixed l and σ from its own scan); not tuned on the Table 2 Er values
  { label: 'additive GPR l=0.5', model: 'additive-gpr', params: { optimize: false, length_scale: 0.5, noise: 0.001 } },
];

/** Er per strain; NaN where the lattice has no minimum at this sf (counted as a failure, not an error value). */
function erAt(item: LooInput, sf: number | number[], mode: CellMode): number[] {
  return SEED_STRAINS.map((strain, k) => {
    const x = Array.isArray(sf) ? sf[k]! : sf;
    if (!(x > 0)) return NaN;
    const r = relax(scaled(item.reference, strain), item.ions, { sf: x, mode });
    return r.unbound ? NaN : latticeError(r.structure, item.reference);
  });
}

export function leaveOneOut(items: LooInput[], models: ModelChoice[], opts: { seed?: number; mode?: CellMode; sfDefault?: number } = {}): LooRow[] {
  const mode = opts.mode ?? 'isotropic';
  const sfDefault = opts.sfDefault ?? 0.74;
  const rows: LooRow[] = [];
  for (const [g, item] of items.entries()) {
    rows.push({ name: item.name, model: `sf = ${sfDefault}`, sf: SEED_STRAINS.map(() => sfDefault), Er: erAt(item, sfDefault, mode) });
    // seed 004's "Auto": sf tuned to zero pressure of each (strained) sample structure
    const auto = SEED_STRAINS.map((strain) => sfAuto(scaled(item.reference, strain), item.ions) ?? NaN);
    rows.push({ name: item.name, model: 'sf_auto', sf: auto, Er: erAt(item, auto, mode) });
    const others = items.filter((_, k) => k !== g);
    const Xtr = Mat.fromRows(others.flatMap((o) => o.X));
    const ytr = Float64Array.from(others.flatMap((o) => o.y));
    for (const m of models) {
      const reg = createRegressor(m.model, resolveLearnParams(m.model, m.params), (opts.seed ?? 0) + g);
      reg.fit(Xtr, ytr);
      const sf = reg.predict(Mat.fromRows([[0, ...item.descriptors]]))[0]!;
      // a model may extrapolate to sf ≤ 0 on an unseen composition; SoftBV is undefined there (Er = NaN)
      rows.push({ name: item.name, model: m.label, sf: SEED_STRAINS.map(() => sf), Er: erAt(item, sf, mode) });
    }
  }
  return rows;
}

/** MAE and STD of Er over the sample structures that relaxed to a minimum, per model (seed 004 Table 2 columns); `failed` counts the others. */
export function table2Summary(rows: LooRow[]): Array<{ model: string; mae: number; std: number; n: number; failed: number }> {
  const models = [...new Set(rows.map((r) => r.model))];
  return models.map((model) => {
    const all = rows.filter((r) => r.model === model).flatMap((r) => r.Er);
    const e = all.filter(Number.isFinite);
    return { model, mae: e.length ? mean(e.map(Math.abs)) : NaN, std: e.length > 1 ? std(e, 1) : NaN, n: e.length, failed: all.length - e.length };
  });
}

/**
 * The ground-state-preserving refit of a round (Huang et al. 2017; src/thermo/ground-state-constraints.ts):
 * the same lasso α, with rows that keep the training set's DFT ground states the model's
 * ground states — every other training structure at least `margin` above the DFT facet under
 * it, every ground state at least `margin` below the others. A CE practitioner refits this way
 * when the DFT hull must be reproduced; the loop's "ground states reproduced" criterion needs
 * it, and an active criterion that puts the ground states into the training set can only be
 * rewarded for it by a fit that then keeps them.
 *
 * Energies: the design matrix is per prim cell, the hull per atom (hull-distance.ts), so each
 * row carries scale 1/atoms-per-prim and the intercept enters the rows; it is folded out for
 * the centring fit (centredConstraints). Rows with equal feature vectors enter once (the lowest
 * energy): a ground state and its twin admit no margin.
 */
import { NumericalError } from '../core/errors.ts';
import type { Mat } from '../core/matrix.ts';
import { mean, std } from '../core/stats.ts';
import type { Split } from '../fit/selection/splits.ts';
import { ConstrainedLS } from '../fit/methods/constrained.ts';
import { prepare } from '../fit/prepare.ts';
import { resolveParams } from '../fit/registry.ts';
import { centredConstraints, groundStateRows } from '../thermo/ground-state-constraints.ts';
import { estimatorColumns, type LinearMember, memberFrom, predictMember } from './ensemble.ts';
import { type HullFrame, representatives } from './hull-distance.ts';

/**
 * Above this many features the QP goes to HiGHS: celt's dual QP (exact, the default of the
 * constrained method) takes ≈ 200 s per lmo_drx fit (387 features, 40 rows), HiGHS 0.1–0.4 s;
 * at agpd_fcc's 66 the dual takes ≈ 1 s and HiGHS's QP fails outright (src/fit/README.md).
 */
const DUAL_QP_MAX_FEATURES = 100;
/** Seconds for one HiGHS QP: its typical 0.1–0.4 s ×25; one lmo_drx round ran for minutes without it. */
const HIGHS_TIME_LIMIT = 10;

/** Margin of the rows, eV/atom: 0.1 meV keeps a ground state strictly a vertex without forcing the fit. */
export const GS_MARGIN = 1e-4;

/**
 * Lasso at `alpha` under the ground-state rows of the training rows `rows` (indices into
 * `frame`), X/y their feature rows and energies per prim. Null when no coefficients satisfy
 * the rows or the QP solver fails (the caller keeps the unconstrained fit and counts it).
 * HiGHS must be loaded (await prepareMethod('constrained')).
 */
export function groundStatePreservingFit(frame: HullFrame, rows: ArrayLike<number>, X: Mat, y: Float64Array, alpha: number, margin = GS_MARGIN): LinearMember | null {
  const { cols, Xf } = estimatorColumns(X);
  const reps = representatives(X, y);
  const atoms = (k: number) => frame.atomsPerPrim[rows[k]!]!;
  const gs = groundStateRows(Xf.selectRows(reps), reps.map((k) => frame.x[rows[k]!]!), reps.map((k) => y[k]! / atoms(k)), { margin, scale: reps.map((k) => 1 / atoms(k)) });
  // the fit's own centring (b = yOffset − xOffset·w) folds the intercept out of the rows
  const { xOffset, yOffset } = prepare(Xf, y, {}, { fitIntercept: true });
  const rowsW = centredConstraints(gs, xOffset, yOffset);
  let est: ConstrainedLS;
  try {
    est = new ConstrainedLS(resolveParams('constrained', { alpha, ...(Xf.cols > DUAL_QP_MAX_FEATURES ? { solver: 'highs', time_limit: HIGHS_TIME_LIMIT } : { solver: 'dual' }) }), rowsW).fit(Xf, y) as ConstrainedLS;
  } catch (e) {
    // infeasible rows, HiGHS's QP failing (status −1 on about 1 in 25 lmo_drx fits) or out of time
    if (e instanceof NumericalError || (e as Error).name === 'HighsError') return null;
    throw e;
  }
  return memberFrom(est, cols, X.cols);
}

/**
 * The preserving fit only where cross-validation does not reject it: on the same folds as the
 * plain lasso's CV (`splits`, its out-of-fold `plainResiduals` at the same α), the preserving
 * fit's CV MSE must be within one standard error (over folds) of the plain one — the one-SE
 * rule, preferring the model that keeps the DFT hull. Early in a loop the rows outnumber what
 * the data support and force large ECIs in directions no training row pins down (agpd_fcc,
 * 46 rows: held-out RMSE 41 meV/atom vs 3.2 plain); the CV sees that and the plain fit stays.
 * Null when rejected, or when a fold's rows cannot be met.
 */
export function cvGatedPreservingFit(frame: HullFrame, rows: ArrayLike<number>, X: Mat, y: Float64Array, alpha: number, splits: Split[], plainResiduals: Float64Array): LinearMember | null {
  const plain: number[] = [], kept: number[] = [];
  for (const s of splits) {
    const m = groundStatePreservingFit(frame, Array.from(s.train, (i) => rows[i]!), X.selectRows(s.train), Float64Array.from(s.train, (i) => y[i]!), alpha);
    if (!m) return null;
    const pred = predictMember(m, X.selectRows(s.test));
    kept.push(pred.reduce((a, p, t) => a + (p - y[s.test[t]!]!) ** 2, 0) / s.test.length);
    plain.push(s.test.reduce((a, i) => a + plainResiduals[i]! ** 2, 0) / s.test.length);
  }
  const se = std(plain, 1) / Math.sqrt(plain.length);
  return mean(kept) <= mean(plain) + se ? groundStatePreservingFit(frame, rows, X, y, alpha) : null;
}

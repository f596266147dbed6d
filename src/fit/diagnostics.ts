/**
 * What a user must be told about a fit beyond its coefficients: a solver that stopped before
 * its tolerance, an ℓ0 search stopped with a gap, a rank-deficient least-squares problem. The
 * estimators record these in `info`; this turns them into console lines so they are not only
 * a field in a JSON file nobody opens.
 */
import type { Estimator } from './estimator.ts';

export interface FitDiagnostics {
  /** Lines to print as warnings: the fit is not what the method promises. */
  warnings: string[];
  /** Lines to print always for this method (e.g. the ℓ0 search's proof status). */
  notes: string[];
}

const fmt = (x: unknown) => (typeof x === 'number' && !Number.isInteger(x) ? x.toPrecision(4) : String(x));

export function fitDiagnostics(est: Estimator, nColumns: number): FitDiagnostics {
  const info = est.info as Record<string, unknown>;
  const warnings: string[] = [], notes: string[] = [];
  if (typeof info.status === 'string' && 'lowerBound' in info) {
    notes.push(`${est.method}: ${info.status}, objective ${fmt(info.objective)}, lower bound ${fmt(info.lowerBound)}, gap ${fmt(info.gap)} after ${fmt(info.nodes)} nodes`);
    if (info.status !== 'optimal') warnings.push(`${est.method} stopped (${info.status}) before proving optimality: gap ${fmt(info.gap)}; raise time_limit or max_nodes for a proven optimum`);
  } else if (info.converged === false) {
    const gap = typeof info.gap === 'number' ? ` (duality gap ${fmt(info.gap)} > tolerance ${fmt(info.gapTol)})` : '';
    const iters = info.epochs ?? info.iterations ?? info.sweeps;
    warnings.push(`${est.method} did not converge${iters !== undefined ? ` in ${fmt(iters)} iterations` : ''}${gap}; raise max_iter or loosen tol`);
  }
  if (typeof info.rank === 'number' && info.rank < nColumns) {
    warnings.push(`${est.method}: the feature matrix has rank ${info.rank} < ${nColumns} columns; the coefficients are the minimum-norm solution, one of many that fit equally well`);
  }
  return { warnings, notes };
}

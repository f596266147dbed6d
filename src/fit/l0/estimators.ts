/**
 * ℓ0 estimators registered with the method registry: 'l0l2' (seed 000 Eq. 9), 'best-subset'
 * (Σz ≤ k, optional ℓ2), 'l1l0' and 'l0' (pure ℓ0). All solve, on the centered (weighted)
 * problem, exactly
 *     ‖y − XJ‖² + μ0·Σz + μ1‖J‖₁ + μ2‖J‖²
 * (the unnormalized form of Eq. 9; sparse-lm's current objective is the same with
 * μ0 = 2n·alpha, μ2 = 2n·eta) with the branch-and-bound in bnb.ts.
 *
 * Pure ℓ0 (μ2 = 0): subproblems on correlated CE features are singular; the objective uses
 * the least-squares residual (unique) and J is the minimum-norm solution (eigen cutoff
 * λmax·1e-13). No hidden ridge is added.
 */
import { OptionError } from '../../core/errors.ts';
import { gram } from '../../core/matrix.ts';
import type { Params } from '../estimator.ts';
import { FIT_INTERCEPT, LinearModel } from '../linear-model.ts';
import type { Prepared } from '../prepare.ts';
import { registerMethod, type FitContext, type ParamSpec } from '../method-spec.ts';
import { solveL0 } from './bnb.ts';
import { buildProblem, type L0Spec } from './problem.ts';

const COMMON: Record<string, ParamSpec> = {
  fit_intercept: FIT_INTERCEPT,
  time_limit: { type: 'number', default: 60, gt: 0, description: 'wall-clock limit in seconds; the best solution and its proven gap are returned when it expires' },
  gap_tol: { type: 'number', default: 1e-4, min: 0, description: 'relative optimality gap at which the search stops' },
  hierarchy: { type: 'boolean', default: true, description: "enforce the data's hierarchy pairs: a child may be selected only if its parent is" },
  group: { type: 'boolean', default: false, description: "one ℓ0 switch per group (the data's `groups`, e.g. per orbit) instead of per feature" },
  always_in: { type: 'numbers', default: [], description: 'feature indices (columns of X as fitted) exempt from the ℓ0 penalty, e.g. the Ewald term' },
  nonneg: { type: 'numbers', default: [], description: 'feature indices constrained to be ≥ 0 (e.g. Ewald 1/ε)' },
  M: { type: 'number', gt: 0, description: 'big-M bound |J_c| ≤ M (default: none)' },
  max_nodes: { type: 'integer', min: 1, description: 'node budget (a deterministic alternative to time_limit)' },
  threads: { type: 'integer', default: 1, min: 1, max: 2, description: 'threads for node solves (2: the calling thread plus one worker); same result under max_nodes, may differ under time_limit' },
};

const MU0: ParamSpec = { type: 'number', default: 1e-4, min: 0, description: 'ℓ0 weight μ0 per selected feature/group (Eq. 9 scale: unnormalized squared error)' };
const MU2: ParamSpec = { type: 'number', default: 1e-4, min: 0, description: 'ℓ2 weight μ2' };

export class L0Estimator extends LinearModel {
  constructor(
    method: string,
    params: Params,
    private readonly context: FitContext,
  ) {
    super(method, params);
  }

  protected solve(P: Prepared): Float64Array {
    const prm = this.params;
    const p = P.X.cols;
    const G = gram(P.X).data;
    const b = new Float64Array(p);
    let yy = 0;
    for (let i = 0; i < P.X.rows; i++) {
      const yi = P.y[i]!;
      yy += yi * yi;
      const row = i * p;
      for (let j = 0; j < p; j++) b[j] += P.X.data[row + j]! * yi;
    }
    const spec: L0Spec = {
      mu0: (prm.mu0 as number | undefined) ?? 0,
      mu1: (prm.mu1 as number | undefined) ?? 0,
      mu2: (prm.mu2 as number | undefined) ?? 0,
      alwaysIn: prm.always_in as number[],
      nonneg: prm.nonneg as number[],
    };
    if (prm.M !== undefined) spec.M = prm.M as number;
    if (prm.k !== undefined) spec.k = prm.k as number;
    if (prm.hierarchy !== false && this.context.hierarchy) spec.hierarchy = this.context.hierarchy;
    if (prm.group === true) {
      if (!this.context.groups) throw new OptionError('group=true needs feature groups in the data (`groups`)', { field: 'group' });
      spec.groups = this.context.groups;
    }
    const prob = { ...buildProblem(G, b, yy, p, spec), n: P.X.rows };
    const res = solveL0(prob, { timeLimit: prm.time_limit as number, gapTol: prm.gap_tol as number, threads: prm.threads as number, ...(prm.max_nodes !== undefined ? { maxNodes: prm.max_nodes as number } : {}) });
    let nnz = 0;
    for (let j = 0; j < p; j++) if (res.J[j] !== 0) nnz++;
    this.info = {
      objective: res.objective,
      lowerBound: res.lowerBound,
      gap: res.gap,
      nodes: res.nodes,
      status: res.status,
      // Model selection reads `converged`: a fit is converged when optimality was proven.
      converged: res.status === 'optimal',
      timeToOptimal: res.timeToOptimal,
      timeToBest: res.timeToBest,
      elapsed: res.elapsed,
      nonzero: nnz,
      selectedUnits: res.units.length,
      support: res.units.flatMap((u) => Array.from(prob.units[u]!)).concat(Array.from(prob.alwaysIn)).sort((x, y) => x - y),
      bound: prob.dualMode ? 'perspective-dual' : 'least-squares',
      curvatureShift: res.shift,
      threads: prm.threads as number,
      workerNodes: res.workerNodes,
    };
    return res.J;
  }
}

registerMethod({
  name: 'l0l2',
  summary: 'ℓ0ℓ2 with hierarchy (seed 000 Eq. 9), exact branch-and-bound with perspective bounds',
  params: { mu0: MU0, mu2: MU2, ...COMMON },
  create: (params, context) => new L0Estimator('l0l2', params, context),
});

registerMethod({
  name: 'l0',
  summary: 'pure ℓ0-penalized least squares (μ2 = 0; minimum-norm subproblem solutions)',
  params: { mu0: MU0, ...COMMON },
  create: (params, context) => new L0Estimator('l0', params, context),
});

registerMethod({
  name: 'l1l0',
  summary: 'ℓ1ℓ0 (Huang et al.) with optional ℓ2; needs mu2 > 0 or a big-M bound',
  params: {
    mu0: MU0,
    mu1: { type: 'number', default: 1e-4, min: 0, description: 'ℓ1 weight μ1' },
    mu2: { type: 'number', default: 0, min: 0, description: 'ℓ2 weight μ2' },
    ...COMMON,
  },
  create: (params, context) => new L0Estimator('l1l0', params, context),
});

registerMethod({
  name: 'best-subset',
  summary: 'best subset of at most k features/groups (optional ℓ2), exact branch-and-bound',
  params: {
    k: { type: 'integer', min: 1, description: 'maximum number of selected features (groups with group=true); required' },
    mu2: { type: 'number', default: 0, min: 0, description: 'ℓ2 weight μ2' },
    ...COMMON,
  },
  create: (params, context) => {
    if (params.k === undefined) throw new OptionError('best-subset needs k (e.g. --param k=10)', { field: 'k' });
    return new L0Estimator('best-subset', { ...params, mu0: 0 }, context);
  },
});

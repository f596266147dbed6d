/**
 * Group lasso and sparse group lasso (seed 001 Eq. 6):
 *
 *   1/(2n)‖y − Xw‖² + α·λ‖w‖₁ + α(1 − λ) Σ_B √p_B ‖w_B‖₂
 *
 * with λ = l1_ratio (1 → lasso, 0 → group lasso) and groups B from the data file's `groups`
 * (the orbit of each correlation function). Solved by block coordinate descent on the Gram
 * matrix: a block is set to zero when its subgradient condition ‖S(q_B, αλ)‖ ≤ α(1−λ)√p_B
 * holds (q = Xᵀr/n with the block removed), otherwise it takes proximal-gradient steps with
 * step 1/L_B (L_B = largest eigenvalue of X_BᵀX_B/n) until the block is optimal. Singleton
 * blocks are exact coordinate updates. The stop is the KKT residual: every block's
 * subgradient optimality holds to `tol`·α (reported as info.kktViolation).
 */
import { OptionError } from '../../core/errors.ts';
import { symEig } from '../../core/linalg.ts';
import { Mat } from '../../core/matrix.ts';
import type { Params } from '../estimator.ts';
import { FIT_INTERCEPT, LinearModel, countNonzero } from '../linear-model.ts';
import type { Prepared } from '../prepare.ts';
import { registerMethod, type FitContext, type ParamSpec } from '../method-spec.ts';
import { EnetProblem } from '../solvers/enet-cd.ts';

export interface SGLProblem {
  /** XᵀX/n and Xᵀy/n of the centered problem. */
  G: Float64Array;
  c: Float64Array;
  p: number;
  blocks: Int32Array[];
  blockWeights: Float64Array;
}

/** Largest KKT violation of the SGL optimality conditions at w (0 = optimal). */
export function sglKKT(P: SGLProblem, w: Float64Array, alpha: number, l1: number): number {
  const q = gradient(P, w);
  const a1 = alpha * l1;
  let worst = 0;
  P.blocks.forEach((B, g) => {
    const a2 = alpha * (1 - l1) * P.blockWeights[g]!;
    let nrm = 0;
    for (const j of B) nrm += w[j]! ** 2;
    nrm = Math.sqrt(nrm);
    if (nrm === 0) {
      let s = 0;
      for (const j of B) s += Math.max(Math.abs(q[j]!) - a1, 0) ** 2;
      worst = Math.max(worst, Math.sqrt(s) - a2);
    } else {
      for (const j of B) {
        const wj = w[j]!;
        if (wj !== 0) worst = Math.max(worst, Math.abs(q[j]! - a1 * Math.sign(wj) - (a2 * wj) / nrm));
        else worst = Math.max(worst, Math.abs(q[j]!) - a1);
      }
    }
  });
  return Math.max(worst, 0);
}

function gradient(P: SGLProblem, w: Float64Array): Float64Array {
  const p = P.p;
  const q = P.c.slice();
  for (let j = 0; j < p; j++) {
    const wj = w[j]!;
    if (wj === 0) continue;
    for (let k = 0; k < p; k++) q[k] -= P.G[j * p + k]! * wj;
  }
  return q;
}

export function buildSGLProblem(X: Mat, y: Float64Array, groups: Int32Array | undefined, weighting: 'sqrt' | 'one'): SGLProblem {
  const n = X.rows, p = X.cols;
  const prob = new EnetProblem(X, y, { precompute: true });
  const G = new Float64Array(p * p);
  for (let j = 0; j < p; j++) {
    const col = prob.col(j);
    for (let k = 0; k < p; k++) G[j * p + k] = col[k]! / n;
  }
  const c = prob.Xty.map((v) => v / n);
  const ids = groups ?? Int32Array.from({ length: p }, (_, j) => j);
  if (ids.length !== p) throw new OptionError(`groups has ${ids.length} entries for ${p} features`, { field: 'groups' });
  const byId = new Map<number, number[]>();
  ids.forEach((g, j) => {
    if (!byId.has(g)) byId.set(g, []);
    byId.get(g)!.push(j);
  });
  const blocks = [...byId.values()].map((b) => Int32Array.from(b));
  const blockWeights = Float64Array.from(blocks, (b) => (weighting === 'sqrt' ? Math.sqrt(b.length) : 1));
  return { G, c, p, blocks, blockWeights };
}

// Kept as one function (~100 lines): block coordinate descent with its active-set sweeps and
// the KKT stop share the residual/gradient state updated in place (the hot path).
export function solveSGL(P: SGLProblem, alpha: number, l1: number, w: Float64Array, tol: number, maxIter: number): { iterations: number; kkt: number; converged: boolean } {
  const p = P.p, G = P.G;
  const q = gradient(P, w);
  const a1 = alpha * l1;
  // Block Lipschitz constants L_B = λ_max(G_BB).
  const lips = P.blocks.map((B) => {
    if (B.length === 1) return G[B[0]! * p + B[0]!]!;
    const m = B.length;
    const sub = new Mat(m, m);
    for (let a = 0; a < m; a++) for (let b = 0; b < m; b++) sub.data[a * m + b] = G[B[a]! * p + B[b]!]!;
    const ev = symEig(sub).values;
    return ev[ev.length - 1]!;
  });
  const move = (j: number, delta: number) => {
    if (delta === 0) return;
    w[j] += delta;
    const off = j * p;
    for (let k = 0; k < p; k++) q[k] -= G[off + k]! * delta;
  };
  const target = tol * Math.max(alpha, 1e-300);
  /** Update one block; returns its largest coefficient change times L_B (a gradient-scale step). */
  const visit = (g: number): number => {
    const B = P.blocks[g]!;
    const L = lips[g]!;
    if (!(L > 0)) return 0;
    const a2 = alpha * (1 - l1) * P.blockWeights[g]!;
    const m = B.length;
    // Gradient with this block removed: q_B + G_BB w_B.
    const qb = new Float64Array(m);
    for (let a = 0; a < m; a++) {
      let s = q[B[a]!]!;
      for (let b = 0; b < m; b++) s += G[B[a]! * p + B[b]!]! * w[B[b]!]!;
      qb[a] = s;
    }
    let s0 = 0;
    for (let a = 0; a < m; a++) s0 += Math.max(Math.abs(qb[a]!) - a1, 0) ** 2;
    let change = 0;
    if (Math.sqrt(s0) <= a2) {
      for (let a = 0; a < m; a++) {
        change = Math.max(change, Math.abs(w[B[a]!]!));
        move(B[a]!, -w[B[a]!]!);
      }
      return change * L;
    }
    if (m === 1) {
      const j = B[0]!;
      const z = qb[0]!;
      const nw = (Math.sign(z) * Math.max(Math.abs(z) - a1 - a2, 0)) / L;
      change = Math.abs(nw - w[j]!);
      move(j, nw - w[j]!);
      return change * L;
    }
    // A few proximal-gradient steps on the block (step 1/L); the outer sweeps finish the job.
    const t = 1 / L;
    const u = new Float64Array(m);
    for (let inner = 0; inner < 8; inner++) {
      let nrm = 0;
      for (let a = 0; a < m; a++) {
        const z = w[B[a]!]! + t * q[B[a]!]!;
        const st = Math.sign(z) * Math.max(Math.abs(z) - t * a1, 0);
        u[a] = st;
        nrm += st * st;
      }
      nrm = Math.sqrt(nrm);
      const shrink = nrm > 0 ? Math.max(0, 1 - (t * a2) / nrm) : 0;
      let dmax = 0;
      for (let a = 0; a < m; a++) {
        const j = B[a]!;
        const d = u[a]! * shrink - w[j]!;
        dmax = Math.max(dmax, Math.abs(d));
        move(j, d);
      }
      change = Math.max(change, dmax);
      if (dmax * L <= 0.01 * target) break;
    }
    return change * L;
  };
  let it = 0, kkt = Infinity;
  const nG = P.blocks.length;
  while (it < maxIter) {
    // One sweep over every block (groups may enter), then sweeps over the active blocks only.
    it++;
    for (let g = 0; g < nG; g++) visit(g);
    for (let k = 0; k < 500 && it < maxIter; k++) {
      it++;
      let ch = 0;
      for (let g = 0; g < nG; g++) {
        const B = P.blocks[g]!;
        let on = false;
        for (let a = 0; a < B.length && !on; a++) on = w[B[a]!] !== 0;
        if (on) ch = Math.max(ch, visit(g));
      }
      if (ch <= 0.1 * target) break;
    }
    kkt = sglKKT(P, w, alpha, l1);
    if (kkt <= target) return { iterations: it, kkt, converged: true };
  }
  kkt = sglKKT(P, w, alpha, l1);
  return { iterations: it, kkt, converged: kkt <= target };
}

class SparseGroupLasso extends LinearModel {
  protected override normalizeWeights = true;
  constructor(
    method: string,
    params: Params,
    private readonly groups: Int32Array | undefined,
  ) {
    super(method, params);
  }

  protected solve(P: Prepared): Float64Array {
    const alpha = this.params.alpha as number;
    const l1 = this.method === 'group-lasso' ? 0 : (this.params.l1_ratio as number);
    const prob = buildSGLProblem(P.X, P.y, this.groups, this.params.group_weights === 'one' ? 'one' : 'sqrt');
    const w = new Float64Array(P.X.cols);
    const res = solveSGL(prob, alpha, l1, w, this.params.tol as number, this.params.max_iter as number);
    let activeGroups = 0;
    for (const B of prob.blocks) if (Array.from(B).some((j) => w[j] !== 0)) activeGroups++;
    this.info = { converged: res.converged, iterations: res.iterations, kktViolation: res.kkt, nGroups: prob.blocks.length, activeGroups, nNonzero: countNonzero(w) };
    return w;
  }
}

const SGL_PARAMS: Record<string, ParamSpec> = {
  alpha: { type: 'number', default: 1, min: 0, description: 'overall penalty α' },
  fit_intercept: FIT_INTERCEPT,
  tol: { type: 'number', default: 1e-6, gt: 0, description: 'stop when the KKT violation ≤ tol·α' },
  max_iter: { type: 'integer', default: 100000, min: 1, description: 'maximum block-coordinate sweeps' },
  group_weights: { type: 'string', default: 'sqrt', choices: ['sqrt', 'one'], description: 'group weights √p_B (seed 001) or 1' },
  groups: { type: 'numbers', description: 'group id per feature (overrides the data file groups)' },
};

function groupsFrom(params: Params, ctx: FitContext): Int32Array | undefined {
  const g = params.groups as number[] | undefined;
  if (g) {
    if (g.some((v) => !Number.isInteger(v))) throw new OptionError('groups must be integer ids', { field: 'groups' });
    return Int32Array.from(g);
  }
  return ctx.groups;
}

registerMethod({
  name: 'group-lasso',
  summary: 'group lasso over orbit groups (√p_B weights): whole orbits in or out',
  params: SGL_PARAMS,
  create: (params, ctx) => new SparseGroupLasso('group-lasso', params, groupsFrom(params, ctx)),
});

registerMethod({
  name: 'sparse-group-lasso',
  summary: 'sparse group lasso (seed 001 Eq. 6): α·λ‖w‖₁ + α(1−λ)Σ√p_B‖w_B‖',
  params: { ...SGL_PARAMS, l1_ratio: { type: 'number', default: 0.5, min: 0, max: 1, description: 'mixing λ: 1 = lasso, 0 = group lasso' } },
  create: (params, ctx) => new SparseGroupLasso('sparse-group-lasso', params, groupsFrom(params, ctx)),
});

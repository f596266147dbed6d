/**
 * Bound-constrained quasi-Newton minimization: a projected L-BFGS ("L-BFGS-B lite").
 *
 * Each step computes the L-BFGS two-loop direction on the variables that are not held at a
 * bound (a variable is held when it sits on a bound and its gradient pushes outward), then
 * backtracks along the projected path P(x + t·d) until an Armijo decrease holds. Curvature
 * pairs with sᵀy ≤ 0 are skipped so the inverse-Hessian model stays positive definite.
 * This is not Byrd–Lu–Nocedal's generalized Cauchy point, but on smooth problems with few
 * active bounds (GP hyperparameters, logistic regression, acquisition functions) it
 * converges to the same points with far less code.
 */
import { OptionError } from './errors.ts';

export type ObjectiveWithGradient = (x: Float64Array, grad: Float64Array) => number;

export interface LbfgsOptions {
  /** Lower/upper bounds per variable (±Infinity allowed); omit for unconstrained. */
  lower?: ArrayLike<number>;
  upper?: ArrayLike<number>;
  /** Number of stored correction pairs. */
  memory?: number;
  maxIter?: number;
  /** Stop when the projected gradient's max-norm falls below this. */
  gtol?: number;
  /** Stop when the relative decrease (f_k − f_{k+1}) / max(|f_k|, |f_{k+1}|, 1) falls below this. */
  ftol?: number;
  maxLineSearch?: number;
}

export interface LbfgsResult {
  x: Float64Array;
  f: number;
  grad: Float64Array;
  iterations: number;
  evaluations: number;
  converged: boolean;
  message: string;
}

// Kept as one function (~130 lines): the two-loop recursion, the projected line search and the
// stopping tests share the iteration state (x, g, s/y history, step); split, each piece would
// take that state as ten arguments.
export function minimizeLbfgs(fun: ObjectiveWithGradient, x0: ArrayLike<number>, opts: LbfgsOptions = {}): LbfgsResult {
  const n = x0.length;
  const lo = Float64Array.from({ length: n }, (_, i) => (opts.lower ? opts.lower[i]! : -Infinity));
  const hi = Float64Array.from({ length: n }, (_, i) => (opts.upper ? opts.upper[i]! : Infinity));
  for (let i = 0; i < n; i++) {
    if (!(lo[i]! <= hi[i]!)) throw new OptionError(`lower bound ${lo[i]} exceeds upper bound ${hi[i]} for variable ${i}`);
  }
  const m = opts.memory ?? 10;
  const maxIter = opts.maxIter ?? 15000;
  const gtol = opts.gtol ?? 1e-5;
  const ftol = opts.ftol ?? 2.220446049250313e-9;
  const maxLs = opts.maxLineSearch ?? 40;

  const project = (v: Float64Array) => {
    for (let i = 0; i < n; i++) v[i] = Math.min(hi[i]!, Math.max(lo[i]!, v[i]!));
    return v;
  };
  let x = project(Float64Array.from(x0));
  let g = new Float64Array(n);
  let f = fun(x, g);
  let evaluations = 1;
  if (!Number.isFinite(f)) return { x, f, grad: g, iterations: 0, evaluations, converged: false, message: 'objective is not finite at the start point' };

  const S: Float64Array[] = [], Y: Float64Array[] = [], RHO: number[] = [];
  const d = new Float64Array(n), q = new Float64Array(n), alpha = new Float64Array(m);
  const free = new Uint8Array(n);
  const xNew = new Float64Array(n);
  let gNew = new Float64Array(n);

  const projGradNorm = () => {
    let s = 0;
    for (let i = 0; i < n; i++) {
      const pg = Math.min(hi[i]!, Math.max(lo[i]!, x[i]! - g[i]!)) - x[i]!;
      s = Math.max(s, Math.abs(pg));
    }
    return s;
  };

  let iter = 0;
  let message = 'maximum iterations reached';
  let converged = false;
  for (; iter < maxIter; iter++) {
    if (projGradNorm() <= gtol) { converged = true; message = 'projected gradient below gtol'; break; }
    for (let i = 0; i < n; i++) {
      free[i] = (x[i]! <= lo[i]! && g[i]! > 0) || (x[i]! >= hi[i]! && g[i]! < 0) ? 0 : 1;
    }
    // Two-loop recursion restricted to free variables.
    for (let i = 0; i < n; i++) q[i] = free[i] ? -g[i]! : 0;
    const k = S.length;
    for (let j = k - 1; j >= 0; j--) {
      let a = 0;
      const s = S[j]!, y = Y[j]!;
      for (let i = 0; i < n; i++) if (free[i]) a += s[i]! * q[i]!;
      a *= RHO[j]!;
      alpha[j] = a;
      for (let i = 0; i < n; i++) if (free[i]) q[i] -= a * y[i]!;
    }
    let gamma = 1;
    if (k > 0) {
      const s = S[k - 1]!, y = Y[k - 1]!;
      let sy = 0, yy = 0;
      for (let i = 0; i < n; i++) { sy += s[i]! * y[i]!; yy += y[i]! * y[i]!; }
      gamma = sy / yy;
    } else {
      let gn = 0;
      for (let i = 0; i < n; i++) if (free[i]) gn = Math.max(gn, Math.abs(g[i]!));
      gamma = gn > 0 ? Math.min(1, 1 / gn) : 1;
    }
    for (let i = 0; i < n; i++) q[i] *= gamma;
    for (let j = 0; j < k; j++) {
      let b = 0;
      const s = S[j]!, y = Y[j]!;
      for (let i = 0; i < n; i++) if (free[i]) b += y[i]! * q[i]!;
      b *= RHO[j]!;
      for (let i = 0; i < n; i++) if (free[i]) q[i] += (alpha[j]! - b) * s[i]!;
    }
    d.set(q);
    let slope = 0;
    for (let i = 0; i < n; i++) slope += d[i]! * g[i]!;
    if (!(slope < 0)) {
      // The quasi-Newton model went bad: restart from steepest descent.
      S.length = 0; Y.length = 0; RHO.length = 0;
      let gn = 0;
      for (let i = 0; i < n; i++) if (free[i]) gn = Math.max(gn, Math.abs(g[i]!));
      const sc = gn > 0 ? Math.min(1, 1 / gn) : 1;
      for (let i = 0; i < n; i++) d[i] = free[i] ? -g[i]! * sc : 0;
    }
    // Backtracking along the projected path.
    let t = 1;
    let fNew = NaN;
    let accepted = false;
    for (let ls = 0; ls < maxLs; ls++) {
      for (let i = 0; i < n; i++) xNew[i] = x[i]! + t * d[i]!;
      project(xNew);
      let dec = 0;
      for (let i = 0; i < n; i++) dec += g[i]! * (xNew[i]! - x[i]!);
      fNew = fun(xNew, gNew);
      evaluations++;
      if (Number.isFinite(fNew) && fNew <= f + 1e-4 * dec) { accepted = true; break; }
      t *= ls < 2 ? 0.5 : 0.25;
    }
    if (!accepted) {
      if (S.length > 0) { S.length = 0; Y.length = 0; RHO.length = 0; continue; }
      message = 'line search failed';
      break;
    }
    const s = new Float64Array(n), y = new Float64Array(n);
    let sy = 0, yy = 0;
    for (let i = 0; i < n; i++) {
      s[i] = xNew[i]! - x[i]!;
      y[i] = gNew[i]! - g[i]!;
      sy += s[i]! * y[i]!;
      yy += y[i]! * y[i]!;
    }
    if (sy > 2.2e-16 * yy && sy > 0) {
      if (S.length === m) { S.shift(); Y.shift(); RHO.shift(); }
      S.push(s); Y.push(y); RHO.push(1 / sy);
    }
    const fOld = f;
    x = Float64Array.from(xNew);
    const tmp = g; g = gNew; gNew = tmp;
    f = fNew;
    if ((fOld - f) / Math.max(Math.abs(fOld), Math.abs(f), 1) <= ftol) {
      converged = true;
      message = 'relative reduction of f below ftol';
      iter++;
      break;
    }
  }
  return { x, f, grad: g, iterations: iter, evaluations, converged, message };
}

/** Central-difference gradient for objectives without an analytic one (small n only). */
export function numericGradient(f: (x: Float64Array) => number, h = 1e-6): ObjectiveWithGradient {
  return (x, grad) => {
    const f0 = f(x);
    const xp = Float64Array.from(x);
    for (let i = 0; i < x.length; i++) {
      const step = h * Math.max(1, Math.abs(x[i]!));
      xp[i] = x[i]! + step;
      const fp = f(xp);
      xp[i] = x[i]! - step;
      const fm = f(xp);
      xp[i] = x[i]!;
      grad[i] = (fp - fm) / (2 * step);
    }
    return f0;
  };
}

/**
 * Time-series analysis of Monte Carlo traces.
 *
 * - Equilibration: MSER-5 (White 1997, "marginal standard error rule"): average the trace in
 *   batches of 5, and drop the first d batches where d minimises Var(x[d:]) / (n − d)², searched
 *   over the first half. It needs no tuning and finds the end of the initial transient.
 * - Error bars: integrated autocorrelation time τ_int = ½ + Σ_{t≥1} ρ(t) with Sokal's
 *   automatic window (stop at the first t with t ≥ 5·τ_int(t)); the standard error of the mean is
 *   σ·√(2τ_int / n). For uncorrelated samples τ_int = ½ and this is σ/√n.
 */
import { mean } from '../core/stats.ts';

/** Number of leading samples to drop (MSER-5). */
export function mserTruncation(x: ArrayLike<number>, batch = 5): number {
  const nb = Math.floor(x.length / batch);
  if (nb < 4) return 0;
  const b = new Float64Array(nb);
  for (let i = 0; i < nb; i++) {
    let s = 0;
    for (let k = 0; k < batch; k++) s += x[i * batch + k]!;
    b[i] = s / batch;
  }
  // suffix sums give Var(b[d:]) for every d in one pass
  let s1 = 0, s2 = 0, best = Infinity, bestD = 0;
  const stat = new Float64Array(nb);
  for (let d = nb - 1; d >= 0; d--) {
    s1 += b[d]!;
    s2 += b[d]! * b[d]!;
    const m = nb - d;
    stat[d] = (s2 - (s1 * s1) / m) / (m * m);
  }
  for (let d = 0; d <= nb / 2; d++) {
    if (stat[d]! < best) {
      best = stat[d]!;
      bestD = d;
    }
  }
  return bestD * batch;
}

export interface SeriesStats {
  mean: number;
  std: number;
  stderr: number;
  /** Integrated autocorrelation time in samples. */
  tau: number;
  /** False when the window hit n/4 before the Sokal criterion (error bar is a lower bound). */
  tauReliable: boolean;
  n: number;
}

export function integratedAutocorrTime(x: ArrayLike<number>): { tau: number; reliable: boolean } {
  const n = x.length;
  if (n < 4) return { tau: 0.5, reliable: false };
  const m = mean(x);
  const c = new Float64Array(n);
  let c0 = 0;
  for (let i = 0; i < n; i++) {
    c[i] = x[i]! - m;
    c0 += c[i]! * c[i]!;
  }
  if (c0 === 0) return { tau: 0.5, reliable: true };
  let tau = 0.5;
  const maxLag = Math.floor(n / 4);
  for (let t = 1; t <= maxLag; t++) {
    let s = 0;
    for (let i = 0; i + t < n; i++) s += c[i]! * c[i + t]!;
    tau += s / c0;
    if (t >= 5 * tau) return { tau: Math.max(tau, 0.5), reliable: true };
  }
  return { tau: Math.max(tau, 0.5), reliable: false };
}

export function seriesStats(x: ArrayLike<number>): SeriesStats {
  const n = x.length;
  const m = mean(x);
  let v = 0;
  for (let i = 0; i < n; i++) v += (x[i]! - m) ** 2;
  const sd = n > 1 ? Math.sqrt(v / (n - 1)) : 0;
  const { tau, reliable } = integratedAutocorrTime(x);
  return { mean: m, std: sd, stderr: n > 0 ? sd * Math.sqrt((2 * tau) / n) : NaN, tau, tauReliable: reliable, n };
}

/** Trapezoid rule ∫ y dx over sorted abscissae. */
export function trapezoid(x: ArrayLike<number>, y: ArrayLike<number>): number {
  let s = 0;
  for (let i = 1; i < x.length; i++) s += 0.5 * (x[i]! - x[i - 1]!) * (y[i]! + y[i - 1]!);
  return s;
}

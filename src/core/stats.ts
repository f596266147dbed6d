/** Summary statistics and regression error metrics shared by fitting, learning and reports. */

export function mean(a: ArrayLike<number>): number {
  let s = 0;
  for (let i = 0; i < a.length; i++) s += a[i]!;
  return a.length ? s / a.length : NaN;
}

/** Standard deviation; ddof = 0 (population, numpy's default) or 1 (sample). */
export function std(a: ArrayLike<number>, ddof = 0): number {
  const m = mean(a);
  let s = 0;
  for (let i = 0; i < a.length; i++) s += (a[i]! - m) ** 2;
  return Math.sqrt(s / (a.length - ddof));
}

export function median(a: ArrayLike<number>): number {
  const s = Array.from(a).sort((x, y) => x - y);
  const n = s.length;
  if (!n) return NaN;
  return n % 2 ? s[(n - 1) / 2]! : (s[n / 2 - 1]! + s[n / 2]!) / 2;
}

export interface ErrorMetrics {
  rmse: number;
  mae: number;
  maxError: number;
  r2: number;
}

export function errorMetrics(yTrue: ArrayLike<number>, yPred: ArrayLike<number>): ErrorMetrics {
  const n = yTrue.length;
  let se = 0, ae = 0, maxErr = 0;
  for (let i = 0; i < n; i++) {
    const d = yTrue[i]! - yPred[i]!;
    se += d * d;
    ae += Math.abs(d);
    maxErr = Math.max(maxErr, Math.abs(d));
  }
  const m = mean(yTrue);
  let ss = 0;
  for (let i = 0; i < n; i++) ss += (yTrue[i]! - m) ** 2;
  // Same convention as scikit-learn's r2_score: a constant target scores 1 if predicted exactly.
  const r2 = ss > 0 ? 1 - se / ss : se === 0 ? 1 : 0;
  return { rmse: Math.sqrt(se / n), mae: ae / n, maxError: maxErr, r2 };
}

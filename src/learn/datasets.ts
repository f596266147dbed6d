/** Seeded synthetic benchmark data for learners. */
import { Mat } from '../core/matrix.ts';
import { Rng } from '../core/rng.ts';

/**
 * Friedman #1 (Friedman 1991; scikit-learn's make_friedman1): x ~ U[0,1]^d (d ≥ 5, only the
 * first five matter), y = 10 sin(π x₁x₂) + 20 (x₃ − ½)² + 10 x₄ + 5 x₅ + noise·N(0, 1).
 */
export function friedman1(n: number, { features = 10, noise = 1, seed = 0 } = {}): { X: Mat; y: Float64Array } {
  const rng = new Rng(seed);
  const d = Math.max(5, features);
  const X = new Mat(n, d), y = new Float64Array(n);
  for (let i = 0; i < n; i++) {
    for (let j = 0; j < d; j++) X.data[i * d + j] = rng.next();
    const x = X.row(i);
    y[i] = 10 * Math.sin(Math.PI * x[0]! * x[1]!) + 20 * (x[2]! - 0.5) ** 2 + 10 * x[3]! + 5 * x[4]! + noise * rng.normal();
  }
  return { X, y };
}

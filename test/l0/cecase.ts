/**
 * CE-like test problems shared by the l0 tests: latent columns, then exact copies, sign-flipped
 * and scaled copies, sums of earlier columns and near-copies (rank-deficient X as in lmo_drx),
 * a cluster-like hierarchy and a sign-constrained "Ewald" column; n < p when `wide`.
 */
import { Mat } from '../../src/core/matrix.ts';
import { Rng } from '../../src/core/rng.ts';
import { buildProblem } from '../../src/fit/l0/problem.ts';
import type { Case } from './brute.ts';

/** A CE-like design: latent columns, then copies, flipped/scaled copies and sums of earlier columns. */
export function ceCase(seed: number, p: number, wide: boolean): Case {
  const rng = new Rng(seed);
  const n = wide ? p - 2 - rng.int(4) : p + 4 + rng.int(6);
  const X = new Mat(n, p);
  const latent = 3 + rng.int(3);
  const kind: string[] = [];
  for (let j = 0; j < p; j++) {
    const k = j < latent ? 'latent' : (['copy', 'flip', 'sum', 'latent', 'near'] as const)[rng.int(5)]!;
    kind.push(k);
    const a = rng.int(Math.max(1, j)), b = rng.int(Math.max(1, j));
    const scale = 0.5 + rng.next();
    for (let i = 0; i < n; i++) {
      let v: number;
      if (k === 'latent' || j === 0) v = rng.normal();
      else if (k === 'copy') v = X.get(i, a);
      else if (k === 'flip') v = -scale * X.get(i, a);
      else if (k === 'sum') v = X.get(i, a) + X.get(i, b);
      else v = 0.95 * X.get(i, a) + 0.05 * rng.normal();
      X.set(i, j, v);
    }
  }
  // Cluster-like hierarchy: each later column needs one or two earlier ones.
  const hierarchy: Array<[number, number]> = [];
  for (let c = 2; c < p; c++) {
    if (rng.next() < 0.6) {
      const parents = new Set([rng.int(c), rng.int(c)].slice(0, 1 + rng.int(2)));
      for (const q of parents) hierarchy.push([c, q]);
    }
  }
  const beta = Array.from({ length: p }, () => (rng.next() < 0.35 ? rng.normal() * 2 : 0));
  const ewald = p - 1;
  beta[ewald] = Math.abs(beta[ewald]!) + 0.3;
  const y = new Float64Array(n);
  for (let i = 0; i < n; i++) {
    let s = 0.3 * rng.normal();
    for (let j = 0; j < p; j++) s += X.get(i, j) * beta[j]!;
    y[i] = s;
  }
  let yy = 0, diag = 0;
  for (const v of y) yy += v * v;
  for (let i = 0; i < n * p; i++) diag += X.data[i]! ** 2;
  diag /= p;
  return {
    X, y, mu1: 0, k: Infinity, alwaysIn: [],
    mu2: diag * 10 ** (-4 + 2.5 * rng.next()),
    mu0: yy * 10 ** (-3.5 + 2.5 * rng.next()),
    hierarchy,
    nonneg: rng.next() < 0.5 ? [ewald] : [],
  };
}

export function gramOf(cs: Case): { G: Float64Array; b: Float64Array; yy: number } {
  const p = cs.X.cols, n = cs.X.rows;
  const G = new Float64Array(p * p), b = new Float64Array(p);
  let yy = 0;
  for (let i = 0; i < n; i++) {
    yy += cs.y[i]! ** 2;
    for (let a = 0; a < p; a++) {
      b[a] += cs.X.get(i, a) * cs.y[i]!;
      for (let c = 0; c < p; c++) G[a * p + c] += cs.X.get(i, a) * cs.X.get(i, c);
    }
  }
  return { G, b, yy };
}

export function problemOf(cs: Case) {
  const { G, b, yy } = gramOf(cs);
  return { ...buildProblem(G, b, yy, cs.X.cols, { mu0: cs.mu0, mu2: cs.mu2, hierarchy: cs.hierarchy, nonneg: cs.nonneg }), n: cs.X.rows };
}


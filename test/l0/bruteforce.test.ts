/**
 * The ℓ0 branch-and-bound against brute-force enumeration: every support (closed under the
 * hierarchy, within k) is solved exactly here with code independent of src/fit/l0 (normal
 * equations formed from X and Gaussian elimination; SVD min-norm least squares for μ2 = 0;
 * sign constraints and ℓ1 by enumerating active patterns), and the best is compared with
 * the estimator's result: objective within 1e-9 relative, and the same support whenever the
 * runner-up support is more than 1e-9 (relative) worse.
 */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { createEstimator } from '../../src/fit/registry.ts';
import { Mat } from '../../src/core/matrix.ts';
import { bruteForce, type Case } from './brute.ts';
import { Rng } from '../../src/core/rng.ts';
import { buildProblem } from '../../src/fit/l0/problem.ts';
import { solveL0 } from '../../src/fit/l0/bnb.ts';

function randomHierarchy(rng: Rng, p: number, start: number): Array<[number, number]> {
  const h: Array<[number, number]> = [];
  for (let c = start; c < p; c++) {
    if (rng.next() < 0.6) {
      const np = 1 + rng.int(2);
      const parents = new Set<number>();
      for (let t = 0; t < np; t++) parents.add(rng.int(c));
      for (const q of parents) h.push([c, q]);
    }
  }
  return h;
}

type Kind = 'iid' | 'correlated' | 'wide' | 'lowrank';

function makeCase(seed: number, kind: Kind, p: number, opts: Partial<Case> & { hier?: boolean; mu2rel?: number } = {}): Case {
  const rng = new Rng(seed);
  const n = kind === 'wide' ? Math.max(3, p - 3 - rng.int(3)) : p + 5 + rng.int(10);
  const X = new Mat(n, p);
  if (kind === 'lowrank') {
    const r = Math.max(2, p - 3 - rng.int(3));
    const A = Array.from({ length: n * r }, () => rng.normal()), B = Array.from({ length: r * p }, () => rng.normal());
    for (let i = 0; i < n; i++) for (let j = 0; j < p; j++) { let s = 0; for (let t = 0; t < r; t++) s += A[i * r + t]! * B[t * p + j]!; X.set(i, j, s); }
  } else {
    const f = Array.from({ length: n }, () => rng.normal());
    for (let i = 0; i < n; i++) for (let j = 0; j < p; j++) X.set(i, j, kind === 'correlated' ? 0.9 * f[i]! + 0.3 * rng.normal() : rng.normal());
  }
  const beta = Array.from({ length: p }, () => (rng.next() < 0.4 ? rng.normal() * 2 : 0));
  const y = new Float64Array(n);
  for (let i = 0; i < n; i++) { let s = 0.5 * rng.normal(); for (let j = 0; j < p; j++) s += X.get(i, j) * beta[j]!; y[i] = s; }
  let yy = 0;
  for (const v of y) yy += v * v;
  let diag = 0;
  for (let i = 0; i < n * p; i++) diag += X.data[i]! ** 2;
  diag /= p;
  const mu2 = opts.mu2 ?? diag * (opts.mu2rel ?? 10 ** (-3 + 2.5 * rng.next()));
  const mu0 = opts.mu0 ?? yy * 10 ** (-3 + 2 * rng.next());
  return {
    X, y, mu0, mu2, mu1: opts.mu1 ?? 0, k: opts.k ?? Infinity,
    hierarchy: opts.hier ? randomHierarchy(rng, p, 1) : [],
    nonneg: opts.nonneg ?? [], alwaysIn: opts.alwaysIn ?? [],
    ...(opts.groups ? { groups: opts.groups } : {}),
  };
}

function check(cs: Case, label: string): void {
  const bf = bruteForce(cs);
  const method = cs.mu1 > 0 ? 'l1l0' : Number.isFinite(cs.k) ? 'best-subset' : cs.mu2 === 0 ? 'l0' : 'l0l2';
  const params: Record<string, unknown> = { fit_intercept: false, gap_tol: 1e-11, time_limit: 30, nonneg: cs.nonneg, always_in: cs.alwaysIn, group: !!cs.groups };
  if (method === 'best-subset') Object.assign(params, { k: cs.k, mu2: cs.mu2 });
  else Object.assign(params, { mu0: cs.mu0 }, method === 'l0' ? {} : { mu2: cs.mu2 }, method === 'l1l0' ? { mu1: cs.mu1 } : {});
  const est = createEstimator(method, params, { hierarchy: cs.hierarchy, ...(cs.groups ? { groups: cs.groups } : {}) });
  est.fit(cs.X, cs.y);
  const obj = est.info.objective as number;
  assert.equal(est.info.status, 'optimal', `${label}: status`);
  assert.ok(Math.abs(obj - bf.best) <= 1e-9 * Math.max(bf.best, 1e-12), `${label}: objective ${obj} vs brute force ${bf.best}`);
  assert.ok((est.info.lowerBound as number) <= bf.best * (1 + 1e-9), `${label}: lower bound above optimum`);
  const support = Array.from(est.coef.keys()).filter((c) => est.coef[c] !== 0 || cs.alwaysIn.includes(c));
  const sup = (est.info.support as number[]);
  if (process.env.L0_DEBUG) console.error(`${label} size=${sup.length}/${cs.X.cols} unique=${bf.second - bf.best > 1e-9 * bf.best} nodes=${est.info.nodes}`);
  if (bf.second - bf.best > 1e-9 * bf.best) {
    assert.deepEqual(sup, bf.support, `${label}: support`);
    // Coefficients outside the selected support are exactly zero.
    for (const c of support) assert.ok(sup.includes(c), `${label}: nonzero coefficient outside support`);
  }
}

test('l0l2 matches brute force: iid, correlated, wide and low-rank X, with and without hierarchy', () => {
  let seed = 1000;
  const kinds: Kind[] = ['iid', 'correlated', 'wide', 'lowrank'];
  for (let t = 0; t < 120; t++) {
    const kind = kinds[t % 4]!;
    const p = 4 + (t % 9);
    const cs = makeCase(seed++, kind, p, { hier: t % 2 === 1 });
    check(cs, `l0l2 #${t} ${kind} p=${p} hier=${t % 2 === 1}`);
  }
});

test('pure ℓ0 (μ2 = 0) matches brute force, including rank-deficient X (ties allowed)', () => {
  let seed = 2000;
  const kinds: Kind[] = ['iid', 'correlated', 'lowrank'];
  for (let t = 0; t < 24; t++) {
    const kind = kinds[t % 3]!;
    const p = 4 + (t % 7);
    check(makeCase(seed++, kind, p, { mu2: 0, hier: t % 2 === 0 }), `l0 #${t} ${kind} p=${p}`);
  }
});

test('best subset (Σz ≤ k, with and without ℓ2) matches brute force', () => {
  let seed = 3000;
  for (let t = 0; t < 24; t++) {
    const kind: Kind = t % 3 === 0 ? 'correlated' : t % 3 === 1 ? 'iid' : 'wide';
    const p = 5 + (t % 7);
    const k = 1 + (t % 4);
    check(makeCase(seed++, kind, p, { k, mu0: 0, hier: t % 2 === 0, ...(t % 4 < 2 ? { mu2: 0 } : {}) }), `best-subset #${t} k=${k}`);
  }
});

test('sign constraints, always-in features and ℓ1ℓ0 match brute force', () => {
  let seed = 4000;
  for (let t = 0; t < 16; t++) {
    const p = 5 + (t % 5);
    check(makeCase(seed++, t % 2 ? 'correlated' : 'iid', p, { nonneg: [0, 2], alwaysIn: t % 4 === 0 ? [1] : [], hier: t % 3 === 0 }), `nonneg #${t}`);
  }
  for (let t = 0; t < 12; t++) {
    const p = 3 + (t % 4);
    const rng = new Rng(seed);
    check(makeCase(seed++, t % 2 ? 'correlated' : 'iid', p, { mu1: 0.5 + 5 * rng.next(), hier: t % 2 === 0, nonneg: t % 3 === 0 ? [0] : [] }), `l1l0 #${t}`);
  }
});

test('group form (one z per group, hierarchy between groups) matches brute force', () => {
  let seed = 5000;
  for (let t = 0; t < 12; t++) {
    const rng = new Rng(seed + 77);
    const p = 6 + (t % 6);
    const groups = new Int32Array(p);
    let gid = 0;
    for (let c = 1; c < p; c++) groups[c] = rng.next() < 0.5 ? gid : ++gid;
    check(makeCase(seed++, t % 2 ? 'correlated' : 'wide', p, { groups, hier: t % 2 === 0 }), `group #${t}`);
  }
});

test('p = 16: exact on larger problems', () => {
  for (let t = 0; t < 4; t++) check(makeCase(6000 + t, t % 2 ? 'correlated' : 'lowrank', 16, { hier: t >= 1 }), `p16 #${t}`);
});

test('lower bounds are valid when the search is cut short (node limit)', () => {
  for (let t = 0; t < 20; t++) {
    const cs = makeCase(7000 + t, t % 2 ? 'correlated' : 'wide', 10, { hier: t % 2 === 0 });
    const bf = bruteForce(cs);
    const p = cs.X.cols, n = cs.X.rows;
    const G = new Float64Array(p * p), b = new Float64Array(p);
    let yy = 0;
    for (let i = 0; i < n; i++) {
      yy += cs.y[i]! ** 2;
      for (let a = 0; a < p; a++) { b[a] += cs.X.get(i, a) * cs.y[i]!; for (let c = 0; c < p; c++) G[a * p + c] += cs.X.get(i, a) * cs.X.get(i, c); }
    }
    const prob = buildProblem(G, b, yy, p, { mu0: cs.mu0, mu2: cs.mu2, hierarchy: cs.hierarchy });
    for (const maxNodes of [1, 3]) {
      const r = solveL0(prob, { maxNodes, gapTol: 1e-12, maxSweeps: 2 });
      assert.ok(r.lowerBound <= bf.best * (1 + 1e-9), `#${t}: bound ${r.lowerBound} > optimum ${bf.best}`);
      assert.ok(r.objective >= bf.best * (1 - 1e-9), `#${t}: incumbent below optimum`);
    }
  }
});

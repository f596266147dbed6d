/**
 * Brute-force reference for the ℓ0 tests, independent of src/fit/l0: every support (closed
 * under the hierarchy, within k) is solved exactly (normal equations from X and Gaussian
 * elimination; SVD min-norm least squares for μ2 = 0; sign constraints and ℓ1 by enumerating
 * active patterns) and the best and runner-up objectives are returned.
 */
import { Mat } from '../../src/core/matrix.ts';
import { lstsqMinNorm } from '../../src/core/linalg.ts';

export interface Case {
  X: Mat;
  y: Float64Array;
  mu0: number;
  mu1: number;
  mu2: number;
  k: number;
  hierarchy: Array<[number, number]>;
  groups?: Int32Array;
  nonneg: number[];
  alwaysIn: number[];
}

function gauss(A: number[][], b: number[]): number[] | null {
  const n = b.length;
  const M = A.map((r, i) => [...r, b[i]!]);
  for (let c = 0; c < n; c++) {
    let piv = c;
    for (let r = c + 1; r < n; r++) if (Math.abs(M[r]![c]!) > Math.abs(M[piv]![c]!)) piv = r;
    if (Math.abs(M[piv]![c]!) < 1e-300) return null;
    [M[c], M[piv]] = [M[piv]!, M[c]!];
    for (let r = 0; r < n; r++) {
      if (r === c) continue;
      const f = M[r]![c]! / M[c]![c]!;
      for (let k = c; k <= n; k++) M[r]![k] -= f * M[c]![k]!;
    }
  }
  return M.map((r, i) => r[n]! / r[i]!);
}

/** min over J supported on S (with fixed signs `sgn` for ℓ1, 0 = free sign) of the smooth objective. */
function solveOn(cs: Case, S: number[], sgn: number[] | null): { val: number; J: number[] } | null {
  const { X, y, mu1, mu2 } = cs;
  const n = X.rows;
  let J: number[];
  if (S.length === 0) J = [];
  else if (mu2 === 0 && mu1 === 0) {
    const XS = new Mat(n, S.length);
    for (let i = 0; i < n; i++) for (let j = 0; j < S.length; j++) XS.set(i, j, X.get(i, S[j]!));
    J = Array.from(lstsqMinNorm(XS, y).x);
  } else {
    const A = S.map((a) => S.map((c) => { let s = 0; for (let i = 0; i < n; i++) s += X.get(i, a) * X.get(i, c); return s; }));
    S.forEach((_, i) => { A[i]![i] += mu2; });
    const rhs = S.map((a, j) => { let s = 0; for (let i = 0; i < n; i++) s += X.get(i, a) * y[i]!; return s - (sgn ? (mu1 / 2) * sgn[j]! : 0); });
    const sol = gauss(A, rhs);
    if (!sol) return null;
    J = sol;
  }
  let val = 0;
  for (let i = 0; i < n; i++) {
    let r = y[i]!;
    S.forEach((c, j) => { r -= X.get(i, c) * J[j]!; });
    val += r * r;
  }
  J.forEach((v) => { val += mu2 * v * v + mu1 * Math.abs(v); });
  return { val, J };
}

/** Exact continuous optimum on support S with sign constraints / ℓ1 by pattern enumeration. */
export function supportValue(cs: Case, S: number[]): number {
  const nn = S.filter((c) => cs.nonneg.includes(c));
  let best = Infinity;
  if (cs.mu1 > 0) {
    // Each coefficient zero, positive or negative: 3^|S| sign-consistent stationary points.
    const total = 3 ** S.length;
    for (let code = 0; code < total; code++) {
      let t = code;
      const sub: number[] = [], sg: number[] = [];
      for (const c of S) {
        const d = t % 3; t = Math.floor(t / 3);
        if (d === 0) continue;
        if (d === 2 && cs.nonneg.includes(c)) { sub.length = 0; sg.length = 0; sub.push(-1); break; }
        sub.push(c); sg.push(d === 1 ? 1 : -1);
      }
      if (sub[0] === -1) continue;
      const r = solveOn(cs, sub, sg);
      if (!r || r.J.some((v, j) => Math.sign(v) !== sg[j])) continue;
      best = Math.min(best, r.val);
    }
    return best;
  }
  for (let mask = 0; mask < 1 << nn.length; mask++) {
    const zeroed = nn.filter((_, i) => mask & (1 << i));
    const sub = S.filter((c) => !zeroed.includes(c));
    const r = solveOn(cs, sub, null);
    if (!r || sub.some((c, j) => cs.nonneg.includes(c) && r.J[j]! < 0)) continue;
    best = Math.min(best, r.val);
  }
  return best;
}

export function bruteForce(cs: Case): { best: number; second: number; support: number[] } {
  const p = cs.X.cols;
  const unitOfFeature = Array.from({ length: p }, (_, c) => (cs.groups ? cs.groups[c]! : c));
  const unitIds = [...new Set(unitOfFeature.filter((_, c) => !cs.alwaysIn.includes(c)))].sort((a, b) => a - b);
  let best = Infinity, second = Infinity, support: number[] = [];
  for (let mask = 0; mask < 1 << unitIds.length; mask++) {
    const on = new Set(unitIds.filter((_, i) => mask & (1 << i)));
    if (on.size > cs.k) continue;
    const selected = (c: number) => cs.alwaysIn.includes(c) || on.has(unitOfFeature[c]!);
    if (cs.hierarchy.some(([ch, pa]) => selected(ch) && !selected(pa))) continue;
    const S = Array.from({ length: p }, (_, c) => c).filter(selected);
    const v = supportValue(cs, S) + cs.mu0 * on.size;
    if (v < best) { second = best; best = v; support = S; }
    else if (v < second) second = v;
  }
  return { best, second, support };
}


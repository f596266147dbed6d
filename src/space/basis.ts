/**
 * Site basis functions over a discrete site space of M species coded 0..M−1 (prim order,
 * vacancy last). A basis is an M×M table: row j is φ_j evaluated at each species code, and
 * row 0 is always the constant φ_0 = 1. Conventions follow smol (CederGroupHub/smol,
 * cofe/space/basis.py) so coefficients are comparable with the field's reference tool:
 *  - indicator:  φ_j(σ) = δ(σ, j−1), j = 1..M−1 (the last species has no indicator);
 *  - sinusoid:   a = ⌈j/2⌉; φ_j(σ) = −cos(2πaσ/M) for odd j, −sin(2πaσ/M) for even j
 *                (seed 000 Eq. 2 written with π(j+1)σ/M and πjσ/M is the same thing);
 *  - polynomial, chebyshev, legendre: species encoded as x = linspace(−1, 1, M)[σ] and
 *                φ_j = x^j, T_j(x), P_j(x).
 * Orthonormalization is Gram–Schmidt with respect to a measure μ (uniform, or the site
 * concentrations), ⟨f, g⟩ = Σ_σ μ_σ f(σ) g(σ); φ_0 stays 1 because Σ μ = 1. smol uses a
 * Householder QR instead, so an orthonormalized function may differ from smol's by a sign
 * (our convention: each function keeps a positive overlap with the one it came from).
 */
import { NumericalError, OptionError } from '../core/errors.ts';

export const BASIS_NAMES = ['sinusoid', 'indicator', 'chebyshev', 'polynomial', 'legendre'] as const;
export type BasisName = (typeof BASIS_NAMES)[number];

export function parseBasisName(name: string): BasisName {
  const n = name.trim().toLowerCase();
  if ((BASIS_NAMES as readonly string[]).includes(n)) return n as BasisName;
  throw new OptionError(`unknown basis '${name}' (choose one of ${BASIS_NAMES.join(', ')})`, { field: 'basis' });
}

/** Basis of one site space: functions[j * m + σ] = φ_j(σ). */
export interface SiteBasis {
  name: BasisName;
  m: number;
  orthonormal: boolean;
  measure: Float64Array;
  functions: Float64Array;
}

function legendre(j: number, x: number): number {
  let p0 = 1, p1 = x;
  if (j === 0) return 1;
  for (let k = 1; k < j; k++) [p0, p1] = [p1, ((2 * k + 1) * x * p1 - k * p0) / (k + 1)];
  return p1;
}

function chebyshev(j: number, x: number): number {
  let t0 = 1, t1 = x;
  if (j === 0) return 1;
  for (let k = 1; k < j; k++) [t0, t1] = [t1, 2 * x * t1 - t0];
  return t1;
}

function rawFunction(name: BasisName, j: number, s: number, m: number): number {
  if (j === 0) return 1;
  const x = m === 1 ? 0 : -1 + (2 * s) / (m - 1);
  switch (name) {
    case 'indicator':
      return s === j - 1 ? 1 : 0;
    case 'sinusoid': {
      const a = Math.ceil(j / 2);
      return j % 2 === 1 ? -Math.cos((2 * Math.PI * a * s) / m) : -Math.sin((2 * Math.PI * a * s) / m);
    }
    case 'polynomial':
      return x ** j;
    case 'chebyshev':
      return chebyshev(j, x);
    case 'legendre':
      return legendre(j, x);
  }
}

/** Exact zeros where trig functions give ~1e-16, so symmetry-vanishing correlations print as 0. */
function clean(v: number): number {
  return Math.abs(v) < 1e-14 ? 0 : v;
}

export function siteBasis(name: BasisName, m: number, opts: { orthonormal?: boolean; measure?: ArrayLike<number> } = {}): SiteBasis {
  if (!Number.isInteger(m) || m < 2) throw new OptionError(`a site basis needs at least 2 species, got ${m}`);
  const measure = new Float64Array(m);
  if (opts.measure) {
    if (opts.measure.length !== m) throw new OptionError(`measure has ${opts.measure.length} values for ${m} species`, { field: 'measure' });
    let sum = 0;
    for (let s = 0; s < m; s++) {
      const v = opts.measure[s]!;
      if (!(v > 0) || !Number.isFinite(v)) throw new OptionError(`measure values must be positive, got ${v} for species ${s}`, { field: 'measure' });
      sum += v;
    }
    for (let s = 0; s < m; s++) measure[s] = opts.measure[s]! / sum;
  } else {
    measure.fill(1 / m);
  }
  const f = new Float64Array(m * m);
  for (let j = 0; j < m; j++) for (let s = 0; s < m; s++) f[j * m + s] = clean(rawFunction(name, j, s, m));
  const orthonormal = opts.orthonormal ?? false;
  if (orthonormal) gramSchmidt(f, m, measure);
  return { name, m, orthonormal, measure, functions: f };
}

/** Modified Gram–Schmidt on the rows of f (row 0 = constant) under the inner product Σ μ f g. */
function gramSchmidt(f: Float64Array, m: number, mu: Float64Array): void {
  const ip = (a: number, b: number) => {
    let s = 0;
    for (let k = 0; k < m; k++) s += mu[k]! * f[a * m + k]! * f[b * m + k]!;
    return s;
  };
  // φ0 = 1 already has unit norm (Σμ = 1); keeping it exact avoids 1 ± ε constants
  for (let j = 1; j < m; j++) {
    for (let i = 0; i < j; i++) {
      const c = ip(i, j);
      for (let k = 0; k < m; k++) f[j * m + k]! -= c * f[i * m + k]!;
    }
    const nrm = Math.sqrt(ip(j, j));
    if (!(nrm > 1e-10)) throw new NumericalError(`site basis function ${j} is linearly dependent on the previous ones`);
    for (let k = 0; k < m; k++) f[j * m + k] = clean(f[j * m + k]! / nrm);
  }
}

/** Gram matrix ⟨φ_i, φ_j⟩_μ of a basis (for checks and reports). */
export function basisGram(b: SiteBasis): Float64Array {
  const { m, functions: f, measure: mu } = b;
  const g = new Float64Array(m * m);
  for (let i = 0; i < m; i++) {
    for (let j = 0; j < m; j++) {
      let s = 0;
      for (let k = 0; k < m; k++) s += mu[k]! * f[i * m + k]! * f[j * m + k]!;
      g[i * m + j] = s;
    }
  }
  return g;
}

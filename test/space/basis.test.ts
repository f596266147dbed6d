import { test } from 'node:test';
import assert from 'node:assert/strict';
import { BASIS_NAMES, basisGram, parseBasisName, siteBasis } from '../../src/space/basis.ts';
import { OptionError } from '../../src/core/errors.ts';
import { Rng } from '../../src/core/rng.ts';

const close = (a: number, b: number, tol = 1e-12) => assert.ok(Math.abs(a - b) <= tol, `${a} vs ${b}`);
const row = (b: ReturnType<typeof siteBasis>, j: number) => Array.from(b.functions.slice(j * b.m, (j + 1) * b.m));

test('sinusoid: binary is the ±1 spin, ternary/quinary match seed 000 Eq. 2 by hand', () => {
  // M = 2: φ1(σ) = −cos(πσ) → σ=0: −1, σ=1: +1
  assert.deepEqual(row(siteBasis('sinusoid', 2), 1), [-1, 1]);
  // M = 3: φ1 = −cos(2πσ/3) = [−1, ½, ½]; φ2 = −sin(2πσ/3) = [0, −√3/2, √3/2]
  const b3 = siteBasis('sinusoid', 3);
  [-1, 0.5, 0.5].forEach((v, s) => close(row(b3, 1)[s]!, v));
  [0, -Math.sqrt(3) / 2, Math.sqrt(3) / 2].forEach((v, s) => close(row(b3, 2)[s]!, v));
  // M = 5, j = 3: a = 2, −cos(4πσ/5) at σ = 1 → −cos(144°) = 0.809017
  close(siteBasis('sinusoid', 5).functions[3 * 5 + 1]!, 0.8090169943749475);
  // φ0 = 1 always
  for (const name of BASIS_NAMES) assert.deepEqual(row(siteBasis(name, 4), 0), [1, 1, 1, 1]);
});

test('indicator, Chebyshev, Legendre, polynomial by hand (smol conventions)', () => {
  // indicator: φ_j = δ(σ, j−1); the last species has no indicator
  const ind = siteBasis('indicator', 3);
  assert.deepEqual(row(ind, 1), [1, 0, 0]);
  assert.deepEqual(row(ind, 2), [0, 1, 0]);
  // encoding x = (−1, 0, 1) for M = 3
  assert.deepEqual(row(siteBasis('chebyshev', 3), 2), [1, -1, 1]); // T2 = 2x² − 1
  assert.deepEqual(row(siteBasis('polynomial', 3), 2), [1, 0, 1]); // x²
  assert.deepEqual(row(siteBasis('legendre', 3), 2), [1, -0.5, 1]); // P2 = (3x² − 1)/2
  // M = 4: x = (−1, −1/3, 1/3, 1); T3(x) = 4x³ − 3x at −1/3 = −4/27 + 1 = 23/27
  close(siteBasis('chebyshev', 4).functions[3 * 4 + 1]!, 23 / 27);
  // P3 = (5x³ − 3x)/2 at 1/3 = (5/27 − 1)/2 = −11/27
  close(siteBasis('legendre', 4).functions[3 * 4 + 2]!, -11 / 27);
});

test('orthonormalized bases are orthonormal under uniform and concentration measures', () => {
  const rng = new Rng(7);
  for (const name of BASIS_NAMES) {
    for (const m of [2, 3, 4, 5, 6]) {
      const measures = [undefined, Array.from({ length: m }, () => rng.uniform(0.1, 1))];
      for (const measure of measures) {
        const b = siteBasis(name, m, { orthonormal: true, measure });
        const g = basisGram(b);
        for (let i = 0; i < m; i++) for (let j = 0; j < m; j++) close(g[i * m + j]!, i === j ? 1 : 0, 1e-10);
        assert.deepEqual(row(b, 0), new Array(m).fill(1));
      }
    }
  }
  // the plain sinusoid is already orthogonal (not normalized for M > 2) under the uniform measure
  const s = basisGram(siteBasis('sinusoid', 5));
  for (let i = 0; i < 5; i++) for (let j = 0; j < 5; j++) if (i !== j) close(s[i * 5 + j]!, 0, 1e-12);
  // a binary ±1 spin is already orthonormal, so orthonormalizing changes nothing
  assert.deepEqual(row(siteBasis('sinusoid', 2, { orthonormal: true }), 1), [-1, 1]);
});

test('bad basis input is a typed error', () => {
  assert.throws(() => parseBasisName('fourier'), OptionError);
  assert.throws(() => siteBasis('sinusoid', 1), OptionError);
  assert.throws(() => siteBasis('sinusoid', 3, { measure: [0.5, 0.5] }), OptionError);
  assert.throws(() => siteBasis('sinusoid', 2, { measure: [1, -1] }), OptionError);
  assert.equal(parseBasisName(' Sinusoid '), 'sinusoid');
});

import { test } from 'node:test';
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { Mat } from '../../src/core/matrix.ts';
import { GaussianProcess } from '../../src/learn/gpr.ts';
import { kernelFromSpec } from '../../src/learn/kernel-spec.ts';

const ref = JSON.parse(readFileSync(new URL('../fixtures/learn/gpr_refs.json', import.meta.url), 'utf8'));
const X = Mat.fromRows(ref.X), y = Float64Array.from(ref.y), Xt = Mat.fromRows(ref.Xtest);
const maxRel = (a: ArrayLike<number>, b: ArrayLike<number>) => {
  let d = 0;
  for (let i = 0; i < b.length; i++) d = Math.max(d, Math.abs(a[i]! - b[i]!) / Math.max(1, Math.abs(b[i]!)));
  return d;
};

for (const c of ref.fixed) {
  test(`GPR with fixed kernel ${c.name} matches scikit-learn to 1e-8`, () => {
    const g = new GaussianProcess(kernelFromSpec(c.spec), { optimize: false, normalizeY: c.normalizeY }).fit(X, y);
    const { mean, variance } = g.predict(Xt, true);
    assert.ok(maxRel(mean, c.mean) < 1e-8, `mean off by ${maxRel(mean, c.mean)}`);
    assert.ok(maxRel(variance!, c.variance) < 1e-8, `variance off by ${maxRel(variance!, c.variance)}`);
    assert.ok(Math.abs(g.logMarginalLikelihood - c.lml) < 1e-8, `lml ${g.logMarginalLikelihood} vs ${c.lml}`);
    assert.ok(maxRel(g.kernel.theta, c.theta) < 1e-12);
    // Analytic gradient against scikit-learn's.
    const yy = c.normalizeY ? (() => { const m = y.reduce((a, b) => a + b) / y.length; const s = Math.sqrt(y.reduce((a, b) => a + (b - m) ** 2, 0) / y.length); return y.map((v) => (v - m) / s); })() : y;
    const { grad } = g.lml(g.kernel.theta, X, yy, true);
    assert.ok(maxRel(grad, c.lmlGrad) < 1e-8, `gradient off by ${maxRel(grad, c.lmlGrad)}`);
  });
}

for (const c of ref.optimized) {
  test(`optimized GPR ${c.name} reaches an LML at least scikit-learn's`, () => {
    const g = new GaussianProcess(kernelFromSpec(c.spec), { optimize: true, restarts: 5, seed: 0, normalizeY: c.normalizeY }).fit(X, y);
    assert.ok(g.logMarginalLikelihood >= c.lml - 1e-6, `${g.logMarginalLikelihood} < sklearn ${c.lml} (${g.kernel.describe()} vs ${c.kernel})`);
  });
}

import { test } from 'node:test';
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { Mat } from '../../src/core/matrix.ts';
import { LogisticRegression, type Penalty } from '../../src/learn/logistic.ts';

// Made by test/fixtures/learn/make_logistic_refs.py (scikit-learn 1.2.1, tol 1e-12).
const ref = JSON.parse(readFileSync(new URL('../fixtures/learn/logistic_refs.json', import.meta.url), 'utf8'));
const X = Mat.fromRows(ref.X);
const maxAbs = (a: ArrayLike<number>, b: ArrayLike<number>) => Math.max(...Array.from(b, (v, i) => Math.abs(a[i]! - v)));

for (const c of ref.cases) {
  // saga (L1/elastic net) is a stochastic solver; its own result is only as exact as its stopping rule.
  const tol = c.params.solver === 'lbfgs' ? 1e-6 : 1e-4;
  test(`logistic ${c.name} coefficients equal scikit-learn's to ${tol}`, () => {
    const m = new LogisticRegression({
      C: c.params.C,
      penalty: c.params.penalty as Penalty,
      l1Ratio: c.params.l1_ratio,
      classWeight: c.params.class_weight ?? null,
    }).fit(X, c.labels);
    const coef = m.coef.data, refCoef = (c.coef as number[][]).flat();
    assert.ok(maxAbs(coef, refCoef) < tol, `coef ${Array.from(coef)} vs ${refCoef}`);
    assert.ok(maxAbs(m.intercept, c.intercept) < tol, `intercept ${Array.from(m.intercept)} vs ${c.intercept}`);
    const P = m.predictProba(X.selectRows([0, 1, 2, 3, 4]));
    assert.ok(maxAbs(P.data, (c.proba as number[][]).flat()) < tol);
  });
}

test('logistic regression rejects a single class and bad options', () => {
  assert.throws(() => new LogisticRegression().fit(X, new Array(X.rows).fill('a')), /at least two classes/);
  assert.throws(() => new LogisticRegression({ C: 0 }), /C must be > 0/);
  assert.throws(() => new LogisticRegression({ penalty: 'l3' as Penalty }), /unknown penalty/);
});

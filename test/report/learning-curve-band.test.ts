/**
 * The learning curve's ±1 std band is cut at 10× the largest line value when one repeat blows
 * up (an underdetermined fit), and left alone otherwise — hand-built points.
 */
import assert from 'node:assert/strict';
import { test } from 'node:test';
import type { LearningPoint } from '../../src/fit/selection/learning-curve.ts';
import { learningCurveFigure } from '../../src/report/figures.ts';

type Layer = { data: { values: Array<Record<string, number>> }; encoding: { y: { title: string } } };
const point = (nTrain: number, train: number, cvMedian: number, cvStd: number) => ({ nTrain, train, cv: cvMedian, cvMedian, cvStd }) as unknown as LearningPoint;

test('a band reaching 1.4e4 is cut at 10 × the largest median (0.16) and the axis says so', () => {
  const spec = learningCurveFigure({ points: [point(6, 0.001, 0.01, 0.005), point(11, 0.002, 0.016, 14000)] }) as unknown as { layer: Layer[] };
  const band = spec.layer[0]!.data.values;
  assert.deepEqual(band.map((b) => b.hi), [0.015, 0.16]);
  assert.equal(band[1]!.lo, 0, 'the lower edge stays at max(median − std, 0)');
  assert.match(spec.layer[1]!.encoding.y.title, /band cut at 0\.16/);
});

test('a band within 10 × the lines is drawn as it is', () => {
  const spec = learningCurveFigure({ points: [point(6, 0.001, 0.01, 0.005), point(11, 0.002, 0.016, 0.02)] }) as unknown as { layer: Layer[] };
  const hi = spec.layer[0]!.data.values.map((b) => b.hi!);
  [0.015, 0.036].forEach((v, k) => assert.ok(Math.abs(hi[k]! - v) < 1e-15, `${hi[k]} vs ${v}`));
  assert.doesNotMatch(spec.layer[1]!.encoding.y.title, /cut/);
});

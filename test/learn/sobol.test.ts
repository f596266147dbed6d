import { test } from 'node:test';
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { sobolPoints } from '../../src/learn/sobol.ts';

test('Sobol points equal scipy.stats.qmc.Sobol(scramble=False) (Joe–Kuo directions)', () => {
  // Made by test/fixtures/learn/make_sobol_refs.py (scipy.stats.qmc.Sobol, scramble=False).
  const ref = JSON.parse(readFileSync(new URL('../fixtures/learn/sobol_refs.json', import.meta.url), 'utf8'));
  const pts = sobolPoints(64, ref.d);
  for (let i = 0; i < 64; i++) for (let j = 0; j < ref.d; j++) assert.equal(pts.get(i, j), ref.points[i][j], `point ${i} dim ${j}`);
});

test('each Sobol coordinate of the first 2^k points is a permutation of the dyadic grid', () => {
  const pts = sobolPoints(256, 40);
  for (let j = 0; j < 40; j++) {
    const seen = new Set<number>();
    for (let i = 0; i < 256; i++) seen.add(Math.round(pts.get(i, j) * 256));
    assert.equal(seen.size, 256, `dim ${j}`);
  }
});

import { test } from 'node:test';
import assert from 'node:assert/strict';
import { mkdtempSync, readFileSync, existsSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { writeReport, skipReasonCounts, escapeHtml, orbitTable } from '../../src/report/report.ts';
import { reportInput, type RunResults } from '../../src/workflow/report-input.ts';
import { hullFigure, parityFigure } from '../../src/report/figures.ts';
import { renderSvg } from '../../src/report/plot.ts';

const results: RunResults = {
  title: 'test report',
  settings: [['cutoffs', '2:6,3:4']],
  dataset: {
    files: ['a.json'],
    total: 5,
    mapped: 3,
    skipped: [
      { file: 'a.json', entry: 1, reason: 'no-lattice-match', message: 'no <match>' },
      { file: 'a.json', entry: 4, reason: 'no-lattice-match', message: 'x' },
    ],
  },
  space: { nOrbits: 3, nFunctions: 4, nFeatures: 5, spaceGroup: 'Fm-3m (225)', orbits: [{ id: 1, size: 1, diameter: 0, multiplicity: 1, functions: 1 }, { id: 2, size: 2, diameter: 2.9, multiplicity: 6, functions: 2 }] },
  fit: { method: 'lasso', params: { alpha: 1e-4 }, trainRmse: 0.01, cvRmse: 0.02, cvStd: 0.005, nNonzero: 3, nFeatures: 5, cvScheme: 'kfold:5' },
  cv: { param: 'alpha', points: [1e-5, 1e-4, 1e-3].map((v, i) => ({ value: v, rmse: [0.03, 0.02, 0.04][i]!, std: 0.01 })), best: 1e-4 },
  parity: { dft: [1, 2, 3], train: [1.1, 2, 2.9], cv: [1.2, 1.9, 3.1] },
  eci: [{ size: 1, diameter: 0, eci: 0.1 }, { size: 2, diameter: 2.9, eci: -0.02 }],
  hull: { points: [{ x: 0, dft: 0, ce: 0 }, { x: 0.5, dft: -0.1, ce: -0.05 }, { x: 0.25, dft: -0.02, ce: -0.06 }, { x: 1, dft: 0, ce: 0 }], names: ['A', 'AB', 'A3B', 'B'], dftHull: [0, 1, 3], ceHull: [0, 2, 3], matched: [0, 3], missing: [1], spurious: [2], xTitle: 'x', note: 'binary' },
  learning: [{ nTrain: 2, train: 0.01, cv: 0.05 }, { nTrain: 3, train: 0.012, cv: 0.03 }],
  timings: [['fit', 1.5]],
  modelFile: 'model.json',
};

test('the report is one self-contained HTML file with every required section and figure files beside it', async () => {
  const dir = mkdtempSync(join(tmpdir(), 'celt-report-'));
  const out = await writeReport(reportInput(results), dir);
  const html = readFileSync(out.html, 'utf8');
  for (const id of ['dataset', 'space', 'cv', 'parity', 'eci', 'hull', 'learning']) assert.match(html, new RegExp(`<section id="${id}">`), id);
  // nothing loaded from elsewhere: every image is a data URI
  assert.doesNotMatch(html, /(src|href)="(https?:|\/\/|figures\/)/);
  assert.equal((html.match(/src="data:image\/svg\+xml;base64,/g) ?? []).length, out.figures.length);
  assert.deepEqual(out.figures.map((f) => f.name).sort(), ['cv-curve', 'dataset', 'eci', 'hull', 'learning-curve', 'parity']);
  for (const f of out.figures) {
    assert.ok(existsSync(f.svg));
    const png = readFileSync(f.png);
    assert.deepEqual([...png.subarray(0, 4)], [0x89, 0x50, 0x4e, 0x47], `${f.name} is a PNG`);
  }
  // user text is escaped, ground-state lists are named
  assert.match(html, /no &lt;match&gt;/);
  assert.match(html, /missing \(on the DFT hull, not on the CE hull\) \(1\):\n {2}AB/);
  assert.match(html, /spurious \(on the CE hull, not on the DFT hull\) \(1\):\n {2}A3B/);
});

test('skip reasons are counted and sorted by frequency', () => {
  assert.deepEqual(skipReasonCounts([
    { file: 'f', entry: 0, reason: 'b', message: '' },
    { file: 'f', entry: 1, reason: 'a', message: '' },
    { file: 'f', entry: 2, reason: 'b', message: '' },
  ]), [{ reason: 'b', count: 2 }, { reason: 'a', count: 1 }]);
  assert.equal(escapeHtml('<a href="x">&</a>'), '&lt;a href=&quot;x&quot;&gt;&amp;&lt;/a&gt;');
  assert.deepEqual(orbitTable([{ id: 1, size: 2, diameter: 3, multiplicity: 6, functions: 1, eciNorm: 0.5, nonzero: 1 }]).rows, [[1, 2, 3, 6, 1, 1, 0.5]]);
});

test('hull figure draws one marker per missing and spurious ground state at the right energies', async () => {
  const spec = hullFigure({ points: results.hull!.points, dftHull: [0, 1, 3], ceHull: [0, 2, 3], missing: [1], spurious: [2], xTitle: 'x' });
  const marks = (spec.layer as Array<{ data: { values: Array<Record<string, unknown>> } }>)[2]!.data.values;
  assert.deepEqual(marks.map((m) => [m.x, m.e]), [[0.5, -0.1], [0.25, -0.06]]);
  const svg = await renderSvg(spec);
  assert.match(svg, /^<svg/);
});

test('parity figure spans a common square domain covering all points', () => {
  const spec = parityFigure({ dft: [0, 1], train: [0.5, 2], cv: [-1, 1] });
  const layer = (spec.layer as Array<{ encoding: { x: { scale: { domain: number[] } } } }>)[1]!;
  const [lo, hi] = layer.encoding.x.scale.domain;
  assert.ok(lo! < -1 && hi! > 2);
});

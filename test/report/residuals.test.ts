/**
 * Report details of issue 19 items 7 and 11: the residual figure's points by hand, paths shown
 * without this machine's folders, the hull caption naming what the figure draws.
 */
import assert from 'node:assert/strict';
import { join } from 'node:path';
import { test } from 'node:test';
import { residualFigure } from '../../src/report/figures.ts';
import { displayPath } from '../../src/workflow/report-input.ts';

test('residual figure: (CE − DFT) per atom in meV, for the fit and the out-of-fold predictions', () => {
  const spec = residualFigure({ dft: [-1, -2], train: [-0.99, -2.02], cv: [-0.95, Number.NaN], atomsPerUnit: [2, 4] });
  const rows = (spec.layer as Array<{ data: { values: Array<{ dft?: number; res?: number; set?: string }> } }>)[1]!.data.values;
  const close = (a: number, b: number) => assert.ok(Math.abs(a - b) < 1e-9, `${a} vs ${b}`);
  assert.equal(rows.length, 3, 'a row never predicted out of fold has no CV point');
  close(rows[0]!.res!, 5); // 0.01 eV over 2 atoms
  close(rows[1]!.res!, 25); // 0.05 eV over 2 atoms
  close(rows[2]!.res!, -5); // −0.02 eV over 4 atoms
});

test('paths in the report: relative below the working directory, else the last two parts only', () => {
  assert.equal(displayPath(join(process.cwd(), 'data', 'x.json')), join('data', 'x.json'));
  assert.equal(displayPath('/somewhere/else/lmo_drx/prim.json'), '…/lmo_drx/prim.json');
});

/**
 * Bad input gets a typed CeltError naming the file/field: NaN/Inf, shape mismatch, empty data,
 * constant columns (policy warn/error/drop), more folds than samples, unknown method/parameter,
 * malformed .npy and grid specs.
 */
import assert from 'node:assert/strict';
import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { test } from 'node:test';
import { InputError, OptionError, ParseError } from '../../src/core/errors.ts';
import { Mat } from '../../src/core/matrix.ts';
import { loadDataset } from '../../src/data/matrix-io.ts';
import { encodeNpy, parseNpy } from '../../src/data/npy.ts';
import { createEstimator } from '../../src/fit/registry.ts';
import { parseGrid } from '../../src/fit/selection/search.ts';
import { makeSplits, parseCv } from '../../src/fit/selection/splits.ts';

const dir = mkdtempSync(join(tmpdir(), 'celt-fit-'));
const file = (name: string, text: string | Uint8Array) => {
  const p = join(dir, name);
  writeFileSync(p, text);
  return p;
};

function throwsAt(fn: () => unknown, cls: abstract new (...args: never[]) => Error, re: RegExp, where?: string) {
  assert.throws(fn, (e: unknown) => {
    assert.ok(e instanceof cls, `expected ${cls.name}, got ${(e as Error).constructor.name}: ${(e as Error).message}`);
    const msg = (e as InputError).describe();
    assert.match(msg, re);
    if (where) assert.ok(msg.includes(where), `'${msg}' should name ${where}`);
    return true;
  });
}

test('NaN / Infinity in JSON, CSV and .npy are rejected with the file named', () => {
  const j = file('nan.json', '{"X": [[1, 2], [3, NaN]], "y": [1, 2]}');
  throwsAt(() => loadDataset(j), InputError, /expected a number|non-finite/, 'nan.json');
  const c = file('inf.csv', 'a,b,y\n1,2,3\n4,inf,6\n');
  throwsAt(() => loadDataset(c), InputError, /non-finite/, 'inf.csv');
  const x = file('x.npy', encodeNpy([2, 2], [1, 2, 3, NaN]));
  const y = file('y.npy', encodeNpy([2], [1, 2]));
  throwsAt(() => loadDataset(`${x},${y}`), InputError, /non-finite.*row 1, column 1/, 'x.npy');
  const y2 = file('y2.npy', encodeNpy([2], [1, Infinity]));
  const x2 = file('x2.npy', encodeNpy([2, 2], [1, 2, 3, 5]));
  throwsAt(() => loadDataset(`${x2},${y2}`), InputError, /target has a non-finite/, 'y2.npy');
});

test('shape mismatches and empty data', () => {
  throwsAt(() => loadDataset(file('ragged.json', '{"X": [[1, 2], [3]], "y": [1, 2]}')), InputError, /row 1 has 1 values, expected 2/, 'ragged.json');
  throwsAt(() => loadDataset(file('len.json', '{"X": [[1, 2], [3, 4]], "y": [1, 2, 3]}')), InputError, /X has 2 rows but there are 3 targets/);
  throwsAt(() => loadDataset(file('empty.json', '{"X": [], "y": []}')), InputError, /empty data/, 'empty.json');
  throwsAt(() => loadDataset(file('empty.csv', '')), InputError, /empty/, 'empty.csv');
  throwsAt(() => loadDataset(file('w.json', '{"X": [[1, 2], [3, 5]], "y": [1, 2], "weights": [1]}')), InputError, /1 weights for 2 samples/);
  throwsAt(() => loadDataset(file('g.json', '{"X": [[1, 2], [3, 5]], "y": [1, 2], "groups": [0]}')), InputError, /1 group ids for 2 columns/);
  throwsAt(() => createEstimator('lasso').fit(new Mat(3, 2), new Float64Array(2)), InputError, /shape mismatch/);
  throwsAt(() => createEstimator('ridge').fit(new Mat(0, 2), new Float64Array(0)), InputError, /empty design matrix/);
  throwsAt(() => parseNpy(new Uint8Array([1, 2, 3, 4, 5, 6, 7, 8, 9, 10, 11]), 'bad.npy'), ParseError, /not a NumPy/, 'bad.npy');
  throwsAt(() => loadDataset(file('nohead.csv', '1,2,3\n4,5,6\n')), InputError, /header row/, 'nohead.csv');
});

test('constant columns: first column becomes the intercept; others warn, error or drop by policy', () => {
  const X = [[1, 0.5, 7, 0.1], [1, 0.2, 7, 0.4], [1, 0.9, 7, 0.3], [1, 0.4, 7, 0.8]];
  const p = file('const.json', JSON.stringify({ featureNames: ['empty', 'a', 'k', 'b'], X, energy: [1, 2, 3, 4] }));
  const ds = loadDataset(p);
  assert.deepEqual(ds.constantColumn, { name: 'empty', value: 1 });
  assert.deepEqual(ds.featureNames, ['a', 'k', 'b']);
  assert.match(ds.warnings.join(), /'k'/);
  throwsAt(() => loadDataset(p, { onConstant: 'error' }), InputError, /constant feature column\(s\) 'k'/, 'const.json');
  const dropped = loadDataset(p, { onConstant: 'drop' });
  assert.deepEqual(dropped.featureNames, ['a', 'b']);
  assert.deepEqual(dropped.droppedColumns, ['k']);
  // A kept constant column fits to a zero coefficient next to an intercept.
  const est = createEstimator('ridge', { alpha: 1e-3 }).fit(ds.X, ds.y);
  assert.ok(Math.abs(est.coef[1]!) < 1e-12);
});

test('more folds than samples, bad CV specs', () => {
  throwsAt(() => makeSplits(4, parseCv('kfold:5')), OptionError, /5-fold cross-validation needs at least 5 samples, the data have 4/);
  throwsAt(() => parseCv('kfold:1'), OptionError, /bad --cv/);
  throwsAt(() => parseCv('bootstrap'), OptionError, /bad --cv/);
  throwsAt(() => makeSplits(1, parseCv('loo')), OptionError, /at least 2 samples/);
  throwsAt(() => makeSplits(3, parseCv('shuffle:10:0.9')), OptionError, /leaves/);
});

test('unknown method / parameter / bad values', () => {
  throwsAt(() => createEstimator('lasso2'), OptionError, /unknown method 'lasso2'.*lasso/);
  throwsAt(() => createEstimator('lasso', { alpah: 1 }), OptionError, /unknown parameter 'alpah'/);
  throwsAt(() => createEstimator('lasso', { alpha: -1 }), OptionError, /alpha.*≥ 0/);
  throwsAt(() => createEstimator('elastic-net', { l1_ratio: 2 }), OptionError, /≤ 1/);
  throwsAt(() => createEstimator('lasso', { alpha: 'abc' }), OptionError, /expected a number/);
  throwsAt(() => parseGrid('alpha=0:1:5:log'), OptionError, /positive/);
  throwsAt(() => parseGrid('alpha'), OptionError, /bad --grid/);
});

/**
 * `--cv kfold:K:ordered` with grouped rows (the duplicate grouping `celt run` applies by default)
 * keeps the row order: contiguous runs of groups, no group across folds (issue 19 item 5 of the
 * brief: the `ordered` flag was dropped when groups were present).
 */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { makeSplits, parseCv } from '../../src/fit/selection/splits.ts';

test('kfold:2:ordered over groups a a b c c d e: folds are groups {a,b,c} and {d,e}, by hand', () => {
  const groups = ['a', 'a', 'b', 'c', 'c', 'd', 'e'];
  const splits = makeSplits(7, parseCv('kfold:2:ordered'), 123, groups);
  // 5 groups into 2 folds: the first gets ⌈5/2⌉ = 3 groups (rows 0–4), the second 2 (rows 5–6)
  assert.deepEqual(splits.map((s) => Array.from(s.test)), [[0, 1, 2, 3, 4], [5, 6]]);
  assert.deepEqual(splits.map((s) => Array.from(s.train)), [[5, 6], [0, 1, 2, 3, 4]]);
  // the seed cannot matter: the order is the data's
  assert.deepEqual(makeSplits(7, parseCv('kfold:2:ordered'), 9, groups), splits);
});

test('kfold:3:ordered with singleton groups equals the ungrouped ordered folds; interleaved groups stay whole', () => {
  const n = 10;
  const singletons = Array.from({ length: n }, (_, i) => i);
  const grouped = makeSplits(n, parseCv('kfold:3:ordered'), 0, singletons);
  const plain = makeSplits(n, parseCv('kfold:3:ordered'), 0);
  assert.deepEqual(grouped.map((s) => Array.from(s.test)), plain.map((s) => Array.from(s.test)));
  assert.deepEqual(plain.map((s) => Array.from(s.test)), [[0, 1, 2, 3], [4, 5, 6], [7, 8, 9]]);
  // groups interleaved in row order (x y x y …) stay whole: rows of one id share a fold
  const ids = Array.from({ length: 12 }, (_, i) => ['x', 'y', 'z', 'w'][i % 4]!);
  for (const s of makeSplits(12, parseCv('kfold:2:ordered'), 0, ids)) {
    const inTest = new Set(Array.from(s.test, (i) => ids[i]));
    for (const i of s.train) assert.ok(!inTest.has(ids[i]!), `group ${ids[i]} on both sides`);
  }
  assert.throws(() => makeSplits(4, parseCv('kfold:3:ordered'), 0, ['a', 'a', 'b', 'b']), /needs at least 3 groups of identical rows, the data have 2/);
});

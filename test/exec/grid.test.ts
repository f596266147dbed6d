/**
 * The task-grid contracts, on a toy task kind: ids are the documented hashes (recomputed here
 * from hand-written canonical JSON with node:crypto), results round-trip bit for bit, a rerun
 * skips finished tasks, a failed task leaves its one-line message, a directory holding another
 * grid is refused with every byte left as it was, and a process killed in the middle of a task
 * leaves no complete-looking file for it.
 */
import assert from 'node:assert/strict';
import { spawn } from 'node:child_process';
import { createHash } from 'node:crypto';
import { existsSync, mkdirSync, mkdtempSync, readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { test } from 'node:test';
import { fileURLToPath } from 'node:url';
import { canonicalJson, decode, encode } from '../../src/exec/codec.ts';
import { LocalExecutor } from '../../src/exec/executor.ts';
import { GridError, gridIdentity, gridStatus, prepareGrid, readResult, runTasksInProcess, type TaskKind, taskId, writeAtomic } from '../../src/exec/grid.ts';
import { calls, toyKind, toySpec } from './toy-kind.ts';

const tmp = () => mkdtempSync(join(tmpdir(), 'celt-grid-'));
const sha = (s: string) => createHash('sha256').update(s).digest('hex');
const kind = toyKind as TaskKind;

/** Every file under dir with its bytes, for "nothing was overwritten". */
function snapshot(dir: string): Record<string, string> {
  const out: Record<string, string> = {};
  const walk = (d: string) => {
    for (const e of readdirSync(d, { withFileTypes: true })) {
      const p = join(d, e.name);
      if (e.isDirectory()) walk(p);
      else out[p] = readFileSync(p, 'base64');
    }
  };
  walk(dir);
  return out;
}

test('identity and task ids are sha256 of the canonical JSON, independent of key order and directory', () => {
  // hand-written canonical text: keys sorted at every depth, format first by name order
  const expectIdentity = sha('{"format":"celt-grid/1","inputs":[{"x":1},{"x":2}],"kind":"toy","shared":{"scale":3}}');
  assert.equal(gridIdentity('toy', { scale: 3 }, [{ x: 1 }, { x: 2 }]), expectIdentity);
  assert.equal(taskId(expectIdentity, { x: 2 }), sha(`${expectIdentity}\n{"x":2}`).slice(0, 24));
  assert.equal(canonicalJson({ b: 1, a: { d: 2, c: [3, { f: 4, e: 5 }] } }), '{"a":{"c":[3,{"e":5,"f":4}],"d":2},"b":1}');
  const a = prepareGrid(tmp(), toySpec([1, 2], 3), 1), b = prepareGrid(tmp(), toySpec([1, 2], 3), 7);
  assert.equal(a.identity, expectIdentity);
  assert.deepEqual(a.tasks, b.tasks, 'same work, same ids, whatever the directory or chunk size');
  assert.notEqual(prepareGrid(tmp(), toySpec([1, 2], 4), 1).identity, a.identity, 'other shared payload, other grid');
});

test('codec: typed arrays, NaN, ±Infinity and −0 come back exactly', () => {
  const v = { f: Float64Array.of(0.1, -0, Number.NaN, Number.POSITIVE_INFINITY, 5e-324), i: Int32Array.of(-2, 2 ** 31 - 1), u: Uint8Array.of(0, 255), n: [Number.NaN, -0, Number.NEGATIVE_INFINITY, 1 / 3], s: 'x', z: null };
  const back = decode(JSON.parse(JSON.stringify(encode(v)))) as typeof v;
  assert.ok(back.f instanceof Float64Array && back.i instanceof Int32Array && back.u instanceof Uint8Array);
  assert.deepEqual(Buffer.from(back.f.buffer), Buffer.from(v.f.buffer));
  assert.deepEqual([...back.i], [-2, 2 ** 31 - 1]);
  assert.ok(Number.isNaN(back.n[0]) && Object.is(back.n[1], -0) && back.n[2] === Number.NEGATIVE_INFINITY && back.n[3] === 1 / 3);
  assert.equal(back.s, 'x');
  assert.equal(back.z, null);
});

test('a rerun skips finished tasks; a deleted result is redone; results read back exactly', async () => {
  const dir = tmp();
  const m = prepareGrid(dir, toySpec([0, 1, 2, 3]), 2);
  calls.length = 0;
  assert.deepEqual(await new LocalExecutor(1).execute(dir, m, kind), { kind: 'finished', failed: 0 });
  assert.deepEqual(calls, [0, 1, 2, 3]);
  const again = prepareGrid(dir, toySpec([0, 1, 2, 3]), 2);
  assert.deepEqual(again, m, 'the same grid is found, not rebuilt');
  calls.length = 0;
  await new LocalExecutor(1).execute(dir, m, kind);
  assert.deepEqual(calls, [], 'nothing reruns');
  rmSync(join(dir, 'tasks', `${m.tasks[2]!.id}.json`));
  await new LocalExecutor(1).execute(dir, m, kind);
  assert.deepEqual(calls, [2], 'only the missing task reruns');
  const r = readResult(dir, m, 3).result as { square: number; half: Float64Array };
  assert.equal(r.square, 9);
  assert.ok(Object.is(r.half[1], -0) && Number.isNaN(r.half[2]) && r.half[0] === 1.5);
});

test('a failed task leaves DIR/tasks/<id>.err with its one-line message; the others finish', () => {
  const dir = tmp();
  const m = prepareGrid(dir, toySpec([5, -1, 6]), 3);
  const failed = runTasksInProcess(dir, m, kind, [0, 1, 2], { log: '/logs/7_0.out' });
  assert.equal(failed, 1);
  const st = gridStatus(dir, m);
  assert.deepEqual(st.map((s) => s.state), ['done', 'failed', 'done']);
  assert.equal(st[1]!.error, 'Error: x = -1 is not allowed');
  assert.equal(st[1]!.log, '/logs/7_0.out');
  assert.equal(readFileSync(join(dir, 'tasks', `${m.tasks[1]!.id}.err`), 'utf8'), 'Error: x = -1 is not allowed\nlog: /logs/7_0.out\n');
});

test('a directory holding another grid is refused and left byte for byte as it was', async () => {
  const dir = tmp();
  const m = prepareGrid(dir, toySpec([1, 2]), 1);
  await new LocalExecutor(1).execute(dir, m, kind);
  const before = snapshot(dir);
  assert.throws(() => prepareGrid(dir, toySpec([1, 2, 3]), 1), (e: unknown) => e instanceof GridError && /holds another grid/.test(e.message) && !e.message.includes('\n'));
  assert.throws(() => prepareGrid(dir, { ...toySpec([1, 2]), kind: 'other' }, 1), GridError);
  assert.deepEqual(snapshot(dir), before);
  // a non-empty directory without grid.json is not taken over either
  const other = tmp();
  writeFileSync(join(other, 'notes.txt'), 'mine');
  assert.throws(() => prepareGrid(other, toySpec([1]), 1), /not empty and holds no grid.json/);
  assert.deepEqual(readdirSync(other), ['notes.txt']);
  // two tasks with the same input are one task listed twice: refused
  assert.throws(() => prepareGrid(tmp(), toySpec([1, 1]), 1), /same input/);
});

test('writeAtomic leaves only the final name; a stray temporary file never counts as a result', () => {
  const dir = tmp();
  const m = prepareGrid(dir, toySpec([1]), 1);
  const p = join(dir, 'tasks', `${m.tasks[0]!.id}.json`);
  writeFileSync(`${p}.tmp-123-abc`, '{"id":'); // what a crash between write and rename leaves
  assert.equal(gridStatus(dir, m)[0]!.state, 'missing');
  writeAtomic(join(dir, 'x.json'), '{"a":1}');
  assert.deepEqual(readdirSync(dir).filter((f) => f.startsWith('x.json')), ['x.json']);
});

test('a process killed in the middle of a task leaves no result file for it; a rerun finishes the grid', async () => {
  const dir = tmp();
  mkdirSync(dir, { recursive: true });
  const script = fileURLToPath(new URL('./toy-kind.ts', import.meta.url));
  const child = spawn(process.execPath, ['--import', 'tsx', script, dir], { env: { ...process.env, BLOCK_AT: '2' }, stdio: 'ignore' });
  const t0 = Date.now();
  while (!existsSync(join(dir, 'started'))) {
    assert.ok(Date.now() - t0 < 20_000, 'child never reached task 2');
    await new Promise((r) => setTimeout(r, 50));
  }
  child.kill('SIGKILL');
  await new Promise((r) => child.on('exit', r));
  rmSync(join(dir, 'started'));
  const m = prepareGrid(dir, toySpec([0, 1, 2, 3, 4], 1, dir), 5);
  assert.deepEqual(gridStatus(dir, m).map((s) => s.state), ['done', 'done', 'missing', 'missing', 'missing']);
  assert.equal(readdirSync(join(dir, 'tasks')).filter((f) => f.endsWith('.json')).length, 2);
  calls.length = 0;
  runTasksInProcess(dir, m, kind, [0, 1, 2, 3, 4]);
  assert.deepEqual(calls, [2, 3, 4]);
  assert.ok(gridStatus(dir, m).every((s) => s.state === 'done'));
});

test('phases: a later-phase task reads earlier results; without them it fails with a message naming the missing task', async () => {
  // phase 1 task sums the squares of phase 0 (x = 1, 2, 3): 14
  const sum: TaskKind<unknown, { x?: number; sum?: number[] }, number> = {
    name: 'sum',
    open: (_shared, earlier) => (t) => (t.sum ? t.sum.reduce((a, k) => a + (earlier(k) as number), 0) : t.x! * t.x!),
  };
  const spec = { kind: 'sum', shared: {}, inputs: [{ x: 1 }, { x: 2 }, { x: 3 }, { sum: [0, 1, 2] }], labels: ['a', 'b', 'c', 'sum'], phases: [0, 0, 0, 1], command: ['t'], finish: {} };
  const dir = tmp();
  const m = prepareGrid(dir, spec, 2);
  assert.deepEqual(m.chunks, [[0, 2], [2, 3], [3, 4]], 'a chunk never spans two phases');
  // phase 1 first (as an array index might run before its dependency): refused, nothing written but the .err
  assert.equal(runTasksInProcess(dir, m, sum as TaskKind, [3]), 1);
  assert.match(gridStatus(dir, m)[3]!.error!, /needs the result of task 0 \(a, phase 0\), which is not done/);
  await new LocalExecutor(1).execute(dir, m, sum as TaskKind);
  assert.equal(readResult(dir, m, 3).result, 14);
  assert.throws(() => prepareGrid(tmp(), { ...spec, phases: [0, 1, 0, 1] }, 1), /must not decrease/);
});

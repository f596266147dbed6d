/**
 * A toy task kind for the grid tests: task input {x}, result {square: x², half: x/2 as a
 * Float64Array}; input x = -1 throws; with BLOCK_AT=x in the environment the task of that x
 * writes DIR/started and then spins forever (the crash test kills it there).
 * Run as a script: `tsx toy-kind.ts DIR` prepares the toy grid of x = 0..4 in DIR and runs it.
 */
import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { type GridSpec, prepareGrid, runTasksInProcess, type TaskKind } from '../../src/exec/grid.ts';

export const calls: number[] = [];

export const toyKind: TaskKind<{ scale: number; dir?: string }, { x: number }, { square: number; half: Float64Array }> = {
  name: 'toy',
  open(shared) {
    return ({ x }) => {
      calls.push(x);
      if (x === -1) throw new Error('x = -1 is not allowed\nsecond line of detail');
      if (process.env.BLOCK_AT !== undefined && Number(process.env.BLOCK_AT) === x) {
        writeFileSync(join(shared.dir!, 'started'), String(x));
        for (;;);
      }
      return { square: shared.scale * x * x, half: Float64Array.of(x / 2, -0, Number.NaN) };
    };
  },
};

export function toySpec(xs: number[], scale = 1, dir?: string): GridSpec<{ scale: number; dir?: string }, { x: number }> {
  return { kind: 'toy', shared: { scale, ...(dir ? { dir } : {}) }, inputs: xs.map((x) => ({ x })), labels: xs.map((x) => `x=${x}`), command: ['toy'], finish: {} };
}

if (process.argv[1] && import.meta.url.endsWith(process.argv[1].split('/').pop()!)) {
  const dir = process.argv[2]!;
  const m = prepareGrid(dir, toySpec([0, 1, 2, 3, 4], 1, dir), 5);
  runTasksInProcess(dir, m, toyKind as TaskKind, [0, 1, 2, 3, 4]);
}

/**
 * Worker-thread side of the parallel branch-and-bound (node-pool.ts): builds the same node
 * relaxer as the caller from the problem it was started with, then loops — wait for a task,
 * claim it, solve the node in the shared input buffer, write the result, publish the
 * sequence number as done. Blocking Atomics.wait is fine here: this thread does nothing else.
 */
import { workerData } from 'node:worker_threads';
import type { L0Problem } from './problem.ts';
import { pickRelaxer, type RelaxerOptions } from './node.ts';
import { DONE, ERR, NodeChannel, READY, SEQ, STOP } from './node-pool.ts';
import { RelaxationSolver } from './relaxation.ts';

const { prob, opts, buffers } = workerData as { prob: L0Problem; opts: RelaxerOptions & { hierarchyBound?: boolean }; buffers: NodeChannel['buffers'] };
const ch = new NodeChannel(prob.units.length, prob.p, buffers);
const solver = new RelaxationSolver(prob);
solver.hierarchyDual = opts.hierarchyBound ?? true;
const relaxer = pickRelaxer(prob, solver, opts);
Atomics.store(ch.ctrl, READY, 1);

// The caller posts seq > 0; the worker claims it by swapping in −seq (node-pool.ts). When the
// caller got there first (state 0) the task is skipped and the worker waits for the next one.
let seen = 0;
for (;;) {
  Atomics.wait(ch.ctrl, SEQ, seen);
  const st = Atomics.load(ch.ctrl, SEQ);
  if (st === STOP) break;
  seen = st;
  if (st <= 0 || Atomics.compareExchange(ch.ctrl, SEQ, st, -st) !== st) continue;
  seen = -st;
  try {
    const { task, deadline } = ch.readTask();
    ch.writeSolve(relaxer.solve(task, deadline));
  } catch {
    Atomics.store(ch.ctrl, ERR, 1);
  }
  Atomics.store(ch.ctrl, DONE, st);
  Atomics.notify(ch.ctrl, DONE);
}

/**
 * Worker-thread side of the parallel branch-and-bound (node-pool.ts): builds the same node
 * relaxer as the caller from the problem it was started with, then loops — wait for a task
 * sequence number, solve the node in the shared input buffer, write the result, publish the
 * sequence number as done. Blocking Atomics.wait is fine here: this thread does nothing else.
 */
import { workerData } from 'node:worker_threads';
import type { L0Problem } from './problem.ts';
import { pickRelaxer, type RelaxerOptions } from './node.ts';
import { NodeChannel, STOP } from './node-pool.ts';
import { RelaxationSolver } from './relaxation.ts';

const { prob, opts, buffers } = workerData as { prob: L0Problem; opts: RelaxerOptions & { hierarchyBound?: boolean }; buffers: NodeChannel['buffers'] };
const ch = new NodeChannel(prob.units.length, prob.p, buffers);
const solver = new RelaxationSolver(prob);
solver.hierarchyDual = opts.hierarchyBound ?? true;
const relaxer = pickRelaxer(prob, solver, opts);
Atomics.store(ch.ctrl, 2, 1);

let last = 0;
for (;;) {
  Atomics.wait(ch.ctrl, 0, last);
  const seq = Atomics.load(ch.ctrl, 0);
  if (seq === STOP) break;
  if (seq === last) continue;
  last = seq;
  try {
    const { task, deadline } = ch.readTask();
    ch.writeSolve(relaxer.solve(task, deadline));
  } catch {
    Atomics.store(ch.ctrl, 3, 1);
  }
  Atomics.store(ch.ctrl, 1, seq);
  Atomics.notify(ch.ctrl, 1);
}

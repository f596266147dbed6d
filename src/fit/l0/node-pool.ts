/**
 * Node solves for the branch-and-bound on the calling thread plus, with threads = 2, one
 * worker thread (bnb-worker.ts).
 *
 * The search is synchronous (solveL0 returns a result, not a promise), so the two threads
 * talk through SharedArrayBuffers and Atomics.wait/notify instead of messages: the caller
 * writes the second node of a batch into the input buffer, bumps a sequence number, solves
 * the first node itself, then waits for the worker's sequence number. A node solve is a pure
 * function of (node, cutoff, tolerance) — see node.ts — so which thread solved a node never
 * changes the result: under a node limit 1 and 2 threads give identical searches. Until the
 * worker has booted (≈1 s for tsx in a worker) or if it fails, the caller solves every node.
 */
import type { Worker } from 'node:worker_threads';
import { startWorker } from '../../core/worker.ts';
import type { L0Problem } from './problem.ts';
import { pickRelaxer, type NodeRelaxer, type NodeSolve, type NodeTask, type RelaxerOptions } from './node.ts';
import { RelaxationSolver } from './relaxation.ts';

/**
 * Control words: [0] task state — seq > 0: task `seq` posted and unclaimed, −seq: claimed by
 * the worker, 0: claimed by the caller (or none), STOP: exit; [1] done sequence (worker),
 * [2] ready, [3] error. Claims are compare-and-swap on the state, so exactly one thread solves
 * a task, and a stale claim (for an older seq) can never succeed.
 */
export const SEQ = 0, DONE = 1, READY = 2, ERR = 3;
/** State value that tells the worker to exit. */
export const STOP = 0x7fffffff;

/** Fixed layout of the shared input/output buffers for a problem with m units and p features. */
export class NodeChannel {
  readonly ctrl: Int32Array;
  readonly input: Float64Array;
  readonly output: Float64Array;

  constructor(readonly m: number, readonly p: number, buffers?: { ctrl: SharedArrayBuffer; input: SharedArrayBuffer; output: SharedArrayBuffer }) {
    const b = buffers ?? {
      ctrl: new SharedArrayBuffer(16),
      input: new SharedArrayBuffer(8 * (8 + m + p)),
      output: new SharedArrayBuffer(8 * (7 + 3 * m + 3 * p)),
    };
    this.ctrl = new Int32Array(b.ctrl);
    this.input = new Float64Array(b.input);
    this.output = new Float64Array(b.output);
  }

  get buffers(): { ctrl: SharedArrayBuffer; input: SharedArrayBuffer; output: SharedArrayBuffer } {
    return { ctrl: this.ctrl.buffer as SharedArrayBuffer, input: this.input.buffer as SharedArrayBuffer, output: this.output.buffer as SharedArrayBuffer };
  }

  /** Deadlines cross threads as epoch milliseconds (performance.now() has a per-thread origin). */
  writeTask(t: NodeTask, deadline: number): void {
    const a = this.input, n = t.node, m = this.m;
    a[0] = t.isRoot ? 1 : 0; a[1] = t.cutoff; a[2] = t.tol; a[3] = performance.timeOrigin + deadline;
    a[4] = n.bound; a[5] = n.delta; a[6] = n.deltaOff; a[7] = n.warm ? n.warm.length : -1;
    for (let u = 0; u < m; u++) a[8 + u] = n.state[u]!;
    if (n.warm) a.set(n.warm, 8 + m);
  }

  readTask(): { task: NodeTask; deadline: number } {
    const a = this.input, m = this.m;
    const wl = a[7]!;
    const node = {
      state: Int8Array.from(a.subarray(8, 8 + m)), bound: a[4]!, delta: a[5]!, deltaOff: a[6]!, depth: 0, id: 0,
      warm: wl >= 0 ? Float64Array.from(a.subarray(8 + m, 8 + m + wl)) : null,
    };
    return { task: { node, isRoot: a[0] === 1, cutoff: a[1]!, tol: a[2]! }, deadline: a[3]! - performance.timeOrigin };
  }

  writeSolve(s: NodeSolve): void {
    const o = this.output, m = this.m, p = this.p;
    o[0] = s.bound; o[1] = s.delta; o[2] = s.deltaOff; o[3] = s.rc ? 1 : 0; o[4] = s.rc ? s.rc.Dsep : 0; o[5] = s.warm.length; o[6] = s.rc ? s.rc.theta : 1;
    let k = 7;
    o.set(s.z, k); k += m;
    o.set(s.J, k); k += p;
    o.set(s.g, k); k += p;
    o.set(s.warm, k); k += p;
    if (s.rc) o.set(s.rc.w, k);
  }

  readSolve(): NodeSolve {
    const o = this.output, m = this.m, p = this.p;
    let k = 7;
    const take = (len: number, step = len) => { const v = Float64Array.from(o.subarray(k, k + len)); k += step; return v; };
    const z = take(m), J = take(p), g = take(p), warm = take(o[5]!, p);
    const rc = o[3] === 1 ? { Dsep: o[4]!, w: take(m), theta: o[6]! } : null;
    return { bound: o[0]!, z, J, g, warm, rc, delta: o[1]!, deltaOff: o[2]! };
  }
}

export class NodePool {
  private readonly local: NodeRelaxer;
  private worker: Worker | null = null;
  private channel: NodeChannel | null = null;
  private seq = 0;
  /** Node solves done by the worker (reported, to show the threads were used). */
  workerSolves = 0;
  private readonly steal: boolean;
  /** Tasks posted to the worker but taken back by the caller before the worker started them. */
  stolen = 0;

  constructor(prob: L0Problem, opts: RelaxerOptions & { hierarchyBound?: boolean; waitForWorker?: boolean; workStealing?: boolean }, threads: number) {
    this.steal = opts.workStealing ?? true;
    const solver = new RelaxationSolver(prob);
    solver.hierarchyDual = opts.hierarchyBound ?? true;
    this.local = pickRelaxer(prob, solver, opts);
    // Best subset carries a cardinality multiplier from node to node inside the solver, so
    // its node solves are not pure functions of the node: it stays on one thread.
    if (threads >= 2 && !Number.isFinite(prob.k) && typeof SharedArrayBuffer !== 'undefined') {
      this.channel = new NodeChannel(prob.units.length, prob.p);
      this.worker = startWorker(import.meta.url, 'bnb-worker', { prob, opts, buffers: this.channel.buffers });
      this.worker.unref();
      this.worker.on('error', () => { this.worker = null; });
      if (opts.waitForWorker) this.waitReady(60_000);
    }
  }

  get kind(): 'cd' | 'z' { return this.local.kind; }
  get rootShift(): number { return this.local.rootShift; }

  /** Block until the worker has booted (or the limit passed, then the caller works alone). */
  private waitReady(ms: number): void {
    const ctrl = this.channel!.ctrl, t0 = performance.now();
    while (Atomics.load(ctrl, READY) !== 1 && Atomics.load(ctrl, ERR) === 0 && performance.now() - t0 < ms) Atomics.wait(ctrl, READY, 0, 50);
  }

  private workerReady(): boolean {
    return this.worker !== null && Atomics.load(this.channel!.ctrl, READY) === 1 && Atomics.load(this.channel!.ctrl, ERR) === 0;
  }

  /** Solve a batch of nodes; results in task order. The second task goes to the worker when it is up. */
  solveBatch(tasks: NodeTask[], deadline: number): NodeSolve[] {
    if (tasks.length < 2 || !this.workerReady()) return tasks.map((t) => this.local.solve(t, deadline));
    const ch = this.channel!;
    ch.writeTask(tasks[1]!, deadline);
    const seq = ++this.seq;
    Atomics.store(ch.ctrl, SEQ, seq);
    Atomics.notify(ch.ctrl, SEQ);
    const first = this.local.solve(tasks[0]!, deadline);
    // Work stealing: if the worker has not picked the task up yet (on a loaded machine it is
    // often descheduled), the caller takes it back — same result, no waiting.
    if (this.steal && Atomics.compareExchange(ch.ctrl, SEQ, seq, 0) === seq) {
      this.stolen++;
      return [first, this.local.solve(tasks[1]!, deadline)];
    }
    while (Atomics.load(ch.ctrl, DONE) !== seq) {
      if (Atomics.load(ch.ctrl, ERR) !== 0) break;
      Atomics.wait(ch.ctrl, DONE, seq - 1, 1000);
    }
    if (Atomics.load(ch.ctrl, ERR) !== 0) {
      // The worker failed on this node: solve it here (same result, only slower) and stop using it.
      this.close();
      return [first, this.local.solve(tasks[1]!, deadline)];
    }
    this.workerSolves++;
    return [first, ch.readSolve()];
  }

  close(): void {
    if (!this.worker) return;
    Atomics.store(this.channel!.ctrl, SEQ, STOP);
    Atomics.notify(this.channel!.ctrl, SEQ);
    void this.worker.terminate();
    this.worker = null;
  }
}

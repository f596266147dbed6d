/**
 * Branch-and-bound for the ℓ0 problem family (see problem.ts).
 *
 * - Best-bound search over a binary heap of open nodes; a node is a fixing OFF/ON/FREE of
 *   every unit. Ties break on depth (deeper first) then creation order: deterministic.
 * - Rounds of 2 nodes solved against the incumbent at the round's start, on 1 or 2 threads
 *   (node-pool.ts): the round size, not the thread count, fixes the search, so under a node
 *   limit 1 and 2 threads return the same result.
 * - Branching: pseudocosts with reliability probes (pseudocost.ts) for the z-form relaxation,
 *   hierarchy-weighted most-fractional for the J form (see BnbOptions.branching).
 * - Every node bound is a Fenchel-dual certificate of its perspective relaxation
 *   (relaxation.ts), so bounds stay valid however early a node solve stops.
 * - Hierarchy-aware propagation: fixing a unit off fixes all its descendants off; fixing it
 *   on fixes all its ancestors on; with Σz ≤ k, units whose closure no longer fits are off.
 * - Incumbents: rounding of every node relaxation (closed under the hierarchy), then
 *   best-improvement local search (add with ancestors / drop with descendants / swaps) on
 *   every new incumbent, under the same deadline.
 * - The time limit is checked between nodes, inside node solves and inside local search;
 *   on expiry the best solution, the proven global lower bound and the gap are returned.
 */
import type { L0Problem } from './problem.ts';
import type { Node, NodeSolve, NodeTask } from './node.ts';
import { NodePool } from './node-pool.ts';
import { Pseudocosts } from './pseudocost.ts';
import { FREE, OFF, ON } from './relaxation.ts';
import { evaluateSubset } from './subset.ts';

export interface BnbOptions {
  /** Seconds. */
  timeLimit?: number;
  /** Relative optimality gap at which the search stops (default 1e-4). */
  gapTol?: number;
  maxNodes?: number;
  /** Sweep cap per node relaxation. */
  maxSweeps?: number;
  /** Hierarchy rows in the node dual (max-weight closure); default true. For A/B runs. */
  hierarchyBound?: boolean;
  /**
   * Node relaxation: 'cd' (J form: coordinate descent + Newton, curvature shift), 'z'
   * (indicator form, zrelax.ts; ℓ0ℓ2 without μ1/M/k only), 'auto' (default: 'z' when n < p).
   */
  relaxation?: 'auto' | 'cd' | 'z';
  /** Reduced-cost fixing and child bounds (default true). For A/B runs. */
  reducedCostFixing?: boolean;
  /**
   * z form: hierarchy rows in the root relaxation (Lagrangian multipliers from the closure
   * flows; default true). Root only: in the tree the multiplier updates cost 7–11× the time
   * per node for no better bound at 100 nodes (measured on lmo_drx).
   */
  hierarchyRelaxation?: boolean;
  /** Projected-gradient iteration cap per node of the z form (root: 10×). */
  maxZIter?: number;
  /**
   * Threads for node solves (1 or 2: the calling thread plus one worker, node-pool.ts).
   * Under a node limit the result does not depend on it; under a time limit it may.
   */
  threads?: number;
  /** With threads = 2: block until the worker is up before the search (else it joins when ready). */
  waitForWorker?: boolean;
  /** The caller takes back a posted node the worker has not started (default true; for tests). */
  workStealing?: boolean;
  /** Called with every node solve, in search order (e.g. to collect cuts). */
  onNode?: (state: Int8Array, rel: NodeSolve) => void;
  /**
   * Branching rule: 'pseudocost', 'fractional' (hierarchy-weighted), or 'auto' (default):
   * pseudocosts with the z-form relaxation, fractional with the J form. Measured at a node
   * limit: lmo_drx (z form) μ0 = 1.9e-2, 1000 nodes, bound 0.6583 → 0.6738 in half the CPU
   * time; agpd_fcc (J form), 3000 nodes, equal bounds (0.00500) or +0.0002 but 1.4–2× CPU per node.
   */
  branching?: 'auto' | 'pseudocost' | 'fractional';
  /** Reliability branching: unreliable candidates probed per node (default 4; 0 = pure pseudocosts). */
  probes?: number;
}

export interface BnbResult {
  J: Float64Array;
  objective: number;
  lowerBound: number;
  gap: number;
  nodes: number;
  status: 'optimal' | 'time_limit' | 'node_limit';
  /** Seconds until optimality was proven (null if it was not). */
  timeToOptimal: number | null;
  /** Seconds until the final incumbent was found. */
  timeToBest: number;
  elapsed: number;
  /** Curvature shift at the root (deeper nodes certify larger ones). */
  shift: number;
  /** Selected units. */
  units: number[];
  /** Which node relaxation was used. */
  relaxation: 'cd' | 'z';
  /** Node solves done by the worker thread (0 single-threaded; probes included). */
  workerNodes: number;
  /** Child relaxations solved by reliability branching (not in `nodes`). */
  probes: number;
}

class NodeHeap {
  private readonly a: Node[] = [];
  get size(): number { return this.a.length; }
  private less(x: Node, y: Node): boolean {
    if (x.bound !== y.bound) return x.bound < y.bound;
    if (x.depth !== y.depth) return x.depth > y.depth;
    return x.id < y.id;
  }
  push(n: Node): void {
    const a = this.a;
    a.push(n);
    let i = a.length - 1;
    while (i > 0) {
      const p = (i - 1) >> 1;
      if (!this.less(a[i]!, a[p]!)) break;
      [a[i], a[p]] = [a[p]!, a[i]!];
      i = p;
    }
  }
  pop(): Node | undefined {
    const a = this.a;
    if (!a.length) return undefined;
    const top = a[0]!;
    const last = a.pop()!;
    if (a.length) {
      a[0] = last;
      let i = 0;
      for (;;) {
        const l = 2 * i + 1, r = l + 1;
        let m = i;
        if (l < a.length && this.less(a[l]!, a[m]!)) m = l;
        if (r < a.length && this.less(a[r]!, a[m]!)) m = r;
        if (m === i) break;
        [a[i], a[m]] = [a[m]!, a[i]!];
        i = m;
      }
    }
    return top;
  }
  peekBound(): number { return this.a.length ? this.a[0]!.bound : Infinity; }
}

/** Apply a fixing with hierarchy and cardinality propagation; false if the node is empty. */
export function propagate(prob: L0Problem, state: Int8Array, u: number, value: number): boolean {
  if (value === ON) {
    if (state[u] === OFF) return false;
    state[u] = ON;
    for (const a of prob.ancestors[u]!) {
      if (state[a] === OFF) return false;
      state[a] = ON;
    }
  } else {
    if (state[u] === ON) return false;
    state[u] = OFF;
    for (const d of prob.descendants[u]!) {
      if (state[d] === ON) return false;
      state[d] = OFF;
    }
  }
  return cardinality(prob, state);
}

function cardinality(prob: L0Problem, state: Int8Array): boolean {
  if (!Number.isFinite(prob.k)) return true;
  const m = prob.units.length;
  let nOn = 0;
  for (let u = 0; u < m; u++) if (state[u] === ON) nOn++;
  if (nOn > prob.k) return false;
  for (let u = 0; u < m; u++) {
    if (state[u] !== FREE) continue;
    let need = 1;
    for (const a of prob.ancestors[u]!) if (state[a] !== ON) need++;
    if (nOn + need > prob.k) {
      state[u] = OFF;
      for (const d of prob.descendants[u]!) if (state[d] === FREE) state[d] = OFF;
    }
  }
  return true;
}

/** The incumbent: exact evaluation of supports (cached), best value and when it was found. */
class Incumbent {
  UB = Infinity;
  J: Float64Array;
  units: number[] = [];
  timeToBest = 0;
  private readonly cache = new Map<string, number>();
  private lastSearched = '';

  constructor(private readonly prob: L0Problem, private readonly t0: number) {
    this.J = new Float64Array(prob.p);
  }

  /** Objective of a support (units), updating the incumbent when it improves. */
  readonly tryUnits = (units: number[]): number => {
    const sorted = [...units].sort((a, b) => a - b);
    const key = sorted.join(',');
    const hit = this.cache.get(key);
    if (hit !== undefined) return hit;
    const r = evaluateSubset(this.prob, sorted);
    if (this.cache.size < 200000) this.cache.set(key, r.value);
    if (r.value < this.UB) {
      this.UB = r.value;
      this.J = r.J;
      this.units = sorted;
      this.timeToBest = (performance.now() - this.t0) / 1000;
    }
    return r.value;
  };

  /** Local search from the incumbent unless it was already searched. */
  improve(deadline: number): void {
    this.improveFrom(this.units, deadline);
  }

  /** Local search from a support (improvements become the incumbent). */
  improveFrom(start: number[], deadline: number): void {
    const key = start.join(',');
    if (key === this.lastSearched) return;
    // At most 15% of the remaining time per local search, so the tree search gets its share.
    const now = performance.now();
    localSearch(this.prob, start, this.tryUnits, Math.min(deadline, now + 0.15 * Math.max(0, deadline - now)), new Float64Array(this.prob.p), new Float64Array(this.prob.p));
    this.lastSearched = this.units.join(',');
  }
}

/**
 * Root incumbents: the relaxation rounded at several thresholds, each distinct rounding
 * polished by local search (on lmo_drx the ½-rounding alone led local search to 0.3049 where
 * another start reaches 0.2989 at μ0 = 1.9e-3).
 */
function rootIncumbents(prob: L0Problem, state: Int8Array, z: Float64Array, inc: Incumbent, deadline: number): void {
  const seen = new Set<string>();
  for (const t of [0.5, 0.3, 0.7, 0.15, 0.85]) {
    const units = roundSupport(prob, state, z, t);
    const key = units.join(',');
    if (seen.has(key)) continue;
    seen.add(key);
    inc.tryUnits(units);
    inc.improveFrom(units, deadline);
  }
}

/** The root node: forced units on, cardinality propagated. */
function rootState(prob: L0Problem): Int8Array {
  const root = new Int8Array(prob.units.length).fill(FREE);
  for (let u = 0; u < root.length; u++) if (prob.forcedOn[u]) propagate(prob, root, u, ON);
  cardinality(prob, root);
  return root;
}

/**
 * Nodes solved per round: fixed (not the thread count) so that 1 and 2 threads run the same
 * search. Within a round every node is solved against the cutoff at the start of the round.
 */
const BATCH = 2;

/** The search state shared by the round loop and the per-node processing. */
interface Search {
  prob: L0Problem;
  opts: BnbOptions;
  heap: NodeHeap;
  inc: Incumbent;
  deadline: number;
  gapTol: number;
  nextId: number;
  nodes: number;
  minPruned: number;
  interruptedBound: number;
  /** Null with branching = 'fractional'. */
  pc: Pseudocosts | null;
  /** Child relaxations solved for reliability branching (not counted as nodes). */
  probes: number;
}

function tolAbsOf(s: Search): number {
  return s.gapTol * Math.max(Math.abs(s.inc.UB), 1e-300);
}

/** Pop up to `count` open nodes that can still improve the incumbent (best bound first). */
function popBatch(s: Search, count: number): Node[] {
  const out: Node[] = [];
  while (out.length < count && s.heap.size && s.heap.peekBound() < s.inc.UB - tolAbsOf(s)) out.push(s.heap.pop()!);
  return out;
}

/** The node's task: cutoff and tolerance from the incumbent at the start of the round. */
function taskOf(s: Search, node: Node, kind: 'cd' | 'z', isRoot: boolean): NodeTask {
  const tolAbs = tolAbsOf(s);
  // z form: a node's relaxation is solved to 2% of the node's remaining gap — finer
  // precision cannot change the pruning much and cost most of the node time (measured).
  const tol = kind === 'z' && Number.isFinite(node.bound) && Number.isFinite(s.inc.UB) ? Math.max(0.1 * tolAbs, 0.02 * (s.inc.UB - node.bound)) : 0.1 * tolAbs;
  return { node, isRoot, cutoff: s.inc.UB - tolAbs, tol };
}

/**
 * After a node solve: root incumbents, pruning, rounding + local search, branching.
 * Returns false when the deadline passed with the node still open (its bound is kept).
 */
function processNode(s: Search, pool: NodePool, node: Node, rel: NodeSolve, isRoot: boolean): boolean {
  const { prob, inc } = s;
  node.delta = rel.delta;
  node.deltaOff = rel.deltaOff;
  const bound = Math.max(node.bound, rel.bound);
  s.opts.onNode?.(node.state, rel);
  if (s.pc && node.split) s.pc.record(node.split.unit, node.split.on, node.split.frac, Math.min(bound, inc.UB) - node.split.parentBound);
  const prune = (v: number) => { s.minPruned = Math.min(s.minPruned, v); };
  if (isRoot) rootIncumbents(prob, node.state, rel.z, inc, s.deadline);
  if (performance.now() > s.deadline && bound < inc.UB - tolAbsOf(s)) {
    s.interruptedBound = Math.min(s.interruptedBound, bound);
    return false;
  }
  if (bound >= inc.UB - tolAbsOf(s)) { prune(bound); return true; }
  // Incumbent from rounding; local search whenever rounding improves the incumbent.
  const before = inc.UB;
  inc.tryUnits(roundSupport(prob, node.state, rel.z));
  if (isRoot || inc.UB < before) inc.improve(s.deadline);
  if (bound >= inc.UB - tolAbsOf(s)) { prune(bound); return true; }
  branch(s, pool, node, rel, bound);
  return true;
}

export function solveL0(prob: L0Problem, opts: BnbOptions = {}): BnbResult {
  const t0 = performance.now();
  const pool = new NodePool(prob, opts, opts.threads ?? 1);
  try {
    return search(prob, opts, pool, t0);
  } finally {
    pool.close();
  }
}

function usePseudocosts(rule: 'auto' | 'pseudocost' | 'fractional', kind: 'cd' | 'z'): boolean {
  return rule === 'pseudocost' || (rule === 'auto' && kind === 'z');
}

function search(prob: L0Problem, opts: BnbOptions, pool: NodePool, t0: number): BnbResult {
  const maxNodes = opts.maxNodes ?? Infinity;
  const s: Search = {
    prob, opts, heap: new NodeHeap(), inc: new Incumbent(prob, t0), deadline: t0 + (opts.timeLimit ?? 60) * 1000,
    gapTol: opts.gapTol ?? 1e-4, nextId: 0, nodes: 0, minPruned: Infinity, interruptedBound: Infinity,
    probes: 0,
    pc: usePseudocosts(opts.branching ?? 'auto', pool.kind) ? new Pseudocosts(prob.units.length) : null,
  };
  const root = rootState(prob);
  s.inc.tryUnits(onUnits(root));
  s.heap.push({ state: root, bound: -Infinity, delta: 0, deltaOff: -Infinity, depth: 0, id: s.nextId++, warm: null });
  let status: BnbResult['status'] = 'optimal';
  while (s.heap.size) {
    if (s.heap.peekBound() >= s.inc.UB - tolAbsOf(s)) { s.minPruned = Math.min(s.minPruned, s.heap.peekBound()); break; } // best-first: all open nodes are worse
    // The root node is always popped and its (possibly partial) relaxation rounded, so even a
    // very short limit returns a fitted model rather than the empty one.
    if (s.nodes > 0 && performance.now() > s.deadline) { status = 'time_limit'; break; }
    if (s.nodes >= maxNodes) { status = 'node_limit'; break; }
    const isRoot = s.nodes === 0;
    const batch = popBatch(s, isRoot ? 1 : Math.min(BATCH, maxNodes - s.nodes));
    const sols = pool.solveBatch(batch.map((nd) => taskOf(s, nd, pool.kind, isRoot)), s.deadline);
    let stopped = false;
    for (let i = 0; i < batch.length; i++) {
      if (stopped) { s.heap.push({ ...batch[i]!, bound: Math.max(batch[i]!.bound, sols[i]!.bound) }); continue; }
      s.nodes++;
      stopped = !processNode(s, pool, batch[i]!, sols[i]!, isRoot);
    }
    if (stopped) { status = 'time_limit'; break; }
  }
  return finish(s, status, pool, t0);
}

function finish(s: Search, status: BnbResult['status'], pool: NodePool, t0: number): BnbResult {
  const UB = s.inc.UB;
  const lowerBound = Math.min(UB, s.minPruned, s.heap.peekBound(), s.interruptedBound);
  const gap = UB > 0 ? Math.max(0, (UB - lowerBound) / UB) : UB - lowerBound > 0 ? Infinity : 0;
  if (gap <= s.gapTol) status = 'optimal';
  else if (status === 'optimal') status = 'time_limit';
  const elapsed = (performance.now() - t0) / 1000;
  return {
    J: s.inc.J, objective: UB, lowerBound, gap, nodes: s.nodes, status,
    timeToOptimal: status === 'optimal' ? elapsed : null,
    timeToBest: s.inc.timeToBest, elapsed, shift: pool.rootShift, units: s.inc.units, relaxation: pool.kind,
    workerNodes: pool.workerSolves, probes: s.probes,
  };
}

/**
 * Reduced-cost fixing at a node (relaxation.ts `reducedCosts`): a free unit whose OFF side
 * is already bounded at or above the cutoff is fixed ON, one whose ON side is, OFF — with the
 * hierarchy propagation. False when the node itself is empty.
 */
function fixByReducedCosts(prob: L0Problem, state: Int8Array, rc: { Dsep: number; w: Float64Array }, cutoff: number, prune: (v: number) => void): boolean {
  for (let u = 0; u < state.length; u++) {
    if (state[u] !== FREE) continue;
    // The discarded side's bound is recorded like any pruned node (it enters the final bound).
    const offSide = rc.Dsep + Math.max(0, rc.w[u]!), onSide = rc.Dsep + Math.max(0, -rc.w[u]!);
    if (offSide >= cutoff) {
      prune(offSide);
      if (!propagate(prob, state, u, ON)) return false;
    }
    if (state[u] === FREE && onSide >= cutoff) {
      prune(onSide);
      if (!propagate(prob, state, u, OFF)) return false;
    }
  }
  return true;
}

/**
 * Fix what the reduced costs allow, then split the node on the chosen unit (ON child first)
 * with the children's bounds raised by the same reduced costs; leaves are evaluated exactly.
 * Returns the next node id.
 */
function branch(s: Search, pool: NodePool, node: Node, rel: NodeSolve, bound: number): void {
  const { prob, inc, heap } = s;
  const tolAbs = tolAbsOf(s), cutoff = inc.UB - tolAbs;
  const prune = (v: number) => { s.minPruned = Math.min(s.minPruned, v); };
  const rc = rel.rc;
  const state = Int8Array.from(node.state);
  if (rc && !fixByReducedCosts(prob, state, rc, cutoff, prune)) return;
  if (!state.includes(FREE)) {
    const v = inc.tryUnits(onUnits(state));
    if (v >= inc.UB - tolAbs) prune(v);
    return;
  }
  const probed = s.pc && (s.opts.probes ?? 4) > 0 ? probeUnreliable(s, pool, node, state, rel, bound) : null;
  const u = chooseBranch(prob, state, rel.z, rel.J, rel.g, s.pc);
  if (u < 0) {
    inc.tryUnits(onUnits(state));
    return;
  }
  for (const value of [ON, OFF]) {
    const st = Int8Array.from(state);
    if (!propagate(prob, st, u, value)) continue;
    let childBound = bound;
    if (rc) childBound = Math.max(bound, rc.Dsep + Math.max(0, value === ON ? -rc.w[u]! : rc.w[u]!));
    // A probed child's solve is a certificate for that child too.
    const pb = probed?.get(u);
    if (pb) childBound = Math.max(childBound, value === ON ? pb[0] : pb[1]);
    if (childBound >= inc.UB - tolAbs) { prune(childBound); continue; }
    if (!st.includes(FREE)) {
      const v = inc.tryUnits(onUnits(st));
      if (v >= inc.UB - tolAbs) prune(v);
      continue;
    }
    const zu = rel.z[u]!;
    const split = { unit: u, on: value === ON, frac: value === ON ? 1 - zu : zu, parentBound: bound };
    heap.push({ state: st, bound: childBound, delta: node.delta, deltaOff: node.deltaOff, depth: node.depth + 1, id: s.nextId++, warm: rel.warm, split });
  }
}

/**
 * Reliability branching, light: the best few candidates whose pseudocost is still unknown in
 * a direction get both children solved once (on both threads), and the measured gains enter
 * the pseudocosts before the choice. Why: pseudocosts start from the mean of other units,
 * which on lmo_drx sends early splits to units whose children gain nothing. Returns the probed
 * children's bounds [ON, OFF] per unit (−∞ for an empty child: it is never pushed anyway).
 */
function probeUnreliable(s: Search, pool: NodePool, node: Node, state: Int8Array, rel: NodeSolve, bound: number): Map<number, [number, number]> {
  const pc = s.pc!, prob = s.prob, out = new Map<number, [number, number]>();
  const cand: Array<[number, number]> = [];
  for (let u = 0; u < state.length; u++) {
    if (state[u] !== FREE || pc.reliable(u)) continue;
    const z = rel.z[u]!, frac = Math.min(z, 1 - z);
    if (frac > 1e-9) cand.push([u, pc.ready ? pc.score(u, z) : frac * (1 + prob.descendants[u]!.length)]);
  }
  cand.sort((a, b) => b[1] - a[1] || a[0] - b[0]);
  const tolAbs = tolAbsOf(s);
  for (const [u] of cand.slice(0, s.opts.probes ?? 4)) {
    const tasks: NodeTask[] = [];
    for (const value of [ON, OFF]) {
      const st = Int8Array.from(state);
      if (!propagate(prob, st, u, value)) continue;
      const child: Node = { state: st, bound, delta: node.delta, deltaOff: node.deltaOff, depth: node.depth + 1, id: -1, warm: rel.warm };
      tasks.push({ ...taskOf(s, child, pool.kind, false), tol: Math.max(0.1 * tolAbs, 0.02 * (s.inc.UB - bound)) });
    }
    if (tasks.length < 2) continue;
    const [on, off] = pool.solveBatch(tasks, s.deadline);
    s.probes += 2;
    const z = rel.z[u]!;
    pc.record(u, true, 1 - z, Math.min(on!.bound, s.inc.UB) - bound);
    pc.record(u, false, z, Math.min(off!.bound, s.inc.UB) - bound);
    out.set(u, [on!.bound, off!.bound]);
    if (performance.now() > s.deadline) break;
  }
  return out;
}

function onUnits(state: Int8Array): number[] {
  const out: number[] = [];
  for (let u = 0; u < state.length; u++) if (state[u] === ON) out.push(u);
  return out;
}

/** Units on at the node plus free units with relaxed z ≥ ½, closed upward, within k. */
function roundSupport(prob: L0Problem, state: Int8Array, z: Float64Array, threshold = 0.5): number[] {
  const sel = new Uint8Array(state.length);
  let count = 0;
  for (let u = 0; u < state.length; u++) if (state[u] === ON) { sel[u] = 1; count++; }
  const cand: number[] = [];
  for (let u = 0; u < state.length; u++) if (state[u] === FREE && z[u]! >= threshold) cand.push(u);
  cand.sort((a, b) => z[b]! - z[a]! || a - b);
  for (const u of cand) {
    const add = [u, ...prob.ancestors[u]!].filter((a) => !sel[a]);
    if (add.some((a) => state[a] === OFF)) continue;
    if (count + add.length > prob.k) continue;
    for (const a of add) sel[a] = 1;
    count += add.length;
  }
  return onUnits(Int8Array.from(sel, (s) => (s ? ON : OFF)));
}

function chooseBranch(prob: L0Problem, state: Int8Array, z: Float64Array, J: Float64Array, g: Float64Array, pc: Pseudocosts | null): number {
  let best = -1, bestScore = -1;
  const usePc = pc?.ready === true;
  for (let u = 0; u < state.length; u++) {
    if (state[u] !== FREE) continue;
    if (usePc) {
      const frac = Math.min(z[u]!, 1 - z[u]!);
      const s = frac > 1e-9 ? pc!.score(u, z[u]!) : 0;
      if (s > bestScore) { best = u; bestScore = s; }
      continue;
    }
    // Hierarchy-aware: fractionality weighted by 1 + #descendants, so parents whose OFF side
    // removes whole sub-hierarchies go first (lmo_drx μ0 = 1.9e-2, 20 s: gap 0.211 → 0.195;
    // log weighting 0.209, squared 0.207). Without hierarchy this is most-fractional.
    const frac = Math.min(z[u]!, 1 - z[u]!);
    const s = frac > 1e-9 ? frac * (1 + prob.descendants[u]!.length) : 0;
    if (s > bestScore + 1e-12) { best = u; bestScore = s; }
  }
  if (best < 0 || bestScore > (usePc ? 0 : 1e-9)) return best;
  // Integral relaxation but not yet pruned: prefer a unit the relaxation switched on, else
  // the free unit with the largest scaled gradient (the likeliest to enter).
  let alt = -1, altScore = -1;
  const p = prob.p;
  for (let u = 0; u < state.length; u++) {
    if (state[u] !== FREE) continue;
    let s = z[u]! >= 0.5 ? 1e300 : 0;
    for (const c of prob.units[u]!) {
      const d = prob.b[c]! - g[c]!;
      const gcc = prob.G[c * p + c]!;
      s += gcc > 0 ? (d * d) / gcc : 0;
      s += Math.abs(J[c]!);
    }
    if (s > altScore) { alt = u; altScore = s; }
  }
  return alt;
}

/**
 * Best-improvement local search from `start`: moves are adding a unit with its missing
 * ancestors, dropping a unit with its descendants, and (when no single move helps) swaps
 * of one dropped for one added unit among the 20 largest-gradient outsiders.
 */
function localSearch(prob: L0Problem, start: number[], evalUnits: (u: number[]) => number, deadline: number, Jbuf: Float64Array, gbuf: Float64Array): void {
  const m = prob.units.length, p = prob.p;
  const inS = new Uint8Array(m);
  for (const u of start) inS[u] = 1;
  let cur = evalUnits(start);
  const list = () => { const o: number[] = []; for (let u = 0; u < m; u++) if (inS[u]) o.push(u); return o; };
  const withAdd = (set: Uint8Array, u: number): number[] | null => {
    const add = [u, ...prob.ancestors[u]!].filter((a) => !set[a]);
    let n = 0;
    for (let v = 0; v < m; v++) n += set[v]!;
    if (n + add.length > prob.k) return null;
    const o: number[] = [];
    for (let v = 0; v < m; v++) if (set[v]) o.push(v);
    return [...o, ...add];
  };
  const withDrop = (set: Uint8Array, u: number): Uint8Array | null => {
    if (prob.forcedOn[u]) return null;
    const s = Uint8Array.from(set);
    s[u] = 0;
    for (const d of prob.descendants[u]!) {
      if (prob.forcedOn[d] && s[d]) return null;
      s[d] = 0;
    }
    return s;
  };
  // First-improvement over single moves, scanning cyclically from the last accepted move
  // (cheaper than best-improvement when hundreds of units are candidates); swaps only when
  // a full cycle finds nothing.
  let u = 0, sinceImprove = 0;
  for (let guard = 0; guard < 100000; guard++) {
    if (sinceImprove >= m) {
      let bestVal = cur, bestSet: number[] | null = null;
      const r = evaluateGradientScores(prob, list(), Jbuf, gbuf);
      const outs = [];
      for (let v = 0; v < m; v++) if (!inS[v]) outs.push(v);
      outs.sort((a, b) => r[b]! - r[a]! || a - b);
      const top = outs.slice(0, 20);
      for (const w of list()) {
        const s = withDrop(inS, w);
        if (!s) continue;
        for (const v of top) {
          if (prob.ancestors[v]!.includes(w)) continue;
          const cand = withAdd(s, v);
          if (!cand) continue;
          const val = evalUnits(cand);
          if (val < bestVal * (1 - 1e-14)) { bestVal = val; bestSet = cand; }
        }
        if (performance.now() > deadline) return;
      }
      if (!bestSet) return;
      inS.fill(0);
      for (const v of bestSet) inS[v] = 1;
      cur = bestVal;
      sinceImprove = 0;
      continue;
    }
    if ((guard & 7) === 0 && performance.now() > deadline) return;
    let cand: number[] | null;
    if (inS[u]) {
      const s = withDrop(inS, u);
      cand = s ? [...s.keys()].filter((v) => s[v]) : null;
    } else cand = withAdd(inS, u);
    if (cand) {
      const v = evalUnits(cand);
      if (v < cur * (1 - 1e-14)) {
        inS.fill(0);
        for (const w of cand) inS[w] = 1;
        cur = v;
        sinceImprove = 0;
      } else sinceImprove++;
    } else sinceImprove++;
    u = (u + 1) % m;
    void p;
  }
}

/** Per-unit ‖X_uᵀ r‖² / diag at the exact solution of a support (how much a unit would help). */
function evaluateGradientScores(prob: L0Problem, units: number[], J: Float64Array, g: Float64Array): Float64Array {
  const p = prob.p;
  const sol = evaluateSubset(prob, units).J;
  J.set(sol);
  g.fill(0);
  for (let c = 0; c < p; c++) if (J[c] !== 0) for (let r = 0; r < p; r++) g[r] += J[c]! * prob.G[c * p + r]!;
  const out = new Float64Array(prob.units.length);
  prob.units.forEach((feats, u) => {
    let s = 0;
    for (const c of feats) {
      const d = prob.b[c]! - g[c]!;
      const gcc = prob.G[c * p + c]!;
      if (gcc > 0) s += (d * d) / gcc;
    }
    out[u] = s;
  });
  return out;
}

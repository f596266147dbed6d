/**
 * Maximum-weight closure under the hierarchy, used by the node bound (relaxation.ts).
 *
 * The perspective dual subtracts max_z Σ_u z_u·w_u over the relaxed indicators of the free
 * units, w_u = (conjugate term of unit u) − μ0. Without hierarchy the max separates into
 * Σ max(0, w_u). With the hierarchy rows z_b ≤ z_a the feasible set is the closure polytope
 * {z ∈ [0,1]^m : z_child ≤ z_parent}, whose constraint matrix is totally unimodular, so the
 * max is attained at a 0/1 closure and equals Σ_{w>0} w − (minimum s–t cut) in Picard's
 * network: s → u with capacity w_u (w_u > 0), u → t with capacity −w_u (w_u < 0), child →
 * parent with infinite capacity. The value never exceeds the separable one, so the bound only
 * rises, and it is exact for any w: the certificate property of the dual is unchanged.
 *
 * Max-flow is Dinic's algorithm (BFS levels, DFS blocking flow with current-arc pointers) on
 * the few hundred units of a CE problem; the graph is rebuilt per call because the weights
 * change at every dual evaluation, while the edge structure (free child → free parent) is
 * built once per node state by `ClosureGraph.forState`.
 */

export class ClosureGraph {
  /** Free units of the node. */
  private readonly nodes: Int32Array;
  /** Child → parent arcs between free units (local indices). */
  private readonly arcFrom: Int32Array;
  private readonly arcTo: Int32Array;

  private constructor(nodes: Int32Array, arcFrom: Int32Array, arcTo: Int32Array) {
    this.nodes = nodes;
    this.arcFrom = arcFrom;
    this.arcTo = arcTo;
  }

  /** Number of child → parent arcs among free units (0: the separable max is exact). */
  get arcs(): number {
    return this.arcFrom.length;
  }

  /**
   * The closure network of one node: free units and the direct hierarchy arcs between them
   * (direct parents suffice: the closure of the direct relation is the transitive one).
   */
  static forState(parents: Int32Array[], state: Int8Array, FREE: number): ClosureGraph {
    const m = state.length;
    const local = new Int32Array(m).fill(-1);
    const nodes: number[] = [];
    for (let u = 0; u < m; u++) if (state[u] === FREE) { local[u] = nodes.length; nodes.push(u); }
    const from: number[] = [], to: number[] = [];
    for (const u of nodes) {
      for (const a of parents[u]!) {
        if (local[a]! >= 0) { from.push(local[u]!); to.push(local[a]!); }
      }
    }
    return new ClosureGraph(Int32Array.from(nodes), Int32Array.from(from), Int32Array.from(to));
  }

  /**
   * max Σ z_u w_u over 0/1 closures of the free units; `w` is indexed by unit. Optionally the
   * maximizing set (`zOut`, by unit) and the arc multipliers (`nuOut`, by arc).
   */
  maxClosure(w: Float64Array, zOut?: Uint8Array, nuOut?: Float64Array): number {
    const nodes = this.nodes, k = nodes.length;
    let pos = 0;
    for (let i = 0; i < k; i++) { const v = w[nodes[i]!]!; if (v > 0) pos += v; }
    if (this.arcFrom.length === 0 || pos === 0) {
      if (zOut) for (let i = 0; i < k; i++) zOut[nodes[i]!] = w[nodes[i]!]! > 0 ? 1 : 0;
      if (nuOut) nuOut.fill(0);
      return pos;
    }
    const flow = new Dinic(k + 2);
    const s = k, t = k + 1;
    for (let i = 0; i < k; i++) {
      const v = w[nodes[i]!]!;
      if (v > 0) flow.addEdge(s, i, v);
      else if (v < 0) flow.addEdge(i, t, -v);
    }
    const first = flow.edges;
    for (let e = 0; e < this.arcFrom.length; e++) flow.addEdge(this.arcFrom[e]!, this.arcTo[e]!, Infinity);
    const cut = flow.maxFlow(s, t);
    // Flow on a child → parent arc = the optimal multiplier of its row z_child ≤ z_parent.
    if (nuOut) for (let e = 0; e < this.arcFrom.length; e++) nuOut[e] = flow.reverseCap(first + 2 * e);
    if (zOut) {
      const reach = flow.reachableFrom(s);
      for (let i = 0; i < k; i++) zOut[nodes[i]!] = reach[i]!;
    }
    // Rounding in the flow can leave cut a hair above pos; the max is never below 0 (z = 0).
    return Math.max(0, pos - cut);
  }

  /** Arc e as [child unit, parent unit]. */
  arc(e: number): [number, number] {
    return [this.nodes[this.arcFrom[e]!]!, this.nodes[this.arcTo[e]!]!];
  }
}

/** Dinic max-flow on a small dense-ish graph with float capacities. */
class Dinic {
  private readonly head: Int32Array;
  private to: number[] = [];
  private cap: number[] = [];
  private next: number[] = [];
  private readonly level: Int32Array;
  private readonly iter: Int32Array;

  constructor(private readonly n: number) {
    this.head = new Int32Array(n).fill(-1);
    this.level = new Int32Array(n);
    this.iter = new Int32Array(n);
  }

  get edges(): number {
    return this.to.length;
  }

  reverseCap(e: number): number {
    return this.cap[e ^ 1]!;
  }

  addEdge(a: number, b: number, c: number): void {
    this.to.push(b); this.cap.push(c); this.next.push(this.head[a]!); this.head[a] = this.to.length - 1;
    this.to.push(a); this.cap.push(0); this.next.push(this.head[b]!); this.head[b] = this.to.length - 1;
  }

  private bfs(s: number, t: number): boolean {
    this.level.fill(-1);
    const q = new Int32Array(this.n);
    let qh = 0, qt = 0;
    q[qt++] = s;
    this.level[s] = 0;
    while (qh < qt) {
      const v = q[qh++]!;
      for (let e = this.head[v]!; e >= 0; e = this.next[e]!) {
        const w = this.to[e]!;
        if (this.cap[e]! > 1e-15 && this.level[w]! < 0) { this.level[w] = this.level[v]! + 1; q[qt++] = w; }
      }
    }
    return this.level[t]! >= 0;
  }

  private dfs(v: number, t: number, f: number): number {
    if (v === t) return f;
    for (; this.iter[v]! >= 0; this.iter[v] = this.next[this.iter[v]!]!) {
      const e = this.iter[v]!, w = this.to[e]!;
      if (this.cap[e]! > 1e-15 && this.level[v]! < this.level[w]!) {
        const d = this.dfs(w, t, Math.min(f, this.cap[e]!));
        if (d > 0) {
          this.cap[e] -= d;
          this.cap[e ^ 1] += d;
          return d;
        }
      }
    }
    return 0;
  }

  maxFlow(s: number, t: number): number {
    let total = 0;
    while (this.bfs(s, t)) {
      this.iter.set(this.head);
      for (;;) {
        const f = this.dfs(s, t, Infinity);
        if (!(f > 0)) break;
        total += f;
      }
    }
    return total;
  }

  /** Nodes reachable from s in the residual graph (the source side of a minimum cut). */
  reachableFrom(s: number): Uint8Array {
    const seen = new Uint8Array(this.n);
    const stack = [s];
    seen[s] = 1;
    while (stack.length) {
      const v = stack.pop()!;
      for (let e = this.head[v]!; e >= 0; e = this.next[e]!) {
        const w = this.to[e]!;
        if (this.cap[e]! > 1e-15 && !seen[w]) { seen[w] = 1; stack.push(w); }
      }
    }
    return seen;
  }
}

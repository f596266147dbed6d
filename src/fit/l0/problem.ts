/**
 * The ℓ0-penalized least-squares problem family of seed 000 Eq. 9, in Gram form:
 *
 *   min_{J,z}  ‖y − XJ‖² + μ0·Σ_u z_u + Σ_c (μ1|J_c| + μ2 J_c²)
 *   s.t. J_c = 0 unless z_{unit(c)} = 1,  |J_c| ≤ M,  J_c ≥ 0 for sign-constrained c,
 *        z_b ≤ z_a for hierarchy pairs (b above a),  Σ_u z_u ≤ k,  z ∈ {0,1}.
 *
 * A "unit" is what one binary z switches: one feature (seed 000), or one group of features
 * (one z per orbit, which keeps the selection basis-invariant). Always-in features belong to
 * no unit: they pay no μ0 but keep the ℓ2/ℓ1 terms of Eq. 9. Only XᵀX, Xᵀy and yᵀy enter,
 * so the solver never touches the n×p matrix after setup.
 */
import { OptionError } from '../../core/errors.ts';

export interface L0Spec {
  mu0: number;
  mu1?: number;
  mu2: number;
  /** Big-M bound on |J_c|; Infinity (default) means none. */
  M?: number;
  /** Maximum number of selected units (best subset); Infinity means none. */
  k?: number;
  /** Feature → group id; when given, one z per group. */
  groups?: ArrayLike<number>;
  /** [child, parent] feature-index pairs. */
  hierarchy?: Array<[number, number]>;
  alwaysIn?: number[];
  nonneg?: number[];
}

export interface L0Problem {
  p: number;
  /** p×p Gram matrix XᵀX (row-major). */
  G: Float64Array;
  /** Xᵀy. */
  b: Float64Array;
  /** yᵀy. */
  yy: number;
  /** Number of samples, when known (n < p means XᵀX is singular: no curvature shift). */
  n?: number;
  mu0: number;
  mu1: number;
  mu2: number;
  M: number;
  k: number;
  nonneg: Uint8Array;
  /** Features switched by each unit. */
  units: Int32Array[];
  /** Feature → unit, −1 for always-in features. */
  unitOf: Int32Array;
  alwaysIn: Int32Array;
  /** Direct parents of every unit (unit-level hierarchy rows z_u ≤ z_parent). */
  parents: Int32Array[];
  /** Transitive ancestors / descendants of every unit (hierarchy closure, units only). */
  ancestors: Int32Array[];
  descendants: Int32Array[];
  /** Units that must be on because an always-in feature sits above them. */
  forcedOn: Uint8Array;
  /** True when the node bounds come from the perspective dual (μ2 > 0 or finite M). */
  dualMode: boolean;
  /** Group form (block updates in the relaxation). */
  grouped: boolean;
}

function intList(values: number[] | undefined, p: number, field: string): number[] {
  if (!values) return [];
  for (const v of values) {
    if (!Number.isInteger(v) || v < 0 || v >= p) throw new OptionError(`feature index ${v} is not an integer in [0, ${p - 1}]`, { field });
  }
  return [...new Set(values)].sort((a, b) => a - b);
}

/** Units (what one z switches): single features, or groups; always-in features belong to none. */
function makeUnits(p: number, spec: L0Spec, alwaysIn: number[], nonneg: Uint8Array, mu1: number, M: number): { units: Int32Array[]; unitOf: Int32Array } {
  const unitOf = new Int32Array(p).fill(-1);
  const units: Int32Array[] = [];
  const isAlways = new Uint8Array(p);
  for (const c of alwaysIn) isAlways[c] = 1;
  if (spec.groups) {
    if (spec.groups.length !== p) throw new OptionError(`groups has ${spec.groups.length} entries for ${p} features`, { field: 'groups' });
    const byGroup = new Map<number, number[]>();
    for (let c = 0; c < p; c++) {
      const gid = spec.groups[c]!;
      if (!Number.isInteger(gid)) throw new OptionError(`group id of feature ${c} is not an integer`, { field: 'groups' });
      if (isAlways[c]) continue;
      if (!byGroup.has(gid)) byGroup.set(gid, []);
      byGroup.get(gid)!.push(c);
    }
    // Units ordered by their first feature so the numbering follows the column order.
    for (const feats of [...byGroup.values()].sort((a, b) => a[0]! - b[0]!)) {
      for (const c of feats) unitOf[c] = units.length;
      units.push(Int32Array.from(feats));
    }
    if (mu1 > 0 || Number.isFinite(M) || units.some((u) => u.length > 1 && u.some((c) => nonneg[c]))) {
      throw new OptionError('the group form supports only the ℓ0ℓ2 penalty (no mu1, no M, no nonneg inside multi-feature groups)', { field: 'group' });
    }
  } else {
    for (let c = 0; c < p; c++) {
      if (isAlways[c]) continue;
      unitOf[c] = units.length;
      units.push(Int32Array.of(c));
    }
  }
  return { units, unitOf };
}

/** Unit-level parents from the feature pairs; a unit above an always-in feature is forced on (a forced root). */
function unitParents(p: number, spec: L0Spec, unitOf: Int32Array, m: number): { parents: Set<number>[]; forcedRoots: number[] } {
  const parents: Set<number>[] = Array.from({ length: m }, () => new Set<number>());
  const forcedRoots: number[] = [];
  (spec.hierarchy ?? []).forEach((pair, i) => {
    if (!Array.isArray(pair) || pair.length !== 2) throw new OptionError(`hierarchy entry ${i} must be a [child, parent] pair`, { field: 'hierarchy', entry: i });
    const [child, parent] = pair;
    for (const v of [child, parent]) {
      if (!Number.isInteger(v) || v < 0 || v >= p) throw new OptionError(`hierarchy entry ${i}: feature index ${v} is not in [0, ${p - 1}]`, { field: 'hierarchy', entry: i });
    }
    if (child === parent) throw new OptionError(`hierarchy entry ${i}: feature ${child} is its own parent (a cycle)`, { field: 'hierarchy', entry: i });
    const uc = unitOf[child]!, up = unitOf[parent]!;
    if (up < 0) return; // parent always in: constraint always satisfied
    if (uc < 0) {
      forcedRoots.push(up);
      return;
    }
    if (uc === up) return; // same group: one z
    parents[uc]!.add(up);
  });
  return { parents, forcedRoots };
}

/** Cycle check (iterative DFS, colours 0 new / 1 on stack / 2 done). */
function checkAcyclic(parents: Set<number>[], units: Int32Array[], grouped: boolean): void {
  const m = parents.length;
  const colour = new Uint8Array(m);
  for (let s = 0; s < m; s++) {
    if (colour[s]) continue;
    const stack: Array<[number, number[]]> = [[s, [...parents[s]!]]];
    colour[s] = 1;
    while (stack.length) {
      const top = stack[stack.length - 1]!;
      const next = top[1].pop();
      if (next === undefined) {
        colour[top[0]] = 2;
        stack.pop();
      } else if (colour[next] === 1) {
        const feat = (u: number) => (grouped ? `group of feature ${units[u]![0]}` : `feature ${units[u]![0]}`);
        throw new OptionError(`hierarchy has a cycle through ${feat(next)} and ${feat(top[0])}`, { field: 'hierarchy' });
      } else if (colour[next] === 0) {
        colour[next] = 1;
        stack.push([next, [...parents[next]!]]);
      }
    }
  }
}

/** Transitive ancestors and descendants of every unit (parents acyclic). */
function hierarchyClosure(parents: Set<number>[]): { ancestors: Int32Array[]; descendants: Int32Array[] } {
  const m = parents.length;
  const ancestors: Int32Array[] = new Array(m);
  const memo = new Map<number, Set<number>>();
  const anc = (u: number): Set<number> => {
    const hit = memo.get(u);
    if (hit) return hit;
    const out = new Set<number>();
    for (const q of parents[u]!) {
      out.add(q);
      for (const r of anc(q)) out.add(r);
    }
    memo.set(u, out);
    return out;
  };
  // Visit in topological order (parents first) to keep the memo recursion shallow.
  const order: number[] = [];
  const seen = new Uint8Array(m);
  const visit = (u0: number) => {
    const st: Array<[number, boolean]> = [[u0, false]];
    while (st.length) {
      const [u, done] = st.pop()!;
      if (done) { order.push(u); continue; }
      if (seen[u]) continue;
      seen[u] = 1;
      st.push([u, true]);
      for (const q of parents[u]!) if (!seen[q]) st.push([q, false]);
    }
  };
  for (let u = 0; u < m; u++) visit(u);
  for (const u of order) ancestors[u] = Int32Array.from([...anc(u)].sort((a, b) => a - b));
  const desc: number[][] = Array.from({ length: m }, () => []);
  for (let u = 0; u < m; u++) for (const a of ancestors[u]!) desc[a]!.push(u);
  return { ancestors, descendants: desc.map((d) => Int32Array.from(d.sort((a, b) => a - b))) };
}

/** Checks that need the whole problem: μ2 = 0 restrictions and the cardinality k. */
function checkModes(dualMode: boolean, mu1: number, nonnegCount: number, k: number, m: number, forcedOn: Uint8Array, grouped: boolean): void {
  if (!dualMode) {
    if (mu1 > 0) throw new OptionError('l1l0 needs mu2 > 0 or a finite big-M bound M for its relaxation', { field: 'mu1' });
    if (nonnegCount) throw new OptionError('sign constraints with mu2 = 0 need a finite big-M bound M', { field: 'nonneg' });
  }
  if (Number.isFinite(k)) {
    if (!Number.isInteger(k) || k < 1) throw new OptionError(`k must be a positive integer, got ${k}`, { field: 'k' });
    if (k > m) throw new OptionError(`k = ${k} exceeds the number of selectable ${grouped ? 'groups' : 'features'} (${m})`, { field: 'k' });
    let forced = 0;
    for (let u = 0; u < m; u++) forced += forcedOn[u]!;
    if (forced > k) throw new OptionError(`k = ${k} is below the ${forced} units forced on by always-in features through the hierarchy`, { field: 'k' });
  }
}

export function buildProblem(G: Float64Array, b: Float64Array, yy: number, p: number, spec: L0Spec): L0Problem {
  const mu0 = spec.mu0, mu1 = spec.mu1 ?? 0, mu2 = spec.mu2, M = spec.M ?? Infinity, k = spec.k ?? Infinity;
  for (const [name, v] of [['mu0', mu0], ['mu1', mu1], ['mu2', mu2]] as const) {
    if (!Number.isFinite(v) || v < 0) throw new OptionError(`must be a finite number ≥ 0, got ${v}`, { field: name });
  }
  if (!(M > 0)) throw new OptionError(`big-M bound must be > 0, got ${M}`, { field: 'M' });
  const alwaysIn = intList(spec.alwaysIn, p, 'always_in');
  const nonnegList = intList(spec.nonneg, p, 'nonneg');
  const nonneg = new Uint8Array(p);
  for (const c of nonnegList) nonneg[c] = 1;
  const grouped = spec.groups !== undefined;
  const { units, unitOf } = makeUnits(p, spec, alwaysIn, nonneg, mu1, M);
  const m = units.length;
  const { parents, forcedRoots } = unitParents(p, spec, unitOf, m);
  checkAcyclic(parents, units, grouped);
  const { ancestors, descendants } = hierarchyClosure(parents);
  const forcedOn = new Uint8Array(m);
  for (const r of forcedRoots) {
    forcedOn[r] = 1;
    for (const a of ancestors[r]!) forcedOn[a] = 1;
  }
  const dualMode = mu2 > 0 || Number.isFinite(M);
  checkModes(dualMode, mu1, nonnegList.length, k, m, forcedOn, grouped);
  return {
    p, G, b, yy, mu0, mu1, mu2, M, k, nonneg, units, unitOf, alwaysIn: Int32Array.from(alwaysIn),
    parents: parents.map((q) => Int32Array.from([...q].sort((x, y) => x - y))),
    ancestors, descendants, forcedOn, dualMode, grouped,
  };
}

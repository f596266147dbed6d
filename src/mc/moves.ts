/**
 * Move sets (the proposal half of an ensemble). A proposal fills the state's move buffer and
 * reports ln(P_reverse / P_forward) (`logBias`, 0 for symmetric proposals) and the chemical
 * work Σ_s μ_s Δn_s (`work`, eV); the sampler accepts with min(1, exp(−β(ΔE − work) + logBias)).
 * Why each move keeps detailed balance is written out in src/mc/README.md.
 */
import type { Rng } from '../core/rng.ts';
import type { ExchangeTable } from './exchange-table.ts';
import type { Layout, McState } from './state.ts';

export interface MoveSet {
  readonly kind: 'swap' | 'flip' | 'table-exchange';
  /** Fill state's move buffer; false = null move (nothing can change), counted as a rejected step. */
  propose(state: McState, rng: Rng): boolean;
  logBias: number;
  work: number;
}

/**
 * Canonical swap: site i uniform over all active sites, partner j uniform over the sites of i's
 * sublattice holding a different species. P(i,j) = 1/N_act · 1/(N_sub − n_a); the composition
 * is conserved, so the reverse pair has the same probability: symmetric, logBias = 0.
 */
export class SwapMoves implements MoveSet {
  readonly kind = 'swap';
  logBias = 0;
  work = 0;
  constructor(private readonly layout: Layout) {}

  propose(state: McState, rng: Rng): boolean {
    const L = this.layout;
    const i = L.activeSites[rng.int(L.activeSites.length)]!;
    const sub = L.sublattices[L.subOf[i]!]!;
    const a = state.codes[i]!;
    const others = sub.sites.length - state.counts[sub.slot0 + a]!;
    if (others === 0) return false;
    let r = rng.int(others);
    let b = 0;
    for (; ; b++) {
      if (b === a) continue;
      const n = state.counts[sub.slot0 + b]!;
      if (r < n) break;
      r -= n;
    }
    const j = state.lists[sub.slot0 + b]![r]!;
    state.moveSites[0] = i;
    state.moveNext[0] = b;
    state.moveSites[1] = j;
    state.moveNext[1] = a;
    state.moveLength = 2;
    return true;
  }
}

/**
 * Semigrand flip: site uniform over active sites, new species uniform over the site's other
 * M − 1 species. Symmetric (the reverse flip has the same probability); work = μ_new − μ_old.
 */
export class FlipMoves implements MoveSet {
  readonly kind = 'flip';
  logBias = 0;
  work = 0;
  /** μ per slot (eV per atom). */
  readonly muSlot: Float64Array;
  constructor(private readonly layout: Layout, muSpecies: Float64Array) {
    this.muSlot = Float64Array.from(layout.slotSpeciesId, (s) => muSpecies[s]!);
  }

  propose(state: McState, rng: Rng): boolean {
    const L = this.layout;
    const i = L.activeSites[rng.int(L.activeSites.length)]!;
    const sub = L.sublattices[L.subOf[i]!]!;
    const a = state.codes[i]!;
    let b = rng.int(sub.species.length - 1);
    if (b >= a) b++;
    state.moveSites[0] = i;
    state.moveNext[0] = b;
    state.moveLength = 1;
    this.work = this.muSlot[sub.slot0 + b]! - this.muSlot[sub.slot0 + a]!;
    return true;
  }
}

/** ln(n!/(n−k)!) */
function lnFalling(n: number, k: number): number {
  let s = 0;
  for (let t = 0; t < k; t++) s += Math.log(n - t);
  return s;
}

/**
 * Charge-neutral semigrand: table exchanges along ±u (rows of the integer null space of the
 * site-count and charge constraints), mixed with a fixed share of canonical swaps.
 * A direction is drawn uniformly among the F(σ) directions feasible in the current state; in
 * each slot with u_s < 0 |u_s| distinct sites are drawn, and the added species (multiset u⁺)
 * are assigned to the freed sites of each sublattice in uniformly random order. Then
 * P_rev/P_fwd = F(σ)/F(σ') · Π_{u_s<0} n_s!/(n_s−|u_s|)! / Π_{u_s>0} (n_s+u_s)!/n_s!.
 */
export class TableExchangeMoves implements MoveSet {
  readonly kind = 'table-exchange';
  logBias = 0;
  work = 0;
  private readonly swaps: SwapMoves;
  private readonly muSlot: Float64Array;
  /** Directions: table rows and their negatives. */
  private readonly dirs: Int32Array[];
  private readonly dirWork: Float64Array;
  private readonly feasible: Int32Array;
  private readonly after: Int32Array;
  private readonly freed: Int32Array;
  private readonly addCodes: Int32Array;

  constructor(private readonly layout: Layout, table: ExchangeTable, muSpecies: Float64Array, readonly swapShare = 0) {
    this.swaps = new SwapMoves(layout);
    this.muSlot = Float64Array.from(layout.slotSpeciesId, (s) => muSpecies[s]!);
    this.dirs = table.rows.flatMap((u) => [Int32Array.from(u), Int32Array.from(u, (x) => -x)]);
    this.dirWork = Float64Array.from(this.dirs, (u) => u.reduce((w, x, s) => w + x * this.muSlot[s]!, 0));
    this.feasible = new Int32Array(this.dirs.length);
    this.after = new Int32Array(layout.nSlots);
    this.freed = new Int32Array(64);
    this.addCodes = new Int32Array(64);
  }

  /** Number of directions whose removals the slot counts allow. */
  private countFeasible(counts: Int32Array, mark: boolean): number {
    let f = 0;
    for (let d = 0; d < this.dirs.length; d++) {
      const u = this.dirs[d]!;
      let ok = true;
      for (let s = 0; s < u.length; s++) if (u[s]! < 0 && counts[s]! < -u[s]!) ok = false;
      if (ok && mark) this.feasible[f] = d;
      if (ok) f++;
    }
    return f;
  }

  propose(state: McState, rng: Rng): boolean {
    if (this.swapShare > 0 && rng.next() < this.swapShare) {
      this.work = 0;
      this.logBias = 0;
      return this.swaps.propose(state, rng);
    }
    const F = this.countFeasible(state.counts, true);
    if (F === 0) return false;
    const d = this.feasible[rng.int(F)]!;
    const u = this.dirs[d]!;
    const L = this.layout;
    let n = 0, logBias = 0;
    for (const sub of L.sublattices) {
      const m = sub.species.length;
      const n0 = n;
      let nAdd = 0;
      for (let c = 0; c < m; c++) {
        const slot = sub.slot0 + c, k = u[slot]!;
        if (k < 0) {
          const have = state.counts[slot]!;
          logBias += lnFalling(have, -k);
          // |k| distinct sites of this slot: partial Fisher–Yates on the slot's list
          const list = state.lists[slot]!;
          for (let t = 0; t < -k; t++) {
            const r = t + rng.int(have - t);
            const x = list[r]!;
            list[r] = list[t]!;
            list[t] = x;
            state.pos[list[r]!] = r;
            state.pos[x] = t;
            this.freed[n++] = x;
          }
        } else if (k > 0) {
          logBias -= lnFalling(state.counts[slot]! + k, k);
          for (let t = 0; t < k; t++) this.addCodes[n0 + nAdd++] = c;
        }
      }
      // random order of the added species over this sublattice's freed sites
      for (let t = nAdd - 1; t > 0; t--) {
        const r = rng.int(t + 1);
        const x = this.addCodes[n0 + t]!;
        this.addCodes[n0 + t] = this.addCodes[n0 + r]!;
        this.addCodes[n0 + r] = x;
      }
    }
    for (let t = 0; t < n; t++) {
      state.moveSites[t] = this.freed[t]!;
      state.moveNext[t] = this.addCodes[t]!;
    }
    state.moveLength = n;
    for (let s = 0; s < L.nSlots; s++) this.after[s] = state.counts[s]! + u[s]!;
    this.logBias = logBias + Math.log(F) - Math.log(this.countFeasible(this.after, false));
    this.work = this.dirWork[d]!;
    return true;
  }
}

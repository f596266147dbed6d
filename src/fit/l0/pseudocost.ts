/**
 * Pseudocost branching for the ℓ0 branch-and-bound.
 *
 * Why: on lmo_drx the perspective bound is weak and most children gain almost nothing over
 * their parent, so which unit is split matters more than how fast a node is solved. A unit's
 * pseudocost per direction is the mean bound gain of the children made by splitting it so
 * far, per unit of fractionality removed (ON child: 1 − z, OFF child: z). The score of a
 * candidate is the product of its two estimated gains (the usual product rule: a split that
 * only helps one side leaves the other child as weak as the parent). Units never split yet get
 * the mean pseudocost of the units that were; before any split the search falls back to the
 * hierarchy-weighted fractionality of bnb.ts. Updates happen in search order, so the choice is
 * deterministic.
 */
export class Pseudocosts {
  private readonly sum: [Float64Array, Float64Array];
  private readonly count: [Int32Array, Int32Array];
  private readonly total = [0, 0];
  private readonly seen = [0, 0];

  constructor(m: number) {
    this.sum = [new Float64Array(m), new Float64Array(m)];
    this.count = [new Int32Array(m), new Int32Array(m)];
  }

  /** A child of a split on `unit` (on = the ON child) gained `gain` over its parent, removing `frac`. */
  record(unit: number, on: boolean, frac: number, gain: number): void {
    if (!(frac > 1e-6) || !Number.isFinite(gain)) return;
    const d = on ? 1 : 0, v = Math.max(0, gain) / frac;
    this.sum[d][unit] += v;
    this.count[d][unit]++;
    this.total[d] += v;
    this.seen[d]++;
  }

  /** True when the unit has been split at least once in both directions. */
  reliable(u: number): boolean {
    return this.count[0][u]! > 0 && this.count[1][u]! > 0;
  }

  /** True once both directions have at least one observation. */
  get ready(): boolean {
    return this.seen[0]! > 0 && this.seen[1]! > 0;
  }

  private estimate(d: 0 | 1, u: number): number {
    const n = this.count[d][u]!;
    return n > 0 ? this.sum[d][u]! / n : this.total[d]! / this.seen[d]!;
  }

  /** Product score of splitting unit u at relaxed value z (larger is better). */
  score(u: number, z: number): number {
    const eps = 1e-9;
    return Math.max(eps, this.estimate(0, u) * z) * Math.max(eps, this.estimate(1, u) * (1 - z));
  }
}

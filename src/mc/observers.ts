/**
 * Observers: called on every kept (thinned) sample, they record what the summary reports.
 * Energies are per primitive cell (eV), compositions are fractions of a sublattice.
 */
import { OptionError } from '../core/errors.ts';
import type { Mat3 } from '../core/mat3.ts';
import type { ClusterSpace } from '../space/cluster-space.ts';
import { CellIndexer, CorrelationEvaluator } from '../space/correlation.ts';
import { supercellSites } from '../structure/supercell.ts';
import type { McState } from './state.ts';

export interface Observer {
  readonly name: string;
  observe(state: McState): void;
  /** Drop the first n samples (equilibration). */
  discard(n: number): void;
}

export class EnergyObserver implements Observer {
  readonly name = 'energy';
  trace: number[] = [];
  observe(state: McState): void {
    this.trace.push(state.energyPerPrim);
  }
  discard(n: number): void {
    this.trace = this.trace.slice(n);
  }
}

/** Slot counts per sample (slot = sublattice × species). */
export class CompositionObserver implements Observer {
  readonly name = 'composition';
  trace: Int32Array[] = [];
  observe(state: McState): void {
    this.trace.push(Int32Array.from(state.counts));
  }
  discard(n: number): void {
    this.trace = this.trace.slice(n);
  }
}

/** Mean correlation vector (recomputed on each kept sample; samples are thinned). */
export class CorrelationObserver implements Observer {
  readonly name = 'correlations';
  private readonly ev: CorrelationEvaluator;
  private samples: Float64Array[] = [];
  constructor(space: ClusterSpace, scMatrix: Mat3) {
    this.ev = new CorrelationEvaluator(space, scMatrix);
  }
  observe(state: McState): void {
    this.samples.push(Float64Array.from(this.ev.correlations(state.codes)));
  }
  discard(n: number): void {
    this.samples = this.samples.slice(n);
  }
  get mean(): Float64Array {
    const m = new Float64Array(this.ev.nCorrelations);
    for (const s of this.samples) for (let j = 0; j < m.length; j++) m[j]! += s[j]! / this.samples.length;
    return m;
  }
}

/**
 * Warren–Cowley short-range order of one pair orbit: α_AB = 1 − P(B on the second site | A on the
 * first) / c_B, with c_B the fraction of B on the second site's sublattice. Pairs are every
 * image of the orbit in the supercell, in both directions.
 */
export class SroObserver implements Observer {
  readonly name = 'sro';
  readonly pairs: Int32Array;
  /** Accumulated pair counts [slotA·nSlots + slotB] and singles. */
  private pairCounts: Float64Array[] = [];
  private readonly nSlots: number;
  constructor(readonly space: ClusterSpace, scMatrix: Mat3, readonly orbitId: number, private readonly slotOfSite: (site: number, code: number) => number, nSlots: number) {
    const o = space.orbits.find((x) => x.id === orbitId);
    if (o?.size !== 2) throw new OptionError(`orbit ${orbitId} is not a pair orbit of the model (see \`celt space\`)`, { field: 'sro' });
    this.nSlots = nSlots;
    const sites = supercellSites(space.prim, scMatrix);
    const P = space.prim.sites.length;
    const cells = new CellIndexer(scMatrix);
    const siteOf = new Int32Array(cells.nCells * P);
    const offsets: number[][] = new Array(cells.nCells);
    sites.forEach((s, i) => {
      const c = cells.cellOf(s.offset[0], s.offset[1], s.offset[2]);
      siteOf[c * P + s.primSite] = i;
      offsets[c] = s.offset;
    });
    const list: number[] = [];
    for (let c = 0; c < cells.nCells; c++) {
      const t = offsets[c]!;
      for (const img of o.images) {
        const a = siteOf[cells.cellOf(img[1]! + t[0]!, img[2]! + t[1]!, img[3]! + t[2]!) * P + img[0]!]!;
        const b = siteOf[cells.cellOf(img[5]! + t[0]!, img[6]! + t[1]!, img[7]! + t[2]!) * P + img[4]!]!;
        list.push(a, b, b, a);
      }
    }
    this.pairs = Int32Array.from(list);
  }
  observe(state: McState): void {
    const n = this.nSlots;
    const c = new Float64Array(n * n);
    const codes = state.codes, p = this.pairs;
    for (let q = 0; q < p.length; q += 2) c[this.slotOfSite(p[q]!, codes[p[q]!]!) * n + this.slotOfSite(p[q + 1]!, codes[p[q + 1]!]!)]!++;
    this.pairCounts.push(c);
  }
  discard(n: number): void {
    this.pairCounts = this.pairCounts.slice(n);
  }
  /**
   * α_AB for every slot pair the orbit connects: P(B | A) among pairs whose first site holds A
   * and whose second site is on B's sublattice, divided by c_B on that sublattice.
   */
  alpha(slotSpecies: string[], slotSub: Int32Array): { from: string; to: string; alpha: number }[] {
    const n = this.nSlots;
    const tot = new Float64Array(n * n);
    for (const c of this.pairCounts) for (let k = 0; k < tot.length; k++) tot[k]! += c[k]!;
    const second = new Float64Array(n);
    for (let a = 0; a < n; a++) for (let b = 0; b < n; b++) second[b]! += tot[a * n + b]!;
    const out: { from: string; to: string; alpha: number }[] = [];
    for (let a = 0; a < n; a++) {
      for (let b = 0; b < n; b++) {
        let fromA = 0, subAll = 0;
        for (let b2 = 0; b2 < n; b2++) {
          if (slotSub[b2] !== slotSub[b]) continue;
          fromA += tot[a * n + b2]!;
          subAll += second[b2]!;
        }
        if (fromA === 0 || second[b] === 0) continue;
        const cB = second[b]! / subAll;
        out.push({ from: slotSpecies[a]!, to: slotSpecies[b]!, alpha: 1 - tot[a * n + b]! / fromA / cB });
      }
    }
    return out;
  }
}

/**
 * The sampled state: species codes on every supercell site, the whole-cell energy, and the
 * bookkeeping moves need in O(1): per (sublattice, species) slot the count and the list of
 * sites holding it (with each site's position in its list), so a swap partner or a site of a
 * given species is drawn without scanning the cell.
 *
 * A "slot" is one (active sublattice, species code) pair; slots are numbered sublattice-major.
 * Inactive sites (a single allowed species, e.g. O2-) belong to no sublattice and never move.
 */
import { InputError } from '../core/errors.ts';
import type { Mat3 } from '../core/mat3.ts';
import type { ClusterSpace } from '../space/cluster-space.ts';
import { supercellSites } from '../structure/supercell.ts';
import type { Processor } from './processor.ts';

export interface SublatticeInfo {
  /** Index among active sublattices. */
  index: number;
  /** The space's sublattice id. */
  spaceId: number;
  species: string[];
  /** Formal charge per species code (0 for vacancies and species without one). */
  charges: number[];
  /** Supercell sites of this sublattice. */
  sites: Int32Array;
  /** First slot of this sublattice. */
  slot0: number;
}

/** Static description of the supercell's movable sites. */
export class Layout {
  readonly nSites: number;
  readonly nPrims: number;
  readonly sublattices: SublatticeInfo[];
  /** Active sublattice index per supercell site, −1 when inactive. */
  readonly subOf: Int32Array;
  readonly activeSites: Int32Array;
  readonly nSlots: number;
  /** Species key per slot. */
  readonly slotSpecies: string[];
  /** Distinct species keys over the active sublattices, first-seen order. */
  readonly species: string[];
  /** Index into `species` per slot. */
  readonly slotSpeciesId: Int32Array;
  readonly slotCharge: Float64Array;

  constructor(readonly space: ClusterSpace, readonly scMatrix: Mat3) {
    const sites = supercellSites(space.prim, scMatrix);
    this.nSites = sites.length;
    this.nPrims = sites.length / space.prim.sites.length;
    const subs = space.spaces.sublattices.filter((s) => s.active);
    this.subOf = new Int32Array(this.nSites).fill(-1);
    let slot0 = 0;
    this.sublattices = subs.map((s, index) => {
      const list: number[] = [];
      sites.forEach((st, i) => {
        if (space.spaces.sites[st.primSite]!.sublattice === s.id) {
          list.push(i);
          this.subOf[i] = index;
        }
      });
      const info: SublatticeInfo = { index, spaceId: s.id, species: s.species.map((sp) => sp.key), charges: s.species.map((sp) => (sp.isVacancy ? 0 : sp.charge)), sites: Int32Array.from(list), slot0 };
      slot0 += s.species.length;
      return info;
    });
    this.nSlots = slot0;
    this.activeSites = Int32Array.from(Array.from(this.subOf.keys()).filter((i) => this.subOf[i]! >= 0));
    this.slotSpecies = this.sublattices.flatMap((s) => s.species);
    this.species = [...new Set(this.slotSpecies)];
    this.slotSpeciesId = Int32Array.from(this.slotSpecies, (k) => this.species.indexOf(k));
    this.slotCharge = Float64Array.from(this.sublattices.flatMap((s) => s.charges));
  }

  slotOf(site: number, code: number): number {
    return this.sublattices[this.subOf[site]!]!.slot0 + code;
  }

  /** True when the active species carry different charges, so flips change the cell's charge. */
  get chargedFlips(): boolean {
    return this.sublattices.some((s) => new Set(s.charges).size > 1);
  }
}

export class McState {
  readonly layout: Layout;
  readonly codes: Int32Array;
  readonly processor: Processor;
  /** Whole-supercell energy (eV). */
  energy = 0;
  readonly counts: Int32Array;
  /** Site lists per slot: lists[slot][0..counts[slot]). */
  readonly lists: Int32Array[];
  /** Position of each active site in its slot's list. */
  readonly pos: Int32Array;
  /** Move buffer filled by an ensemble's proposal. */
  readonly moveSites = new Int32Array(64);
  readonly moveNext = new Int32Array(64);
  readonly movePrev = new Int32Array(64);
  moveLength = 0;

  constructor(layout: Layout, processor: Processor, codes: Int32Array) {
    this.layout = layout;
    this.processor = processor;
    this.codes = Int32Array.from(codes);
    this.counts = new Int32Array(layout.nSlots);
    this.lists = layout.sublattices.flatMap((s) => s.species.map(() => new Int32Array(s.sites.length)));
    this.pos = new Int32Array(layout.nSites).fill(-1);
    this.set(codes);
  }

  /** Replace the occupancy (validated) and rebuild every cache. */
  set(codes: ArrayLike<number>): void {
    const L = this.layout;
    if (codes.length !== L.nSites) throw new InputError(`occupancy has ${codes.length} sites, the supercell ${L.nSites}`, { field: 'occupancy' });
    this.counts.fill(0);
    for (let i = 0; i < L.nSites; i++) {
      const c = codes[i]!;
      const sub = L.subOf[i]!;
      const m = sub >= 0 ? L.sublattices[sub]!.species.length : 1;
      if (!Number.isInteger(c) || c < 0 || c >= m) throw new InputError(`species code ${c} at supercell site ${i} is outside 0..${m - 1}`, { field: 'occupancy' });
      this.codes[i] = c;
      if (sub < 0) continue;
      const slot = L.sublattices[sub]!.slot0 + c;
      this.pos[i] = this.counts[slot]!;
      this.lists[slot]![this.counts[slot]!++] = i;
    }
    this.processor.reset(this.codes);
    this.energy = this.processor.energy(this.codes);
  }

  /** Energy change of the buffered move (whole cell, eV). */
  moveDelta(): number {
    return this.processor.delta(this.codes, this.moveSites, this.moveNext, this.moveLength);
  }

  /** Apply the buffered move whose energy change is dE. */
  accept(dE: number): void {
    const n = this.moveLength, L = this.layout;
    for (let k = 0; k < n; k++) {
      const s = this.moveSites[k]!;
      const sub = L.sublattices[L.subOf[s]!]!;
      const from = sub.slot0 + this.codes[s]!, to = sub.slot0 + this.moveNext[k]!;
      this.movePrev[k] = this.codes[s]!;
      this.codes[s] = this.moveNext[k]!;
      // remove s from its list (move the last entry into its place), append to the new list
      const lf = this.lists[from]!, p = this.pos[s]!, last = lf[--this.counts[from]!]!;
      lf[p] = last;
      this.pos[last] = p;
      this.pos[s] = this.counts[to]!;
      this.lists[to]![this.counts[to]!++] = s;
    }
    this.processor.update(this.codes, this.moveSites, this.movePrev, n);
    this.energy += dE;
  }

  get energyPerPrim(): number {
    return this.energy / this.layout.nPrims;
  }
}

/**
 * A crystal structure: a lattice and sites in fractional coordinates. A site holds a list of
 * species with occupancies, so the same type describes ordered structures (one species at
 * occupancy 1) and disordered primitive cells (several species, occupancies summing to ≤ 1;
 * a shortfall means a vacancy is allowed, as in pymatgen).
 */
import type { Vec3 } from '../core/mat3.ts';
import type { Lattice } from './lattice.ts';
import { Species, type SpeciesOccupancy } from './species.ts';

export interface Site {
  frac: Vec3;
  species: SpeciesOccupancy[];
  label?: string;
  /** Free-form per-site data carried from input files (e.g. magmom, selective dynamics). */
  properties?: Record<string, unknown>;
}

export class Structure {
  readonly lattice: Lattice;
  readonly sites: Site[];
  /** Free-form structure-level data (e.g. source file, entry energy). */
  properties: Record<string, unknown>;

  constructor(lattice: Lattice, sites: Site[], properties: Record<string, unknown> = {}) {
    this.lattice = lattice;
    this.sites = sites;
    this.properties = properties;
  }

  get numSites(): number {
    return this.sites.length;
  }

  isOrdered(): boolean {
    return this.sites.every((s) => s.species.length === 1 && Math.abs(s.species[0]!.occu - 1) < 1e-8);
  }

  /** The species on an ordered site; throws on a disordered one. */
  speciesAt(i: number): Species {
    const s = this.sites[i]!;
    if (s.species.length !== 1) throw new RangeError(`site ${i} is disordered`);
    return s.species[0]!.species;
  }

  cart(i: number): Vec3 {
    return this.lattice.fracToCart(this.sites[i]!.frac);
  }

  /**
   * The species a disordered site allows in canonical order (Species.compare: pymatgen's sort,
   * vacancy last, as smol orders a site space), with a vacancy added when occupancies sum to
   * less than one. The order fixes the species codes and so the basis functions: it must not
   * depend on the order a file happens to list them in.
   */
  allowedSpecies(i: number): Species[] {
    const s = this.sites[i]!;
    const list = s.species.map((o) => o.species);
    const total = s.species.reduce((a, o) => a + o.occu, 0);
    if (total < 1 - 1e-6 && !list.some((sp) => sp.isVacancy)) list.push(Species.VACANCY);
    return list.sort(Species.compare);
  }

  /** The species of every site in file order, vacancy added as allowedSpecies does (for format checks). */
  fileSpeciesOrder(): string[][] {
    return this.sites.map((s, i) => {
      const keys = s.species.map((o) => o.species.key);
      const vacancyAdded = this.allowedSpecies(i).length > keys.length;
      return vacancyAdded ? [...keys, Species.VACANCY.key] : keys;
    });
  }

  /** Amount of each species key (occupancy-weighted), vacancies excluded. */
  composition(): Map<string, number> {
    const c = new Map<string, number>();
    for (const s of this.sites) {
      for (const { species, occu } of s.species) {
        if (species.isVacancy) continue;
        c.set(species.key, (c.get(species.key) ?? 0) + occu);
      }
    }
    return c;
  }

  /** Reduced-formula-like text, e.g. "Li6 Mn4 O10" (elements in order of first appearance). */
  formula(): string {
    const byEl = new Map<string, number>();
    for (const [key, n] of this.composition()) {
      const el = Species.parse(key).element;
      byEl.set(el, (byEl.get(el) ?? 0) + n);
    }
    return [...byEl].map(([el, n]) => `${el}${+n.toFixed(4) === 1 ? '' : +n.toFixed(4)}`).join(' ');
  }
}

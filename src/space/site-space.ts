/**
 * Site spaces of a disordered primitive cell: for every prim site the species it allows
 * (prim order, vacancy last — Structure.allowedSpecies), their concentrations (the measure
 * for concentration-weighted orthonormalization) and whether the site is active (more than
 * one species). Sublattices group sites with the same allowed-species list.
 */
import { InputError } from '../core/errors.ts';
import type { Species } from '../structure/species.ts';
import type { Structure } from '../structure/structure.ts';

export interface SiteSpace {
  site: number;
  species: Species[];
  /** Concentration of each allowed species in the prim (vacancy = 1 − Σ occupancies). */
  concentrations: Float64Array;
  active: boolean;
  sublattice: number;
}

export interface Sublattice {
  id: number;
  species: Species[];
  sites: number[];
  active: boolean;
}

export interface SiteSpaces {
  sites: SiteSpace[];
  sublattices: Sublattice[];
  activeSites: number[];
}

export function siteSpaces(prim: Structure): SiteSpaces {
  const subs = new Map<string, Sublattice>();
  const sites: SiteSpace[] = prim.sites.map((site, i) => {
    const species = prim.allowedSpecies(i);
    const keys = species.map((s) => s.key);
    if (new Set(keys).size !== keys.length) throw new InputError(`site ${i} lists a species twice (${keys.join(', ')})`, { field: `sites[${i}].species` });
    const conc = new Float64Array(species.length);
    let total = 0;
    for (const o of site.species) {
      const k = keys.indexOf(o.species.key);
      conc[k] = o.occu;
      total += o.occu;
    }
    const v = keys.indexOf('Vacancy');
    if (v >= 0 && !site.species.some((o) => o.species.isVacancy)) conc[v] = Math.max(0, 1 - total);
    const key = keys.join(',');
    let sub = subs.get(key);
    if (!sub) {
      sub = { id: subs.size, species, sites: [], active: species.length > 1 };
      subs.set(key, sub);
    }
    sub.sites.push(i);
    return { site: i, species, concentrations: conc, active: species.length > 1, sublattice: sub.id };
  });
  const activeSites = sites.filter((s) => s.active).map((s) => s.site);
  if (activeSites.length === 0) {
    throw new InputError('the primitive cell has no disordered site (every site allows a single species), so there is nothing to expand');
  }
  return { sites, sublattices: [...subs.values()], activeSites };
}

/** Species code of `species` on a site space, or −1 if the site does not allow it. */
export function speciesCode(space: SiteSpace, key: string): number {
  for (let k = 0; k < space.species.length; k++) if (space.species[k]!.key === key) return k;
  return -1;
}

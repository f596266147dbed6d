/**
 * Parsing of the structure-generation options: SPECIES=number lists matched to the lattice's
 * species, and per-sublattice species counts from composition fractions (supercell matrices:
 * parseSupercell in src/structure/supercell.ts). Each error names the option.
 */
import { OptionError } from '../core/errors.ts';
import type { ClusterSpace } from '../space/cluster-space.ts';
import { Species, parseSpeciesValues } from '../structure/species.ts';
import type { SpeciesCount } from './groundstate-problem.ts';

/** "A=1,B=-0.5" → { A: 1, B: −0.5 } with species keys matched to the lattice's ("Li" → "Li+"). */
export function latticeSpeciesValues(text: string, space: ClusterSpace, option: string): Record<string, number> {
  const out: Record<string, number> = {};
  for (const [k, v] of parseSpeciesValues(text, option)) {
    const key = latticeSpecies(k, space, option);
    if (key in out) throw new OptionError(`--${option} gives ${key} twice`, { field: option });
    out[key] = v;
  }
  return out;
}

/** The lattice's key for a user's species text ("Li+", or "Li" when only one Li species exists). */
export function latticeSpecies(text: string, space: ClusterSpace, option: string): string {
  const all = [...new Set(space.spaces.sublattices.flatMap((s) => s.species.map((sp) => sp.key)))];
  let key: string;
  try {
    key = Species.parse(text).key;
  } catch {
    throw new OptionError(`--${option}: cannot read species '${text}' (species on the lattice: ${all.join(', ')})`, { field: option });
  }
  if (all.includes(key)) return key;
  const sameElement = all.filter((k) => k !== 'Vacancy' && Species.parse(k).element === key);
  if (sameElement.length === 1) return sameElement[0]!;
  throw new OptionError(`--${option}: species ${text} is not on the lattice (species: ${all.join(', ')})`, { field: option });
}

/**
 * Fractions → fixed counts: SPECIES=f fixes f × (sites of each sublattice allowing SPECIES) on
 * every such sublattice; the count must come out an integer for this supercell.
 */
export function countsFromFractions(fractions: Record<string, number>, space: ClusterSpace, nPrims: number, option = 'composition'): SpeciesCount[] {
  const out: SpeciesCount[] = [];
  for (const [key, f] of Object.entries(fractions)) {
    if (!(f >= 0 && f <= 1)) throw new OptionError(`--${option}: fraction of ${key} must lie in [0, 1], got ${f}`, { field: option });
    for (const sub of space.spaces.sublattices) {
      if (!sub.species.some((s) => s.key === key)) continue;
      const n = sub.sites.length * nPrims;
      const count = f * n;
      if (Math.abs(count - Math.round(count)) > 1e-6) {
        throw new OptionError(`--${option}: impossible composition, ${key}=${f} of the ${n} sites of sublattice ${sub.id} (${sub.species.map((s) => s.key).join('/')}) in this supercell is ${+count.toFixed(4)} atoms; choose a fraction that is a multiple of 1/${n} or another supercell`, { field: option });
      }
      out.push({ sublattice: sub.id, species: key, count: Math.round(count) });
    }
  }
  return out;
}

/**
 * Parsing of the structure-generation options shared by the CLI commands: supercell matrices
 * ("a b c,d e f,g h i", "a b c" diagonal, or "N" for N·I), SPECIES=number lists, and
 * per-sublattice species counts from composition fractions. Each error names the option.
 */
import { OptionError } from '../core/errors.ts';
import { type Mat3, det3 } from '../core/mat3.ts';
import type { ClusterSpace } from '../space/cluster-space.ts';
import { Species } from '../structure/species.ts';
import type { SpeciesCount } from './groundstate-problem.ts';

export function parseSupercell(text: string, option = 'supercell'): Mat3 {
  const rows = text.split(',').map((r) => r.trim().split(/\s+/).filter(Boolean));
  const nums = rows.flat().map((v) => {
    const x = Number(v);
    if (!Number.isInteger(x)) throw new OptionError(`--${option} entries must be integers, got '${v}' in '${text}'`, { field: option });
    return x;
  });
  let m: Mat3;
  if (rows.length === 1 && nums.length === 1) m = [[nums[0]!, 0, 0], [0, nums[0]!, 0], [0, 0, nums[0]!]];
  else if (rows.length === 1 && nums.length === 3) m = [[nums[0]!, 0, 0], [0, nums[1]!, 0], [0, 0, nums[2]!]];
  else if (rows.length === 3 && rows.every((r) => r.length === 3)) m = [rows[0]!.map(Number), rows[1]!.map(Number), rows[2]!.map(Number)] as Mat3;
  else throw new OptionError(`--${option} must be "a b c,d e f,g h i" (rows of the integer supercell matrix), "a b c" (diagonal) or one integer N (N·I), got '${text}'`, { field: option });
  if (Math.round(det3(m)) === 0) throw new OptionError(`--${option} '${text}' has zero volume (singular matrix)`, { field: option });
  return m;
}

/** "A=1,B=-0.5" → { A: 1, B: −0.5 } with species keys normalized against the lattice. */
export function parseSpeciesValues(text: string, space: ClusterSpace, option: string): Record<string, number> {
  const out: Record<string, number> = {};
  for (const part of text.split(',').map((s) => s.trim()).filter(Boolean)) {
    const eq = part.indexOf('=');
    if (eq <= 0) throw new OptionError(`--${option} entries must look like SPECIES=value, got '${part}'`, { field: option });
    const key = latticeSpecies(part.slice(0, eq).trim(), space, option);
    const v = Number(part.slice(eq + 1));
    if (!Number.isFinite(v) || part.slice(eq + 1).trim() === '') throw new OptionError(`--${option} value for ${key} is not a number: '${part.slice(eq + 1)}'`, { field: option });
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

/**
 * Translation symmetry breaking for the ground-state MILP. Translations by primitive lattice
 * vectors permute the supercell's sites and leave the energy, the charge and every
 * per-sublattice count unchanged. So when a sublattice made of a single prim site has a fixed
 * count n_s > 0 of species s, some copy of that prim site holds s in every optimal labeling,
 * and a translation moves it to the first copy: fixing x_{first copy, s} = 1 loses no optimum
 * and removes up to N − 1 translated copies of each solution from the search tree.
 */
import type { GroundStateProblem } from './groundstate-problem.ts';
import { siteLocator } from './indicator.ts';
import { supercellSites } from '../structure/supercell.ts';

export interface FixedSite {
  site: number;
  code: number;
}

/** The site to fix, or null when no fixed count allows it. */
export function symmetryBreak(p: GroundStateProblem): FixedSite | null {
  const subs = p.ce.space.spaces.sublattices;
  for (const c of p.counts) {
    const sub = subs[c.sublattice]!;
    if (c.count === 0 || sub.sites.length !== 1 || !sub.active) continue;
    // supercell sites are prim-site major, so the first copy of prim site q is q·N
    const site = sub.sites[0]! * p.nPrims;
    return { site, code: p.species[site]!.findIndex((s) => s.key === c.species) };
  }
  return null;
}

/** The labeling translated so that `fix.site` holds `fix.code` (it must hold it somewhere on that prim site). */
export function translateToFixed(p: GroundStateProblem, codes: Int32Array, fix: FixedSite): Int32Array {
  if (codes[fix.site] === fix.code) return codes;
  const sites = supercellSites(p.ce.space.prim, p.scMatrix);
  const prim = sites[fix.site]!.primSite;
  const from = sites.findIndex((s, i) => s.primSite === prim && codes[i] === fix.code);
  if (from < 0) throw new RangeError('translateToFixed: the labeling does not contain the fixed species on that prim site');
  const locate = siteLocator(p.scMatrix, sites, p.ce.space.prim.sites.length);
  const t = [0, 1, 2].map((k) => sites[fix.site]!.offset[k]! - sites[from]!.offset[k]!);
  const out = new Int32Array(codes.length);
  sites.forEach((s, i) => (out[locate(s.primSite, s.offset[0] + t[0]!, s.offset[1] + t[1]!, s.offset[2] + t[2]!)] = codes[i]!));
  return out;
}

/**
 * What mapping needs of a primitive cell, computed once per prim object: its Niggli-reduced
 * lattice, the site coordinates in that basis, the allowed species per site, which sites are
 * anion sites, and each cation site's coordinating anions (its "cage", for anion-framework mode).
 */
import { type Mat3, type Vec3, inv3, vecMul3 } from '../../core/mat3.ts';
import { niggliReduce } from '../reduction.ts';
import type { Structure } from '../structure.ts';

export interface PrimInfo {
  red: Mat3; // reduced prim lattice rows
  tp: Mat3; // red = tp · prim.matrix
  frac: Vec3[]; // site fractional coordinates in the reduced basis
  allowed: Set<string>[];
  vacancyAllowed: boolean[];
  anionSite: boolean[];
  speciesSet: Set<string>;
  /** Per cation site: coordinating anion sites (q, offset in reduced basis). */
  cages: { q: number; h: Vec3 }[][];
}

const primCache = new WeakMap<Structure, PrimInfo>();

export function primInfo(prim: Structure): PrimInfo {
  const hit = primCache.get(prim);
  if (hit) return hit;
  const { lattice: redLat, transformation: tp } = niggliReduce(prim.lattice);
  const tpInv = inv3(tp);
  const frac = prim.sites.map((s) => vecMul3(s.frac, tpInv));
  const allowed = prim.sites.map((_, i) => new Set(prim.allowedSpecies(i).map((sp) => sp.key)));
  const vacancyAllowed = allowed.map((a) => a.has('Vacancy'));
  const anionSite = prim.sites.map((_, i) => {
    const real = prim.allowedSpecies(i).filter((sp) => !sp.isVacancy);
    return real.length > 0 && real.every((sp) => sp.oxidationState !== null && sp.oxidationState < 0);
  });
  const speciesSet = new Set<string>();
  for (const a of allowed) for (const k of a) if (k !== 'Vacancy') speciesSet.add(k);
  const red = redLat.matrix;
  const cages = frac.map((fp, p) => {
    if (anionSite[p]) return [];
    const found: { q: number; h: Vec3; d: number }[] = [];
    frac.forEach((fq, q) => {
      if (!anionSite[q]) return;
      for (let i = -2; i <= 2; i++) for (let j = -2; j <= 2; j++) for (let k = -2; k <= 2; k++) {
        const d = vecMul3([fq[0] + i - fp[0], fq[1] + j - fp[1], fq[2] + k - fp[2]], red);
        found.push({ q, h: [i, j, k], d: Math.hypot(...d) });
      }
    });
    if (!found.length) return [];
    const dmin = Math.min(...found.map((f) => f.d));
    return found.filter((f) => f.d < dmin * 1.1 + 1e-6).map(({ q, h }) => ({ q, h }));
  });
  const info: PrimInfo = { red, tp, frac, allowed, vacancyAllowed, anionSite, speciesSet, cages };
  primCache.set(prim, info);
  return info;
}

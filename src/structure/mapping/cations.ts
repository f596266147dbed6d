/**
 * Anion-framework mode, second step: cations to cation sites by anion cage. The cage centre of
 * a cation site is its ideal position moved by the mean displacement of its coordinating
 * anions in the relaxed cell; each cation goes to the nearest cage centre.
 */
import { MappingError } from '../../core/errors.ts';
import { type Vec3, vecMul3 } from '../../core/mat3.ts';
import { type KeyedAtom, type Placement, quad, siteKey } from './geometry.ts';
import type { PrimInfo } from './prim-info.ts';
import type { SubMatch } from './sublattice.ts';

export function assignCations(info: PrimInfo, match: SubMatch, atoms: KeyedAtom[], anionIdx: number[], cationIdx: number[], cationSites: number[], n: number): Placement[] {
  const fr = match.frame;
  const anionDisp = new Map<number, Vec3>();
  match.placements.forEach((pl) => anionDisp.set(siteKey(fr, pl.p, pl.g), pl.disp));
  // translation that puts the matched anions on their sites (with mean displacement removed)
  const a0 = anionIdx[0]!;
  const pl0 = match.placements[0]!;
  const x0 = vecMul3(atoms[a0]!.f, fr.m);
  const fp0 = info.frac[pl0.p]!;
  const t: Vec3 = [0, 1, 2].map((k) => fp0[k]! + pl0.g[k]! + pl0.disp[k]! - x0[k]!) as Vec3;

  const centre = (p: number, g: Vec3): Vec3 => {
    const fp = info.frac[p]!;
    const c: Vec3 = [fp[0] + g[0], fp[1] + g[1], fp[2] + g[2]];
    const cage = info.cages[p]!;
    let cnt = 0;
    const mean: Vec3 = [0, 0, 0];
    for (const { q, h } of cage) {
      const d = anionDisp.get(siteKey(fr, q, [g[0] + h[0], g[1] + h[1], g[2] + h[2]]));
      if (!d) continue;
      cnt++;
      for (let k = 0; k < 3; k++) mean[k] += d[k]!;
    }
    if (cnt) for (let k = 0; k < 3; k++) c[k] += mean[k]! / cnt;
    return c;
  };
  const cageRadius = (p: number): number => {
    const c = info.cages[p]![0];
    if (!c) return Infinity;
    const fp = info.frac[p]!, fq = info.frac[c.q]!;
    return Math.sqrt(quad(fr.gp, fq[0] + c.h[0] - fp[0], fq[1] + c.h[1] - fp[1], fq[2] + c.h[2] - fp[2]));
  };
  const claimed = new Map<number, number>();
  const out: Placement[] = [];
  for (const i of cationIdx) {
    const xr = vecMul3(atoms[i]!.f, fr.m);
    const x: Vec3 = [xr[0] + t[0], xr[1] + t[1], xr[2] + t[2]];
    let best: { p: number; g: Vec3; dc: number } | null = null;
    for (const p of cationSites) {
      const fp = info.frac[p]!;
      const b = [Math.round(x[0] - fp[0]), Math.round(x[1] - fp[1]), Math.round(x[2] - fp[2])];
      for (let a = -1; a <= 1; a++) for (let c = -1; c <= 1; c++) for (let e = -1; e <= 1; e++) {
        const g: Vec3 = [b[0]! + a, b[1]! + c, b[2]! + e];
        const ctr = centre(p, g);
        const dc = Math.sqrt(quad(fr.gp, x[0] - ctr[0], x[1] - ctr[1], x[2] - ctr[2]));
        if (!best || dc < best.dc) best = { p, g, dc };
      }
    }
    if (!best) throw new MappingError('the primitive cell has no cation site', 'species-not-allowed');
    const key = atoms[i]!.key;
    if (!info.allowed[best.p]!.has(key)) {
      throw new MappingError(`${key} (site ${i}) sits in the cage of prim site ${best.p}, which does not allow it`, 'species-not-allowed');
    }
    if (best.dc > cageRadius(best.p)) {
      throw new MappingError(`${key} (site ${i}) is outside the anion cage of its nearest cation site`, 'site-outside-tolerance');
    }
    const sk = siteKey(fr, best.p, best.g);
    if (claimed.has(sk)) {
      throw new MappingError(`cations at sites ${claimed.get(sk)} and ${i} sit in the same anion cage`, 'site-conflict');
    }
    claimed.set(sk, i);
    const fp = info.frac[best.p]!;
    const disp: Vec3 = [x[0] - fp[0] - best.g[0], x[1] - fp[1] - best.g[1], x[2] - fp[2] - best.g[2]];
    out.push({ p: best.p, g: best.g, disp, d: Math.sqrt(quad(fr.gp, disp[0], disp[1], disp[2])) });
  }
  for (const p of cationSites) {
    if (info.vacancyAllowed[p]) continue;
    const filled = out.filter((pl) => pl.p === p).length;
    if (filled !== n) throw new MappingError(`prim site ${p} does not allow vacancies but ${n - filled} of its ${n} copies are empty`, 'composition-mismatch');
  }
  return out;
}

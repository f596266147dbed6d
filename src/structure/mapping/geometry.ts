/**
 * The geometry every mapping step shares: a candidate supercell "frame" (its metric on
 * reduced-prim fractional displacements and the site tolerance), placements of atoms on prim
 * sites, and the nearest-site search (the hot loop of mapping).
 */
import { type Mat3, type Vec3, vecMul3 } from '../../core/mat3.ts';
import type { PrimInfo } from './prim-info.ts';

export type MappingReason =
  | 'no-lattice-match'
  | 'site-outside-tolerance'
  | 'species-not-allowed'
  | 'composition-mismatch'
  | 'size-mismatch'
  | 'site-conflict'
  | 'disordered-structure'
  | 'no-anion-sublattice';

/** Metric tensor (Gram matrix) of a lattice given by lengths and angles (degrees). */
export function metricFromParams(a: number, b: number, c: number, al: number, be: number, ga: number): Mat3 {
  const r = Math.PI / 180;
  const ca = Math.cos(al * r), cb = Math.cos(be * r), cg = Math.cos(ga * r);
  return [
    [a * a, a * b * cg, a * c * cb],
    [a * b * cg, b * b, b * c * ca],
    [a * c * cb, b * c * ca, c * c],
  ];
}

/** Lengths a, b, c and angles α, β, γ (degrees) of lattice rows. */
export function latticeParams(m: Mat3): number[] {
  const l = m.map((v) => Math.hypot(v[0], v[1], v[2]));
  const ang = (i: number, j: number) => {
    const c = (m[i]![0] * m[j]![0] + m[i]![1] * m[j]![1] + m[i]![2] * m[j]![2]) / (l[i]! * l[j]!);
    return (Math.acos(Math.max(-1, Math.min(1, c))) * 180) / Math.PI;
  };
  return [l[0]!, l[1]!, l[2]!, ang(1, 2), ang(0, 2), ang(0, 1)];
}

/** xᵀ g x for a symmetric 3×3 metric g. */
export function quad(g: Mat3, x: number, y: number, z: number): number {
  return g[0][0] * x * x + g[1][1] * y * y + g[2][2] * z * z + 2 * (g[0][1] * x * y + g[0][2] * x * z + g[1][2] * y * z);
}

/** A site of the supercell in reduced-prim coordinates: prim site p at lattice translation g. */
export interface Placement {
  p: number;
  g: Vec3;
  /** Displacement atom − site, reduced-prim fractional units. */
  disp: Vec3;
  d: number;
}

export interface KeyedAtom {
  key: string;
  /** Fractional coordinates in the structure's reduced, right-handed basis. */
  f: Vec3;
}

export interface Frame {
  m: Mat3; // candidate rows in reduced-prim basis
  mInv: Mat3;
  gp: Mat3; // metric on reduced-prim fractional displacements (average lattice)
  tolA: number; // site tolerance in Å (scaled frame)
  n: number;
  /** Below this distance the rounded translate is surely the nearest copy of a prim site. */
  safe: number;
}

export function siteKey(fr: Frame, p: number, g: Vec3): number {
  // canonical representative of g modulo the supercell lattice
  const h = vecMul3(g, fr.mInv);
  const w: Vec3 = [h[0] - Math.floor(h[0] + 1e-9), h[1] - Math.floor(h[1] + 1e-9), h[2] - Math.floor(h[2] + 1e-9)];
  const c = vecMul3(w, fr.m);
  const x = Math.round(c[0]) + 512, y = Math.round(c[1]) + 512, z = Math.round(c[2]) + 512;
  return ((p * 1024 + x) * 1024 + y) * 1024 + z;
}

/** Nearest placement of point x (reduced-prim frac) among the given prim sites. */
export function nearest(fr: Frame, info: PrimInfo, x0: number, x1: number, x2: number, sites: readonly number[]): Placement | null {
  // hot loop: keep the best as scalars and allocate the result once
  let bestD2 = Infinity, bp = -1, g0 = 0, g1 = 0, g2 = 0, e0 = 0, e1 = 0, e2 = 0;
  const safe2 = fr.safe * fr.safe, gp = fr.gp;
  for (let si = 0; si < sites.length; si++) {
    const p = sites[si]!;
    const fp = info.frac[p]!;
    const rx = x0 - fp[0], ry = x1 - fp[1], rz = x2 - fp[2];
    const b0 = Math.round(rx), b1 = Math.round(ry), b2 = Math.round(rz);
    const d0 = quad(gp, rx - b0, ry - b1, rz - b2);
    if (d0 < safe2) {
      // within half the shortest lattice vector: no other translate of p can be closer
      if (d0 < bestD2) {
        bestD2 = d0; bp = p; g0 = b0; g1 = b1; g2 = b2; e0 = rx - b0; e1 = ry - b1; e2 = rz - b2;
      }
      continue;
    }
    for (let i = -1; i <= 1; i++) for (let j = -1; j <= 1; j++) for (let k = -1; k <= 1; k++) {
      const dx = rx - b0 - i, dy = ry - b1 - j, dz = rz - b2 - k;
      const d2 = quad(gp, dx, dy, dz);
      if (d2 < bestD2) {
        bestD2 = d2; bp = p; g0 = b0 + i; g1 = b1 + j; g2 = b2 + k; e0 = dx; e1 = dy; e2 = dz;
      }
    }
  }
  if (bp < 0) return null;
  return { p: bp, g: [g0, g1, g2], disp: [e0, e1, e2], d: Math.sqrt(bestD2) };
}

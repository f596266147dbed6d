/**
 * Periodic (minimum-image) geometry valid for any cell shape. The naive "wrap the fractional
 * difference to [-½, ½)" is wrong for skewed cells; after Niggli reduction the nearest image
 * is among the 27 neighbours of the wrapped difference, so we search those in the reduced
 * basis and translate the image back to the caller's basis.
 */
import { type Mat3, type Vec3, inv3, vecMul3 } from '../core/mat3.ts';
import type { Lattice } from './lattice.ts';
import { niggliReduce } from './reduction.ts';

export interface MinimumImage {
  distance: number;
  /** Integer image offset (in the caller's lattice basis): b + image is nearest to a. */
  image: Vec3;
  /** Cartesian vector from a to the nearest image of b. */
  vector: Vec3;
}

/** Minimum-image helper bound to one lattice (reduction done once). */
export class PeriodicMetric {
  readonly lattice: Lattice;
  private readonly reduced: Mat3;
  private readonly toReduced: Mat3;
  private readonly t: Mat3;

  constructor(lattice: Lattice) {
    this.lattice = lattice;
    const { lattice: red, transformation } = niggliReduce(lattice);
    this.reduced = red.matrix;
    this.t = transformation;
    this.toReduced = inv3(transformation);
  }

  /** Nearest image of fractional point b relative to fractional point a. */
  minimumImage(a: Vec3, b: Vec3): MinimumImage {
    const d: Vec3 = [b[0] - a[0], b[1] - a[1], b[2] - a[2]];
    // fractional difference in the reduced basis: f_red = f · T⁻¹
    const r = vecMul3(d, this.toReduced);
    const base: Vec3 = [Math.round(r[0]), Math.round(r[1]), Math.round(r[2])];
    const m = this.reduced;
    let best = Infinity;
    let bi = 0, bj = 0, bk = 0;
    let bv: Vec3 = [0, 0, 0];
    for (let i = -1; i <= 1; i++) {
      for (let j = -1; j <= 1; j++) {
        for (let k = -1; k <= 1; k++) {
          const x = r[0] - base[0] + i, y = r[1] - base[1] + j, z = r[2] - base[2] + k;
          const cx = x * m[0][0] + y * m[1][0] + z * m[2][0];
          const cy = x * m[0][1] + y * m[1][1] + z * m[2][1];
          const cz = x * m[0][2] + y * m[1][2] + z * m[2][2];
          const d2 = cx * cx + cy * cy + cz * cz;
          if (d2 < best - 1e-12) {
            best = d2;
            bi = i - base[0]; bj = j - base[1]; bk = k - base[2];
            bv = [cx, cy, cz];
          }
        }
      }
    }
    // image in the reduced basis → caller's basis: n_orig = n_red · T
    const img = vecMul3([bi, bj, bk], this.t).map((x) => Math.round(x) + 0) as Vec3;
    return { distance: Math.sqrt(best), image: img, vector: bv };
  }

  distance(a: Vec3, b: Vec3): number {
    return this.minimumImage(a, b).distance;
  }
}

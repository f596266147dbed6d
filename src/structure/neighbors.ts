/**
 * All neighbours within a radius, periodic, for any cell shape, by cell lists: fractional
 * space of the Niggli-reduced cell is cut into bins at least r/k thick (measured along each
 * plane normal), so every neighbour lies in a bounded block of bins around a site's own bin.
 * Works when r exceeds the cell (several images of one site are listed then).
 */
import { InputError } from '../core/errors.ts';
import { type Mat3, type Vec3, inv3, vecMul3 } from '../core/mat3.ts';
import type { Lattice } from './lattice.ts';
import { niggliReduce } from './reduction.ts';

export interface NeighborList {
  /** Pair k is centre[k] → neighbor[k] at image offset image[3k..3k+2] (caller's basis). */
  center: Int32Array;
  neighbor: Int32Array;
  image: Int32Array;
  distance: Float64Array;
  count: number;
}

class Growable {
  center = new Int32Array(1024);
  neighbor = new Int32Array(1024);
  image = new Int32Array(3072);
  distance = new Float64Array(1024);
  count = 0;
  push(i: number, j: number, a: number, b: number, c: number, d: number): void {
    if (this.count === this.center.length) {
      const n = this.count * 2;
      const grow = <T extends Int32Array | Float64Array>(x: T, len: number): T => {
        const y = new (x.constructor as { new (n: number): T })(len);
        y.set(x);
        return y;
      };
      this.center = grow(this.center, n);
      this.neighbor = grow(this.neighbor, n);
      this.image = grow(this.image, 3 * n);
      this.distance = grow(this.distance, n);
    }
    const k = this.count++;
    this.center[k] = i;
    this.neighbor[k] = j;
    this.image[3 * k] = a;
    this.image[3 * k + 1] = b;
    this.image[3 * k + 2] = c;
    this.distance[k] = d;
  }
}

/**
 * Every (i, j, image) with 0 < |x_j + image·L − x_i| ≤ r. Both directions of a pair are listed.
 * `fracs` are fractional coordinates in `lattice`'s basis (need not be wrapped).
 */
export function findNeighbors(lattice: Lattice, fracs: readonly Vec3[], r: number): NeighborList {
  if (!(r > 0) || !Number.isFinite(r)) throw new InputError(`neighbor radius must be positive, got ${r}`);
  const n = fracs.length;
  const { lattice: red, transformation: t } = niggliReduce(lattice);
  const tInv = inv3(t);
  const m: Mat3 = red.matrix;
  // plane spacings of the reduced cell: d_i = V / |a_j × a_k| = 1 / |column i of inverse|
  const inv = inv3(m);
  const spacing = [0, 1, 2].map((i) => 1 / Math.hypot(inv[0][i]!, inv[1][i]!, inv[2][i]!));
  const nb = spacing.map((d) => Math.max(1, Math.min(64, Math.floor(d / r) * 2 || 1)));
  // neighbours are at most r/d_i away in fractional coordinate i → this many bins
  const reach = spacing.map((d, i) => Math.ceil((r / d) * nb[i]!));
  const fx = new Float64Array(n * 3);
  const shift = new Int32Array(n * 3);
  const binOf = new Int32Array(n);
  const nbins = nb[0]! * nb[1]! * nb[2]!;
  const counts = new Int32Array(nbins + 1);
  for (let s = 0; s < n; s++) {
    const f = vecMul3(fracs[s]!, tInv);
    let b = 0;
    for (let k = 0; k < 3; k++) {
      const fl = Math.floor(f[k]!);
      let w = f[k]! - fl;
      let sh = fl;
      if (w >= 1) { w -= 1; sh += 1; }
      fx[3 * s + k] = w;
      shift[3 * s + k] = sh;
      b = b * nb[k]! + Math.min(nb[k]! - 1, Math.floor(w * nb[k]!));
    }
    binOf[s] = b;
    counts[b + 1]!++;
  }
  for (let b = 0; b < nbins; b++) counts[b + 1]! += counts[b]!;
  const order = new Int32Array(n);
  const fill = counts.slice(0, nbins);
  for (let s = 0; s < n; s++) order[fill[binOf[s]!]!++] = s;

  const out = new Growable();
  const r2 = r * r;
  const [m00, m01, m02] = m[0], [m10, m11, m12] = m[1], [m20, m21, m22] = m[2];
  const t00 = t[0][0], t01 = t[0][1], t02 = t[0][2], t10 = t[1][0], t11 = t[1][1], t12 = t[1][2], t20 = t[2][0], t21 = t[2][1], t22 = t[2][2];
  for (let s = 0; s < n; s++) {
    const sx = fx[3 * s]!, sy = fx[3 * s + 1]!, sz = fx[3 * s + 2]!;
    const b = binOf[s]!;
    const bz = b % nb[2]!, by = Math.floor(b / nb[2]!) % nb[1]!, bx = Math.floor(b / (nb[1]! * nb[2]!));
    for (let dx = -reach[0]!; dx <= reach[0]!; dx++) {
      const cx = bx + dx, ix = Math.floor(cx / nb[0]!), wx = cx - ix * nb[0]!;
      for (let dy = -reach[1]!; dy <= reach[1]!; dy++) {
        const cy = by + dy, iy = Math.floor(cy / nb[1]!), wy = cy - iy * nb[1]!;
        for (let dz = -reach[2]!; dz <= reach[2]!; dz++) {
          const cz = bz + dz, iz = Math.floor(cz / nb[2]!), wz = cz - iz * nb[2]!;
          const bin = (wx * nb[1]! + wy) * nb[2]! + wz;
          for (let q = counts[bin]!; q < counts[bin + 1]!; q++) {
            const j = order[q]!;
            const ux = fx[3 * j]! + ix - sx, uy = fx[3 * j + 1]! + iy - sy, uz = fx[3 * j + 2]! + iz - sz;
            const x = ux * m00 + uy * m10 + uz * m20;
            const y = ux * m01 + uy * m11 + uz * m21;
            const z = ux * m02 + uy * m12 + uz * m22;
            const d2 = x * x + y * y + z * z;
            if (d2 > r2 || (j === s && ix === 0 && iy === 0 && iz === 0)) continue;
            // image in the caller's basis: (img + shift_s − shift_j) · T
            const a0 = ix + shift[3 * s]! - shift[3 * j]!, a1 = iy + shift[3 * s + 1]! - shift[3 * j + 1]!, a2 = iz + shift[3 * s + 2]! - shift[3 * j + 2]!;
            out.push(s, j, a0 * t00 + a1 * t10 + a2 * t20, a0 * t01 + a1 * t11 + a2 * t21, a0 * t02 + a1 * t12 + a2 * t22, Math.sqrt(d2));
          }
        }
      }
    }
  }
  return { center: out.center.subarray(0, out.count), neighbor: out.neighbor.subarray(0, out.count), image: out.image.subarray(0, 3 * out.count), distance: out.distance.subarray(0, out.count), count: out.count };
}

/**
 * Closest two atoms allowed in an input structure (pymatgen's validate_proximity default):
 * nearer ones are a duplicated or corrupted site, not a crystal, and would map or featurize as
 * nonsense without any other error.
 */
export const MIN_SITE_SEPARATION = 0.5;

/** Largest |fractional coordinate| read: past ~2^53 a coordinate has no fractional part left. */
const MAX_FRACTIONAL = 1e6;

/**
 * What every reader checks before building a Structure: at least one site, coordinates that
 * are numbers a cell can hold, and no two atoms closer than MIN_SITE_SEPARATION.
 */
export function checkSites(lattice: Lattice, fracs: readonly Vec3[]): void {
  if (fracs.length === 0) throw new InputError('the structure has no sites', { field: 'sites' });
  const far = fracs.findIndex((f) => f.some((x) => !(Math.abs(x) <= MAX_FRACTIONAL)));
  if (far >= 0) throw new InputError(`site ${far} has fractional coordinates (${fracs[far]!.join(', ')}) outside ±${MAX_FRACTIONAL}`, { field: 'sites' });
  const nl = findNeighbors(lattice, fracs, MIN_SITE_SEPARATION);
  if (!nl.count) return;
  let k = 0;
  for (let m = 1; m < nl.count; m++) if (nl.distance[m]! < nl.distance[k]!) k = m;
  const [i, j, d] = [nl.center[k]!, nl.neighbor[k]!, nl.distance[k]!.toFixed(3)];
  const what = i === j ? `site ${i} is ${d} Å from its own periodic image` : `sites ${Math.min(i, j)} and ${Math.max(i, j)} are ${d} Å apart`;
  throw new InputError(`${what} (at least ${MIN_SITE_SEPARATION} Å expected): a duplicated or corrupted atom`, { field: 'sites' });
}

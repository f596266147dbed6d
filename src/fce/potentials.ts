/**
 * Built-in force models for tests and the worked example, so force data can be made without a
 * DFT code: a Lennard-Jones pair potential with a C²-smooth cutoff (analytic forces) and a
 * nearest-neighbour central-force spring network (exactly harmonic, so its force constants are
 * known in closed form). Both take the ideal supercell and the displacements u (3N, Å).
 */
import { OptionError } from '../core/errors.ts';
import { findNeighbors } from '../structure/neighbors.ts';
import type { FcSupercell } from './supercell.ts';

export interface ForceModel {
  readonly name: string;
  /** Forces (eV/Å, 3N) at ideal + u. */
  forces(sc: FcSupercell, u: Float64Array): Float64Array;
  /** Energy (eV) at ideal + u, for checks. */
  energy(sc: FcSupercell, u: Float64Array): number;
}

function displacedFracs(sc: FcSupercell, u: Float64Array): Array<[number, number, number]> {
  const lat = sc.ideal.lattice;
  return Array.from({ length: sc.numAtoms }, (_, i) => lat.cartToFrac([sc.positions[3 * i]! + u[3 * i]!, sc.positions[3 * i + 1]! + u[3 * i + 1]!, sc.positions[3 * i + 2]! + u[3 * i + 2]!]));
}

export interface LjParams {
  epsilon: number;
  sigma: number;
  /** The switching function runs from rOn to rCut (Å). */
  rOn: number;
  rCut: number;
}

/**
 * V(r) = 4ε[(σ/r)¹² − (σ/r)⁶]·S(r), S = 1 − 10x³ + 15x⁴ − 6x⁵ with x = (r − r_on)/(r_cut − r_on)
 * on [r_on, r_cut]: value, slope and curvature go to zero at r_cut, so forces and force
 * constants are continuous.
 */
export class LennardJones implements ForceModel {
  readonly name = 'lj';
  constructor(readonly p: LjParams) {
    if (!(p.epsilon > 0 && p.sigma > 0 && p.rOn > 0 && p.rCut > p.rOn)) throw new OptionError('Lennard-Jones needs epsilon, sigma > 0 and 0 < r_on < r_cut', { field: 'potential' });
  }

  /** Argon-like parameters (ε = 0.0104 eV, σ = 3.405 Å), cut between the 2nd and 3rd fcc shells of a = 5.26 Å. */
  static argonLike(): LennardJones {
    return new LennardJones({ epsilon: 0.0104, sigma: 3.405, rOn: 5.6, rCut: 6.1 });
  }

  /** Copper-like parameters (Halicioglu & Pound 1975: ε = 0.4093 eV, σ = 2.338 Å), cut between the 2nd and 3rd fcc shells of a = 3.61 Å. */
  static copperLike(): LennardJones {
    return new LennardJones({ epsilon: 0.4093, sigma: 2.338, rOn: 3.8, rCut: 4.2 });
  }

  /** [V(r), dV/dr]. */
  pair(r: number): [number, number] {
    const { epsilon, sigma, rOn, rCut } = this.p;
    if (r >= rCut) return [0, 0];
    const s6 = (sigma / r) ** 6;
    const v = 4 * epsilon * (s6 * s6 - s6);
    const dv = (4 * epsilon * (-12 * s6 * s6 + 6 * s6)) / r;
    if (r <= rOn) return [v, dv];
    const w = rCut - rOn, x = (r - rOn) / w;
    const s = 1 - x * x * x * (10 - 15 * x + 6 * x * x);
    const ds = (-30 * x * x * (1 - 2 * x + x * x)) / w;
    return [v * s, dv * s + v * ds];
  }

  private walk(sc: FcSupercell, u: Float64Array, onPair: (i: number, dx: number, dy: number, dz: number, r: number) => void): void {
    const fr = displacedFracs(sc, u);
    const nl = findNeighbors(sc.ideal.lattice, fr, this.p.rCut);
    const m = sc.ideal.lattice.matrix;
    for (let q = 0; q < nl.count; q++) {
      const i = nl.center[q]!, j = nl.neighbor[q]!;
      const f = [fr[j]![0] + nl.image[3 * q]! - fr[i]![0], fr[j]![1] + nl.image[3 * q + 1]! - fr[i]![1], fr[j]![2] + nl.image[3 * q + 2]! - fr[i]![2]];
      const dx = f[0]! * m[0][0] + f[1]! * m[1][0] + f[2]! * m[2][0];
      const dy = f[0]! * m[0][1] + f[1]! * m[1][1] + f[2]! * m[2][1];
      const dz = f[0]! * m[0][2] + f[1]! * m[1][2] + f[2]! * m[2][2];
      onPair(i, dx, dy, dz, nl.distance[q]!);
    }
  }

  forces(sc: FcSupercell, u: Float64Array): Float64Array {
    const F = new Float64Array(3 * sc.numAtoms);
    // every pair is listed from both ends; the vector d points from i to j, so F_i = +V'(r) d/r
    this.walk(sc, u, (i, dx, dy, dz, r) => {
      const g = this.pair(r)[1] / r;
      F[3 * i] += g * dx;
      F[3 * i + 1] += g * dy;
      F[3 * i + 2] += g * dz;
    });
    return F;
  }

  energy(sc: FcSupercell, u: Float64Array): number {
    let e = 0;
    this.walk(sc, u, (_i, _x, _y, _z, r) => (e += 0.5 * this.pair(r)[0]));
    return e;
  }
}

/**
 * Linearized central springs between ideal neighbours closer than `rCut`:
 * F_i = −Σ_j k ê_ij ê_ijᵀ (u_i − u_j), ê from the ideal structure. Its only force constants are
 * Φ_ij = −k ê ê ᵀ (i ≠ j) and Φ_ii = k Σ_j ê ê ᵀ.
 */
export class SpringNetwork implements ForceModel {
  readonly name = 'springs';
  constructor(
    readonly k: number,
    readonly rCut: number,
  ) {
    if (!(k > 0 && rCut > 0)) throw new OptionError('spring network needs k > 0 and a positive neighbour radius', { field: 'potential' });
  }

  private bonds(sc: FcSupercell): Array<[number, number, number, number, number]> {
    const nl = findNeighbors(sc.ideal.lattice, sc.ideal.sites.map((s) => s.frac), this.rCut);
    const m = sc.ideal.lattice.matrix;
    const out: Array<[number, number, number, number, number]> = [];
    for (let q = 0; q < nl.count; q++) {
      const i = nl.center[q]!, j = nl.neighbor[q]!;
      const fi = sc.ideal.sites[i]!.frac, fj = sc.ideal.sites[j]!.frac;
      const f = [fj[0] + nl.image[3 * q]! - fi[0], fj[1] + nl.image[3 * q + 1]! - fi[1], fj[2] + nl.image[3 * q + 2]! - fi[2]];
      const d = [0, 1, 2].map((c) => f[0]! * m[0][c]! + f[1]! * m[1][c]! + f[2]! * m[2][c]!);
      const r = nl.distance[q]!;
      out.push([i, j, d[0]! / r, d[1]! / r, d[2]! / r]);
    }
    return out;
  }

  forces(sc: FcSupercell, u: Float64Array): Float64Array {
    const F = new Float64Array(3 * sc.numAtoms);
    for (const [i, j, ex, ey, ez] of this.bonds(sc)) {
      const s = this.k * (ex * (u[3 * i]! - u[3 * j]!) + ey * (u[3 * i + 1]! - u[3 * j + 1]!) + ez * (u[3 * i + 2]! - u[3 * j + 2]!));
      F[3 * i] -= s * ex;
      F[3 * i + 1] -= s * ey;
      F[3 * i + 2] -= s * ez;
    }
    return F;
  }

  energy(sc: FcSupercell, u: Float64Array): number {
    let e = 0;
    for (const [i, j, ex, ey, ez] of this.bonds(sc)) e += 0.25 * this.k * (ex * (u[3 * i]! - u[3 * j]!) + ey * (u[3 * i + 1]! - u[3 * j + 1]!) + ez * (u[3 * i + 2]! - u[3 * j + 2]!)) ** 2;
    return e;
  }
}

/**
 * Supercell force constants by central differences of the forces:
 * Φ[aα, bβ] = −(F_aα(u + h e_bβ) − F_aα(u − h e_bβ)) / 2h, symmetrized.
 */
export function finiteDifferenceFc(model: ForceModel, sc: FcSupercell, h = 1e-4): Float64Array {
  const n = 3 * sc.numAtoms;
  const phi = new Float64Array(n * n);
  const u = new Float64Array(n);
  for (let c = 0; c < n; c++) {
    u[c] = h;
    const fp = model.forces(sc, u);
    u[c] = -h;
    const fm = model.forces(sc, u);
    u[c] = 0;
    for (let r = 0; r < n; r++) phi[r * n + c] = -(fp[r]! - fm[r]!) / (2 * h);
  }
  for (let r = 0; r < n; r++) for (let c = r + 1; c < n; c++) phi[r * n + c] = phi[c * n + r] = 0.5 * (phi[r * n + c]! + phi[c * n + r]!);
  return phi;
}

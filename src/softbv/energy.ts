/**
 * SoftBV energy (seed 004 Eq. 1) with analytic forces and lattice gradient.
 *
 *   E = Σ_{cation i, anion j, R<Rcutoff} D0 [(s/s_min)² − 2 s/s_min]
 *     + Σ_{like pairs i<i'} κ q_i q_i' / R · erfc(R / (sf·(r_i + r_i')))
 *
 * with s/s_min = exp((Rmin − R)/b), so the first term is the Morse form
 * D0[(e^{(Rmin−R)/b} − 1)² − 1]. Like pairs are cation–cation and anion–anion (cation–anion
 * attraction is carried by the Morse term); q are the charges of Eq. 5; each unordered pair
 * (over all periodic images) is counted once.
 *
 * Choices, each for a reason:
 *  - Morse cutoff: by default shifted-force, E(R) − E(Rc) − (R − Rc)E'(Rc), so energy and
 *    force are continuous at Rcutoff and L-BFGS sees a smooth surface while the cell changes
 *    size (the literal hard cutoff jumps by ≈ 2D0·s(Rc)/s_min); `cutoff: 'hard'` gives Eq. 1
 *    literally. The shift changes energies near Rc only (s(Rc) = 0.001 v.u.).
 *  - Coulomb cutoff per pair at R = 5.5·ρ, ρ = sf·(r_i + r_i'): erfc(5.5) = 7e-15, below the
 *    round-off of the sum; no Ewald sum is needed because the like-ion term is screened.
 *  - Gradient with respect to the lattice matrix L (rows = lattice vectors) at fixed
 *    fractional coordinates: dE/dL_ab = Σ_pairs Δf_a (dE/dr)_b, with r = Δf·L; the stress
 *    (virial / V) is Lᵀ·dE/dL / V.
 */
import { OptionError } from '../core/errors.ts';
import type { Mat3, Vec3 } from '../core/mat3.ts';
import { erfcFast } from '../core/erfc.ts';
import { Lattice } from '../structure/lattice.ts';
import { findNeighbors } from '../structure/neighbors.ts';
import type { IonSet } from './ions.ts';
import { KAPPA } from './params.ts';

export interface SoftBvOptions {
  /** Screening factor sf of Eq. 1 (> 0); the SoftBV default is 0.74. */
  sf: number;
  cutoff?: 'shifted-force' | 'hard';
}

export interface EnergyResult {
  energy: number;
  morse: number;
  coulomb: number;
  /** dE/dx per site, Cartesian, eV/Å (force = −gradient). */
  gradient: Float64Array;
  /** dE/dL at fixed fractional coordinates, eV/Å. */
  latticeGradient: Mat3;
  /** Lᵀ·dE/dL / V in eV/Å³ (positive when expanding the cell raises the energy). */
  stress: Mat3;
}

const ERFC_RANGE = 5.5;
const TWO_OVER_SQRT_PI = 2 / Math.sqrt(Math.PI);

export function checkSf(sf: number): void {
  if (!(Number.isFinite(sf) && sf > 0)) throw new OptionError(`screening factor --sf must be a positive number, got ${sf}`, { field: 'sf' });
}

/** Per site pair (i, j) constants, flattened N×N: kind 1 Morse (i cation, j anion), 2 like-ion Coulomb. */
export class SoftBvEnergy {
  readonly ions: IonSet;
  readonly sf: number;
  readonly N: number;
  private readonly kind: Uint8Array;
  private readonly c1: Float64Array; // Morse D0 | Coulomb κ q q'
  private readonly c2: Float64Array; // Morse 1/b | Coulomb 1/ρ
  private readonly c3: Float64Array; // Morse Rmin
  private readonly rc: Float64Array; // cutoff distance
  private readonly e0: Float64Array; // Morse shift E(Rc)
  private readonly d0: Float64Array; // Morse shift E'(Rc)
  readonly rMax: number;

  constructor(ions: IonSet, opts: SoftBvOptions) {
    checkSf(opts.sf);
    this.ions = ions;
    this.sf = opts.sf;
    const N = (this.N = ions.species.length);
    const shifted = (opts.cutoff ?? 'shifted-force') === 'shifted-force';
    this.kind = new Uint8Array(N * N);
    this.c1 = new Float64Array(N * N);
    this.c2 = new Float64Array(N * N);
    this.c3 = new Float64Array(N * N);
    this.rc = new Float64Array(N * N);
    this.e0 = new Float64Array(N * N);
    this.d0 = new Float64Array(N * N);
    let rMax = 0;
    for (let i = 0; i < N; i++) {
      for (let j = 0; j < N; j++) {
        const k = i * N + j;
        if (ions.cation[i] && !ions.cation[j]) {
          const p = ions.pair(i, j);
          this.kind[k] = 1;
          this.c1[k] = p.D0;
          this.c2[k] = 1 / p.b;
          this.c3[k] = p.Rmin;
          this.rc[k] = p.Rcutoff;
          if (shifted) {
            const [e, d] = morse(p.D0, 1 / p.b, p.Rmin, p.Rcutoff);
            this.e0[k] = e;
            this.d0[k] = d;
          }
        } else if (ions.cation[i] === ions.cation[j]) {
          const rho = opts.sf * (ions.radius[i]! + ions.radius[j]!);
          this.kind[k] = 2;
          this.c1[k] = KAPPA * ions.q[i]! * ions.q[j]!;
          this.c2[k] = 1 / rho;
          this.rc[k] = ERFC_RANGE * rho;
        }
        rMax = Math.max(rMax, this.rc[k]!);
      }
    }
    this.rMax = rMax;
  }

  /** Energy (eV per cell), Cartesian gradient and lattice gradient at `fracs` (3N) in `matrix`. */
  compute(matrix: Mat3, fracs: ArrayLike<number>): EnergyResult {
    const N = this.N;
    const lattice = new Lattice(matrix);
    const f: Vec3[] = Array.from({ length: N }, (_, i) => [fracs[3 * i]!, fracs[3 * i + 1]!, fracs[3 * i + 2]!]);
    const nl = findNeighbors(lattice, f, this.rMax);
    const grad = new Float64Array(3 * N);
    const dL = new Float64Array(9);
    const [[m00, m01, m02], [m10, m11, m12], [m20, m21, m22]] = matrix;
    let morseE = 0, coulombE = 0;
    for (let k = 0; k < nl.count; k++) {
      const i = nl.center[k]!, j = nl.neighbor[k]!;
      const t = i * N + j;
      const kind = this.kind[t]!;
      const R = nl.distance[k]!;
      if (kind === 0 || R > this.rc[t]!) continue;
      let dEdR: number;
      if (kind === 1) {
        const [e, d] = morse(this.c1[t]!, this.c2[t]!, this.c3[t]!, R);
        morseE += e - this.e0[t]! - (R - this.rc[t]!) * this.d0[t]!;
        dEdR = d - this.d0[t]!;
      } else {
        // listed from both ends: half of each
        const x = R * this.c2[t]!;
        const ec = erfcFast(x);
        const c = 0.5 * this.c1[t]!;
        coulombE += (c * ec) / R;
        dEdR = -c * (ec / (R * R) + (TWO_OVER_SQRT_PI * Math.exp(-x * x) * this.c2[t]!) / R);
      }
      const dfx = f[j]![0] + nl.image[3 * k]! - f[i]![0];
      const dfy = f[j]![1] + nl.image[3 * k + 1]! - f[i]![1];
      const dfz = f[j]![2] + nl.image[3 * k + 2]! - f[i]![2];
      const rx = dfx * m00 + dfy * m10 + dfz * m20;
      const ry = dfx * m01 + dfy * m11 + dfz * m21;
      const rz = dfx * m02 + dfy * m12 + dfz * m22;
      const s = dEdR / R;
      const vx = s * rx, vy = s * ry, vz = s * rz;
      grad[3 * j] += vx; grad[3 * j + 1] += vy; grad[3 * j + 2] += vz;
      grad[3 * i] -= vx; grad[3 * i + 1] -= vy; grad[3 * i + 2] -= vz;
      dL[0] += dfx * vx; dL[1] += dfx * vy; dL[2] += dfx * vz;
      dL[3] += dfy * vx; dL[4] += dfy * vy; dL[5] += dfy * vz;
      dL[6] += dfz * vx; dL[7] += dfz * vy; dL[8] += dfz * vz;
    }
    const latticeGradient: Mat3 = [[dL[0]!, dL[1]!, dL[2]!], [dL[3]!, dL[4]!, dL[5]!], [dL[6]!, dL[7]!, dL[8]!]];
    const stress = [0, 1, 2].map((a) => [0, 1, 2].map((b) => (matrix[0][a]! * dL[b]! + matrix[1][a]! * dL[3 + b]! + matrix[2][a]! * dL[6 + b]!) / lattice.volume)) as Mat3;
    return { energy: morseE + coulombE, morse: morseE, coulomb: coulombE, gradient: grad, latticeGradient, stress };
  }
}

/** Morse term D0[(e − 1)² − 1], e = exp(α(Rmin − R)), and its derivative with respect to R. */
function morse(D0: number, alpha: number, Rmin: number, R: number): [number, number] {
  const e = Math.exp(alpha * (Rmin - R));
  return [D0 * ((e - 1) * (e - 1) - 1), -2 * D0 * alpha * e * (e - 1)];
}

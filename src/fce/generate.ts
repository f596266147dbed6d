/**
 * Training structures (seed 002, step 2.1): seeded Gaussian "rattle" displacements, and
 * superposed normal modes of a supercell force-constant matrix at a temperature (hiPhive's
 * phonon-rattle idea): each mode gets a Gaussian amplitude with ⟨Q²⟩ = k_BT/ω² (classical) or
 * (ħ/2ω)·coth(ħω/2k_BT) (quantum), displacements u = M^(−1/2) Σ Q_ν e_ν.
 */
import { NumericalError, OptionError } from '../core/errors.ts';
import { symEig } from '../core/linalg.ts';
import { Mat } from '../core/matrix.ts';
import type { Rng } from '../core/rng.ts';
import type { FcSupercell } from './supercell.ts';
import { KB_EV } from '../core/units.ts';
import { HBAR_EV_S, OMEGA_RAD_S } from './units.ts';

export function rattle(nAtoms: number, std: number, rng: Rng): Float64Array {
  if (!(std > 0)) throw new OptionError(`rattle amplitude must be positive, got ${std}`, { field: 'rattle' });
  return Float64Array.from({ length: 3 * nAtoms }, () => std * rng.normal());
}

export interface NormalModes {
  /** ω² in eV/(Å²·amu), ascending. */
  omega2: Float64Array;
  /** Mass-weighted eigenvectors as columns (3N × 3N). */
  vectors: Mat;
  masses: Float64Array;
}

/** Normal modes of a supercell force-constant matrix (3N × 3N, eV/Å²) with per-atom masses. */
export function normalModes(fc: Float64Array, masses: Float64Array): NormalModes {
  const n = 3 * masses.length;
  const d = new Mat(n, n);
  for (let r = 0; r < n; r++) for (let c = 0; c < n; c++) d.data[r * n + c] = fc[r * n + c]! / Math.sqrt(masses[Math.floor(r / 3)]! * masses[Math.floor(c / 3)]!);
  const { values, vectors } = symEig(d);
  return { omega2: values, vectors, masses };
}

/**
 * One structure of superposed normal modes at temperature T (K). The three translations
 * (|ω²| below `acousticTol` of the largest) get no amplitude; other non-positive modes are an
 * unstable reference and are refused.
 */
export function phononRattle(modes: NormalModes, temperature: number, rng: Rng, quantum = false, acousticTol = 1e-6): Float64Array {
  if (!(temperature > 0)) throw new OptionError(`temperature must be positive, got ${temperature}`, { field: 'temperature' });
  const n = modes.omega2.length, kT = KB_EV * temperature;
  const top = Math.max(...Array.from(modes.omega2, Math.abs));
  const u = new Float64Array(n);
  for (let v = 0; v < n; v++) {
    const w2 = modes.omega2[v]!;
    if (Math.abs(w2) <= acousticTol * top) continue;
    if (w2 < 0) throw new NumericalError(`the reference force constants have an unstable mode (ω² = ${w2.toExponential(3)}); cannot sample it thermally`);
    let q2 = kT / w2;
    if (quantum) {
      const x = (HBAR_EV_S * OMEGA_RAD_S * Math.sqrt(w2)) / kT;
      q2 *= (x / 2) / Math.tanh(x / 2);
    }
    const q = Math.sqrt(q2) * rng.normal();
    for (let r = 0; r < n; r++) u[r] += (q * modes.vectors.data[r * n + v]!) / Math.sqrt(modes.masses[Math.floor(r / 3)]!);
  }
  return u;
}

/** Masses of the supercell atoms from the prim's per-site masses. */
export function supercellMasses(sc: FcSupercell, primMasses: number[]): Float64Array {
  return Float64Array.from({ length: sc.numAtoms }, (_, i) => primMasses[Math.floor(i / sc.nCells)]!);
}


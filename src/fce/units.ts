/**
 * Units of the force-constant stage: Å, eV, amu; frequencies in THz. The conversions are
 * derived from CODATA 2018 constants here, not copied as opaque factors.
 */
import { InputError } from '../core/errors.ts';

const EV_J = 1.602176634e-19;
const AMU_KG = 1.6605390666e-27;
const HBAR_JS = 1.054571817e-34;
/** ħ in eV·s. */
export const HBAR_EV_S = HBAR_JS / EV_J;
/** √(eV/(Å²·amu)) in rad/s: ω of an eigenvalue λ of Φ/m in those units is √λ times this. */
export const OMEGA_RAD_S = Math.sqrt(EV_J / (1e-20 * AMU_KG));
/** Frequency ν = √λ · TO_THZ (phonopy calls the same number VaspToTHz ≈ 15.633). */
export const TO_THZ = OMEGA_RAD_S / (2 * Math.PI * 1e12);
/** ħω in eV for ν in THz. */
export const THZ_TO_EV = HBAR_EV_S * 2 * Math.PI * 1e12;

/** Standard atomic weights (IUPAC, rounded) of the elements force-constant work usually meets. */
const MASSES: Record<string, number> = {
  H: 1.008, He: 4.0026, Li: 6.94, Be: 9.0122, B: 10.81, C: 12.011, N: 14.007, O: 15.999, F: 18.998, Ne: 20.180,
  Na: 22.990, Mg: 24.305, Al: 26.982, Si: 28.085, P: 30.974, S: 32.06, Cl: 35.45, Ar: 39.948, K: 39.098, Ca: 40.078,
  Sc: 44.956, Ti: 47.867, V: 50.942, Cr: 51.996, Mn: 54.938, Fe: 55.845, Co: 58.933, Ni: 58.693, Cu: 63.546, Zn: 65.38,
  Ga: 69.723, Ge: 72.630, As: 74.922, Se: 78.971, Br: 79.904, Kr: 83.798, Rb: 85.468, Sr: 87.62, Y: 88.906, Zr: 91.224,
  Nb: 92.906, Mo: 95.95, Ru: 101.07, Rh: 102.91, Pd: 106.42, Ag: 107.87, Cd: 112.41, In: 114.82, Sn: 118.71, Sb: 121.76,
  Te: 127.60, I: 126.90, Xe: 131.29, Cs: 132.91, Ba: 137.33, La: 138.91, Hf: 178.49, Ta: 180.95, W: 183.84, Re: 186.21,
  Os: 190.23, Ir: 192.22, Pt: 195.08, Au: 196.97, Hg: 200.59, Tl: 204.38, Pb: 207.2, Bi: 208.98,
};

/** Mass (amu) of an element; `overrides` (e.g. from --mass) win. */
export function atomicMass(element: string, overrides: Record<string, number> = {}): number {
  const m = overrides[element] ?? MASSES[element];
  if (m === undefined) throw new InputError(`no atomic mass for '${element}'; give one with --mass ${element}=VALUE`, { field: 'mass' });
  return m;
}

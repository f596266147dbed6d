/**
 * Average intercalation voltages between adjacent ground states (seed 000 Eq. 11):
 *   V(x1, x2) = −[E(x2) − E(x1) − (x2 − x1)·μ_ion] / ((x2 − x1)·z·e),  x2 > x1,
 * with x the ion content per host formula unit, E the energy per host formula unit (eV),
 * μ_ion the ion's reference energy (eV per atom, e.g. bcc Li) and z the ion's charge
 * (1 for Li+/Na+/K+, 2 for Mg2+/Zn2+). Energies in eV per formula unit divided by a charge in e
 * give volts. Only ground states (the lower hull of E vs x) enter; a convex hull makes the
 * profile non-increasing in x.
 */
import { InputError } from '../core/errors.ts';
import { type Composition, formatComposition } from './composition.ts';
import { type HullOptions, lowerHull } from './hull.ts';

export interface VoltagePoint {
  /** Ion content per host formula unit. */
  x: number;
  /** Energy per host formula unit (eV). */
  e: number;
  id?: string | number;
}

export interface VoltageStep {
  x1: number;
  x2: number;
  /** Average voltage on this step (V). */
  voltage: number;
  /** Ground states at the two ends (indices into the input). */
  from: number;
  to: number;
}

export interface VoltageProfile {
  steps: VoltageStep[];
  /** Ground states in order of increasing x (indices into the input). */
  groundStates: number[];
  /** Per input point: energy above the E(x) hull (eV per host formula unit). */
  eAboveHull: Float64Array;
  /** Capacity-weighted average voltage over the whole x range (V). */
  averageVoltage: number;
}

export function voltageProfile(points: VoltagePoint[], ionEnergy: number, opts: HullOptions & { ionCharge?: number } = {}): VoltageProfile {
  if (!Number.isFinite(ionEnergy)) throw new InputError(`ion reference energy must be a finite number (got ${ionEnergy})`, { field: 'ionEnergy' });
  const z = opts.ionCharge ?? 1;
  if (!(z > 0)) throw new InputError(`ion charge must be positive (got ${z})`, { field: 'ionCharge' });
  if (points.length === 0) throw new InputError('no entries for the voltage profile');
  points.forEach((p, i) => {
    if (!Number.isFinite(p.x) || p.x < 0) throw new InputError(`ion content ${p.x} must be a non-negative number`, { entry: p.id ?? i, field: 'x' });
    if (!Number.isFinite(p.e)) throw new InputError(`energy ${p.e} is not a finite number`, { entry: p.id ?? i, field: 'energy' });
  });
  const xs = points.map((p) => p.x);
  const lo = Math.min(...xs), hi = Math.max(...xs);
  if (!(hi - lo > 1e-9)) throw new InputError('all entries have the same ion content; a voltage needs at least two contents');
  // E per host f.u. is linear in mixtures of x, so the (x, E) hull is a 2-component hull in t = (x − lo)/(hi − lo).
  const hull = lowerHull(points.map((p) => {
    const t = (p.x - lo) / (hi - lo);
    return { x: [1 - t, t], e: p.e, ...(p.id !== undefined ? { id: p.id } : {}) };
  }), opts);
  const gs = [...hull.vertices].sort((a, b) => points[a]!.x - points[b]!.x);
  const steps: VoltageStep[] = [];
  for (let k = 0; k + 1 < gs.length; k++) {
    const a = points[gs[k]!]!, b = points[gs[k + 1]!]!;
    const dx = b.x - a.x;
    steps.push({ x1: a.x, x2: b.x, voltage: -(b.e - a.e - dx * ionEnergy) / (dx * z), from: gs[k]!, to: gs[k + 1]! });
  }
  const first = points[gs[0]!]!, last = points[gs[gs.length - 1]!]!;
  const averageVoltage = -(last.e - first.e - (last.x - first.x) * ionEnergy) / ((last.x - first.x) * z);
  return { steps, groundStates: gs, eAboveHull: hull.eAboveHull, averageVoltage };
}

/**
 * Ion content and energy per host formula unit from compositions (elements) and total
 * energies. The host is everything but the ion; every entry's host part must be a multiple of
 * the same host formula (given, or else the reduced host of the first entry). A host that
 * changes composition (e.g. Li–Mn–O with varying Mn/O) is an error: it needs a grand-potential
 * path, not a single-axis voltage.
 */
export function voltagePointsFromEntries(entries: Array<{ id: string | number; composition: Composition; energy: number }>, ion: string, host?: Composition): { points: VoltagePoint[]; host: Composition } {
  if (entries.length === 0) throw new InputError('no entries for the voltage profile');
  const hostOf = (c: Composition): Composition => new Map([...c].filter(([el, n]) => el !== ion && n > 0));
  let ref = host ?? reduce(hostOf(entries[0]!.composition));
  if (ref.size === 0) throw new InputError(`entry has no host atoms besides ${ion}`, { entry: entries[0]!.id, field: 'composition' });
  if (ref.has(ion)) throw new InputError(`the host formula must not contain the ion ${ion}`, { field: 'host' });
  const points = entries.map((e) => {
    const h = hostOf(e.composition);
    const [el0, n0] = [...ref][0]!;
    const units = (h.get(el0) ?? 0) / n0;
    const ok = units > 0 && [...new Set([...h.keys(), ...ref.keys()])].every((el) => Math.abs((h.get(el) ?? 0) - units * (ref.get(el) ?? 0)) <= 1e-6 * Math.max(1, units));
    if (!ok) throw new InputError(`host part ${formatComposition(h)} is not a multiple of the host ${formatComposition(ref)}`, { entry: e.id, field: 'composition' });
    if (!Number.isFinite(e.energy)) throw new InputError(`energy must be a finite number (got ${e.energy})`, { entry: e.id, field: 'energy' });
    return { x: (e.composition.get(ion) ?? 0) / units, e: e.energy / units, id: e.id };
  });
  ref = new Map(ref);
  return { points, host: ref };
}

/** Divide by the greatest common divisor of the amounts when they are integers. */
function reduce(c: Composition): Composition {
  const vals = [...c.values()];
  if (!vals.every((v) => Math.abs(v - Math.round(v)) < 1e-8)) return c;
  const gcd = (a: number, b: number): number => (b === 0 ? a : gcd(b, a % b));
  const g = vals.map((v) => Math.round(v)).reduce(gcd);
  return g > 1 ? new Map([...c].map(([el, n]) => [el, Math.round(n) / g])) : c;
}

/**
 * Seed 004's Fig. 2 procedure and learning table.
 *
 * For one structure: sample structures with the lattice isotropically scaled by 0.9 and 1.1,
 * each relaxed at every sf of a grid; Er(sf) against the reference; sf_opt where Er = 0 by
 * linear interpolation between the two grid points that bracket the sign change (Er rises
 * with sf, seed Fig. 3 — `monotonic` says whether it did here). Above some sf the screened
 * repulsion outweighs the Morse attraction and the lattice has no minimum (the cell runs to
 * its size limit): such points are flagged `unbound` and left out of the curve and table.
 *
 * Descriptors (seed 004 x₂…x₁₁) for an A_xB_yX_z compound with two cation species and one
 * anion species: per cation–anion pair R0, b, N_C, Rcutoff, and the radius r. Which cation is
 * B: the one on more sites (spinel AB2O4), ties broken by the smaller radius (perovskite
 * ABO3, B the octahedral one). N_C: counter-ions within 1.2 × the shortest cation–anion
 * distance of the reference structure (the first coordination shell; 12/6 in a perovskite,
 * 4/6 in a spinel).
 */
import { InputError, OptionError } from '../core/errors.ts';
import { findNeighbors } from '../structure/neighbors.ts';
import type { Species } from '../structure/species.ts';
import type { Structure } from '../structure/structure.ts';
import { SoftBvEnergy } from './energy.ts';
import type { IonSet } from './ions.ts';
import type { SoftBvParams } from './params.ts';
import { type CellMode, latticeError, relax, scaled } from './relax.ts';

/** sf grid used by default: seed 004 scans 0.55–0.75; ours is wider so the zero is bracketed with these radii. */
export function sfGrid(from: number, to: number, step: number): number[] {
  if (!(step > 0) || !(to >= from) || !(from > 0)) throw new OptionError(`sf grid needs 0 < from ≤ to and step > 0, got ${from}:${to}:${step}`, { field: 'sf-grid' });
  const n = Math.round((to - from) / step);
  return Array.from({ length: n + 1 }, (_, k) => +(from + k * step).toFixed(10));
}
export const DEFAULT_SF_GRID = sfGrid(0.5, 1.0, 0.025);
export const SEED_STRAINS = [0.9, 1.1];

export interface SfScanPoint {
  sf: number;
  strain: number;
  Er: number;
  converged: boolean;
  /** The cell expanded to its limit: no minimum at this sf; excluded from curve and table. */
  unbound: boolean;
}

export interface SfScan {
  points: SfScanPoint[];
  /** Er per sf averaged over the strains. */
  curve: Array<{ sf: number; Er: number }>;
  sfOpt: number | null;
  monotonic: boolean;
  /** Er at sf = 0.74 when 0.74 is on the grid. */
  erDefault: number | null;
}

export function scanSf(reference: Structure, ions: IonSet, sfs: number[], opts: { strains?: number[]; mode?: CellMode } = {}): SfScan {
  const strains = opts.strains ?? SEED_STRAINS;
  const points: SfScanPoint[] = [];
  for (const sf of sfs) {
    for (const strain of strains) {
      const r = relax(scaled(reference, strain), ions, { sf, mode: opts.mode ?? 'isotropic' });
      points.push({ sf, strain, Er: latticeError(r.structure, reference), converged: r.converged, unbound: r.unbound });
    }
  }
  const curve = sfs
    .filter((sf) => points.every((q) => q.sf !== sf || !q.unbound))
    .map((sf) => {
      const p = points.filter((q) => q.sf === sf);
      return { sf, Er: p.reduce((t, q) => t + q.Er, 0) / p.length };
    });
  const at74 = curve.find((c) => Math.abs(c.sf - 0.74) < 1e-9);
  return { points, curve, sfOpt: zeroCrossing(curve), monotonic: curve.every((c, k) => k === 0 || c.Er > curve[k - 1]!.Er), erDefault: at74 ? at74.Er : null };
}

/** sf where Er crosses zero, by linear interpolation; null when the grid does not bracket it. */
export function zeroCrossing(curve: Array<{ sf: number; Er: number }>): number | null {
  for (let k = 0; k + 1 < curve.length; k++) {
    const a = curve[k]!, b = curve[k + 1]!;
    if (a.Er === 0) return a.sf;
    if ((a.Er < 0 && b.Er >= 0) || (a.Er > 0 && b.Er <= 0)) return a.sf + ((b.sf - a.sf) * -a.Er) / (b.Er - a.Er);
  }
  return null;
}

export const DESCRIPTOR_NAMES = ['Er', 'R0_AO', 'b_AO', 'NC_AO', 'Rcut_AO', 'r_A', 'R0_BO', 'b_BO', 'NC_BO', 'Rcut_BO', 'r_B'] as const;

export interface AbDescriptors {
  A: string;
  B: string;
  X: string;
  /** x₂…x₁₁ of seed 004 (everything but Er), in DESCRIPTOR_NAMES order. */
  values: number[];
}

export function abDescriptors(reference: Structure, species: Species[], params: SoftBvParams): AbDescriptors {
  const keys = [...new Set(species.map((s) => s.key))];
  const cations = keys.filter((k) => species.find((s) => s.key === k)!.charge > 0);
  const anions = keys.filter((k) => species.find((s) => s.key === k)!.charge < 0);
  if (cations.length !== 2 || anions.length !== 1) {
    throw new InputError(`the learning table needs two cation species and one anion species (A_xB_yX_z), got ${cations.join(', ')} / ${anions.join(', ')}`);
  }
  const count = (k: string) => species.filter((s) => s.key === k).length;
  const sp = (k: string) => species.find((s) => s.key === k)!;
  const rad = (k: string) => params.radius(sp(k).element, sp(k).charge);
  const [A, B] = [...cations].sort((a, b) => count(a) - count(b) || rad(b) - rad(a));
  const X = anions[0]!;
  const nc = (k: string) => coordination(reference, species, k);
  const pairDesc = (k: string) => {
    const p = params.pair(sp(k), sp(X));
    return [p.R0, p.b, nc(k), p.Rcutoff, rad(k)];
  };
  return { A: A!, B: B!, X, values: [...pairDesc(A!), ...pairDesc(B!)] };
}

/** First-shell coordination of the cation species `key` (see the module comment). */
function coordination(s: Structure, species: Species[], key: string): number {
  const i = species.findIndex((x) => x.key === key);
  const nl = findNeighbors(s.lattice, s.sites.map((x) => x.frac), 6);
  const d: number[] = [];
  for (let k = 0; k < nl.count; k++) if (nl.center[k] === i && species[nl.neighbor[k]!]!.charge < 0) d.push(nl.distance[k]!);
  if (d.length === 0) throw new InputError(`no anion within 6 Å of ${key}`);
  const dmin = Math.min(...d);
  return d.filter((x) => x <= 1.2 * dmin).length;
}

/**
 * Learning-table rows (one per scan point): structure, Er, descriptors, sf. Points without a
 * minimum and points with |Er| > maxEr are left out: seed 004's rows come from sf 0.55–0.75,
 * where Er stays within about ±10 %; far above the zero Er(sf) turns steeply convex (tens of
 * per cent) and those rows would dominate a least-squares fit of sf(Er, x̃) near Er = 0.
 */
export function learningRows(name: string, desc: AbDescriptors, scan: SfScan, maxEr = 0.1): Array<Array<string | number>> {
  return scan.points.filter((p) => !p.unbound && Math.abs(p.Er) <= maxEr).map((p) => [name, p.Er, ...desc.values, p.sf]);
}

export const LEARNING_HEADER = ['structure', ...DESCRIPTOR_NAMES, 'sf'];

/**
 * seed 004's sf_auto: the sf at which the given cell is at zero pressure (internal coordinates
 * relaxed at fixed cell), by bisection — only the screened repulsion depends on sf and it
 * grows with sf, so the pressure is monotonic in sf. Applied to a strained sample structure it
 * tunes sf to that (wrong) cell, which is why seed 004 finds sf_auto inaccurate for putative
 * structures. Null when the pressure does not change sign on [lo, hi] — e.g. a cell 10 %
 * too small: its compressed Morse bonds push outward even without repulsion (sf → 0), and a
 * larger sf only adds repulsion, so no sf makes it a zero-pressure cell.
 */
export function sfAuto(s: Structure, ions: IonSet, lo = 0.2, hi = 2.0, iterations = 40): number | null {
  const trace = (sf: number) => {
    const r = relax(s, ions, { sf, mode: 'fixed-cell' });
    const st = new SoftBvEnergy(ions, { sf }).compute(r.structure.lattice.matrix, r.structure.sites.flatMap((x) => x.frac)).stress;
    return st[0][0] + st[1][1] + st[2][2];
  };
  let tlo = trace(lo), thi = trace(hi);
  if (Math.sign(tlo) === Math.sign(thi)) return null;
  for (let k = 0; k < iterations; k++) {
    const mid = 0.5 * (lo + hi);
    const t = trace(mid);
    if (Math.sign(t) === Math.sign(tlo)) { lo = mid; tlo = t; } else { hi = mid; thi = t; }
  }
  return 0.5 * (lo + hi);
}

/**
 * Mapping relaxed structures onto the lattice of a disordered primitive cell.
 *
 * Standard mode follows pymatgen's StructureMatcher as smol uses it (primitive_cell=False,
 * attempt_supercell, allow_subset, scale, OrderDisorderElementComparator):
 *  - the supercell size n comes from counting one species (or is given, or num_sites/volume);
 *  - the structure is rescaled to n primitive volumes (scale=True);
 *  - candidate supercell lattices are primitive-lattice vectors matching the structure's
 *    (Niggli-reduced) vectors within ltol (length ratio) and angleTol (degrees);
 *  - on each, both cells are put on the average lattice (mean lengths and angles), a
 *    translation is anchored on the rarest species and refined to the mean displacement,
 *    each atom goes to its nearest allowed site (ties untangled by a min-cost assignment),
 *    and the match holds when every displacement is below stol·(V/N)^(1/3) with N the
 *    number of supercell sites. Among holding lattices the smallest rms displacement wins.
 *
 * Anion-framework mode (seed 001, "structure mapping"): the same match on the anion
 * sublattice alone (N = number of anion sites in the stol normalization, as StructureMatcher
 * on the anion-only cells would use); then every cation goes to the cation site whose anion
 * cage (ideal site moved by the mean displacement of its coordinating anions in the relaxed
 * cell) is nearest. A cation on a site that does not allow it, two cations in one cage, or a
 * cation farther from the cage centre than the ideal cation–anion distance are failures.
 *
 * Deliberate differences from pymatgen, none of which changes the lmo_drx outcome (238/638,
 * entry-by-entry identical to the fixture in test/fixtures/structure):
 *  - smol runs two matchers (supercell by min rms, then sites by max distance); here one
 *    search requires max < tol and picks min rms among lattices that pass;
 *  - only proper correspondences (det > 0) are tried, so a structure is never matched to its
 *    mirror image (pymatgen accepts both; for centrosymmetric prims this is the same);
 *  - the structure's lattice is Niggli-reduced first (pymatgen's site matcher does so too);
 *  - pymatgen's per-axis fractional pre-filter is replaced by the exact bound that an atom
 *    more than 2·tol from its site under the anchored translation cannot pass after the
 *    mean-displacement refinement.
 */
import { MappingError, OptionError } from '../core/errors.ts';
import { type Mat3, type Vec3, det3, inv3, mul3, transpose3, vecMul3 } from '../core/mat3.ts';
import { Lattice } from './lattice.ts';
import { niggliReduce } from './reduction.ts';
import { Species } from './species.ts';
import type { Structure } from './structure.ts';
import { latticePointsInSupercell } from './supercell.ts';
import { findLatticeCandidates } from './mapping/lattice-match.ts';
import { FORBIDDEN, minCostAssignment } from './mapping/assignment.ts';

export interface MappingOptions {
  ltol?: number;
  stol?: number;
  angleTol?: number;
  /** Species key like 'O2-' whose count fixes the size, an integer number of prim cells, or 'num_sites' / 'volume'. */
  supercellSize?: string | number;
  mode?: 'standard' | 'anion-framework';
}

export interface MappedStructure {
  /** Integer rows: supercell lattice = scMatrix · prim.lattice.matrix. */
  scMatrix: Mat3;
  /** One per supercell site, in the order of supercellSites(prim, scMatrix), vacancies included. */
  occupancy: Species[];
  /** Largest distance (Å, at the structure's own length scale) between an atom and its lattice site. */
  maxDisplacement: number;
}

export type MappingReason =
  | 'no-lattice-match'
  | 'site-outside-tolerance'
  | 'species-not-allowed'
  | 'composition-mismatch'
  | 'size-mismatch'
  | 'site-conflict'
  | 'disordered-structure'
  | 'no-anion-sublattice';

/** The site order that `occupancy` refers to. */
export { supercellSites } from './supercell.ts';

// ---------------------------------------------------------------------------------------
// primitive-cell data, computed once per prim object

interface PrimInfo {
  red: Mat3; // reduced prim lattice rows
  tp: Mat3; // red = tp · prim.matrix
  frac: Vec3[]; // site fractional coordinates in the reduced basis
  allowed: Set<string>[];
  vacancyAllowed: boolean[];
  anionSite: boolean[];
  speciesSet: Set<string>;
  /** Per cation site: coordinating anion sites (q, offset in reduced basis). */
  cages: { q: number; h: Vec3 }[][];
}

const primCache = new WeakMap<Structure, PrimInfo>();

function primInfo(prim: Structure): PrimInfo {
  const hit = primCache.get(prim);
  if (hit) return hit;
  const { lattice: redLat, transformation: tp } = niggliReduce(prim.lattice);
  const tpInv = inv3(tp);
  const frac = prim.sites.map((s) => vecMul3(s.frac, tpInv));
  const allowed = prim.sites.map((_, i) => new Set(prim.allowedSpecies(i).map((sp) => sp.key)));
  const vacancyAllowed = allowed.map((a) => a.has('Vacancy'));
  const anionSite = prim.sites.map((_, i) => {
    const real = prim.allowedSpecies(i).filter((sp) => !sp.isVacancy);
    return real.length > 0 && real.every((sp) => sp.oxidationState !== null && sp.oxidationState < 0);
  });
  const speciesSet = new Set<string>();
  for (const a of allowed) for (const k of a) if (k !== 'Vacancy') speciesSet.add(k);
  const red = redLat.matrix;
  const cages = frac.map((fp, p) => {
    if (anionSite[p]) return [];
    const found: { q: number; h: Vec3; d: number }[] = [];
    frac.forEach((fq, q) => {
      if (!anionSite[q]) return;
      for (let i = -2; i <= 2; i++) for (let j = -2; j <= 2; j++) for (let k = -2; k <= 2; k++) {
        const d = vecMul3([fq[0] + i - fp[0], fq[1] + j - fp[1], fq[2] + k - fp[2]], red);
        found.push({ q, h: [i, j, k], d: Math.hypot(...d) });
      }
    });
    if (!found.length) return [];
    const dmin = Math.min(...found.map((f) => f.d));
    return found.filter((f) => f.d < dmin * 1.1 + 1e-6).map(({ q, h }) => ({ q, h }));
  });
  const info: PrimInfo = { red, tp, frac, allowed, vacancyAllowed, anionSite, speciesSet, cages };
  primCache.set(prim, info);
  return info;
}

// ---------------------------------------------------------------------------------------
// helpers

function metricFromParams(a: number, b: number, c: number, al: number, be: number, ga: number): Mat3 {
  const r = Math.PI / 180;
  const ca = Math.cos(al * r), cb = Math.cos(be * r), cg = Math.cos(ga * r);
  return [
    [a * a, a * b * cg, a * c * cb],
    [a * b * cg, b * b, b * c * ca],
    [a * c * cb, b * c * ca, c * c],
  ];
}

function params(m: Mat3): number[] {
  const l = m.map((v) => Math.hypot(v[0], v[1], v[2]));
  const ang = (i: number, j: number) => {
    const c = (m[i]![0] * m[j]![0] + m[i]![1] * m[j]![1] + m[i]![2] * m[j]![2]) / (l[i]! * l[j]!);
    return (Math.acos(Math.max(-1, Math.min(1, c))) * 180) / Math.PI;
  };
  return [l[0]!, l[1]!, l[2]!, ang(1, 2), ang(0, 2), ang(0, 1)];
}

function quad(g: Mat3, x: number, y: number, z: number): number {
  return g[0][0] * x * x + g[1][1] * y * y + g[2][2] * z * z + 2 * (g[0][1] * x * y + g[0][2] * x * z + g[1][2] * y * z);
}

/** A site of the supercell in reduced-prim coordinates: prim site p at lattice translation g. */
interface Placement {
  p: number;
  g: Vec3;
  /** Displacement atom − site, reduced-prim fractional units. */
  disp: Vec3;
  d: number;
}

interface Atom {
  key: string;
  /** Fractional coordinates in the structure's reduced, right-handed basis. */
  f: Vec3;
}

interface Frame {
  m: Mat3; // candidate rows in reduced-prim basis
  mInv: Mat3;
  gp: Mat3; // metric on reduced-prim fractional displacements (average lattice)
  tolA: number; // site tolerance in Å (scaled frame)
  n: number;
  /** Below this distance the rounded translate is surely the nearest copy of a prim site. */
  safe: number;
}

function siteKey(fr: Frame, p: number, g: Vec3): number {
  // canonical representative of g modulo the supercell lattice
  const h = vecMul3(g, fr.mInv);
  const w: Vec3 = [h[0] - Math.floor(h[0] + 1e-9), h[1] - Math.floor(h[1] + 1e-9), h[2] - Math.floor(h[2] + 1e-9)];
  const c = vecMul3(w, fr.m);
  const x = Math.round(c[0]) + 512, y = Math.round(c[1]) + 512, z = Math.round(c[2]) + 512;
  return ((p * 1024 + x) * 1024 + y) * 1024 + z;
}

/** Nearest placement of point x (reduced-prim frac) among the given prim sites. */
function nearest(fr: Frame, info: PrimInfo, x0: number, x1: number, x2: number, sites: readonly number[]): Placement | null {
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

interface SubMatch {
  frame: Frame;
  placements: Placement[];
  rms: number;
  max: number;
}

interface Failure {
  reason: MappingReason;
  message: string;
  /** Atoms placed before the failure: the candidate that got furthest explains it best. */
  progress: number;
  score: number;
}

/**
 * Match `atoms` onto the prim sites `sites` of every candidate supercell lattice. Returns the
 * holding matches sorted by rms, and the most informative failure when none holds.
 */
function matchSublattice(
  info: PrimInfo,
  atoms: Atom[],
  sites: number[],
  candidates: Mat3[],
  sRed: Mat3,
  n: number,
  stol: number,
): { matches: SubMatch[]; failure: Failure | null } {
  const matches: SubMatch[] = [];
  let failure: Failure | null = null;
  const fail = (f: Failure) => {
    if (!failure || f.progress > failure.progress || (f.progress === failure.progress && f.score < failure.score)) failure = f;
  };
  const sitesFor = new Map<string, number[]>();
  for (const a of atoms) {
    if (!sitesFor.has(a.key)) sitesFor.set(a.key, sites.filter((p) => info.allowed[p]!.has(a.key)));
  }
  // anchor on the atom whose species fits the fewest prim sites (pymatgen's choice)
  let anchor = 0;
  for (let i = 1; i < atoms.length; i++) {
    if (sitesFor.get(atoms[i]!.key)!.length < sitesFor.get(atoms[anchor]!.key)!.length) anchor = i;
  }
  const nSites = n * sites.length;
  const anchorKey = atoms[anchor]!.key;
  const frameworkCount = atoms.filter((a) => a.key === anchorKey).length;
  const diagnose = (i: number, pl: Placement | null, any: Placement | null, tolA: number, progress: number) => {
    // "wrong site for this species" only means something once the most constrained species
    // (the framework, e.g. O2-) is in place; before that the correspondence itself is wrong
    if (progress >= frameworkCount && any && any.d <= tolA && (!pl || pl.d > tolA)) {
      fail({ reason: 'species-not-allowed', progress, score: 1, message: `${atoms[i]!.key} (site ${i}) sits on a lattice site that does not allow it` });
    } else {
      const ratio = pl ? pl.d / tolA : Infinity;
      fail({ reason: 'site-outside-tolerance', progress, score: 2 + Math.min(ratio, 1e3), message: `site ${i} (${atoms[i]!.key}) is ${ratio.toFixed(2)}× the site tolerance from the nearest allowed lattice site` });
    }
  };
  // anchor species first, then by how few sites a species fits: wrong lattices fail early
  const rank = (i: number) => (atoms[i]!.key === atoms[anchor]!.key ? -1 : sitesFor.get(atoms[i]!.key)!.length);
  const order = atoms.map((_, i) => i).sort((a, b) => rank(a) - rank(b));
  const sParams = params(sRed);
  const mustFill = sites.filter((p) => !info.vacancyAllowed[p]);

  // pre-screen in the ideal prim metric (no per-candidate frame): the strained average metric
  // differs from it by far less than the 1.5 safety factor, so no holding lattice is lost
  const gRed = mul3(info.red, transpose3(info.red));
  const ideal: Frame = {
    m: info.red, mInv: info.red, gp: gRed, n, tolA: stol * Math.cbrt((n * Math.abs(det3(info.red))) / nSites),
    safe: 0.45 * Math.sqrt(Math.min(gRed[0][0], gRed[1][1], gRed[2][2])),
  };
  const screenCut = 2 * ideal.tolA * 1.5;
  const nScreen = Math.min(atoms.length, 6);
  const a0f = atoms[anchor]!.f;
  const passesScreen = (m: Mat3): boolean => {
    const a = [0, 1, 2].map((k) => a0f[0] * m[0][k]! + a0f[1] * m[1][k]! + a0f[2] * m[2][k]!);
    for (const p0 of sitesFor.get(atoms[anchor]!.key)!) {
      const fp0 = info.frac[p0]!;
      const t0 = fp0[0] - a[0]!, t1 = fp0[1] - a[1]!, t2 = fp0[2] - a[2]!;
      let ok = true;
      for (let oi = 0; oi < nScreen && ok; oi++) {
        const f = atoms[order[oi]!]!.f;
        const x0 = f[0] * m[0][0] + f[1] * m[1][0] + f[2] * m[2][0] + t0;
        const x1 = f[0] * m[0][1] + f[1] * m[1][1] + f[2] * m[2][1] + t1;
        const x2 = f[0] * m[0][2] + f[1] * m[1][2] + f[2] * m[2][2] + t2;
        const pl = nearest(ideal, info, x0, x1, x2, sitesFor.get(atoms[order[oi]!]!.key)!);
        if (!pl || pl.d > screenCut) {
          ok = false;
          diagnose(order[oi]!, pl, nearest(ideal, info, x0, x1, x2, sites), ideal.tolA, oi);
        }
      }
      if (ok) return true;
    }
    return false;
  };

  for (const m of candidates) {
    if (!passesScreen(m)) continue;
    const lat = mul3(m, info.red);
    const lp = params(lat);
    const avg = lp.map((v, i) => (v + sParams[i]!) / 2);
    const gAvg = metricFromParams(avg[0]!, avg[1]!, avg[2]!, avg[3]!, avg[4]!, avg[5]!);
    const vAvg = Math.sqrt(Math.max(det3(gAvg), 0));
    const mInv = inv3(m);
    const gp = mul3(mul3(mInv, gAvg), transpose3(mInv));
    // the reduced prim basis holds the shortest lattice vector; 0.45 (not 0.5) allows for strain
    const safe = 0.45 * Math.sqrt(Math.min(gp[0][0], gp[1][1], gp[2][2]));
    const fr: Frame = { m, mInv, gp, tolA: stol * Math.cbrt(vAvg / nSites), n, safe };
    // atoms in reduced-prim coordinates, computed lazily: most candidates die on the first few
    const xbuf = new Float64Array(3 * atoms.length);
    const have = new Uint8Array(atoms.length);
    const xOf = (i: number) => {
      if (!have[i]) {
        const f = atoms[i]!.f;
        for (let k = 0; k < 3; k++) xbuf[3 * i + k] = f[0] * m[0][k]! + f[1] * m[1][k]! + f[2] * m[2][k]!;
        have[i] = 1;
      }
      return 3 * i;
    };
    const ai = xOf(anchor);
    const a0: Vec3 = [xbuf[ai]!, xbuf[ai + 1]!, xbuf[ai + 2]!];
    for (const p0 of sitesFor.get(atoms[anchor]!.key)!) {
      const fp0 = info.frac[p0]!;
      let t: Vec3 = [fp0[0] - a0[0], fp0[1] - a0[1], fp0[2] - a0[2]];
      let placements: Placement[] = new Array(atoms.length);
      let ok = true;
      // pass 1: anchored translation; any atom beyond 2·tol cannot end within tol after refinement
      for (let oi = 0; oi < atoms.length && ok; oi++) {
        const i = order[oi]!;
        const xi = xOf(i);
        const pl = nearest(fr, info, xbuf[xi]! + t[0], xbuf[xi + 1]! + t[1], xbuf[xi + 2]! + t[2], sitesFor.get(atoms[i]!.key)!);
        if (!pl || pl.d > 2 * fr.tolA) {
          ok = false;
          diagnose(i, pl, nearest(fr, info, xbuf[xi]! + t[0], xbuf[xi + 1]! + t[1], xbuf[xi + 2]! + t[2], sites), fr.tolA, oi);
        } else placements[i] = pl;
      }
      if (!ok) continue;
      const xs: Vec3[] = atoms.map((_, i) => [xbuf[3 * i]!, xbuf[3 * i + 1]!, xbuf[3 * i + 2]!]);
      for (let pass = 0; pass < 2; pass++) {
        const mean: Vec3 = [0, 0, 0];
        for (const pl of placements) for (let k = 0; k < 3; k++) mean[k] += pl.disp[k]! / placements.length;
        t = [t[0] - mean[0], t[1] - mean[1], t[2] - mean[2]];
        if (pass === 0) {
          placements = xs.map((x, i) => nearest(fr, info, x[0] + t[0], x[1] + t[1], x[2] + t[2], sitesFor.get(atoms[i]!.key)!)!);
        } else {
          for (const pl of placements) {
            pl.disp = [pl.disp[0] - mean[0], pl.disp[1] - mean[1], pl.disp[2] - mean[2]];
            pl.d = Math.sqrt(quad(gp, pl.disp[0], pl.disp[1], pl.disp[2]));
          }
        }
      }
      // distinct sites? otherwise untangle with a min-cost assignment
      const keys = placements.map((pl) => siteKey(fr, pl.p, pl.g));
      if (new Set(keys).size !== keys.length) {
        const fixed = untangle(fr, info, xs, t, atoms, sitesFor);
        if (!fixed) {
          fail({ reason: 'site-conflict', progress: atoms.length, score: 3, message: 'two atoms claim the same lattice site' });
          continue;
        }
        placements = fixed;
      }
      let max = 0, ss = 0;
      for (const pl of placements) {
        max = Math.max(max, pl.d);
        ss += pl.d * pl.d;
      }
      if (max >= fr.tolA) {
        fail({ reason: 'site-outside-tolerance', progress: atoms.length, score: 2 + max / fr.tolA, message: `largest site displacement is ${(max / fr.tolA).toFixed(2)}× the site tolerance` });
        continue;
      }
      if (mustFill.length) {
        const count = new Map<number, number>();
        for (const pl of placements) count.set(pl.p, (count.get(pl.p) ?? 0) + 1);
        const empty = mustFill.find((p) => (count.get(p) ?? 0) !== n);
        if (empty !== undefined) {
          fail({ reason: 'composition-mismatch', progress: atoms.length + 1, score: 1.5, message: `prim site ${empty} does not allow vacancies but ${n - (count.get(empty) ?? 0)} of its ${n} copies are empty` });
          continue;
        }
      }
      matches.push({ frame: fr, placements, rms: Math.sqrt(ss / placements.length), max });
    }
  }
  matches.sort((a, b) => a.rms - b.rms);
  return { matches, failure };
}

/** Min-cost (Σd²) assignment of atoms to distinct allowed sites near them. */
function untangle(fr: Frame, info: PrimInfo, xs: Vec3[], t: Vec3, atoms: Atom[], sitesFor: Map<string, number[]>): Placement[] | null {
  const cols = new Map<number, number>();
  const cand: { col: number; pl: Placement }[][] = xs.map((x0, i) => {
    const x: Vec3 = [x0[0] + t[0], x0[1] + t[1], x0[2] + t[2]];
    const list: { col: number; pl: Placement }[] = [];
    for (const p of sitesFor.get(atoms[i]!.key)!) {
      const fp = info.frac[p]!;
      const b = [Math.round(x[0] - fp[0]), Math.round(x[1] - fp[1]), Math.round(x[2] - fp[2])];
      for (let a = -1; a <= 1; a++) for (let c = -1; c <= 1; c++) for (let e = -1; e <= 1; e++) {
        const g: Vec3 = [b[0]! + a, b[1]! + c, b[2]! + e];
        const disp: Vec3 = [x[0] - fp[0] - g[0], x[1] - fp[1] - g[1], x[2] - fp[2] - g[2]];
        const d = Math.sqrt(quad(fr.gp, disp[0], disp[1], disp[2]));
        if (d > 2 * fr.tolA) continue;
        const key = siteKey(fr, p, g);
        if (!cols.has(key)) cols.set(key, cols.size);
        list.push({ col: cols.get(key)!, pl: { p, g, disp, d } });
      }
    }
    return list;
  });
  const nr = xs.length, nc = cols.size;
  if (nc < nr) return null;
  const cost = new Float64Array(nr * nc).fill(FORBIDDEN);
  cand.forEach((list, i) => {
    for (const { col, pl } of list) cost[i * nc + col] = Math.min(cost[i * nc + col]!, pl.d * pl.d);
  });
  const sol = minCostAssignment(cost, nr, nc);
  if (!sol) return null;
  return cand.map((list, i) => list.filter((c) => c.col === sol[i]).sort((a, b) => a.pl.d - b.pl.d)[0]!.pl);
}

// ---------------------------------------------------------------------------------------

function supercellSizeOf(prim: Structure, structure: Structure, spec: string | number | undefined): number {
  if (typeof spec === 'number') {
    if (!Number.isInteger(spec) || spec < 1) throw new OptionError(`supercellSize must be a positive integer, got ${spec}`);
    return spec;
  }
  if (spec === undefined || spec === 'num_sites') return Math.max(1, Math.round(structure.numSites / prim.numSites));
  if (spec === 'volume') return Math.max(1, Math.round(structure.lattice.volume / prim.lattice.volume));
  let key: string;
  try {
    key = Species.parse(spec).key;
  } catch {
    throw new OptionError(`supercellSize must be a species (e.g. 'O2-'), an integer, 'num_sites' or 'volume'; got '${spec}'`, { field: 'supercellSize' });
  }
  const inPrim = prim.composition().get(key) ?? 0;
  const inStruct = structure.composition().get(key) ?? 0;
  if (!(inPrim > 0)) throw new OptionError(`supercell size species '${key}' is not in the primitive cell`);
  if (!(inStruct > 0)) throw new MappingError(`structure has no ${key} to count the supercell size by`, 'size-mismatch');
  const ratio = inStruct / inPrim;
  const n = Math.round(ratio);
  if (n < 1 || Math.abs(ratio - n) > 1e-3) throw new MappingError(`${inStruct} ${key} is not a whole number of primitive cells (${ratio.toFixed(3)})`, 'size-mismatch');
  return n;
}

const DEFAULTS = { ltol: 0.2, stol: 0.3, angleTol: 5 };

export function mapStructure(prim: Structure, structure: Structure, opts: MappingOptions = {}): MappedStructure {
  const ltol = opts.ltol ?? DEFAULTS.ltol;
  const stol = opts.stol ?? DEFAULTS.stol;
  const angleTol = opts.angleTol ?? DEFAULTS.angleTol;
  for (const [name, v] of [['ltol', ltol], ['stol', stol], ['angleTol', angleTol]] as const) {
    if (!(v > 0) || !Number.isFinite(v)) throw new OptionError(`${name} must be a positive number, got ${v}`);
  }
  const mode = opts.mode ?? 'standard';
  if (mode !== 'standard' && mode !== 'anion-framework') throw new OptionError(`unknown mapping mode '${String(mode)}'`);
  const info = primInfo(prim);

  if (!structure.isOrdered()) throw new MappingError('structure to map must be ordered (one species per site)', 'disordered-structure');
  const keys = structure.sites.map((s) => s.species[0]!.species.key);
  const unknown = keys.find((k) => !info.speciesSet.has(k));
  if (unknown !== undefined) throw new MappingError(`${unknown} is not allowed on any site of the primitive cell`, 'species-not-allowed');

  const n = supercellSizeOf(prim, structure, opts.supercellSize);
  if (structure.numSites > n * prim.numSites) {
    throw new MappingError(`${structure.numSites} sites do not fit in ${n} primitive cells of ${prim.numSites} sites`, 'size-mismatch');
  }

  // scale=True: bring the structure to n primitive volumes; all tolerances are relative
  const lambda = Math.cbrt((n * prim.lattice.volume) / structure.lattice.volume);
  let sm = structure.lattice.matrix.map((r) => r.map((v) => v * lambda)) as Mat3;
  let fracs = structure.sites.map((s) => s.frac);
  if (det3(sm) < 0) {
    // same points described with negated axes, so the basis is right-handed
    sm = sm.map((r) => r.map((v) => -v)) as Mat3;
    fracs = fracs.map((f) => [-f[0], -f[1], -f[2]] as Vec3);
  }
  const { lattice: sRedLat, transformation: ts } = niggliReduce(new Lattice(sm));
  const tsInv = inv3(ts);
  const atoms: Atom[] = fracs.map((f, i) => ({ key: keys[i]!, f: vecMul3(f, tsInv) }));
  const sRed = sRedLat.matrix;

  const candidates = findLatticeCandidates(info.red, sRed, n, ltol, angleTol).map((c) => c.m);
  if (!candidates.length) {
    throw new MappingError(`no supercell of ${n} primitive cells matches the lattice within ltol=${ltol}, angle_tol=${angleTol}`, 'no-lattice-match');
  }

  const allSites = prim.sites.map((_, i) => i);
  if (mode === 'standard') {
    const { matches, failure } = matchSublattice(info, atoms, allSites, candidates, sRed, n, stol);
    const best = matches[0];
    if (!best) throw failureError(failure);
    return finish(prim, info, best.frame, best.placements, keys, best.max / lambda);
  }

  // anion-framework mode
  const anionSites = allSites.filter((p) => info.anionSite[p]);
  const cationSites = allSites.filter((p) => !info.anionSite[p]);
  if (!anionSites.length) throw new MappingError('the primitive cell has no anion-only site', 'no-anion-sublattice');
  const isAnion = atoms.map((a) => anionSites.some((p) => info.allowed[p]!.has(a.key)));
  const anionAtoms = atoms.filter((_, i) => isAnion[i]);
  const anionIdx = atoms.map((_, i) => i).filter((i) => isAnion[i]);
  const cationIdx = atoms.map((_, i) => i).filter((i) => !isAnion[i]);
  if (!anionAtoms.length) throw new MappingError('structure has no anions to match the framework with', 'no-lattice-match');
  const { matches, failure } = matchSublattice(info, anionAtoms, anionSites, candidates, sRed, n, stol);
  if (!matches.length) {
    const e = failureError(failure);
    throw new MappingError(`anion framework: ${e.message}`, e.reason);
  }
  let firstFailure: MappingError | null = null;
  for (const match of matches) {
    try {
      const placements = assignCations(info, match, atoms, anionIdx, cationIdx, cationSites, n);
      const all: Placement[] = new Array(atoms.length);
      anionIdx.forEach((i, k) => (all[i] = match.placements[k]!));
      cationIdx.forEach((i, k) => (all[i] = placements[k]!));
      const max = Math.max(...all.map((pl) => pl.d));
      return finish(prim, info, match.frame, all, keys, max / lambda);
    } catch (e) {
      if (!(e instanceof MappingError)) throw e;
      firstFailure ??= e;
    }
  }
  throw firstFailure!;
}

function failureError(f: Failure | null): MappingError {
  if (!f) return new MappingError('no lattice match', 'no-lattice-match');
  return new MappingError(f.message, f.reason);
}

/**
 * Cations to cation sites by anion cage: the cage centre of a cation site is its ideal
 * position moved by the mean displacement of its coordinating anions in the relaxed cell.
 */
function assignCations(info: PrimInfo, match: SubMatch, atoms: Atom[], anionIdx: number[], cationIdx: number[], cationSites: number[], n: number): Placement[] {
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

/** Express the match in the caller's prim basis and build the occupancy vector. */
function finish(prim: Structure, info: PrimInfo, fr: Frame, placements: Placement[], keys: string[], maxDisplacement: number): MappedStructure {
  const scMatrix = mul3(fr.m, info.tp).map((r) => r.map((v) => Math.round(v) + 0)) as Mat3;
  const pts = latticePointsInSupercell(scMatrix);
  const n = pts.length;
  const index = new Map<string, number>();
  pts.forEach((g, k) => index.set(g.join(','), k));
  const scInv = inv3(scMatrix);
  const occupancy: Species[] = new Array(prim.numSites * n).fill(Species.VACANCY);
  placements.forEach((pl, i) => {
    const g = vecMul3(pl.g, info.tp);
    const h = vecMul3(g, scInv);
    const w: Vec3 = [h[0] - Math.floor(h[0] + 1e-9), h[1] - Math.floor(h[1] + 1e-9), h[2] - Math.floor(h[2] + 1e-9)];
    const gc = vecMul3(w, scMatrix).map((v) => Math.round(v) + 0);
    const k = index.get(gc.join(','));
    if (k === undefined) throw new Error(`internal: lattice point ${gc} not in supercell`);
    const slot = pl.p * n + k;
    if (occupancy[slot] !== Species.VACANCY) throw new Error('internal: two atoms on one site after assignment');
    occupancy[slot] = Species.parse(keys[i]!);
  });
  for (let s = 0; s < occupancy.length; s++) {
    const p = Math.floor(s / n);
    if (occupancy[s]!.isVacancy && !info.vacancyAllowed[p]) {
      throw new MappingError(`supercell site ${s} (prim site ${p}) is empty but does not allow vacancies`, 'composition-mismatch');
    }
  }
  return { scMatrix, occupancy, maxDisplacement };
}

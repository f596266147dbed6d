/**
 * Matching one sublattice's atoms onto its prim sites for every candidate supercell lattice
 * (StructureMatcher's core, see ../mapping.ts for the method and its deliberate differences).
 *
 * For each candidate lattice that survives a cheap pre-screen:
 *   1. build its frame: the average of the candidate's and the structure's lattice parameters;
 *   2. for every prim site the anchor atom may sit on: translate so the anchor sits there, place
 *      each atom on its nearest allowed site (an atom beyond 2·tol cannot pass later), then
 *      refine the translation twice by the mean displacement;
 *   3. accept the placements if sites are distinct (else untangle them by a min-cost
 *      assignment), every displacement is within tol, and no vacancy-free site stays empty.
 * The holding matches are returned by rms; when none holds, the failure of the candidate that
 * got furthest (then the lowest score) explains why.
 */
import { type Mat3, type Vec3, det3, inv3, mul3, transpose3 } from '../../core/mat3.ts';
import { FORBIDDEN, minCostAssignment } from './assignment.ts';
import { type KeyedAtom, type Frame, type MappingReason, type Placement, latticeParams, metricFromParams, nearest, quad, siteKey } from './geometry.ts';
import type { PrimInfo } from './prim-info.ts';

export interface SubMatch {
  frame: Frame;
  placements: Placement[];
  rms: number;
  max: number;
}

export interface Failure {
  reason: MappingReason;
  message: string;
  /** Atoms placed before the failure: the candidate that got furthest explains it best. */
  progress: number;
  score: number;
}

/** What every candidate lattice shares: allowed sites per species, the anchor, the visiting order, the best failure. */
class SublatticeSearch {
  /** Prim sites (of this sublattice) allowing each species. */
  readonly sitesFor = new Map<string, number[]>();
  /** The atom whose species fits the fewest prim sites (pymatgen's anchor choice). */
  readonly anchor: number;
  /** Anchor species first, then by how few sites a species fits: wrong lattices fail early. */
  readonly order: number[];
  /** Atoms of the anchor's species (the framework, e.g. O2-). */
  readonly frameworkCount: number;
  /** Sites of this sublattice that must not stay empty. */
  readonly mustFill: number[];
  readonly nSites: number;
  failure: Failure | null = null;

  constructor(readonly info: PrimInfo, readonly atoms: KeyedAtom[], readonly sites: number[], readonly n: number) {
    for (const a of atoms) {
      if (!this.sitesFor.has(a.key)) this.sitesFor.set(a.key, sites.filter((p) => info.allowed[p]!.has(a.key)));
    }
    let anchor = 0;
    for (let i = 1; i < atoms.length; i++) {
      if (this.allowedSites(i).length < this.allowedSites(anchor).length) anchor = i;
    }
    this.anchor = anchor;
    const anchorKey = atoms[anchor]!.key;
    this.frameworkCount = atoms.filter((a) => a.key === anchorKey).length;
    const rank = (i: number) => (atoms[i]!.key === anchorKey ? -1 : this.allowedSites(i).length);
    this.order = atoms.map((_, i) => i).sort((a, b) => rank(a) - rank(b));
    this.mustFill = sites.filter((p) => !info.vacancyAllowed[p]);
    this.nSites = n * sites.length;
  }

  allowedSites(atom: number): number[] {
    return this.sitesFor.get(this.atoms[atom]!.key)!;
  }

  /** Keep the most informative failure: furthest progress, then lowest score. */
  fail(f: Failure): void {
    const best = this.failure;
    if (!best || f.progress > best.progress || (f.progress === best.progress && f.score < best.score)) this.failure = f;
  }

  /** Why atom i could not be placed: `allowed` is its nearest allowed site, `any` its nearest site of any kind. */
  diagnose(i: number, allowed: Placement | null, any: Placement | null, tolA: number, progress: number): void {
    const key = this.atoms[i]!.key;
    // "wrong site for this species" only means something once the most constrained species
    // (the framework, e.g. O2-) is in place; before that the correspondence itself is wrong
    if (progress >= this.frameworkCount && any && any.d <= tolA && (!allowed || allowed.d > tolA)) {
      this.fail({ reason: 'species-not-allowed', progress, score: 1, message: `${key} (site ${i}) sits on a lattice site that does not allow it` });
    } else {
      const ratio = allowed ? allowed.d / tolA : Infinity;
      this.fail({ reason: 'site-outside-tolerance', progress, score: 2 + Math.min(ratio, 1e3), message: `site ${i} (${key}) is ${ratio.toFixed(2)}× the site tolerance from the nearest allowed lattice site` });
    }
  }
}

/**
 * Match `atoms` onto the prim sites `sites` of every candidate supercell lattice. Returns the
 * holding matches sorted by rms, and the most informative failure when none holds.
 */
export function matchSublattice(info: PrimInfo, atoms: KeyedAtom[], sites: number[], candidates: Mat3[], sRed: Mat3, n: number, stol: number): { matches: SubMatch[]; failure: Failure | null } {
  const search = new SublatticeSearch(info, atoms, sites, n);
  const ideal = idealFrame(info, n, stol, search.nSites);
  const structureParams = latticeParams(sRed);
  const matches: SubMatch[] = [];
  for (const m of candidates) {
    if (!passesScreen(search, ideal, m)) continue;
    const frame = averageFrame(info, m, structureParams, stol, n, search.nSites);
    const coords = new LazyCoordinates(atoms, m);
    const a0 = coords.vec(search.anchor);
    for (const anchorSite of search.allowedSites(search.anchor)) {
      const fp0 = info.frac[anchorSite]!;
      const placed = placeAll(search, frame, coords, [fp0[0] - a0[0], fp0[1] - a0[1], fp0[2] - a0[2]]);
      if (!placed) continue;
      const match = acceptPlacements(search, frame, placed.placements, placed.xs, placed.t);
      if (match) matches.push(match);
    }
  }
  matches.sort((a, b) => a.rms - b.rms);
  return { matches, failure: search.failure };
}

/**
 * The pre-screen frame: the ideal prim metric (no per-candidate average). The strained average
 * metric differs from it by far less than the 1.5 safety factor of the screen, so no holding
 * lattice is lost.
 */
function idealFrame(info: PrimInfo, n: number, stol: number, nSites: number): Frame {
  const gRed = mul3(info.red, transpose3(info.red));
  return {
    m: info.red, mInv: info.red, gp: gRed, n, tolA: stol * Math.cbrt((n * Math.abs(det3(info.red))) / nSites),
    safe: 0.45 * Math.sqrt(Math.min(gRed[0][0], gRed[1][1], gRed[2][2])),
  };
}

/** Can the first few atoms (in visiting order) sit within 3·tol of allowed sites for some anchor site? */
function passesScreen(search: SublatticeSearch, ideal: Frame, m: Mat3): boolean {
  const { info, atoms, order } = search;
  const screenCut = 2 * ideal.tolA * 1.5;
  const nScreen = Math.min(atoms.length, 6);
  const a0f = atoms[search.anchor]!.f;
  const a = [0, 1, 2].map((k) => a0f[0] * m[0][k]! + a0f[1] * m[1][k]! + a0f[2] * m[2][k]!);
  for (const p0 of search.allowedSites(search.anchor)) {
    const fp0 = info.frac[p0]!;
    const t0 = fp0[0] - a[0]!, t1 = fp0[1] - a[1]!, t2 = fp0[2] - a[2]!;
    let ok = true;
    for (let oi = 0; oi < nScreen && ok; oi++) {
      const f = atoms[order[oi]!]!.f;
      const x0 = f[0] * m[0][0] + f[1] * m[1][0] + f[2] * m[2][0] + t0;
      const x1 = f[0] * m[0][1] + f[1] * m[1][1] + f[2] * m[2][1] + t1;
      const x2 = f[0] * m[0][2] + f[1] * m[1][2] + f[2] * m[2][2] + t2;
      const pl = nearest(ideal, info, x0, x1, x2, search.allowedSites(order[oi]!));
      if (!pl || pl.d > screenCut) {
        ok = false;
        search.diagnose(order[oi]!, pl, nearest(ideal, info, x0, x1, x2, search.sites), ideal.tolA, oi);
      }
    }
    if (ok) return true;
  }
  return false;
}

/** The frame of candidate m on the average lattice (mean lengths and angles of candidate and structure). */
function averageFrame(info: PrimInfo, m: Mat3, structureParams: number[], stol: number, n: number, nSites: number): Frame {
  const lp = latticeParams(mul3(m, info.red));
  const avg = lp.map((v, i) => (v + structureParams[i]!) / 2);
  const gAvg = metricFromParams(avg[0]!, avg[1]!, avg[2]!, avg[3]!, avg[4]!, avg[5]!);
  const vAvg = Math.sqrt(Math.max(det3(gAvg), 0));
  const mInv = inv3(m);
  const gp = mul3(mul3(mInv, gAvg), transpose3(mInv));
  // the reduced prim basis holds the shortest lattice vector; 0.45 (not 0.5) allows for strain
  const safe = 0.45 * Math.sqrt(Math.min(gp[0][0], gp[1][1], gp[2][2]));
  return { m, mInv, gp, tolA: stol * Math.cbrt(vAvg / nSites), n, safe };
}

/** Atom coordinates in the reduced-prim basis of candidate m, computed lazily: most candidates die on the first few atoms. */
class LazyCoordinates {
  readonly buf: Float64Array;
  private readonly have: Uint8Array;
  constructor(private readonly atoms: KeyedAtom[], private readonly m: Mat3) {
    this.buf = new Float64Array(3 * atoms.length);
    this.have = new Uint8Array(atoms.length);
  }

  /** Offset of atom i's coordinates in `buf`. */
  at(i: number): number {
    if (!this.have[i]) {
      const f = this.atoms[i]!.f, m = this.m;
      for (let k = 0; k < 3; k++) this.buf[3 * i + k] = f[0] * m[0][k]! + f[1] * m[1][k]! + f[2] * m[2][k]!;
      this.have[i] = 1;
    }
    return 3 * i;
  }

  vec(i: number): Vec3 {
    const o = this.at(i);
    return [this.buf[o]!, this.buf[o + 1]!, this.buf[o + 2]!];
  }
}

/**
 * Place every atom on its nearest allowed site under translation t (pass 1: any atom beyond
 * 2·tol fails the anchor site), then refine t twice by the mean displacement.
 */
function placeAll(search: SublatticeSearch, fr: Frame, coords: LazyCoordinates, t: Vec3): { placements: Placement[]; xs: Vec3[]; t: Vec3 } | null {
  const { info, atoms, order } = search;
  const xbuf = coords.buf;
  let placements: Placement[] = new Array(atoms.length);
  for (let oi = 0; oi < atoms.length; oi++) {
    const i = order[oi]!;
    const xi = coords.at(i);
    const pl = nearest(fr, info, xbuf[xi]! + t[0], xbuf[xi + 1]! + t[1], xbuf[xi + 2]! + t[2], search.allowedSites(i));
    if (!pl || pl.d > 2 * fr.tolA) {
      search.diagnose(i, pl, nearest(fr, info, xbuf[xi]! + t[0], xbuf[xi + 1]! + t[1], xbuf[xi + 2]! + t[2], search.sites), fr.tolA, oi);
      return null;
    }
    placements[i] = pl;
  }
  const xs: Vec3[] = atoms.map((_, i) => [xbuf[3 * i]!, xbuf[3 * i + 1]!, xbuf[3 * i + 2]!]);
  for (let pass = 0; pass < 2; pass++) {
    const mean: Vec3 = [0, 0, 0];
    for (const pl of placements) for (let k = 0; k < 3; k++) mean[k] += pl.disp[k]! / placements.length;
    t = [t[0] - mean[0], t[1] - mean[1], t[2] - mean[2]];
    if (pass === 0) {
      placements = xs.map((x, i) => nearest(fr, info, x[0] + t[0], x[1] + t[1], x[2] + t[2], search.allowedSites(i))!);
    } else {
      for (const pl of placements) {
        pl.disp = [pl.disp[0] - mean[0], pl.disp[1] - mean[1], pl.disp[2] - mean[2]];
        pl.d = Math.sqrt(quad(fr.gp, pl.disp[0], pl.disp[1], pl.disp[2]));
      }
    }
  }
  return { placements, xs, t };
}

/** Distinct sites (untangled if needed), every displacement within tol, vacancy-free sites filled: a match. */
function acceptPlacements(search: SublatticeSearch, fr: Frame, placements: Placement[], xs: Vec3[], t: Vec3): SubMatch | null {
  const { atoms, n } = search;
  const keys = placements.map((pl) => siteKey(fr, pl.p, pl.g));
  if (new Set(keys).size !== keys.length) {
    const fixed = untangle(fr, search.info, xs, t, atoms, search.sitesFor);
    if (!fixed) {
      search.fail({ reason: 'site-conflict', progress: atoms.length, score: 3, message: 'two atoms claim the same lattice site' });
      return null;
    }
    placements = fixed;
  }
  let max = 0, ss = 0;
  for (const pl of placements) {
    max = Math.max(max, pl.d);
    ss += pl.d * pl.d;
  }
  if (max >= fr.tolA) {
    search.fail({ reason: 'site-outside-tolerance', progress: atoms.length, score: 2 + max / fr.tolA, message: `largest site displacement is ${(max / fr.tolA).toFixed(2)}× the site tolerance` });
    return null;
  }
  if (search.mustFill.length) {
    const count = new Map<number, number>();
    for (const pl of placements) count.set(pl.p, (count.get(pl.p) ?? 0) + 1);
    const empty = search.mustFill.find((p) => (count.get(p) ?? 0) !== n);
    if (empty !== undefined) {
      search.fail({ reason: 'composition-mismatch', progress: atoms.length + 1, score: 1.5, message: `prim site ${empty} does not allow vacancies but ${n - (count.get(empty) ?? 0)} of its ${n} copies are empty` });
      return null;
    }
  }
  return { frame: fr, placements, rms: Math.sqrt(ss / placements.length), max };
}

/** Min-cost (Σd²) assignment of atoms to distinct allowed sites near them (the rare case where two atoms share a nearest site). */
export function untangle(fr: Frame, info: PrimInfo, xs: Vec3[], t: Vec3, atoms: KeyedAtom[], sitesFor: Map<string, number[]>): Placement[] | null {
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


/**
 * Clusters and orbits on the lattice of active prim sites.
 *
 * A lattice point is (prim site s, integer offset n): fractional position frac_s + n, with
 * frac_s exactly as the prim lists it (so offsets agree with supercellSites). Symmetry
 * operations are turned once into integer site maps, g(s, n) = (s', d_g,s + R_g·n), so all
 * cluster algebra is exact integer work. A cluster's translation-canonical form sorts its
 * points by (s, n) and shifts the first to n = 0; an orbit's key is the smallest such form over
 * all operations, and its base cluster is that form.
 *
 * Enumeration (complete when cutoffs do not increase with size): every k-cluster of diameter
 * ≤ d_k contains a (k−1)-subcluster whose orbit was already found, so extending each
 * (k−1)-orbit's base cluster by every point within d_k of all its points finds every k-orbit.
 * Distances are compared with a 1e-5 Å grace so a cluster sitting on or just below the cutoff
 * is never lost to rounding (smol issue 104).
 */
import { InputError } from '../core/errors.ts';
import { type Mat3, mulVec3 } from '../core/mat3.ts';
import type { Lattice } from '../structure/lattice.ts';
import type { Structure } from '../structure/structure.ts';
import type { SymOp } from '../symmetry/symmetry.ts';
import type { Cutoffs } from './cutoffs.ts';

export const DIAMETER_TOL = 1e-5;

/** Flat cluster: [s0, n0x, n0y, n0z, s1, …]. */
export type Points = number[];

export interface Orbit {
  /** 1-based (0 is the empty cluster, smol's numbering). */
  id: number;
  size: number;
  diameter: number;
  /** Distinct clusters of the orbit per primitive cell. */
  multiplicity: number;
  /** Canonical base cluster (sorted, first point at n = 0). */
  base: Points;
  /** The orbit's distinct clusters, each with its points in the order g(base). */
  images: Points[];
  /** Site permutations π of the base cluster under its own stabilizer: g(p_i) ≡ p_π(i). */
  permutations: number[][];
  /** Number of species M on each base-cluster site. */
  siteSizes: number[];
  /** Decoration groups: functions[f] lists the equivalent tuples of site-function indices (1..M−1). */
  functions: number[][][];
  /** Index of this orbit's first function in the correlation vector. */
  firstFunction: number;
}

interface OpMap {
  rotation: Mat3;
  perm: Int32Array;
  /** offsets[3s..3s+2] = integer part of g(frac_s) − frac_perm[s]. */
  offsets: Int32Array;
}

export class PointAlgebra {
  readonly ops: OpMap[];
  readonly fracs: number[][];
  readonly lattice: Lattice;

  constructor(prim: Structure, operations: SymOp[], speciesKey: (site: number) => string) {
    this.lattice = prim.lattice;
    this.fracs = prim.sites.map((s) => [...s.frac]);
    const nSites = prim.sites.length;
    this.ops = operations.map((op, gi) => {
      const perm = new Int32Array(nSites);
      const offsets = new Int32Array(3 * nSites);
      for (let s = 0; s < nSites; s++) {
        const y = mulVec3(op.rotation, prim.sites[s]!.frac);
        y[0] += op.translation[0]; y[1] += op.translation[1]; y[2] += op.translation[2];
        let found = -1;
        for (let t = 0; t < nSites && found < 0; t++) {
          const f = prim.sites[t]!.frac;
          const d = [y[0] - f[0], y[1] - f[1], y[2] - f[2]];
          if (d.every((v) => Math.abs(v - Math.round(v)) < 1e-3)) {
            found = t;
            for (let k = 0; k < 3; k++) offsets[3 * s + k] = Math.round(d[k]!);
          }
        }
        if (found < 0 || speciesKey(found) !== speciesKey(s)) {
          throw new InputError(`symmetry operation ${gi} does not map prim site ${s} onto a site with the same allowed species`);
        }
        perm[s] = found;
      }
      return { rotation: op.rotation, perm, offsets };
    });
  }

  apply(g: number, c: Points): Points {
    const op = this.ops[g]!;
    const r = op.rotation;
    const out = new Array<number>(c.length);
    for (let i = 0; i < c.length; i += 4) {
      const s = c[i]!, x = c[i + 1]!, y = c[i + 2]!, z = c[i + 3]!;
      out[i] = op.perm[s]!;
      out[i + 1] = op.offsets[3 * s]! + r[0][0] * x + r[0][1] * y + r[0][2] * z;
      out[i + 2] = op.offsets[3 * s + 1]! + r[1][0] * x + r[1][1] * y + r[1][2] * z;
      out[i + 3] = op.offsets[3 * s + 2]! + r[2][0] * x + r[2][1] * y + r[2][2] * z;
    }
    return out;
  }

  cart(c: Points, i: number): [number, number, number] {
    const f = this.fracs[c[4 * i]!]!;
    const m = this.lattice.matrix;
    const a = f[0]! + c[4 * i + 1]!, b = f[1]! + c[4 * i + 2]!, d = f[2]! + c[4 * i + 3]!;
    return [a * m[0][0] + b * m[1][0] + d * m[2][0], a * m[0][1] + b * m[1][1] + d * m[2][1], a * m[0][2] + b * m[1][2] + d * m[2][2]];
  }

  distance(c: Points, i: number, j: number): number {
    const a = this.cart(c, i), b = this.cart(c, j);
    return Math.hypot(a[0] - b[0], a[1] - b[1], a[2] - b[2]);
  }

  diameter(c: Points): number {
    let d = 0;
    const k = c.length / 4;
    for (let i = 0; i < k; i++) for (let j = i + 1; j < k; j++) d = Math.max(d, this.distance(c, i, j));
    return d;
  }
}

function comparePoints(c: Points, i: number, j: number): number {
  for (let k = 0; k < 4; k++) {
    const d = c[4 * i + k]! - c[4 * j + k]!;
    if (d !== 0) return d;
  }
  return 0;
}

/** Translation-canonical form and where each input point went (order[j] = sorted position of point j). */
export function canonicalTranslation(c: Points): { points: Points; position: number[] } {
  const k = c.length / 4;
  const idx = Array.from({ length: k }, (_, i) => i).sort((a, b) => comparePoints(c, a, b));
  const points = new Array<number>(c.length);
  const position = new Array<number>(k);
  const f = idx[0]!;
  const ox = c[4 * f + 1]!, oy = c[4 * f + 2]!, oz = c[4 * f + 3]!;
  idx.forEach((src, dst) => {
    position[src] = dst;
    points[4 * dst] = c[4 * src]!;
    points[4 * dst + 1] = c[4 * src + 1]! - ox;
    points[4 * dst + 2] = c[4 * src + 2]! - oy;
    points[4 * dst + 3] = c[4 * src + 3]! - oz;
  });
  return { points, position };
}

export function pointsKey(c: Points): string {
  return c.join(',');
}

function lessPoints(a: Points, b: Points): boolean {
  for (let i = 0; i < a.length; i++) if (a[i] !== b[i]) return a[i]! < b[i]!;
  return false;
}

/** Smallest translation-canonical image over all operations, with the point positions it implies. */
export function orbitCanonical(alg: PointAlgebra, c: Points): { points: Points; position: number[] } {
  let best: { points: Points; position: number[] } | null = null;
  for (let g = 0; g < alg.ops.length; g++) {
    const ct = canonicalTranslation(alg.apply(g, c));
    if (best === null || lessPoints(ct.points, best.points)) best = ct;
  }
  return best!;
}

/** Every lattice point (active site) within `radius` of active prim site s (itself excluded). */
function neighborList(alg: PointAlgebra, activeSites: number[], radius: number): Map<number, Points> {
  const recip = alg.lattice.reciprocal.matrix;
  const reach = recip.map((b) => Math.ceil((radius * Math.hypot(b[0], b[1], b[2])) / (2 * Math.PI)) + 1);
  const out = new Map<number, Points>();
  for (const s of activeSites) {
    const list: Points = [];
    for (const t of activeSites) {
      for (let x = -reach[0]!; x <= reach[0]!; x++) {
        for (let y = -reach[1]!; y <= reach[1]!; y++) {
          for (let z = -reach[2]!; z <= reach[2]!; z++) {
            if (t === s && x === 0 && y === 0 && z === 0) continue;
            const d = alg.distance([s, 0, 0, 0, t, x, y, z], 0, 1);
            if (d <= radius + DIAMETER_TOL) list.push(t, x, y, z);
          }
        }
      }
    }
    out.set(s, list);
  }
  return out;
}

interface RawOrbit {
  base: Points;
  diameter: number;
  images: Points[];
  permutations: number[][];
}

function makeOrbit(alg: PointAlgebra, base: Points): RawOrbit {
  const images: Points[] = [];
  const seen = new Set<string>();
  const perms = new Map<string, number[]>();
  const baseKey = pointsKey(base);
  for (let g = 0; g < alg.ops.length; g++) {
    const img = alg.apply(g, base);
    const ct = canonicalTranslation(img);
    const key = pointsKey(ct.points);
    if (!seen.has(key)) {
      seen.add(key);
      images.push(img);
    }
    if (key === baseKey) perms.set(ct.position.join(','), ct.position);
  }
  const nStab = alg.ops.filter((_, g) => pointsKey(canonicalTranslation(alg.apply(g, base)).points) === baseKey).length;
  if (nStab * images.length !== alg.ops.length) {
    throw new InputError(`symmetry operations do not form a group on the cluster ${baseKey} (${nStab} × ${images.length} ≠ ${alg.ops.length})`);
  }
  return { base, diameter: alg.diameter(base), images, permutations: [...perms.values()] };
}

/** Decoration groups in smol's order: tuples in lexicographic order, each new tuple opens a group of its images. */
function decorationGroups(siteSizes: number[], permutations: number[][]): number[][][] {
  const k = siteSizes.length;
  const groups: number[][][] = [];
  const seen = new Set<string>();
  const tuple = new Array<number>(k).fill(1);
  const total = siteSizes.reduce((a, m) => a * (m - 1), 1);
  for (let it = 0; it < total; it++) {
    const key = tuple.join(',');
    if (!seen.has(key)) {
      const group = new Map<string, number[]>();
      for (const p of permutations) {
        const t = p.map((pi) => tuple[pi]!);
        group.set(t.join(','), t);
      }
      const members = [...group.entries()].sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0)).map(([, t]) => t);
      for (const t of members) seen.add(t.join(','));
      groups.push(members);
    }
    for (let i = k - 1; i >= 0; i--) {
      if (tuple[i]! < siteSizes[i]! - 1) {
        tuple[i]!++;
        break;
      }
      tuple[i] = 1;
    }
  }
  return groups;
}

export interface OrbitSet {
  orbits: Orbit[];
  nFunctions: number;
  /** Orbit key (canonical base) → orbit index in `orbits`. */
  byKey: Map<string, number>;
}

/**
 * All orbits of clusters on the active sites, in smol's order: points by decreasing
 * multiplicity then number of functions; larger clusters by size, then diameter (rounded to
 * 1e-6 Å), decreasing multiplicity, number of functions.
 */
export function enumerateOrbits(alg: PointAlgebra, activeSites: number[], siteSize: (s: number) => number, cutoffs: Cutoffs): OrbitSet {
  const raw: RawOrbit[][] = [];
  const byKeyRaw = new Set<string>();
  const nFun = (o: RawOrbit) => decorationGroups(baseSizes(o.base), o.permutations).length;
  const baseSizes = (b: Points) => Array.from({ length: b.length / 4 }, (_, i) => siteSize(b[4 * i]!));

  const points: RawOrbit[] = [];
  for (const s of activeSites) {
    const { points: base } = orbitCanonical(alg, [s, 0, 0, 0]);
    const key = pointsKey(base);
    if (byKeyRaw.has(key)) continue;
    byKeyRaw.add(key);
    points.push(makeOrbit(alg, base));
  }
  raw.push(stableSort(points, (a, b) => b.images.length - a.images.length || nFun(a) - nFun(b)));

  const maxCut = Math.max(0, ...cutoffs.values());
  const neighbors = maxCut > 0 ? neighborList(alg, activeSites, maxCut) : new Map<number, Points>();
  for (const [size, cut] of cutoffs) {
    const found: RawOrbit[] = [];
    for (const parent of raw[size - 2]!) {
      if (parent.diameter > cut + DIAMETER_TOL) continue;
      const b = parent.base;
      const k = b.length / 4;
      const nb = neighbors.get(b[0]!)!;
      for (let q = 0; q < nb.length; q += 4) {
        // base[0] sits at n = 0, so the neighbor list applies unshifted
        const cand = b.concat([nb[q]!, nb[q + 1]!, nb[q + 2]!, nb[q + 3]!]);
        let ok = true;
        for (let i = 0; i < k && ok; i++) {
          if (comparePoints(cand, i, k) === 0) ok = false;
          else if (alg.distance(cand, i, k) > cut + DIAMETER_TOL) ok = false;
        }
        if (!ok) continue;
        const { points: base } = orbitCanonical(alg, cand);
        const key = pointsKey(base);
        if (byKeyRaw.has(key)) continue;
        byKeyRaw.add(key);
        found.push(makeOrbit(alg, base));
      }
    }
    if (found.length === 0) break;
    raw.push(stableSort(found, (a, b) => Math.round(a.diameter * 1e6) - Math.round(b.diameter * 1e6) || b.images.length - a.images.length || nFun(a) - nFun(b)));
  }

  const orbits: Orbit[] = [];
  const byKey = new Map<string, number>();
  let next = 1;
  for (const group of raw) {
    for (const r of group) {
      const siteSizes = baseSizes(r.base);
      const functions = decorationGroups(siteSizes, r.permutations);
      byKey.set(pointsKey(r.base), orbits.length);
      orbits.push({
        id: orbits.length + 1,
        size: r.base.length / 4,
        diameter: r.diameter,
        multiplicity: r.images.length,
        base: r.base,
        images: r.images,
        permutations: r.permutations,
        siteSizes,
        functions,
        firstFunction: next,
      });
      next += functions.length;
    }
  }
  return { orbits, nFunctions: next, byKey };
}

function stableSort<T>(a: T[], cmp: (x: T, y: T) => number): T[] {
  return a.map((v, i) => [v, i] as const).sort((x, y) => cmp(x[0], y[0]) || x[1] - y[1]).map(([v]) => v);
}

/**
 * Hierarchy: for every correlation function of a k-site orbit (k ≥ 2), the functions of
 * (k−1)-site orbits obtained by dropping one site of the cluster together with its site
 * function, mapped through symmetry into the sub-orbit's base cluster. Works for any number
 * of species and sublattices because it compares whole decoration tuples, not orbits only.
 * Returns [child, parent] pairs of correlation-vector indices (the constant is never listed).
 */
export function functionHierarchy(alg: PointAlgebra, set: OrbitSet): [number, number][] {
  const decoIndex = set.orbits.map((o) => {
    const m = new Map<string, number>();
    o.functions.forEach((group, f) => group.forEach((t) => m.set(t.join(','), o.firstFunction + f)));
    return m;
  });
  const pairs: [number, number][] = [];
  for (const o of set.orbits) {
    if (o.size < 2) continue;
    // the sub-cluster canonical forms do not depend on the decoration: compute them once per dropped site
    const subs = Array.from({ length: o.size }, (_, drop) => {
      const sub = o.base.filter((_, idx) => Math.floor(idx / 4) !== drop);
      const can = orbitCanonical(alg, sub);
      const orbitIdx = set.byKey.get(pointsKey(can.points));
      if (orbitIdx === undefined) throw new InputError(`internal: sub-cluster of orbit ${o.id} has no orbit (cutoffs increasing with size?)`);
      return { drop, orbitIdx, position: can.position };
    });
    o.functions.forEach((group, f) => {
      const child = o.firstFunction + f;
      const parents = new Set<number>();
      for (const t of group) {
        for (const { drop, orbitIdx, position } of subs) {
          const rest = t.filter((_, i) => i !== drop);
          const e = new Array<number>(rest.length);
          rest.forEach((v, j) => (e[position[j]!] = v));
          const p = decoIndex[orbitIdx]!.get(e.join(','));
          if (p === undefined) throw new InputError(`internal: decoration ${e.join(',')} missing in orbit ${orbitIdx + 1}`);
          parents.add(p);
        }
      }
      for (const p of [...parents].sort((a, b) => a - b)) pairs.push([child, p]);
    });
  }
  return pairs;
}

/**
 * Force-constant cluster space of an ordered primitive cell (seed 002, "cluster decomposition").
 *
 * Algorithm, in the order the code runs:
 * 1. Clusters: for every order k with a cutoff, every multiset of k atoms (repeats allowed: the
 *    on-site Φ_ii and self terms like Φ_iij are force constants too) whose pairwise distances
 *    are ≤ the cutoff, one per translation class (canonical form, tensor.ts).
 * 2. Orbits: the space group (moyo, on the primitive cell) maps clusters onto clusters; the
 *    first cluster of each class in (order, diameter, key) order represents it.
 * 3. Independent parameters of an orbit: the image of the projector that averages
 *    T(g, π) = (R⊗…⊗R) with index reordering over every pair (g, π) that maps the
 *    representative onto itself, π any reordering consistent with g (for repeated atoms
 *    several, which is the index-permutation symmetry). The image is put in echelon form so
 *    parameters read like "xx = yy", "zz", "xy".
 * 4. Every other cluster of the orbit gets its tensor as T(g, sort) · basis.
 * 5. Acoustic sum rules (translational invariance): Σ_{a_k} Φ_{a₁…a_k} = 0 for every prefix,
 *    a linear constraint on the parameters of one order; the free parameters are the
 *    constraint null space (echelon form again), block-diagonal over orders.
 * Rotational invariance (Born–Huang) is not imposed.
 */
import { InputError, OptionError } from '../core/errors.ts';
import { type Mat3, type Vec3, inv3, mul3, transpose3, vecMul3, norm3, sub3 } from '../core/mat3.ts';
import { Mat, matMul } from '../core/matrix.ts';
import { findNeighbors } from '../structure/neighbors.ts';
import type { Structure } from '../structure/structure.ts';
import { analyzeSymmetry, type SpaceGroupInfo } from '../symmetry/symmetry.ts';
import { echelonBasis, eigenspaceAbove, nullSpace } from './nullspace.ts';
import { type Atom, canonicalize, clusterKey, permutations, reorderRows, transformMatrix } from './tensor.ts';

export interface FcOrbitMember {
  atoms: Atom[];
  /** 3^k × nParams(orbit): this cluster's tensor (canonical atom order) = transform · θ. */
  transform: Mat;
}

export interface FcOrbit {
  id: number;
  order: number;
  /** Max pairwise distance (Å). */
  diameter: number;
  representative: Atom[];
  members: FcOrbitMember[];
  /** Independent parameters of the representative's tensor (3^k × nParams). */
  basis: Mat;
  paramOffset: number;
  nParams: number;
}

/** A space-group operation as it acts on labelled atoms. */
interface AtomOp {
  rot: Mat3;
  /** Cartesian rotation R_c = Mᵀ R M⁻ᵀ (lattice rows M). */
  cart: Mat3;
  siteImage: number[];
  shift: Vec3[];
}

export interface FcSpaceOptions {
  symprec?: number;
  /** Impose the acoustic sum rules (default true). */
  sumRules?: boolean;
}

const MAX_ORDER = 4;
/** Refuse cluster lists beyond this (memory and the per-orbit projectors would not finish). */
const MAX_CLUSTERS = 200_000;

export class FcClusterSpace {
  readonly orbits: FcOrbit[];
  readonly nParams: number;
  /** θ = sumRuleMap · ψ: full parameters from the free ones (nParams × nFree). */
  readonly sumRuleMap: Mat;
  private readonly index = new Map<string, { orbit: number; member: number }>();

  private constructor(
    readonly prim: Structure,
    readonly cutoffs: Map<number, number>,
    readonly symmetry: SpaceGroupInfo,
    orbits: FcOrbit[],
    readonly sumRules: boolean,
  ) {
    this.orbits = orbits;
    this.nParams = orbits.reduce((s, o) => s + o.nParams, 0);
    orbits.forEach((o, oi) => o.members.forEach((m, mi) => this.index.set(clusterKey(m.atoms), { orbit: oi, member: mi })));
    this.sumRuleMap = sumRules ? this.buildSumRuleMap() : Mat.identity(this.nParams);
  }

  get nFree(): number {
    return this.sumRuleMap.cols;
  }

  get orders(): number[] {
    return [...this.cutoffs.keys()];
  }

  static build(prim: Structure, cutoffs: Map<number, number>, opts: FcSpaceOptions = {}): FcClusterSpace {
    if (!prim.isOrdered()) throw new InputError('force-constant expansions need an ordered primitive cell (one species per site)');
    for (const k of cutoffs.keys()) if (k > MAX_ORDER) throw new OptionError(`force-constant orders above ${MAX_ORDER} are not supported, got ${k}`, { field: 'cutoffs' });
    const sym = analyzeSymmetry(prim, opts.symprec === undefined ? {} : { symprec: opts.symprec });
    const ops = atomOps(prim, sym, opts.symprec ?? 1e-3);
    const orbits: FcOrbit[] = [];
    let offset = 0;
    for (const [order, cut] of cutoffs) {
      for (const o of buildOrbits(prim, ops, order, cut)) {
        orbits.push({ ...o, id: orbits.length, paramOffset: offset });
        offset += o.nParams;
      }
    }
    return new FcClusterSpace(prim, cutoffs, sym, orbits, opts.sumRules ?? true);
  }

  /**
   * Φ over an ordered tuple of atoms as rows in its orbit's parameters, or null when the
   * cluster is outside the space (its force constants are zero).
   */
  tensorOf(atoms: readonly Atom[]): { orbit: FcOrbit; rows: Mat } | null {
    const c = canonicalize(atoms);
    const hit = this.index.get(clusterKey(c.atoms));
    if (!hit) return null;
    const orbit = this.orbits[hit.orbit]!;
    return { orbit, rows: reorderRows(orbit.members[hit.member]!.transform, c.sort) };
  }

  cart(a: Atom): Vec3 {
    return this.prim.lattice.fracToCart(atomFrac(this.prim, a));
  }

  /** Block-diagonal over orders: the sum rules never mix orders. */
  private buildSumRuleMap(): Mat {
    const blocks: Mat[] = this.orders.map((k) => {
      const orbits = this.orbits.filter((o) => o.order === k);
      const lo = orbits[0]?.paramOffset ?? 0;
      const n = orbits.reduce((s, o) => s + o.nParams, 0);
      return n ? echelonBasis(nullSpace(this.sumRuleConstraints(orbits, lo, n))) : new Mat(0, 0);
    });
    const nFree = blocks.reduce((s, b) => s + b.cols, 0);
    const out = new Mat(this.nParams, nFree);
    let r = 0, c = 0;
    for (const b of blocks) {
      for (let i = 0; i < b.rows; i++) for (let j = 0; j < b.cols; j++) out.data[(r + i) * nFree + c + j] = b.data[i * b.cols + j]!;
      r += b.rows;
      c += b.cols;
    }
    return out;
  }

  /** Rows: Σ_{last atom} Φ_{prefix, last}[ε] = 0 for every ordered prefix with its first atom at home. */
  private sumRuleConstraints(orbits: FcOrbit[], lo: number, n: number): Mat {
    const k = orbits[0]!.order, size = 3 ** k;
    const groups = new Map<string, Float64Array>();
    for (const orbit of orbits) {
      for (const m of orbit.members) {
        const seen = new Set<string>();
        for (const p of permutations(k)) {
          const f = m.atoms[p[0]!]!;
          const tuple = p.map((i) => { const a = m.atoms[i]!; return [a[0], a[1] - f[1], a[2] - f[2], a[3] - f[3]] as Atom; });
          const key = clusterKey(tuple);
          if (seen.has(key)) continue;
          seen.add(key);
          const prefix = clusterKey(tuple.slice(0, k - 1));
          let acc = groups.get(prefix);
          if (!acc) groups.set(prefix, (acc = new Float64Array(size * n)));
          const t = this.tensorOf(tuple)!;
          const off = t.orbit.paramOffset - lo, w = t.orbit.nParams;
          for (let e = 0; e < size; e++) for (let j = 0; j < w; j++) acc[e * n + off + j] += t.rows.data[e * w + j]!;
        }
      }
    }
    const out = new Mat(groups.size * size, n);
    let r = 0;
    for (const acc of groups.values()) out.data.set(acc, (r++) * size * n);
    return out;
  }
}

export function atomFrac(prim: Structure, a: Atom): Vec3 {
  const f = prim.sites[a[0]]!.frac;
  return [f[0] + a[1], f[1] + a[2], f[2] + a[3]];
}

function atomOps(prim: Structure, sym: SpaceGroupInfo, symprec: number): AtomOp[] {
  const M = prim.lattice.matrix;
  const Mt = transpose3(M);
  const MtInv = inv3(Mt);
  return sym.operations.map((op) => {
    const siteImage: number[] = [], shift: Vec3[] = [];
    prim.sites.forEach((s, p) => {
      const f = s.frac;
      const g: Vec3 = [0, 1, 2].map((i) => op.rotation[i]![0]! * f[0] + op.rotation[i]![1]! * f[1] + op.rotation[i]![2]! * f[2] + op.translation[i]!) as Vec3;
      const q = prim.sites.findIndex((t, qi) => {
        if (prim.speciesAt(qi).key !== prim.speciesAt(p).key) return false;
        const d = sub3(g, t.frac).map((x) => x - Math.round(x)) as Vec3;
        return norm3(vecMul3(d, M)) < 10 * symprec;
      });
      if (q < 0) throw new InputError(`symmetry operation does not map site ${p} onto a site`);
      siteImage.push(q);
      shift.push(sub3(g, prim.sites[q]!.frac).map(Math.round) as Vec3);
    });
    return { rot: op.rotation, cart: mul3(mul3(Mt, op.rotation), MtInv), siteImage, shift };
  });
}

function applyOp(op: AtomOp, a: Atom): Atom {
  const r = op.rot, s = op.shift[a[0]]!;
  return [
    op.siteImage[a[0]]!,
    r[0][0] * a[1] + r[0][1] * a[2] + r[0][2] * a[3] + s[0],
    r[1][0] * a[1] + r[1][1] * a[2] + r[1][2] * a[3] + s[1],
    r[2][0] * a[1] + r[2][1] * a[2] + r[2][2] * a[3] + s[2],
  ];
}

/** Canonical clusters of one order, keyed, with diameters. */
function enumerateClusters(prim: Structure, order: number, cut: number): Map<string, { atoms: Atom[]; diameter: number }> {
  const fracs = prim.sites.map((s) => s.frac);
  const nl = findNeighbors(prim.lattice, fracs, cut + 1e-6);
  const cart = (a: Atom) => prim.lattice.fracToCart(atomFrac(prim, a));
  const out = new Map<string, { atoms: Atom[]; diameter: number }>();
  for (let h = 0; h < prim.numSites; h++) {
    const cand: Atom[] = [[h, 0, 0, 0]];
    for (let q = 0; q < nl.count; q++) if (nl.center[q] === h) cand.push([nl.neighbor[q]!, nl.image[3 * q]!, nl.image[3 * q + 1]!, nl.image[3 * q + 2]!]);
    const pos = cand.map(cart);
    const pick: number[] = [0];
    const extend = (start: number) => {
      if (pick.length === order) {
        let diameter = 0;
        for (let i = 0; i < order; i++) for (let j = i + 1; j < order; j++) diameter = Math.max(diameter, norm3(sub3(pos[pick[i]!]!, pos[pick[j]!]!)));
        const c = canonicalize(pick.map((i) => cand[i]!));
        out.set(clusterKey(c.atoms), { atoms: c.atoms, diameter });
        if (out.size > MAX_CLUSTERS) throw new OptionError(`more than ${MAX_CLUSTERS} clusters of order ${order} within ${cut} Å; lower that cutoff`, { field: 'cutoffs' });
        return;
      }
      for (let i = start; i < cand.length; i++) {
        if (pick.some((j) => norm3(sub3(pos[i]!, pos[j]!)) > cut + 1e-6)) continue;
        pick.push(i);
        extend(i);
        pick.pop();
      }
    };
    extend(0);
  }
  return out;
}

function buildOrbits(prim: Structure, ops: AtomOp[], order: number, cut: number): Array<Omit<FcOrbit, 'id' | 'paramOffset'>> {
  const clusters = enumerateClusters(prim, order, cut);
  const keys = [...clusters.keys()].sort((a, b) => clusters.get(a)!.diameter - clusters.get(b)!.diameter || (a < b ? -1 : a > b ? 1 : 0));
  const assigned = new Set<string>();
  const out: Array<Omit<FcOrbit, 'id' | 'paramOffset'>> = [];
  const perms = permutations(order);
  for (const key of keys) {
    if (assigned.has(key)) continue;
    const rep = clusters.get(key)!;
    const images: Array<{ key: string; atoms: Atom[]; op: AtomOp; sort: number[] }> = [];
    const size = 3 ** order;
    const proj = new Mat(size, size);
    let nStab = 0;
    for (const op of ops) {
      const b = rep.atoms.map((a) => applyOp(op, a));
      const c = canonicalize(b);
      const ck = clusterKey(c.atoms);
      if (!clusters.has(ck)) throw new InputError(`symmetry image of cluster ${key} is outside the cluster list (symprec too loose?)`);
      images.push({ key: ck, atoms: c.atoms, op, sort: c.sort });
      if (ck !== key) continue;
      // every reordering of b that lands on the canonical atoms (repeats give several)
      for (const p of perms) {
        if (!sameUpToShift(b, c.atoms, p)) continue;
        const t = transformMatrix(op.cart, p);
        for (let i = 0; i < t.data.length; i++) proj.data[i] += t.data[i]!;
        nStab++;
      }
    }
    for (let i = 0; i < proj.data.length; i++) proj.data[i] /= nStab;
    const sym = symmetrize(proj);
    const basis = echelonBasis(eigenspaceAbove(sym, 0.5));
    const members: FcOrbitMember[] = [];
    for (const im of images) {
      if (assigned.has(im.key)) continue;
      assigned.add(im.key);
      members.push({ atoms: im.atoms, transform: matMul(transformMatrix(im.op.cart, im.sort), basis) });
    }
    out.push({ order, diameter: rep.diameter, representative: rep.atoms, members, basis, nParams: basis.cols });
  }
  return out;
}

/** b reordered by p equals c up to one common lattice translation. */
function sameUpToShift(b: Atom[], c: Atom[], p: number[]): boolean {
  const f = b[p[0]!]!, g = c[0]!;
  return p.every((src, j) => {
    const x = b[src]!, y = c[j]!;
    return x[0] === y[0] && x[1] - f[1] === y[1] - g[1] && x[2] - f[2] === y[2] - g[2] && x[3] - f[3] === y[3] - g[3];
  });
}

function symmetrize(a: Mat): Mat {
  const n = a.rows, out = new Mat(n, n);
  for (let i = 0; i < n; i++) for (let j = 0; j < n; j++) out.data[i * n + j] = 0.5 * (a.data[i * n + j]! + a.data[j * n + i]!);
  return out;
}

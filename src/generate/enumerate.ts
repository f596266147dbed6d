/**
 * Derivative-structure enumeration (Hart & Forcade, PRB 77, 224115 (2008); 80, 014120 (2009)):
 * every symmetry-distinct ordering of the prim's species on its supercells of the requested
 * sizes, streamed by a generator in a fixed order (size, then supercell HNF in lexicographic
 * order, then labeling number ascending).
 *
 * Algorithm, per size n:
 *   1. supercells = HNFs of determinant n, one per class under the prim's rotations
 *      (enumerate-hnf.ts);
 *   2. per supercell, the Smith normal form turns its n lattice points into the group
 *      Z_d0 × Z_d1 × Z_d2; supercell site (prim site s, group element t) is number s·n + t.
 *      The labeling group is every translation (addition in the group) composed with every
 *      prim space-group operation that maps the supercell lattice onto itself, each written
 *      as a site permutation;
 *   3. labelings are mixed-radix numbers (radix = number of species of the site's sublattice,
 *      1 on fixed sites). They are visited in increasing order; an unmarked labeling is the
 *      smallest of its class: all its images under the group are marked, and it is reported
 *      unless a non-zero translation fixes it (then it is a structure of a smaller cell,
 *      already reported at that size) or it fails the filters (concentration ranges, charge
 *      balance, every species used). Marking costs |G|·N per class, so a supercell costs
 *      O(labelings · N) overall; the marks are a bitset of Πradix bits, which bounds the
 *      supercell size (MAX_LABELINGS, refused up front).
 *
 * Optional `speciesSwaps` (Hart–Forcade's counting convention) also identifies labelings
 * related by a permutation of the species; it needs one active sublattice.
 */
import { InputError, OptionError } from '../core/errors.ts';
import { mul3, type Mat3, type Vec3 } from '../core/mat3.ts';
import { siteSpaces, type SiteSpaces } from '../space/site-space.ts';
import { PointAlgebra } from '../space/orbits.ts';
import { checkScMatrix, latticePointsInSupercell } from '../structure/supercell.ts';
import { niggliReduce } from '../structure/reduction.ts';
import { Structure, type Site } from '../structure/structure.ts';
import { analyzeSymmetry, siteTypeKey } from '../symmetry/symmetry.ts';
import { distinctSupercells, hermiteNormalForm, hnfKey, rotateRows, smithNormalForm, type SmithForm } from './enumerate-hnf.ts';

/** Labelings of one supercell are marked in a bitset of this many bits at most (16 MiB). */
export const MAX_LABELINGS = 2 ** 27;

export interface EnumerateOptions {
  /** Supercell sizes in primitive cells. */
  sizes: number[];
  /** Species key → [lo, hi] fraction of the sites that allow the species (inclusive). */
  concentrations?: Map<string, [number, number]>;
  /** Keep only labelings whose total charge (oxidation states) is zero. */
  chargeBalanced?: boolean;
  /** Keep only labelings that use every species of every active sublattice. */
  allSpeciesUsed?: boolean;
  /** Identify labelings that differ by a permutation of the species (one active sublattice only). */
  speciesSwaps?: boolean;
  /**
   * Also report labelings that a non-zero translation of the supercell fixes (structures of a
   * smaller cell written in this one). Off for enumeration, where they appear at their own
   * size; on when one given supercell is searched (SQS).
   */
  includeSuperperiodic?: boolean;
  symprec?: number;
}

export interface DerivativeStructure {
  /** Supercell size in primitive cells. */
  size: number;
  /** Hermite normal form of the supercell (rows, prim basis). */
  hnf: Mat3;
  /** Smith normal form diagonal of the supercell (its translation group). */
  snf: Vec3;
  /** Labeling number within its supercell (mixed radix, group site order). */
  labeling: number;
  /** Species code per supercell site, in supercellSites(prim, hnf) order. */
  codes: Uint8Array;
}

/** The prim's lattice data the enumerator needs, computed once. */
export interface EnumerationLattice {
  prim: Structure;
  spaces: SiteSpaces;
  algebra: PointAlgebra;
  rotations: Mat3[];
}

export function enumerationLattice(prim: Structure, symprec?: number): EnumerationLattice {
  const spaces = siteSpaces(prim);
  const sym = analyzeSymmetry(prim, symprec === undefined ? {} : { symprec });
  const isIdentity = (r: Mat3) => r.every((row, i) => row.every((v, j) => v === (i === j ? 1 : 0)));
  for (const op of sym.operations) {
    const t = op.translation.map((v) => Math.abs(v - Math.round(v)));
    if (isIdentity(op.rotation) && t.some((v) => v > 1e-6)) {
      throw new InputError(`the prim is not primitive (it is invariant under the translation ${op.translation.map((v) => +v.toFixed(4)).join(' ')}); enumerate on its primitive cell`, { field: 'prim' });
    }
  }
  const algebra = new PointAlgebra(prim, sym.operations, (s) => siteTypeKey(prim, s));
  return { prim, spaces, algebra, rotations: sym.operations.map((o) => o.rotation) };
}

/** Number of labelings of a supercell of `size` prim cells (Π radix), as a float. */
export function labelingCount(lat: EnumerationLattice, size: number): number {
  let total = 1;
  for (const s of lat.spaces.sites) total *= s.species.length ** size;
  return total;
}

function checkOptions(lat: EnumerationLattice, opts: EnumerateOptions): void {
  if (!Array.isArray(opts.sizes) || opts.sizes.length === 0) throw new OptionError('no supercell sizes given', { field: 'sizes' });
  for (const n of opts.sizes) {
    if (!Number.isInteger(n) || n < 1) throw new OptionError(`supercell sizes must be positive integers (prim cells), got ${n}`, { field: 'sizes' });
    const total = labelingCount(lat, n);
    if (total > MAX_LABELINGS) {
      throw new OptionError(`size ${n} has ${total.toExponential(2)} labelings per supercell; the enumerator handles at most ${MAX_LABELINGS} (2^27) — use smaller sizes or fewer species`, { field: 'sizes' });
    }
  }
  const keys = new Set(lat.spaces.sites.filter((s) => s.active).flatMap((s) => s.species.map((x) => x.key)));
  for (const [key, [lo, hi]] of opts.concentrations ?? []) {
    if (!keys.has(key)) throw new OptionError(`species '${key}' is not on an active site of the lattice (active species: ${[...keys].join(', ')})`, { field: 'concentration' });
    if (!(lo >= 0 && hi <= 1 && lo <= hi)) throw new OptionError(`concentration range for ${key} must satisfy 0 ≤ lo ≤ hi ≤ 1, got ${lo}:${hi}`, { field: 'concentration' });
  }
  if (opts.speciesSwaps) {
    const active = lat.spaces.sublattices.filter((s) => s.active);
    if (active.length !== 1) throw new OptionError(`species swaps need exactly one active sublattice, the prim has ${active.length}`, { field: 'speciesSwaps' });
    if (active[0]!.species.length > 6) throw new OptionError('species swaps are limited to 6 species (720 permutations)', { field: 'speciesSwaps' });
    if (opts.concentrations?.size || opts.chargeBalanced) throw new OptionError('species swaps change compositions and charges, so they cannot be combined with concentration ranges or charge balance', { field: 'speciesSwaps' });
  }
}

/** Site permutations of one supercell: translations × the stabilizing space-group operations. */
export interface SupercellGroup {
  hnf: Mat3;
  snf: SmithForm;
  n: number;
  nSites: number;
  /** perms[k·N + i] = image of site i under permutation k (group site numbering). */
  perms: Int32Array;
  nPerms: number;
  /** Whether permutation k is a non-zero pure translation. */
  isTranslation: Uint8Array;
  /** Group element of the j-th lattice point of latticePointsInSupercell(hnf). */
  groupOfPoint: Int32Array;
}

export function supercellGroup(lat: EnumerationLattice, hnf: Mat3): SupercellGroup {
  const snf = smithNormalForm(hnf);
  const [d0, d1, d2] = snf.d;
  const n = d0 * d1 * d2;
  const v = snf.v;
  const mod = (x: number, m: number) => ((x % m) + m) % m;
  const groupOf = (g: number[]) => {
    const x0 = g[0]! * v[0][0] + g[1]! * v[1][0] + g[2]! * v[2][0];
    const x1 = g[0]! * v[0][1] + g[1]! * v[1][1] + g[2]! * v[2][1];
    const x2 = g[0]! * v[0][2] + g[1]! * v[1][2] + g[2]! * v[2][2];
    return (mod(x0, d0) * d1 + mod(x1, d1)) * d2 + mod(x2, d2);
  };
  const pts = latticePointsInSupercell(hnf);
  const groupOfPoint = Int32Array.from(pts, groupOf);
  const rep: Vec3[] = new Array(n);
  pts.forEach((p, j) => (rep[groupOfPoint[j]!] = p));
  const nPrim = lat.prim.sites.length;
  const N = nPrim * n;
  // translations: element t adds its components modulo (d0, d1, d2)
  const addGroup = (a: number, b: number) => {
    const a2 = a % d2, a1 = Math.floor(a / d2) % d1, a0 = Math.floor(a / (d1 * d2));
    const b2 = b % d2, b1 = Math.floor(b / d2) % d1, b0 = Math.floor(b / (d1 * d2));
    return (((a0 + b0) % d0) * d1 + ((a1 + b1) % d1)) * d2 + ((a2 + b2) % d2);
  };
  const key = hnfKey(hermiteNormalForm(hnf));
  const opPerms: Int32Array[] = [];
  for (const op of lat.algebra.ops) {
    if (hnfKey(hermiteNormalForm(rotateRows(hnf, op.rotation))) !== key) continue;
    const p = new Int32Array(N);
    const r = op.rotation;
    for (let s = 0; s < nPrim; s++) {
      for (let t = 0; t < n; t++) {
        const g = rep[t]!;
        const img = [0, 1, 2].map((k) => op.offsets[3 * s + k]! + r[k]![0]! * g[0] + r[k]![1]! * g[1] + r[k]![2]! * g[2]);
        p[s * n + t] = op.perm[s]! * n + groupOf(img);
      }
    }
    opPerms.push(p);
  }
  // Different operations can act identically on a small supercell (all 48 fcc operations fix
  // the one site of size 1), so permutations are deduplicated by a hash plus an exact check.
  const byHash = new Map<number, number[]>();
  const perms: number[] = [];
  const isTranslation: number[] = [];
  const q = new Int32Array(N);
  for (const p of opPerms) {
    const identityOp = p.every((x, i) => x === i);
    for (let t = 0; t < n; t++) {
      let hash = 0;
      for (let i = 0; i < N; i++) {
        const x = p[i]!;
        q[i] = Math.floor(x / n) * n + addGroup(x % n, t);
        hash = (Math.imul(hash, 31) + q[i]!) | 0;
      }
      const bucket = byHash.get(hash) ?? [];
      if (bucket.some((k) => { for (let i = 0; i < N; i++) if (perms[k * N + i] !== q[i]) return false; return true; })) continue;
      bucket.push(isTranslation.length);
      byHash.set(hash, bucket);
      for (let i = 0; i < N; i++) perms.push(q[i]!);
      isTranslation.push(identityOp && t !== 0 ? 1 : 0);
    }
  }
  return { hnf, snf, n, nSites: N, perms: Int32Array.from(perms), nPerms: isTranslation.length, isTranslation: Uint8Array.from(isTranslation), groupOfPoint };
}

function permutations(k: number): number[][] {
  if (k === 1) return [[0]];
  const out: number[][] = [];
  for (const p of permutations(k - 1)) for (let i = 0; i < k; i++) out.push([...p.slice(0, i), k - 1, ...p.slice(i)]);
  return out.sort((a, b) => a.join(',').localeCompare(b.join(',')));
}

/** Per-labeling acceptance test built from the options (composition, charge, species used). */
function makeFilter(lat: EnumerationLattice, opts: EnumerateOptions, n: number): ((codes: Int32Array) => boolean) | null {
  const nPrim = lat.prim.sites.length;
  const checks: ((codes: Int32Array) => boolean)[] = [];
  const conc = opts.concentrations;
  if (conc?.size) {
    // per restricted species: the (site, code) pairs that mean that species, and the site count
    const rules = [...conc].map(([key, [lo, hi]]) => {
      const codeOf = new Int32Array(nPrim).fill(-1);
      let sites = 0;
      lat.spaces.sites.forEach((sp, s) => {
        const c = sp.species.findIndex((x) => x.key === key);
        codeOf[s] = c;
        if (c >= 0) sites += n;
      });
      return { codeOf, lo: lo * sites - 1e-9, hi: hi * sites + 1e-9 };
    });
    checks.push((codes) => {
      for (const r of rules) {
        let count = 0;
        for (let s = 0; s < nPrim; s++) {
          const c = r.codeOf[s]!;
          if (c < 0) continue;
          for (let t = 0; t < n; t++) if (codes[s * n + t] === c) count++;
        }
        if (count < r.lo || count > r.hi) return false;
      }
      return true;
    });
  }
  if (opts.chargeBalanced) {
    const charge = lat.spaces.sites.map((sp) => sp.species.map((x) => x.charge));
    checks.push((codes) => {
      let q = 0;
      for (let i = 0; i < codes.length; i++) q += charge[Math.floor(i / n)]![codes[i]!]!;
      return Math.abs(q) < 1e-9;
    });
  }
  if (opts.allSpeciesUsed) {
    const subs = lat.spaces.sublattices.filter((s) => s.active);
    checks.push((codes) => {
      for (const sub of subs) {
        const used = new Uint8Array(sub.species.length);
        for (const s of sub.sites) for (let t = 0; t < n; t++) used[codes[s * n + t]!] = 1;
        if (used.some((u) => u === 0)) return false;
      }
      return true;
    });
  }
  return checks.length ? (codes) => checks.every((c) => c(codes)) : null;
}

/** Representative labelings (group site order) of one supercell; see the module comment. */
export function* supercellLabelings(lat: EnumerationLattice, group: SupercellGroup, opts: EnumerateOptions): Generator<{ labeling: number; codes: Int32Array }> {
  const { n, nSites: N, perms, nPerms, isTranslation } = group;
  const radix = Int32Array.from({ length: N }, (_, i) => lat.spaces.sites[Math.floor(i / n)]!.species.length);
  const w = new Float64Array(N);
  let total = 1;
  for (let i = N - 1; i >= 0; i--) {
    w[i] = total;
    total *= radix[i]!;
  }
  if (total > MAX_LABELINGS) throw new OptionError(`supercell ${JSON.stringify(group.hnf)} has ${total} labelings, more than ${MAX_LABELINGS}`, { field: 'sizes' });
  // W[k·N + i] = weight of the site that permutation k sends site i to
  const W = new Float64Array(nPerms * N);
  for (let k = 0; k < nPerms; k++) for (let i = 0; i < N; i++) W[k * N + i] = w[perms[k * N + i]!]!;
  const swaps = opts.speciesSwaps ? permutations(lat.spaces.sublattices.find((s) => s.active)!.species.length).slice(1) : [];
  const filter = makeFilter(lat, opts, n);
  const marks = new Uint32Array(Math.ceil(total / 32));
  const codes = new Int32Array(N);
  const swapped = new Int32Array(N);
  const mark = (y: number) => (marks[y >>> 5]! |= 1 << (y & 31));
  for (let x = 0; x < total; x++) {
    if (x > 0) {
      // odometer: the last site is the least significant digit
      for (let i = N - 1; i >= 0; i--) {
        if (++codes[i]! < radix[i]!) break;
        codes[i] = 0;
      }
    }
    if (marks[x >>> 5]! & (1 << (x & 31))) continue;
    let superperiodic = false;
    for (let k = 0; k < nPerms; k++) {
      let y = 0;
      const b = k * N;
      for (let i = 0; i < N; i++) y += codes[i]! * W[b + i]!;
      if (y === x && isTranslation[k]) superperiodic = true;
      mark(y);
    }
    for (const p of swaps) {
      for (let i = 0; i < N; i++) swapped[i] = radix[i]! > 1 ? p[codes[i]!]! : 0;
      for (let k = 0; k < nPerms; k++) {
        let y = 0;
        const b = k * N;
        for (let i = 0; i < N; i++) y += swapped[i]! * W[b + i]!;
        mark(y);
      }
    }
    if (superperiodic && !opts.includeSuperperiodic) continue;
    if (filter && !filter(codes)) continue;
    yield { labeling: x, codes };
  }
}

/** Codes in supercellSites(prim, hnf) order from codes in group site order. */
export function toSupercellOrder(group: SupercellGroup, codes: Int32Array): Uint8Array {
  const { n, groupOfPoint } = group;
  const out = new Uint8Array(codes.length);
  const nPrim = codes.length / n;
  for (let s = 0; s < nPrim; s++) for (let j = 0; j < n; j++) out[s * n + j] = codes[s * n + groupOfPoint[j]!]!;
  return out;
}

/** Every distinct derivative structure of the requested sizes, in the documented order. */
export function* enumerateStructures(prim: Structure | EnumerationLattice, opts: EnumerateOptions): Generator<DerivativeStructure> {
  const lat = prim instanceof Structure ? enumerationLattice(prim, opts.symprec) : prim;
  checkOptions(lat, opts);
  const sizes = [...new Set(opts.sizes)].sort((a, b) => a - b);
  for (const size of sizes) {
    for (const hnf of distinctSupercells(size, lat.rotations)) {
      const group = supercellGroup(lat, hnf);
      for (const { labeling, codes } of supercellLabelings(lat, group, opts)) {
        yield { size, hnf, snf: group.snf.d, labeling, codes: toSupercellOrder(group, codes) };
      }
    }
  }
}

/** Number of distinct structures per size (same rules as enumerateStructures, nothing built). */
export function countStructures(prim: Structure | EnumerationLattice, opts: EnumerateOptions): { count: number; bySize: Record<number, number> } {
  const lat = prim instanceof Structure ? enumerationLattice(prim, opts.symprec) : prim;
  checkOptions(lat, opts);
  const bySize: Record<number, number> = {};
  let count = 0;
  for (const size of [...new Set(opts.sizes)].sort((a, b) => a - b)) {
    let c = 0;
    for (const hnf of distinctSupercells(size, lat.rotations)) {
      const group = supercellGroup(lat, hnf);
      for (const _ of supercellLabelings(lat, group, opts)) c++;
    }
    bySize[size] = c;
    count += c;
  }
  return { count, bySize };
}

/**
 * The ordered structure of a labeling: one site per supercell site in supercellSites(prim, hnf)
 * order, vacancies left out (as DFT inputs and pymatgen structures hold them), in the
 * Niggli-reduced cell of the supercell (HNF cells are often needle-shaped; the reduced cell is
 * the same lattice, so only the fractional coordinates change). `properties.supercell` is the
 * reduced cell's integer matrix in the prim basis.
 */
export function derivativeStructure(prim: Structure, hnf: Mat3, codes: ArrayLike<number>, properties: Record<string, unknown> = {}): Structure {
  const spaces = siteSpaces(prim);
  const n = checkScMatrix(hnf);
  const reduced = niggliReduce(prim.lattice.supercell(hnf));
  const lattice = reduced.lattice;
  const pts = latticePointsInSupercell(hnf);
  const sites: Site[] = [];
  prim.sites.forEach((site, s) => {
    pts.forEach((g, j) => {
      const sp = spaces.sites[s]!.species[codes[s * n + j]!]!;
      if (sp.isVacancy) return;
      const f = lattice.cartToFrac(prim.lattice.fracToCart([site.frac[0] + g[0], site.frac[1] + g[1], site.frac[2] + g[2]])).map((x) => {
        const u = x - Math.floor(x);
        return u > 1 - 1e-10 || Math.abs(u) < 1e-10 ? 0 : u;
      }) as Vec3;
      sites.push({ frac: f, species: [{ species: sp, occu: 1 }] });
    });
  });
  return new Structure(lattice, sites, { ...properties, supercell: mul3(reduced.transformation, hnf) });
}

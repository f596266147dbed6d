/**
 * Correlation vectors on one supercell (seed 000 Eq. 3): for every orbit, the site indices of
 * all its cluster images in the supercell (N prim cells × multiplicity clusters) and a
 * per-orbit table T[flat occupancy][function] holding each correlation function averaged over
 * its symmetry-equivalent decorations. A correlation is then the mean of T over the images,
 * i.e. normalized per primitive cell, constant first. Periodic images that fold two cluster
 * points onto one supercell site are kept as they are, as the reference tool does.
 *
 * Local updates: each site knows the images containing it, so a flip or swap recomputes only
 * those images (old vs new occupancy) — what Monte Carlo needs.
 */
import { InputError } from '../core/errors.ts';
import type { Mat3, Vec3 } from '../core/mat3.ts';
import { checkScMatrix, supercellSites } from '../structure/supercell.ts';
import type { ClusterSpace } from './cluster-space.ts';
import type { Orbit } from './orbits.ts';

export interface SupercellSiteRef {
  primSite: number;
  offset: Vec3;
}

interface OrbitTable {
  size: number;
  nFunctions: number;
  first: number;
  nImages: number;
  /** idx[img * size + i] = supercell site of point i of image img. */
  idx: Int32Array;
  strides: Int32Array;
  /** tensor[flat * nFunctions + f]. */
  tensor: Float64Array;
  /** First global image id of this orbit. */
  imageBase: number;
  hist: Float64Array;
  invImages: number;
}

/**
 * Cell index of any integer lattice vector modulo the supercell lattice (rows of S), by pure
 * integer arithmetic: S is brought to lower-triangular Hermite form H (same lattice), rows
 * (a,0,0), (b,c,0), (d,e,f); reducing z, then y, then x against them gives a unique
 * representative with 0 ≤ x < a, 0 ≤ y < c, 0 ≤ z < f.
 */
export class CellIndexer {
  private readonly a: number; private readonly b: number; private readonly c: number;
  private readonly d: number; private readonly e: number; private readonly f: number;
  readonly nCells: number;

  constructor(s: Mat3) {
    const h = s.map((r) => r.map((v) => Math.round(v))) as number[][];
    // eliminate column 2 then column 1 by integer row operations (Euclid)
    const reduceColumn = (rows: number[], col: number): number => {
      for (;;) {
        const nz = rows.filter((r) => h[r]![col] !== 0);
        if (nz.length === 0) throw new InputError(`supercell matrix ${JSON.stringify(s)} is singular`);
        nz.sort((p, q) => Math.abs(h[p]![col]!) - Math.abs(h[q]![col]!));
        const piv = nz[0]!;
        if (nz.length === 1) {
          if (h[piv]![col]! < 0) h[piv] = h[piv]!.map((v) => -v);
          return piv;
        }
        for (const r of nz.slice(1)) {
          const q = Math.trunc(h[r]![col]! / h[piv]![col]!);
          for (let k = 0; k < 3; k++) h[r]![k]! -= q * h[piv]![k]!;
        }
      }
    };
    const r2 = reduceColumn([0, 1, 2], 2);
    const rest = [0, 1, 2].filter((r) => r !== r2);
    const r1 = reduceColumn(rest, 1);
    const r0 = rest.find((r) => r !== r1)!;
    if (h[r0]![0]! < 0) h[r0] = h[r0]!.map((v) => -v);
    this.a = h[r0]![0]!;
    [this.b, this.c] = [h[r1]![0]!, h[r1]![1]!];
    [this.d, this.e, this.f] = [h[r2]![0]!, h[r2]![1]!, h[r2]![2]!];
    this.nCells = this.a * this.c * this.f;
    if (!(this.nCells > 0)) throw new InputError(`supercell matrix ${JSON.stringify(s)} is singular`);
  }

  cellOf(x: number, y: number, z: number): number {
    const q2 = Math.floor(z / this.f);
    z -= q2 * this.f; y -= q2 * this.e; x -= q2 * this.d;
    const q1 = Math.floor(y / this.c);
    y -= q1 * this.c; x -= q1 * this.b;
    x -= Math.floor(x / this.a) * this.a;
    return (x * this.c + y) * this.f + z;
  }
}

interface OrbitTensor {
  strides: Int32Array;
  flatSize: number;
  tensor: Float64Array;
}

const tensorCache = new WeakMap<ClusterSpace, Map<number, OrbitTensor>>();

/**
 * T[flat·nF + f]: function f averaged over its equivalent decorations, for every occupancy of
 * the cluster's sites (flat = Σ code_i·stride_i). Depends on the orbit only, so it is built
 * once per space and shared by every supercell.
 */
export function orbitTensor(space: ClusterSpace, o: Orbit): OrbitTensor {
  let perSpace = tensorCache.get(space);
  if (!perSpace) {
    perSpace = new Map();
    tensorCache.set(space, perSpace);
  }
  const hit = perSpace.get(o.id);
  if (hit) return hit;
  const k = o.size;
  // Image site i carries the base cluster's site i species list (operations preserve it).
  const bases = Array.from({ length: k }, (_, i) => space.bases[o.base[4 * i]!]!);
  const strides = new Int32Array(k);
  let flatSize = 1;
  for (let i = k - 1; i >= 0; i--) {
    strides[i] = flatSize;
    flatSize *= bases[i]!.m;
  }
  const nF = o.functions.length;
  const tensor = new Float64Array(flatSize * nF);
  const codes = new Array<number>(k).fill(0);
  for (let flat = 0; flat < flatSize; flat++) {
    let r = flat;
    for (let i = 0; i < k; i++) {
      codes[i] = Math.floor(r / strides[i]!);
      r -= codes[i]! * strides[i]!;
    }
    o.functions.forEach((group, f) => {
      let sum = 0;
      for (const t of group) {
        let p = 1;
        for (let i = 0; i < k; i++) p *= bases[i]!.functions[t[i]! * bases[i]!.m + codes[i]!]!;
        sum += p;
      }
      tensor[flat * nF + f] = sum / group.length;
    });
  }
  const out = { strides, flatSize, tensor };
  perSpace.set(o.id, out);
  return out;
}

export class CorrelationEvaluator {
  readonly space: ClusterSpace;
  readonly scMatrix: Mat3;
  readonly nPrims: number;
  readonly nSites: number;
  /** Prim site of every supercell site. */
  readonly primSiteOf: Int32Array;
  private readonly tables: OrbitTable[];
  private localTables: { start: Int32Array; local: Int32Array } | null = null;
  private readonly changeSites = new Int32Array(64);
  private readonly changeCodes = new Int32Array(64);

  /**
   * @param sites supercell site list (default: supercellSites(prim, scMatrix), whose order the
   *   mapping code also uses); occupancy arrays index into it.
   */
  constructor(space: ClusterSpace, scMatrix: Mat3, sites?: SupercellSiteRef[]) {
    this.space = space;
    this.nPrims = checkScMatrix(scMatrix);
    this.scMatrix = scMatrix.map((r) => r.map((v) => Math.round(v))) as Mat3;
    const list = sites ?? supercellSites(space.prim, this.scMatrix);
    const nPrimSites = space.prim.sites.length;
    if (list.length !== this.nPrims * nPrimSites) throw new InputError(`supercell has ${list.length} sites, expected ${this.nPrims * nPrimSites}`);
    this.nSites = list.length;
    this.primSiteOf = Int32Array.from(list, (s) => s.primSite);

    // site index of (cell, prim site); every cell must appear once per prim site
    const cellIdx = new CellIndexer(this.scMatrix);
    const N = cellIdx.nCells;
    const siteOf = new Int32Array(N * nPrimSites).fill(-1);
    const cellOffsets: Vec3[] = new Array(N);
    list.forEach((st, i) => {
      const c = cellIdx.cellOf(st.offset[0], st.offset[1], st.offset[2]);
      if (siteOf[c * nPrimSites + st.primSite] !== -1) throw new InputError(`supercell site list has prim site ${st.primSite} twice in one cell`);
      siteOf[c * nPrimSites + st.primSite] = i;
      cellOffsets[c] = st.offset;
    });
    if (siteOf.some((v) => v < 0)) throw new InputError('supercell site list does not cover every prim site in every cell');

    // cell addition table (cell a + cell b), so image tables need no per-entry reduction
    const add = N <= 4096 ? new Int32Array(N * N) : null;
    if (add) {
      for (let a = 0; a < N; a++) {
        const ta = cellOffsets[a]!;
        for (let b = 0; b < N; b++) {
          const tb = cellOffsets[b]!;
          add[a * N + b] = cellIdx.cellOf(ta[0] + tb[0], ta[1] + tb[1], ta[2] + tb[2]);
        }
      }
    }
    const addCell = (a: number, b: number): number => {
      if (add) return add[a * N + b]!;
      const ta = cellOffsets[a]!, tb = cellOffsets[b]!;
      return cellIdx.cellOf(ta[0] + tb[0], ta[1] + tb[1], ta[2] + tb[2]);
    };

    this.tables = [];
    let imageBase = 0;
    for (const o of space.orbits) {
      const k = o.size;
      const m = o.images.length;
      const nImages = N * m;
      const idx = new Int32Array(nImages * k);
      let w = 0;
      // cell of (image point + cell translation) = add[cell of point][translation]
      const pointCell = new Int32Array(m * k);
      const pointSite = new Int32Array(m * k);
      for (let j = 0; j < m; j++) {
        const img = o.images[j]!;
        for (let i = 0; i < k; i++) {
          pointCell[j * k + i] = cellIdx.cellOf(img[4 * i + 1]!, img[4 * i + 2]!, img[4 * i + 3]!);
          pointSite[j * k + i] = img[4 * i]!;
        }
      }
      for (let c = 0; c < N; c++) {
        for (let q = 0; q < m * k; q++) idx[w++] = siteOf[addCell(pointCell[q]!, c) * nPrimSites + pointSite[q]!]!;
      }
      const { strides, tensor, flatSize } = orbitTensor(space, o);
      const nF = o.functions.length;
      this.tables.push({ size: k, nFunctions: nF, first: o.firstFunction, nImages, idx, strides, tensor, imageBase, hist: new Float64Array(flatSize), invImages: 1 / nImages });
      imageBase += nImages;
    }

  }

  /**
   * Per site, the images containing it stored inline as [orbit, site_0 … site_k−1] records,
   * so a local update streams one contiguous block instead of chasing image ids across
   * every orbit's table. Built on first use: featurizing never needs it.
   */
  private buildLocal(): { start: Int32Array; local: Int32Array } {
    if (this.localTables) return this.localTables;
    const counts = new Int32Array(this.nSites + 1);
    const seen = new Int32Array(this.nSites).fill(-1);
    let stampId = 0;
    for (const t of this.tables) {
      for (let img = 0; img < t.nImages; img++, stampId++) {
        for (let i = 0; i < t.size; i++) {
          const x = t.idx[img * t.size + i]!;
          if (seen[x] === stampId) continue;
          seen[x] = stampId;
          counts[x + 1]! += 1 + t.size;
        }
      }
    }
    for (let i = 0; i < this.nSites; i++) counts[i + 1]! += counts[i]!;
    const local = new Int32Array(counts[this.nSites]!);
    const fill = counts.slice(0, this.nSites);
    seen.fill(-1);
    stampId = 0;
    this.tables.forEach((t, oi) => {
      for (let img = 0; img < t.nImages; img++, stampId++) {
        const b = img * t.size;
        for (let i = 0; i < t.size; i++) {
          const x = t.idx[b + i]!;
          if (seen[x] === stampId) continue;
          seen[x] = stampId;
          let w = fill[x]!;
          local[w++] = oi;
          for (let q = 0; q < t.size; q++) local[w++] = t.idx[b + q]!;
          fill[x] = w;
        }
      }
    });
    this.localTables = { start: counts, local };
    return this.localTables;
  }

  get nCorrelations(): number {
    return this.space.nCorrelations;
  }

  /** Out-of-range codes would silently fall outside the tables, so they are rejected up front. */
  private checkCodes(codes: ArrayLike<number>): void {
    if (codes.length !== this.nSites) throw new InputError(`occupancy has ${codes.length} sites, the supercell ${this.nSites}`, { field: 'occupancy' });
    const spaces = this.space.spaces.sites;
    for (let i = 0; i < codes.length; i++) {
      const c = codes[i]!;
      const m = spaces[this.primSiteOf[i]!]!.species.length;
      if (!(c >= 0 && c < m) || !Number.isInteger(c)) throw new InputError(`species code ${c} at supercell site ${i} is outside 0..${m - 1}`, { field: 'occupancy' });
    }
  }

  /** Correlation vector (constant first) of an occupancy given as species codes per supercell site. */
  correlations(codes: ArrayLike<number>, out: Float64Array = new Float64Array(this.space.nCorrelations)): Float64Array {
    this.checkCodes(codes);
    out.fill(0);
    out[0] = 1;
    // Count how often each local occupancy occurs, then contract with the table: the
    // per-image work is k loads and one increment, independent of the number of functions.
    for (const t of this.tables) {
      const { size: k, nFunctions: nF, idx, strides, tensor, first, nImages } = t;
      const hist = t.hist;
      hist.fill(0);
      if (k === 1) {
        for (let img = 0; img < nImages; img++) hist[codes[idx[img]!]!]!++;
      } else if (k === 2) {
        const s0 = strides[0]!;
        for (let b = 0; b < 2 * nImages; b += 2) hist[codes[idx[b]!]! * s0 + codes[idx[b + 1]!]!]!++;
      } else if (k === 3) {
        const s0 = strides[0]!, s1 = strides[1]!;
        for (let b = 0; b < 3 * nImages; b += 3) hist[codes[idx[b]!]! * s0 + codes[idx[b + 1]!]! * s1 + codes[idx[b + 2]!]!]!++;
      } else {
        for (let img = 0; img < nImages; img++) {
          let flat = 0;
          const b = img * k;
          for (let i = 0; i < k; i++) flat += codes[idx[b + i]!]! * strides[i]!;
          hist[flat]!++;
        }
      }
      const inv = 1 / nImages;
      for (let flat = 0; flat < hist.length; flat++) {
        const n = hist[flat]!;
        if (n === 0) continue;
        const tb = flat * nF;
        for (let f = 0; f < nF; f++) out[first + f]! += n * tensor[tb + f]!;
      }
      for (let f = 0; f < nF; f++) out[first + f]! *= inv;
    }
    return out;
  }

  /**
   * Change of the correlation vector when the sites in `changes` take new species codes
   * (a flip: one change; a swap: two). `codes` is left as it was.
   */
  delta(codes: Int32Array | Uint8Array | number[], changes: ReadonlyArray<readonly [number, number]>, out: Float64Array = new Float64Array(this.space.nCorrelations)): Float64Array {
    out.fill(0);
    const nc = changes.length;
    if (nc > this.changeSites.length) throw new InputError(`at most ${this.changeSites.length} sites can change in one local update, got ${nc}`);
    for (const [site, code] of changes) {
      if (!(site >= 0 && site < this.nSites)) throw new InputError(`site ${site} is outside the supercell (0..${this.nSites - 1})`);
      const m = this.space.spaces.sites[this.primSiteOf[site]!]!.species.length;
      if (!Number.isInteger(code) || code < 0 || code >= m) throw new InputError(`species code ${code} at site ${site} is outside 0..${m - 1}`);
    }
    const cs = this.changeSites, cc = this.changeCodes;
    for (let c = 0; c < nc; c++) {
      cs[c] = changes[c]![0];
      cc[c] = changes[c]![1];
    }
    const { local, start } = this.buildLocal();
    const tables = this.tables;
    for (let c = 0; c < nc; c++) {
      const end = start[cs[c]! + 1]!;
      let q = start[cs[c]!]!;
      while (q < end) {
        const t = tables[local[q]!]!;
        const k = t.size, st = t.strides;
        const b = q + 1;
        q = b + k;
        // an image holding an earlier changed site was already counted with that site
        let dup = false;
        let of = 0, nf = 0;
        for (let i = 0; i < k; i++) {
          const x = local[b + i]!;
          const old = codes[x]!;
          let now = old;
          for (let e = 0; e < nc; e++) {
            if (cs[e] === x) {
              if (e < c) dup = true;
              now = cc[e]!;
            }
          }
          of += old * st[i]!;
          nf += now * st[i]!;
        }
        if (dup || nf === of) continue;
        const nF = t.nFunctions, T = t.tensor, first = t.first, inv = t.invImages;
        const nb = nf * nF, ob = of * nF;
        for (let f = 0; f < nF; f++) out[first + f]! += (T[nb + f]! - T[ob + f]!) * inv;
      }
    }
    return out;
  }
}


/**
 * Hand-made prims and an independent brute-force enumerator for the enumeration tests.
 *
 * The brute force shares nothing with src/generate: it takes every supercell matrix (its own
 * HNF loops), every labeling of it, and builds a canonical key from the labeled crystal
 * itself — the species on the box [0, n)³ × prim sites after every space-group operation
 * and every translation, minimized lexicographically. Two labeled crystals whose period
 * lattices both have index n agree everywhere iff they agree on that box, because any
 * index-n lattice contains nZ³ and the box holds one point of every coset of nZ³. Lattice
 * points are reduced with the cell indexer of src/space (not the Smith form the enumerator uses).
 */
import { inv3, type Mat3, type Vec3 } from '../../src/core/mat3.ts';
import { CellIndexer } from '../../src/space/correlation.ts';
import { Lattice } from '../../src/structure/lattice.ts';
import { Species } from '../../src/structure/species.ts';
import { Structure } from '../../src/structure/structure.ts';
import { latticePointsInSupercell } from '../../src/structure/supercell.ts';
import { analyzeSymmetry } from '../../src/symmetry/symmetry.ts';

const occ = (ks: string[]) => ks.map((k) => ({ species: Species.parse(k), occu: 1 / ks.length }));

export function fcc(species: string[], a = 4): Structure {
  const h = a / 2;
  return new Structure(new Lattice([[0, h, h], [h, 0, h], [h, h, 0]]), [{ frac: [0, 0, 0], species: occ(species) }]);
}

export function hcp(species: string[], a = 3): Structure {
  const c = a * Math.sqrt(8 / 3);
  return new Structure(Lattice.fromParameters(a, a, c, 90, 90, 120), [
    { frac: [1 / 3, 2 / 3, 0.25], species: occ(species) },
    { frac: [2 / 3, 1 / 3, 0.75], species: occ(species) },
  ]);
}

/** Rocksalt: cation site Li+/vacancy, anion site O2-/F- (two sublattices, vacancies). */
export function rocksaltLiVacOF(a = 4.2): Structure {
  const h = a / 2;
  return new Structure(new Lattice([[0, h, h], [h, 0, h], [h, h, 0]]), [
    { frac: [0, 0, 0], species: [{ species: Species.parse('Li+'), occu: 0.5 }] },
    { frac: [0.5, 0.5, 0.5], species: occ(['O2-', 'F-']) },
  ]);
}

/** Every integer lower-triangular matrix of determinant n with reduced off-diagonals (one per lattice). */
export function allSupercells(n: number): Mat3[] {
  const out: Mat3[] = [];
  for (let a = 1; a <= n; a++) for (let c = 1; c <= n; c++) {
    if (n % (a * c)) continue;
    const f = n / (a * c);
    for (let b = 0; b < a; b++) for (let d = 0; d < a; d++) for (let e = 0; e < c; e++) out.push([[a, 0, 0], [b, c, 0], [d, e, f]]);
  }
  return out;
}

interface SiteOp { rinv: Mat3; /** inverse image of (s', g'): s = pre[s'], g = rinv·(g' − off[s']) */ pre: number[]; off: Vec3[] }

/** Inverse site maps of the space-group operations, from fractional coordinates directly. */
function siteOps(prim: Structure): SiteOp[] {
  const f = prim.sites.map((s) => s.frac);
  return analyzeSymmetry(prim).operations.map(({ rotation: r, translation: t }) => {
    const pre: number[] = [], off: Vec3[] = [];
    f.forEach((fs, s) => {
      const y = [0, 1, 2].map((k) => r[k]![0]! * fs[0] + r[k]![1]! * fs[1] + r[k]![2]! * fs[2] + t[k]!);
      const s2 = f.findIndex((ft) => y.every((v, k) => Math.abs(v - ft[k]! - Math.round(v - ft[k]!)) < 1e-4));
      pre[s2] = s;
      off[s2] = y.map((v, k) => Math.round(v - f[s2]![k]!)) as Vec3;
    });
    return { rinv: inv3(r).map((row) => row.map(Math.round)) as Mat3, pre, off };
  });
}

export interface BruteOptions {
  filter?: (speciesKeys: string[]) => boolean;
}

/** Canonical keys of all primitive labelings of all supercells of size n (a Set: one per class). */
export function bruteForceKeys(prim: Structure, n: number, opts: BruteOptions = {}): Set<string> {
  const keys = new Set<string>();
  const ops = siteOps(prim);
  const species = prim.sites.map((_, i) => prim.allowedSpecies(i));
  const nPrim = prim.sites.length;
  for (const sc of allSupercells(n)) {
    const pts = latticePointsInSupercell(sc);
    const idx = new CellIndexer(sc);
    const jOfCell = new Map(pts.map((p, j) => [idx.cellOf(p[0], p[1], p[2]), j]));
    const radix = Array.from({ length: nPrim * n }, (_, i) => species[Math.floor(i / n)]!.length);
    const total = radix.reduce((a, b) => a * b, 1);
    const codes = new Array<number>(nPrim * n).fill(0);
    for (let x = 0; x < total; x++) {
      let r = x;
      for (let i = codes.length - 1; i >= 0; i--) {
        codes[i] = r % radix[i]!;
        r = Math.floor(r / radix[i]!);
      }
      const value = (s: number, g: number[]) => codes[s * n + jOfCell.get(idx.cellOf(g[0]!, g[1]!, g[2]!))!]!;
      // primitive: no lattice point of the supercell other than the origin's coset fixes it
      let primitive = true;
      for (const p of pts.slice(1)) {
        let same = true;
        for (let s = 0; s < nPrim && same; s++) for (const q of pts) if (value(s, [q[0] + p[0], q[1] + p[1], q[2] + p[2]]) !== value(s, q)) { same = false; break; }
        if (same) { primitive = false; break; }
      }
      if (!primitive) continue;
      const keysOfSpecies = codes.map((c, i) => species[Math.floor(i / n)]![c]!.key);
      if (opts.filter && !opts.filter(keysOfSpecies)) continue;
      keys.add(canonicalKey(ops, pts, n, nPrim, value));
    }
  }
  return keys;
}

/** Lexicographically smallest box string over operations × translations (see module comment). */
export function canonicalKey(ops: SiteOp[], pts: Vec3[], n: number, nPrim: number, value: (s: number, g: number[]) => number): string {
  let best: number[] | null = null;
  const cur: number[] = [];
  for (const op of ops) {
    for (const p of pts) {
      cur.length = 0;
      let worse = false, better = best === null;
      for (let s2 = 0; s2 < nPrim && !worse; s2++) {
        for (let x = 0; x < n && !worse; x++) for (let y = 0; y < n && !worse; y++) for (let z = 0; z < n; z++) {
          const d = [x - op.off[s2]![0], y - op.off[s2]![1], z - op.off[s2]![2]];
          const g = [0, 1, 2].map((k) => op.rinv[k]![0]! * d[0]! + op.rinv[k]![1]! * d[1]! + op.rinv[k]![2]! * d[2]! - p[k]!);
          const v = value(op.pre[s2]!, g);
          if (!better) {
            const bv = best![cur.length]!;
            if (v > bv) { worse = true; break; }
            if (v < bv) better = true;
          }
          cur.push(v);
        }
      }
      if (!worse && better) best = [...cur];
    }
  }
  return best!.join('');
}

/** The brute-force canonical key of one labeling given in supercellSites(prim, sc) order. */
export function keyOfLabeling(prim: Structure, sc: Mat3, codes: ArrayLike<number>): string {
  const n = latticePointsInSupercell(sc).length;
  const pts = latticePointsInSupercell(sc);
  const idx = new CellIndexer(sc);
  const jOfCell = new Map(pts.map((p, j) => [idx.cellOf(p[0], p[1], p[2]), j]));
  const value = (s: number, g: number[]) => codes[s * n + jOfCell.get(idx.cellOf(g[0]!, g[1]!, g[2]!))!]!;
  return canonicalKey(siteOps(prim), pts, n, prim.sites.length, value);
}

/**
 * Labelled atoms (primitive site + integer lattice offset), canonical clusters and the linear
 * maps that carry a force-constant tensor from one cluster to a symmetry image of it.
 *
 * Conventions. A k-th order tensor Φ over the ordered atoms (a₁…a_k) is stored flat with the
 * first Cartesian index most significant: Φ[α₁·3^(k−1) + … + α_k]. A cluster is a multiset of
 * atoms; its canonical form sorts the atoms by (site, offset) and translates the first to
 * offset 0, so every translation class has one key. Under a space-group operation g with
 * Cartesian rotation R, invariance of the energy gives Φ_{g(a₁)…g(a_k)} = (R⊗…⊗R) Φ_{a₁…a_k}.
 */
import type { Mat3, Vec3 } from '../core/mat3.ts';
import { Mat } from '../core/matrix.ts';

/** [site, n₀, n₁, n₂]: the atom at prim site `site` in the cell at integer offset n. */
export type Atom = [number, number, number, number];

export function atomKey(a: Atom): string {
  return `${a[0]}:${a[1]},${a[2]},${a[3]}`;
}

export function compareAtoms(a: Atom, b: Atom): number {
  return a[0] - b[0] || a[1] - b[1] || a[2] - b[2] || a[3] - b[3];
}

export function clusterKey(atoms: readonly Atom[]): string {
  return atoms.map(atomKey).join('|');
}

export interface Canonical {
  atoms: Atom[];
  /** canonical position j holds input atom sort[j]. */
  sort: number[];
}

/** Sorted by (site, offset), translated so the first atom sits in the home cell. */
export function canonicalize(atoms: readonly Atom[]): Canonical {
  const sort = atoms.map((_, i) => i).sort((i, j) => compareAtoms(atoms[i]!, atoms[j]!) || i - j);
  const f = atoms[sort[0]!]!;
  return { atoms: sort.map((i) => { const a = atoms[i]!; return [a[0], a[1] - f[1], a[2] - f[2], a[3] - f[3]] as Atom; }), sort };
}

/** All orderings of 0…k−1 (k ≤ 4 here, so at most 24). */
export function permutations(k: number): number[][] {
  if (k === 1) return [[0]];
  const out: number[][] = [];
  for (const p of permutations(k - 1)) for (let i = 0; i <= p.length; i++) out.push([...p.slice(0, i), k - 1, ...p.slice(i)]);
  return out;
}

/** Digits of a flat tensor index, most significant first. */
export function digits(index: number, k: number): number[] {
  const d = new Array<number>(k);
  for (let j = k - 1; j >= 0; j--) {
    d[j] = index % 3;
    index = (index - d[j]!) / 3;
  }
  return d;
}

/**
 * The 3^k × 3^k matrix T with Φ_target = T Φ_source, where the source tensor is over ordered
 * atoms (a₁…a_k), g maps them to b_i = g(a_i), and the target is ordered c_j = b_{sort[j]}:
 * T[δ, α] = Π_j R[δ_j][α_{sort[j]}].
 */
export function transformMatrix(rot: Mat3, sort: readonly number[]): Mat {
  const k = sort.length, n = 3 ** k;
  const t = new Mat(n, n);
  const dig = Array.from({ length: n }, (_, i) => digits(i, k));
  for (let d = 0; d < n; d++) {
    const dd = dig[d]!;
    for (let a = 0; a < n; a++) {
      const aa = dig[a]!;
      let v = 1;
      for (let j = 0; j < k && v !== 0; j++) v *= rot[dd[j]!]![aa[sort[j]!]!]!;
      t.data[d * n + a] = v;
    }
  }
  return t;
}

/** Rows of Φ over the ordered tuple r, taken from Φ over its canonical order (c_j = r_{sort[j]}). */
export function reorderRows(g: Mat, sort: readonly number[]): Mat {
  const k = sort.length, n = 3 ** k, m = g.cols;
  const out = new Mat(n, m);
  for (let e = 0; e < n; e++) {
    const ee = digits(e, k);
    let d = 0;
    for (let j = 0; j < k; j++) d = d * 3 + ee[sort[j]!]!;
    out.data.set(g.data.subarray(d * m, (d + 1) * m), e * m);
  }
  return out;
}

export function vecKey(v: Vec3): string {
  return v.join(',');
}

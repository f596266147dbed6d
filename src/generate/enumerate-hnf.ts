/**
 * Supercells for derivative-structure enumeration (Hart & Forcade, PRB 77, 224115 (2008)).
 *
 * Convention (as src/structure/supercell.ts): a supercell matrix S has the supercell vectors as
 * rows, in the prim's fractional basis, so the supercell lattice is the integer row span of S.
 * Two matrices span the same lattice when they differ by a unimodular row operation, and the
 * lower-triangular Hermite normal form
 *     H = [[a,0,0],[b,c,0],[d,e,f]],  a·c·f = n,  0 ≤ b < a,  0 ≤ d < a,  0 ≤ e < c
 * is the unique representative (off-diagonal entries reduced modulo the pivot of their column,
 * because rows are what may be combined). A point-group rotation R (acting on fractional
 * column vectors) maps the row lattice S to S·Rᵀ; supercells are symmetry-distinct when no
 * rotation maps one HNF's lattice onto the other's.
 *
 * The quotient group Z³/L(S) is read off the Smith normal form D = U·S·V (U, V unimodular,
 * D = diag(d0, d1, d2), d0 | d1 | d2): an integer vector g lies in L(S) iff g·V ≡ 0 mod D, so
 * g ↦ (g·V) mod D labels the n lattice points of the supercell by a mixed-radix number —
 * translations become additions modulo (d0, d1, d2) (Hart & Forcade's key step).
 */
import { InputError } from '../core/errors.ts';
import type { Mat3, Vec3 } from '../core/mat3.ts';

/** Rows of an integer 3×3 matrix, copied (the algorithms below work in place on copies). */
function copy(m: Mat3): number[][] {
  return m.map((r) => r.map((v) => Math.round(v)));
}

/** Lower-triangular Hermite normal form of the row lattice of S (see the module comment). */
export function hermiteNormalForm(s: Mat3): Mat3 {
  const h = copy(s);
  // Euclid on column `col` over `rows`: leaves one row with a non-zero entry there, returns it.
  const clearColumn = (rows: number[], col: number): number => {
    for (;;) {
      const nz = rows.filter((r) => h[r]![col] !== 0);
      if (nz.length === 0) throw new InputError(`supercell matrix ${JSON.stringify(s)} is singular`);
      nz.sort((p, q) => Math.abs(h[p]![col]!) - Math.abs(h[q]![col]!) || p - q);
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
  const r2 = clearColumn([0, 1, 2], 2);
  const rest = [0, 1, 2].filter((r) => r !== r2);
  const r1 = clearColumn(rest, 1);
  const r0 = clearColumn(rest.filter((r) => r !== r1), 0);
  const out = [h[r0]!, h[r1]!, h[r2]!];
  // reduce below-diagonal entries modulo their column's pivot (a row minus a multiple of a row above)
  const reduce = (row: number, col: number) => {
    const q = Math.floor(out[row]![col]! / out[col]![col]!);
    for (let k = 0; k < 3; k++) out[row]![k]! -= q * out[col]![k]!;
  };
  reduce(1, 0);
  reduce(2, 1);
  reduce(2, 0);
  return out as Mat3;
}

/** All HNFs of determinant n, in lexicographic order of (a, b, c, d, e, f). */
export function hnfsOfSize(n: number): Mat3[] {
  if (!Number.isInteger(n) || n < 1) throw new InputError(`supercell size must be a positive integer, got ${n}`, { field: 'sizes' });
  const out: Mat3[] = [];
  for (let a = 1; a <= n; a++) {
    if (n % a) continue;
    for (let c = 1; c <= n / a; c++) {
      if ((n / a) % c) continue;
      const f = n / (a * c);
      for (let b = 0; b < a; b++) for (let d = 0; d < a; d++) for (let e = 0; e < c; e++) out.push([[a, 0, 0], [b, c, 0], [d, e, f]]);
    }
  }
  return out;
}

export function hnfKey(h: Mat3): string {
  return `${h[0][0]},${h[1][0]},${h[1][1]},${h[2][0]},${h[2][1]},${h[2][2]}`;
}

/** S·Rᵀ: the row lattice S after the rotation R (fractional, acting on column vectors). */
export function rotateRows(s: Mat3, r: Mat3): Mat3 {
  const out = [[0, 0, 0], [0, 0, 0], [0, 0, 0]] as Mat3;
  for (let i = 0; i < 3; i++) for (let j = 0; j < 3; j++) out[i][j] = s[i][0] * r[j][0] + s[i][1] * r[j][1] + s[i][2] * r[j][2];
  return out;
}

/** Distinct rotation matrices of a list of operations (translations ignored). */
export function uniqueRotations(rotations: Mat3[]): Mat3[] {
  const seen = new Map<string, Mat3>();
  for (const r of rotations) seen.set(r.flat().join(','), r);
  return [...seen.values()];
}

/**
 * Symmetry-distinct supercells of size n: an HNF is kept when it is the lexicographically
 * first HNF among its rotated images, so each class appears once, at its first member.
 */
export function distinctSupercells(n: number, rotations: Mat3[]): Mat3[] {
  const rots = uniqueRotations(rotations);
  const all = hnfsOfSize(n);
  const index = new Map(all.map((h, i) => [hnfKey(h), i]));
  const out: Mat3[] = [];
  all.forEach((h, i) => {
    for (const r of rots) {
      const j = index.get(hnfKey(hermiteNormalForm(rotateRows(h, r))));
      if (j === undefined) throw new InputError(`rotation ${JSON.stringify(r)} is not an integer symmetry of the lattice`);
      if (j < i) return;
    }
    out.push(h);
  });
  return out;
}

export interface SmithForm {
  /** Diagonal of D, d0 | d1 | d2, all positive. */
  d: Vec3;
  /** Right transform: g ↦ (g·V) mod d is the group coordinate of lattice vector g. */
  v: Mat3;
}

/** Smith normal form D = U·S·V of an integer non-singular matrix (only V is kept). */
export function smithNormalForm(s: Mat3): SmithForm {
  const a = copy(s);
  const v = [[1, 0, 0], [0, 1, 0], [0, 0, 1]];
  const colOp = (src: number, dst: number, q: number) => {
    // column dst -= q·column src, in A and V alike
    for (let i = 0; i < 3; i++) {
      a[i]![dst]! -= q * a[i]![src]!;
      v[i]![dst]! -= q * v[i]![src]!;
    }
  };
  const swapCols = (p: number, q: number) => {
    for (let i = 0; i < 3; i++) {
      [a[i]![p], a[i]![q]] = [a[i]![q]!, a[i]![p]!];
      [v[i]![p], v[i]![q]] = [v[i]![q]!, v[i]![p]!];
    }
  };
  const rowOp = (src: number, dst: number, q: number) => {
    for (let j = 0; j < 3; j++) a[dst]![j]! -= q * a[src]![j]!;
  };
  for (let t = 0; t < 3; t++) {
    for (;;) {
      // pivot: smallest non-zero |entry| in the trailing block, moved to (t, t)
      let best: [number, number] | null = null;
      for (let i = t; i < 3; i++) for (let j = t; j < 3; j++) if (a[i]![j] !== 0 && (best === null || Math.abs(a[i]![j]!) < Math.abs(a[best[0]]![best[1]]!))) best = [i, j];
      if (best === null) throw new InputError(`supercell matrix ${JSON.stringify(s)} is singular`);
      if (best[0] !== t) [a[t], a[best[0]]] = [a[best[0]]!, a[t]!];
      if (best[1] !== t) swapCols(t, best[1]);
      const p = a[t]![t]!;
      let clean = true;
      for (let i = t + 1; i < 3; i++) {
        const q = Math.trunc(a[i]![t]! / p);
        if (q) rowOp(t, i, q);
        if (a[i]![t] !== 0) clean = false;
      }
      for (let j = t + 1; j < 3; j++) {
        const q = Math.trunc(a[t]![j]! / p);
        if (q) colOp(t, j, q);
        if (a[t]![j] !== 0) clean = false;
      }
      if (!clean) continue;
      // divisibility: if p does not divide some trailing entry, add that row and retry
      let fixed = true;
      for (let i = t + 1; i < 3 && fixed; i++) {
        for (let j = t + 1; j < 3 && fixed; j++) {
          if (a[i]![j]! % p !== 0) {
            rowOp(i, t, -1);
            fixed = false;
          }
        }
      }
      if (fixed) break;
    }
    if (a[t]![t]! < 0) {
      for (let i = 0; i < 3; i++) {
        a[i]![t] = -a[i]![t]!;
        v[i]![t] = -v[i]![t]!;
      }
    }
  }
  return { d: [a[0]![0]!, a[1]![1]!, a[2]![2]!], v: v as Mat3 };
}

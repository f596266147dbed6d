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

/*
 * The HNF runs once per (HNF, rotation) pair — tens of thousands of times per size — so it
 * works on a flat array with module-level helpers (no per-call closures or temporaries).
 */

/** Euclid on column `col` over the rows whose bit is set in `mask`: one row keeps a non-zero entry; returns it. */
function clearColumn(h: number[], mask: number, col: number, s: Mat3): number {
  for (;;) {
    let piv = -1, nz = 0;
    for (let r = 0; r < 3; r++) {
      if (!((mask >> r) & 1) || h[3 * r + col] === 0) continue;
      nz++;
      if (piv < 0 || Math.abs(h[3 * r + col]!) < Math.abs(h[3 * piv + col]!)) piv = r;
    }
    if (nz === 0) throw new InputError(`supercell matrix ${JSON.stringify(s)} is singular`);
    if (nz === 1) {
      if (h[3 * piv + col]! < 0) for (let k = 0; k < 3; k++) h[3 * piv + k] = -h[3 * piv + k]!;
      return piv;
    }
    for (let r = 0; r < 3; r++) {
      if (r === piv || !((mask >> r) & 1) || h[3 * r + col] === 0) continue;
      const q = Math.trunc(h[3 * r + col]! / h[3 * piv + col]!);
      for (let k = 0; k < 3; k++) h[3 * r + k]! -= q * h[3 * piv + k]!;
    }
  }
}

/** Row `row` minus the multiple of row `col` that brings entry (row, col) into [0, pivot). */
function reduceEntry(o: number[], row: number, col: number): void {
  const q = Math.floor(o[3 * row + col]! / o[3 * col + col]!);
  if (q !== 0) for (let k = 0; k < 3; k++) o[3 * row + k]! -= q * o[3 * col + k]!;
}

/** Lower-triangular Hermite normal form of the row lattice of S (see the module comment). */
export function hermiteNormalForm(s: Mat3): Mat3 {
  const h = [s[0][0], s[0][1], s[0][2], s[1][0], s[1][1], s[1][2], s[2][0], s[2][1], s[2][2]].map(Math.round);
  const r2 = clearColumn(h, 7, 2, s);
  const r1 = clearColumn(h, 7 & ~(1 << r2), 1, s);
  const r0 = clearColumn(h, 7 & ~(1 << r2) & ~(1 << r1), 0, s);
  const o = [h[3 * r0]!, h[3 * r0 + 1]!, h[3 * r0 + 2]!, h[3 * r1]!, h[3 * r1 + 1]!, h[3 * r1 + 2]!, h[3 * r2]!, h[3 * r2 + 1]!, h[3 * r2 + 2]!];
  reduceEntry(o, 1, 0);
  reduceEntry(o, 2, 1);
  reduceEntry(o, 2, 0);
  return [[o[0]!, o[1]!, o[2]!], [o[3]!, o[4]!, o[5]!], [o[6]!, o[7]!, o[8]!]];
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

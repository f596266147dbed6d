/**
 * Niggli reduction (Křivý & Gruber 1976, with the ε-comparisons of Grosse-Kunstleve et al.
 * 2004). The algorithm is run on the basis vectors themselves rather than on the six Niggli
 * parameters, so the integer transformation falls out exactly and cannot drift.
 */
import { type Mat3, dot3, mul3, identity3, det3 } from '../core/mat3.ts';
import { NumericalError } from '../core/errors.ts';
import { Lattice } from './lattice.ts';

export interface ReducedLattice {
  lattice: Lattice;
  /** Integer matrix T with reduced.matrix = T · original.matrix (det T = +1). */
  transformation: Mat3;
}

function combine(t: Mat3, rows: Mat3): Mat3 {
  return mul3(rows, t);
}

/**
 * Niggli-reduced basis of `lattice`. `tol` is relative: comparisons use ε = tol·V^(1/3)²-scale
 * as in pymatgen (ε = tol · V^(1/3) on squared lengths' scale).
 */
export function niggliReduce(lattice: Lattice, tol = 1e-5): ReducedLattice {
  let v: Mat3 = lattice.matrix.map((r) => [...r]) as Mat3;
  let t: Mat3 = identity3();
  const e = tol * Math.cbrt(lattice.volume);
  const apply = (rows: Mat3) => {
    t = combine(t, rows);
    v = mul3(rows, v);
  };
  const sgn = (x: number) => (x < -e ? -1 : x > e ? 1 : 0);
  for (let iter = 0; iter < 1000; iter++) {
    const A = dot3(v[0], v[0]), B = dot3(v[1], v[1]), C = dot3(v[2], v[2]);
    const xi = 2 * dot3(v[1], v[2]), eta = 2 * dot3(v[0], v[2]), zeta = 2 * dot3(v[0], v[1]);
    // A1
    if (A > B + e || (Math.abs(A - B) < e && Math.abs(xi) > Math.abs(eta) + e)) {
      apply([[0, -1, 0], [-1, 0, 0], [0, 0, -1]]);
      continue;
    }
    // A2
    if (B > C + e || (Math.abs(B - C) < e && Math.abs(eta) > Math.abs(zeta) + e)) {
      apply([[-1, 0, 0], [0, 0, -1], [0, -1, 0]]);
      continue;
    }
    const l = sgn(xi), m = sgn(eta), n = sgn(zeta);
    let flipped = false;
    if (l * m * n === 1) {
      // A3: make all three angles acute
      const i = l === -1 ? -1 : 1, j = m === -1 ? -1 : 1, k = n === -1 ? -1 : 1;
      if (i !== 1 || j !== 1 || k !== 1) {
        apply([[i, 0, 0], [0, j, 0], [0, 0, k]]);
        flipped = true;
      }
    } else {
      // A4: make all three angles non-acute, keeping det +1
      let i = l === 1 ? -1 : 1, j = m === 1 ? -1 : 1, k = n === 1 ? -1 : 1;
      if (i * j * k === -1) {
        if (n === 0) k = -1;
        else if (m === 0) j = -1;
        else if (l === 0) i = -1;
      }
      if (i !== 1 || j !== 1 || k !== 1) {
        apply([[i, 0, 0], [0, j, 0], [0, 0, k]]);
        flipped = true;
      }
    }
    if (flipped) continue;
    // A5
    if (Math.abs(xi) > B + e || (Math.abs(xi - B) < e && 2 * eta < zeta - e) || (Math.abs(xi + B) < e && zeta < -e)) {
      const s = Math.sign(xi);
      apply([[1, 0, 0], [0, 1, 0], [0, -s, 1]]);
      continue;
    }
    // A6
    if (Math.abs(eta) > A + e || (Math.abs(eta - A) < e && 2 * xi < zeta - e) || (Math.abs(eta + A) < e && zeta < -e)) {
      const s = Math.sign(eta);
      apply([[1, 0, 0], [0, 1, 0], [-s, 0, 1]]);
      continue;
    }
    // A7
    if (Math.abs(zeta) > A + e || (Math.abs(zeta - A) < e && 2 * xi < eta - e) || (Math.abs(zeta + A) < e && eta < -e)) {
      const s = Math.sign(zeta);
      apply([[1, 0, 0], [-s, 1, 0], [0, 0, 1]]);
      continue;
    }
    // A8
    const sum = xi + eta + zeta + A + B;
    if (sum < -e || (Math.abs(sum) < e && 2 * (A + eta) + zeta > e)) {
      apply([[1, 0, 0], [0, 1, 0], [1, 1, 1]]);
      continue;
    }
    if (Math.round(det3(t)) !== 1) throw new NumericalError('Niggli reduction lost handedness');
    return { lattice: new Lattice(v), transformation: t };
  }
  throw new NumericalError('Niggli reduction did not converge in 1000 steps');
}

export function isIntegerMat3(m: Mat3, tol = 1e-6): boolean {
  return m.every((r) => r.every((x) => Math.abs(x - Math.round(x)) < tol));
}


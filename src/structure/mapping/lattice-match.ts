/**
 * Candidate supercell lattices: integer combinations of the (reduced) primitive vectors whose
 * lengths and angles agree with the target lattice's vectors within ltol / angleTol, in the
 * sense of pymatgen's Lattice.find_all_mappings (length ratio within (1/(1+ltol), 1+ltol),
 * each angle within angleTol degrees), restricted to |det| = size and a proper (det > 0)
 * correspondence so a structure is never matched to its mirror image.
 */
import { type Mat3, type Vec3, det3, inv3, norm3 } from '../../core/mat3.ts';

export interface LatticeCandidate {
  /** Integer rows in the basis of the primitive lattice given to findLatticeCandidates. */
  m: Mat3;
}

function columnNorms(m: Mat3): Vec3 {
  return [0, 1, 2].map((j) => Math.hypot(m[0][j]!, m[1][j]!, m[2][j]!)) as Vec3;
}

export function findLatticeCandidates(prim: Mat3, target: Mat3, size: number, ltol: number, angleTol: number): LatticeCandidate[] {
  const lengths = target.map((r) => norm3(r)) as Vec3;
  const angleOf = (u: ArrayLike<number>, v: ArrayLike<number>, lu: number, lv: number) => {
    const c = (u[0]! * v[0]! + u[1]! * v[1]! + u[2]! * v[2]!) / (lu * lv);
    return (Math.acos(Math.max(-1, Math.min(1, c))) * 180) / Math.PI;
  };
  const alpha = angleOf(target[1], target[2], lengths[1], lengths[2]);
  const beta = angleOf(target[0], target[2], lengths[0], lengths[2]);
  const gamma = angleOf(target[0], target[1], lengths[0], lengths[1]);
  const rMax = Math.max(...lengths) * (1 + ltol);
  // a fractional coordinate of a Cartesian point v is v·inv[:, i], so |frac_i| ≤ |v|·|inv col i|
  const bound = columnNorms(inv3(prim)).map((x) => Math.floor(rMax * x + 1e-9));
  type Pt = { f: Vec3; c: Vec3; l: number };
  const shells: Pt[][] = [[], [], []];
  for (let i = -bound[0]!; i <= bound[0]!; i++) {
    for (let j = -bound[1]!; j <= bound[1]!; j++) {
      for (let k = -bound[2]!; k <= bound[2]!; k++) {
        if (i === 0 && j === 0 && k === 0) continue;
        const c: Vec3 = [
          i * prim[0][0] + j * prim[1][0] + k * prim[2][0],
          i * prim[0][1] + j * prim[1][1] + k * prim[2][1],
          i * prim[0][2] + j * prim[1][2] + k * prim[2][2],
        ];
        const l = norm3(c);
        if (l > rMax) continue;
        for (let s = 0; s < 3; s++) {
          const ratio = l / lengths[s]!;
          if (ratio < 1 + ltol && ratio > 1 / (1 + ltol)) shells[s]!.push({ f: [i, j, k], c, l });
        }
      }
    }
  }
  const primSign = Math.sign(det3(prim));
  // |angle − target| < tol  ⟺  cos(angle) inside (cos(target+tol), cos(target−tol)), no acos in the loops
  const cosWindow = (target: number): [number, number] => {
    const r = Math.PI / 180;
    const hi = target - angleTol <= 0 ? 1.0000001 : Math.cos((target - angleTol) * r);
    const lo = target + angleTol >= 180 ? -1.0000001 : Math.cos((target + angleTol) * r);
    return [lo, hi];
  };
  const [gLo, gHi] = cosWindow(gamma), [aLo, aHi] = cosWindow(alpha), [bLo, bHi] = cosWindow(beta);
  const cosOf = (u: Pt, v: Pt) => (u.c[0] * v.c[0] + u.c[1] * v.c[1] + u.c[2] * v.c[2]) / (u.l * v.l);
  const [A, B, C] = shells as [Pt[], Pt[], Pt[]];
  // b–c pairs passing α, grouped by b
  const bc: Pt[][] = B.map((b) => C.filter((c) => {
    const x = cosOf(b, c);
    return x > aLo && x < aHi;
  }));
  const out: LatticeCandidate[] = [];
  for (const a of A) {
    for (let bi = 0; bi < B.length; bi++) {
      const b = B[bi]!;
      const g = cosOf(a, b);
      if (!(g > gLo && g < gHi)) continue;
      for (const c of bc[bi]!) {
        const x = cosOf(a, c);
        if (!(x > bLo && x < bHi)) continue;
        const d =
          a.f[0] * (b.f[1] * c.f[2] - b.f[2] * c.f[1]) - a.f[1] * (b.f[0] * c.f[2] - b.f[2] * c.f[0]) + a.f[2] * (b.f[0] * c.f[1] - b.f[1] * c.f[0]);
        if (Math.abs(Math.abs(d) - size) > 0.5 || Math.sign(d) !== primSign) continue;
        out.push({ m: [[...a.f], [...b.f], [...c.f]] as Mat3 });
      }
    }
  }
  return out;
}

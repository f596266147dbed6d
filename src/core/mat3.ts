/** 3-vectors and 3×3 matrices (rows), for lattices, symmetry operations and supercells. */
export type Vec3 = [number, number, number];
export type Mat3 = [Vec3, Vec3, Vec3];

/** A space-group operation on fractional column vectors: x' = rotation·x + translation. */
export interface SymOp {
  /** Integer matrix (in fractional coordinates). */
  rotation: Mat3;
  translation: Vec3;
}

export function det3(m: Mat3): number {
  const [a, b, c] = m;
  return a[0] * (b[1] * c[2] - b[2] * c[1]) - a[1] * (b[0] * c[2] - b[2] * c[0]) + a[2] * (b[0] * c[1] - b[1] * c[0]);
}

export function inv3(m: Mat3): Mat3 {
  const [a, b, c] = m;
  const d = det3(m);
  if (d === 0) throw new RangeError('singular 3×3 matrix');
  const i = 1 / d;
  return [
    [(b[1] * c[2] - b[2] * c[1]) * i, (a[2] * c[1] - a[1] * c[2]) * i, (a[1] * b[2] - a[2] * b[1]) * i],
    [(b[2] * c[0] - b[0] * c[2]) * i, (a[0] * c[2] - a[2] * c[0]) * i, (a[2] * b[0] - a[0] * b[2]) * i],
    [(b[0] * c[1] - b[1] * c[0]) * i, (a[1] * c[0] - a[0] * c[1]) * i, (a[0] * b[1] - a[1] * b[0]) * i],
  ];
}

export function mul3(a: Mat3, b: Mat3): Mat3 {
  const r = [[0, 0, 0], [0, 0, 0], [0, 0, 0]] as Mat3;
  for (let i = 0; i < 3; i++) for (let j = 0; j < 3; j++) r[i][j] = a[i][0] * b[0][j] + a[i][1] * b[1][j] + a[i][2] * b[2][j];
  return r;
}

export function transpose3(m: Mat3): Mat3 {
  return [[m[0][0], m[1][0], m[2][0]], [m[0][1], m[1][1], m[2][1]], [m[0][2], m[1][2], m[2][2]]];
}

/** Row vector times matrix: v·M (fractional → Cartesian with lattice rows as M). */
export function vecMul3(v: Vec3, m: Mat3): Vec3 {
  return [
    v[0] * m[0][0] + v[1] * m[1][0] + v[2] * m[2][0],
    v[0] * m[0][1] + v[1] * m[1][1] + v[2] * m[2][1],
    v[0] * m[0][2] + v[1] * m[1][2] + v[2] * m[2][2],
  ];
}

/** Matrix times column vector: M·v. */
export function mulVec3(m: Mat3, v: Vec3): Vec3 {
  return [
    m[0][0] * v[0] + m[0][1] * v[1] + m[0][2] * v[2],
    m[1][0] * v[0] + m[1][1] * v[1] + m[1][2] * v[2],
    m[2][0] * v[0] + m[2][1] * v[1] + m[2][2] * v[2],
  ];
}

export function dot3(a: Vec3, b: Vec3): number {
  return a[0] * b[0] + a[1] * b[1] + a[2] * b[2];
}

export function cross3(a: Vec3, b: Vec3): Vec3 {
  return [a[1] * b[2] - a[2] * b[1], a[2] * b[0] - a[0] * b[2], a[0] * b[1] - a[1] * b[0]];
}

export function sub3(a: Vec3, b: Vec3): Vec3 {
  return [a[0] - b[0], a[1] - b[1], a[2] - b[2]];
}

export function add3(a: Vec3, b: Vec3): Vec3 {
  return [a[0] + b[0], a[1] + b[1], a[2] + b[2]];
}

export function norm3(a: Vec3): number {
  return Math.hypot(a[0], a[1], a[2]);
}

export function identity3(): Mat3 {
  return [[1, 0, 0], [0, 1, 0], [0, 0, 1]];
}

/**
 * Sobol low-discrepancy sequence (unscrambled, Gray-code order, 30-bit), with the primitive
 * polynomials and initial direction numbers of Joe & Kuo (2008, "new-joe-kuo-6.21201") for
 * the first 64 dimensions. The first point is the origin, as in every unscrambled Sobol
 * generator; GPR-NN skips it because an all-zero weight row is a constant coordinate.
 */
import { OptionError } from '../core/errors.ts';
import { Mat } from '../core/matrix.ts';

const BITS = 30;

/** [primitive polynomial with its leading and trailing 1 bits, initial m_1..m_s]. */
const JOE_KUO: Array<[number, number[]]> = [
  [1, [1]],
  [3, [1]],
  [7, [1, 3]],
  [11, [1, 3, 1]],
  [13, [1, 1, 1]],
  [19, [1, 1, 3, 3]],
  [25, [1, 3, 5, 13]],
  [37, [1, 1, 5, 5, 17]],
  [41, [1, 1, 5, 5, 5]],
  [47, [1, 1, 7, 11, 19]],
  [55, [1, 1, 5, 1, 1]],
  [59, [1, 1, 1, 3, 11]],
  [61, [1, 3, 5, 5, 31]],
  [67, [1, 3, 3, 9, 7, 49]],
  [91, [1, 1, 1, 15, 21, 21]],
  [97, [1, 3, 1, 13, 27, 49]],
  [103, [1, 1, 1, 15, 7, 5]],
  [109, [1, 3, 1, 15, 13, 25]],
  [115, [1, 1, 5, 5, 19, 61]],
  [131, [1, 3, 7, 11, 23, 15, 103]],
  [137, [1, 3, 7, 13, 13, 15, 69]],
  [143, [1, 1, 3, 13, 7, 35, 63]],
  [145, [1, 3, 5, 9, 1, 25, 53]],
  [157, [1, 3, 1, 13, 9, 35, 107]],
  [167, [1, 3, 1, 5, 27, 61, 31]],
  [171, [1, 1, 5, 11, 19, 41, 61]],
  [185, [1, 3, 5, 3, 3, 13, 69]],
  [191, [1, 1, 7, 13, 1, 19, 1]],
  [193, [1, 3, 7, 5, 13, 19, 59]],
  [203, [1, 1, 3, 9, 25, 29, 41]],
  [211, [1, 3, 5, 13, 23, 1, 55]],
  [213, [1, 3, 7, 3, 13, 59, 17]],
  [229, [1, 3, 1, 3, 5, 53, 69]],
  [239, [1, 1, 5, 5, 23, 33, 13]],
  [241, [1, 1, 7, 7, 1, 61, 123]],
  [247, [1, 1, 7, 9, 13, 61, 49]],
  [253, [1, 3, 3, 5, 3, 55, 33]],
  [285, [1, 3, 1, 15, 31, 13, 49, 245]],
  [299, [1, 3, 5, 15, 31, 59, 63, 97]],
  [301, [1, 3, 1, 11, 11, 11, 77, 249]],
  [333, [1, 3, 1, 11, 27, 43, 71, 9]],
  [351, [1, 1, 7, 15, 21, 11, 81, 45]],
  [355, [1, 3, 7, 3, 25, 31, 65, 79]],
  [357, [1, 3, 1, 1, 19, 11, 3, 205]],
  [361, [1, 1, 5, 9, 19, 21, 29, 157]],
  [369, [1, 3, 7, 11, 1, 33, 89, 185]],
  [391, [1, 3, 3, 3, 15, 9, 79, 71]],
  [397, [1, 3, 7, 11, 15, 39, 119, 27]],
  [425, [1, 1, 3, 1, 11, 31, 97, 225]],
  [451, [1, 1, 1, 3, 23, 43, 57, 177]],
  [463, [1, 3, 7, 7, 17, 17, 37, 71]],
  [487, [1, 3, 1, 5, 27, 63, 123, 213]],
  [501, [1, 1, 3, 5, 11, 43, 53, 133]],
  [529, [1, 3, 5, 5, 29, 17, 47, 173, 479]],
  [539, [1, 3, 3, 11, 3, 1, 109, 9, 69]],
  [545, [1, 1, 1, 5, 17, 39, 23, 5, 343]],
  [557, [1, 3, 1, 5, 25, 15, 31, 103, 499]],
  [563, [1, 1, 1, 11, 11, 17, 63, 105, 183]],
  [601, [1, 1, 5, 11, 9, 29, 97, 231, 363]],
  [607, [1, 1, 5, 15, 19, 45, 41, 7, 383]],
  [617, [1, 3, 7, 7, 31, 19, 83, 137, 221]],
  [623, [1, 1, 1, 3, 23, 15, 111, 223, 83]],
  [631, [1, 1, 5, 13, 31, 15, 55, 25, 161]],
  [637, [1, 1, 3, 13, 25, 47, 39, 87, 257]],
];

export const SOBOL_MAX_DIM = JOE_KUO.length;

function directionNumbers(dim: number): Uint32Array {
  const [poly, m0] = JOE_KUO[dim]!;
  const v = new Uint32Array(BITS);
  if (dim === 0) {
    for (let k = 0; k < BITS; k++) v[k] = 1 << (BITS - 1 - k);
    return v;
  }
  const s = Math.floor(Math.log2(poly));
  const m = new Uint32Array(BITS);
  for (let k = 0; k < s && k < BITS; k++) m[k] = m0[k]!;
  for (let k = s; k < BITS; k++) {
    let x = m[k - s]! ^ (m[k - s]! << s);
    for (let l = 1; l < s; l++) if ((poly >> (s - l)) & 1) x ^= m[k - l]! << l;
    m[k] = x;
  }
  for (let k = 0; k < BITS; k++) v[k] = m[k]! << (BITS - 1 - k);
  return v;
}

/** The first `n` points of the `d`-dimensional Sobol sequence as rows of an n×d matrix. */
export function sobolPoints(n: number, d: number): Mat {
  if (!Number.isInteger(d) || d < 1 || d > SOBOL_MAX_DIM) throw new OptionError(`Sobol dimension must be 1..${SOBOL_MAX_DIM}, got ${d}`);
  if (!Number.isInteger(n) || n < 0 || n >= 2 ** BITS) throw new OptionError(`invalid number of Sobol points ${n}`);
  const V = Array.from({ length: d }, (_, j) => directionNumbers(j));
  const x = new Uint32Array(d);
  const out = new Mat(n, d);
  const scale = 1 / 2 ** BITS;
  for (let i = 0; i < n; i++) {
    for (let j = 0; j < d; j++) out.data[i * d + j] = x[j]! * scale;
    // Gray-code step: flip the direction number of the lowest zero bit of i.
    let c = 0, t = i;
    while (t & 1) { t >>= 1; c++; }
    for (let j = 0; j < d; j++) x[j] = (x[j]! ^ V[j]![c]!) >>> 0;
  }
  return out;
}

/**
 * A periodic lattice given by its three lattice vectors as rows (pymatgen's convention:
 * cart = frac · matrix).
 */
import { InputError } from '../core/errors.ts';
import { type Mat3, type Vec3, det3, inv3, vecMul3, norm3, dot3, cross3, mul3 } from '../core/mat3.ts';

export class Lattice {
  readonly matrix: Mat3;
  readonly inverse: Mat3;
  readonly volume: number;

  constructor(matrix: Mat3) {
    if (matrix.length !== 3 || matrix.some((r) => r.length !== 3 || r.some((v) => !Number.isFinite(v)))) {
      throw new InputError('lattice matrix must be 3×3 finite numbers');
    }
    const d = det3(matrix);
    // Relative to the edge lengths, so a flat cell of long vectors (angles 120/120/120) is caught
    // too: its rounding-error volume would otherwise send every search on it through ~1e16 cells.
    const edges = norm3(matrix[0]) * norm3(matrix[1]) * norm3(matrix[2]);
    if (!(Math.abs(d) > 1e-8) || !(Math.abs(d) > 1e-6 * edges)) throw new InputError(`lattice vectors are degenerate or coplanar (volume ${d.toPrecision(3)} Å³ for edges of ${matrix.map((r) => norm3(r).toPrecision(3)).join(', ')} Å)`);
    this.matrix = matrix.map((r) => [...r]) as Mat3;
    this.inverse = inv3(this.matrix);
    this.volume = Math.abs(d);
  }

  static fromParameters(a: number, b: number, c: number, alphaDeg: number, betaDeg: number, gammaDeg: number): Lattice {
    const rad = Math.PI / 180;
    const [al, be, ga] = [alphaDeg * rad, betaDeg * rad, gammaDeg * rad];
    const cosA = Math.cos(al), cosB = Math.cos(be), cosG = Math.cos(ga), sinG = Math.sin(ga);
    const cx = c * cosB;
    const cy = (c * (cosA - cosB * cosG)) / sinG;
    const cz2 = c * c - cx * cx - cy * cy;
    if (!(cz2 > 0)) throw new InputError(`impossible cell angles ${alphaDeg}, ${betaDeg}, ${gammaDeg}`);
    return new Lattice([[a, 0, 0], [b * cosG, b * sinG, 0], [cx, cy, Math.sqrt(cz2)]]);
  }

  get abc(): Vec3 {
    return [norm3(this.matrix[0]), norm3(this.matrix[1]), norm3(this.matrix[2])];
  }

  /** α, β, γ in degrees. */
  get angles(): Vec3 {
    const [a, b, c] = this.matrix;
    const ang = (u: Vec3, v: Vec3) => (Math.acos(Math.max(-1, Math.min(1, dot3(u, v) / (norm3(u) * norm3(v))))) * 180) / Math.PI;
    return [ang(b, c), ang(a, c), ang(a, b)];
  }

  /** Reciprocal lattice with the 2π factor (rows b_i with a_i·b_j = 2π δ_ij). */
  get reciprocal(): Lattice {
    const [a, b, c] = this.matrix;
    const f = (2 * Math.PI) / det3(this.matrix);
    const s = (v: Vec3): Vec3 => [v[0] * f, v[1] * f, v[2] * f];
    return new Lattice([s(cross3(b, c)), s(cross3(c, a)), s(cross3(a, b))]);
  }

  fracToCart(f: Vec3): Vec3 {
    return vecMul3(f, this.matrix);
  }

  cartToFrac(x: Vec3): Vec3 {
    return vecMul3(x, this.inverse);
  }

  /** The lattice of the supercell whose vectors are the rows of `scMatrix` · this.matrix. */
  supercell(scMatrix: Mat3): Lattice {
    return new Lattice(mul3(scMatrix, this.matrix));
  }

  toJSON(): { matrix: Mat3 } {
    return { matrix: this.matrix };
  }
}

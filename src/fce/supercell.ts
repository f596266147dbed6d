/**
 * The ideal supercell force data live on: celt's supercell site order (prim-site major, see
 * structure/supercell.ts) and the map from a labelled atom (site, any lattice offset) to the
 * supercell atom it wraps onto.
 */
import { type Mat3, type Vec3, det3, inv3, vecMul3 } from '../core/mat3.ts';
import { latticePointsInSupercell, supercell } from '../structure/supercell.ts';
import type { Structure } from '../structure/structure.ts';
import type { Atom } from './tensor.ts';

export class FcSupercell {
  readonly ideal: Structure;
  readonly nCells: number;
  readonly cells: Vec3[];
  /** Ideal Cartesian positions, 3N. */
  readonly positions: Float64Array;
  private readonly inv: Mat3;
  private readonly cellIndex = new Map<string, number>();

  constructor(
    readonly prim: Structure,
    readonly scMatrix: Mat3,
  ) {
    this.ideal = supercell(prim, scMatrix);
    this.cells = latticePointsInSupercell(scMatrix);
    this.nCells = this.cells.length;
    this.inv = inv3(scMatrix);
    this.cells.forEach((g, i) => this.cellIndex.set(this.wrapKey(g), i));
    this.positions = new Float64Array(3 * this.ideal.numSites);
    for (let i = 0; i < this.ideal.numSites; i++) this.positions.set(this.ideal.cart(i), 3 * i);
  }

  get numAtoms(): number {
    return this.ideal.numSites;
  }

  /** A key of the lattice offset modulo the supercell: fractions are multiples of 1/det. */
  private wrapKey(g: Vec3): string {
    const d = Math.abs(Math.round(det3(this.scMatrix)));
    const f = vecMul3(g, this.inv);
    return f.map((x) => { const w = Math.round((x - Math.floor(x + 1e-9)) * d) % d; return w; }).join(',');
  }

  /** Supercell index of the atom (site, offset) after wrapping. */
  indexOf(a: Atom): number {
    const c = this.cellIndex.get(this.wrapKey([a[1], a[2], a[3]]));
    if (c === undefined) throw new Error(`lattice offset ${a.slice(1).join(',')} did not wrap onto a supercell cell`);
    return a[0] * this.nCells + c;
  }

  /** Prim site and cell offset of supercell atom i. */
  atomAt(i: number): Atom {
    const p = Math.floor(i / this.nCells), g = this.cells[i % this.nCells]!;
    return [p, g[0], g[1], g[2]];
  }
}


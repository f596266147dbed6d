/** Hand-made structures for the space tests (no code under test involved in building them). */
import { readFileSync } from 'node:fs';
import type { Mat3, Vec3 } from '../../src/core/mat3.ts';
import { Lattice } from '../../src/structure/lattice.ts';
import { Species } from '../../src/structure/species.ts';
import { Structure } from '../../src/structure/structure.ts';
import { structureFromPymatgen } from '../../src/structure/io/pymatgen.ts';
import { DATA_DIR } from '../data-dir.ts';

export const LMO_PRIM = `${DATA_DIR}/lmo_drx/prim.json`;

export function lmoPrim(): Structure {
  return structureFromPymatgen(JSON.parse(readFileSync(LMO_PRIM, 'utf8')));
}

/** fcc primitive cell (conventional edge a) with one A/B site: codes 0 = A, 1 = B. */
export function fccBinary(a: number, species: [string, string] = ['Au', 'Cu']): Structure {
  const h = a / 2;
  const lattice = new Lattice([[0, h, h], [h, 0, h], [h, h, 0]]);
  return new Structure(lattice, [{ frac: [0, 0, 0], species: [{ species: Species.parse(species[0]), occu: 0.5 }, { species: Species.parse(species[1]), occu: 0.5 }] }]);
}

/** Supercell matrix of the conventional cube on the fcc primitive cell above. */
export const FCC_CUBE: Mat3 = [[-1, 1, 1], [1, -1, 1], [1, 1, -1]];

/** Cartesian position of (prim site, offset). */
export function cartOf(prim: Structure, primSite: number, offset: Vec3): Vec3 {
  const f = prim.sites[primSite]!.frac;
  return prim.lattice.fracToCart([f[0] + offset[0], f[1] + offset[1], f[2] + offset[2]]);
}

/**
 * Seed 001's oxyfluoride DRX lattice on the lmo_drx cell: octahedral (Li+, Mn2+, Mn3+, Mn4+, Va),
 * two tetrahedral (Li+, Mn2+, Va) and an anion site (O2-, F-).
 */
export function oxyfluoridePrim(): Structure {
  const sp = (k: string, occu: number) => ({ species: Species.parse(k), occu });
  return new Structure(lmoPrim().lattice, [
    { frac: [0, 0, 0], species: [sp('Li+', 0.2), sp('Mn2+', 0.2), sp('Mn3+', 0.2), sp('Mn4+', 0.2)] },
    { frac: [0.25, 0.25, 0.25], species: [sp('Li+', 0.25), sp('Mn2+', 0.25)] },
    { frac: [0.75, 0.75, 0.75], species: [sp('Li+', 0.25), sp('Mn2+', 0.25)] },
    { frac: [0.5, 0.5, 0.5], species: [sp('O2-', 0.5), sp('F-', 0.5)] },
  ]);
}

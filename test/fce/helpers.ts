/** Primitive cells used by the fce tests. */
import { Lattice } from '../../src/structure/lattice.ts';
import { Species } from '../../src/structure/species.ts';
import { Structure } from '../../src/structure/structure.ts';

export function fccPrim(a: number, el = 'Cu'): Structure {
  const h = a / 2;
  return new Structure(new Lattice([[0, h, h], [h, 0, h], [h, h, 0]]), [{ frac: [0, 0, 0], species: [{ species: Species.of(el), occu: 1 }] }]);
}

export function diamondPrim(a: number, el = 'Si'): Structure {
  const h = a / 2;
  const sp = [{ species: Species.of(el), occu: 1 }];
  return new Structure(new Lattice([[0, h, h], [h, 0, h], [h, h, 0]]), [
    { frac: [0, 0, 0], species: sp },
    { frac: [0.25, 0.25, 0.25], species: sp.map((o) => ({ ...o })) },
  ]);
}

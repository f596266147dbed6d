/**
 * `celt structure info` on large ordered cells (Monte Carlo supercells have 3,456+ sites): the
 * space group through the primitive cell (src/symmetry/primitive.ts) vs moyo on the whole cell,
 * measured in the same run where moyo can finish (≤ 216 sites; 512 sites took 30 s, 1,000 sites
 * did not finish in 300 s on this machine kind — printed as stored, not as a ratio).
 * Run: npx tsx bench/structure-info.ts
 */
import type { Mat3 } from '../src/core/mat3.ts';
import { readStructureFile } from '../src/structure/io/read.ts';
import { Lattice } from '../src/structure/lattice.ts';
import { Species } from '../src/structure/species.ts';
import { Structure, type Site } from '../src/structure/structure.ts';
import { supercell } from '../src/structure/supercell.ts';
import { structureInfo } from '../src/cli/commands/structure.ts';
import { analyzeSymmetry } from '../src/symmetry/symmetry.ts';

const fcc = (a: number) => new Lattice([[0, a / 2, a / 2], [a / 2, 0, a / 2], [a / 2, a / 2, 0]]);
const sp = (s: string): Site['species'] => [{ species: Species.parse(s), occu: 1 }];
const rocksalt = new Structure(fcc(4.2), [{ frac: [0, 0, 0], species: sp('Li+') }, { frac: [0.5, 0.5, 0.5], species: sp('O2-') }]);
const diag = (n: number): Mat3 => [[n, 0, 0], [0, n, 0], [0, 0, n]];
const time = (f: () => unknown) => {
  const t = performance.now();
  f();
  return (performance.now() - t) / 1000;
};

console.log('cell                         sites   celt (s)   moyo on the whole cell (s)');
const cases: Array<[string, Structure, boolean]> = [
  ['rocksalt prim ×3×3×3', supercell(rocksalt, diag(3)), true],
  ['rocksalt prim ×4×4×4', supercell(rocksalt, diag(4)), true],
  ['rocksalt prim ×8×8×8', supercell(rocksalt, diag(8)), false],
  ['spinel LiMn2O4 ×3×3×3', supercell(readStructureFile('data/lmo_drx/spinel_LiMn2O4.json'), diag(3)), false],
  ['rocksalt prim ×16×16×16', supercell(rocksalt, diag(16)), false],
];
for (const [name, s, paired] of cases) {
  const celt = time(() => structureInfo(s, 1e-3));
  const moyo = paired ? time(() => analyzeSymmetry(s)).toFixed(2) : 'not run (stored: 512 sites 30 s, 1,000 sites > 300 s)';
  console.log(`${name.padEnd(28)} ${String(s.numSites).padStart(5)}   ${celt.toFixed(2).padStart(8)}   ${moyo}`);
}

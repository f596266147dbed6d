/**
 * Derivative-structure enumeration speed: fcc binary, every labeling, sizes 1…12 (every size
 * separately and the total), structures per second, plus the Hart–Forcade-convention count
 * (both species used, A↔B once) for the same sizes. Run: npx tsx bench/enumerate.ts
 *
 * Reference: no peer enumerator could be installed here (icet/enumlib: PyPI was unreachable
 * from this machine), so the ratio column compares with the independent brute force of the
 * tests (every labeling of every supercell, canonical keys; test/generate/helpers.ts) for the
 * sizes where it finishes quickly — the speed-up the Hart–Forcade reduction buys, with both
 * returning the same structures. Timings are wall-clock on a shared 2-core machine (noisy).
 */
import { countStructures, enumerateStructures, enumerationLattice } from '../src/generate/enumerate.ts';
import { Lattice } from '../src/structure/lattice.ts';
import { Species } from '../src/structure/species.ts';
import { Structure } from '../src/structure/structure.ts';
import { bruteForceKeys } from '../test/generate/helpers.ts';

const prim = new Structure(new Lattice([[0, 2, 2], [2, 0, 2], [2, 2, 0]]), [
  { frac: [0, 0, 0], species: [{ species: Species.parse('Au'), occu: 0.5 }, { species: Species.parse('Cu'), occu: 0.5 }] },
]);
// symmetry analysis (moyo start-up included) once, outside the timings
const lat = enumerationLattice(prim);
const maxSize = Number(process.argv[2] ?? 12);
const bruteMax = 5;

console.log('fcc binary, every labeling (structures streamed by the generator, nothing written)');
console.log('size  structures   seconds   structures/s  brute s  brute/celt');
let total = 0, totalS = 0;
for (let n = 1; n <= maxSize; n++) {
  const t0 = performance.now();
  let c = 0;
  for (const _ of enumerateStructures(lat, { sizes: [n] })) c++;
  const s = (performance.now() - t0) / 1000;
  total += c;
  totalS += s;
  let r: { seconds: number } | null = null;
  if (n <= bruteMax) {
    const tb = performance.now();
    const keys = bruteForceKeys(prim, n);
    r = { seconds: (performance.now() - tb) / 1000 };
    if (keys.size !== c) throw new Error(`size ${n}: brute force found ${keys.size} structures, celt ${c}`);
  }
  console.log(`${String(n).padStart(4)}  ${String(c).padStart(10)}  ${s.toFixed(3).padStart(8)}  ${(c / s).toFixed(0).padStart(13)}  ${r ? r.seconds.toFixed(2).padStart(7) : '      -'}  ${r ? (r.seconds / s).toFixed(1).padStart(9) : '        -'}`);
}
console.log(`total ${total} structures in ${totalS.toFixed(2)} s = ${(total / totalS).toFixed(0)} structures/s`);
const t0 = performance.now();
const hf = countStructures(lat, { sizes: Array.from({ length: maxSize - 1 }, (_, i) => i + 2), speciesSwaps: true, allSpeciesUsed: true });
console.log(`Hart–Forcade convention sizes 2…${maxSize}: ${hf.count} (${Object.values(hf.bySize).join(', ')}) in ${((performance.now() - t0) / 1000).toFixed(2)} s`);

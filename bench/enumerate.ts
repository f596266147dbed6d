/**
 * Derivative-structure enumeration speed: fcc binary, every labeling, sizes 1…12 (every size
 * separately and the total), structures per second, plus the Hart–Forcade-convention count
 * (both species used, A↔B once) for the same sizes. Run: npx tsx bench/enumerate.ts
 *
 * Reference: icet's enumerate_structures (pure Python on top of its C++ core) timed on the same
 * machine by bench/enumerate-icet.py when icet is installed (its results are stored in
 * bench/enumerate-icet.json); the ratio column is icet time / celt time for the same sizes.
 * Timings are wall-clock on a shared 2-core machine (noisy).
 */
import { existsSync, readFileSync } from 'node:fs';
import { countStructures, enumerateStructures, enumerationLattice } from '../src/generate/enumerate.ts';
import { Lattice } from '../src/structure/lattice.ts';
import { Species } from '../src/structure/species.ts';
import { Structure } from '../src/structure/structure.ts';

const prim = new Structure(new Lattice([[0, 2, 2], [2, 0, 2], [2, 2, 0]]), [
  { frac: [0, 0, 0], species: [{ species: Species.parse('Au'), occu: 0.5 }, { species: Species.parse('Cu'), occu: 0.5 }] },
]);
// symmetry analysis (moyo start-up included) once, outside the timings
const lat = enumerationLattice(prim);
const maxSize = Number(process.argv[2] ?? 12);
const refFile = new URL('./enumerate-icet.json', import.meta.url).pathname;
const ref = existsSync(refFile) ? (JSON.parse(readFileSync(refFile, 'utf8')) as { sizes: Record<string, { count: number; seconds: number }> }) : null;

console.log('fcc binary, every labeling (structures streamed by the generator, nothing written)');
console.log('size  structures   seconds   structures/s   icet s   icet/celt');
let total = 0, totalS = 0;
for (let n = 1; n <= maxSize; n++) {
  const t0 = performance.now();
  let c = 0;
  for (const _ of enumerateStructures(lat, { sizes: [n] })) c++;
  const s = (performance.now() - t0) / 1000;
  total += c;
  totalS += s;
  const r = ref?.sizes[String(n)];
  if (r && r.count !== c) throw new Error(`size ${n}: icet found ${r.count} structures, celt ${c}`);
  console.log(`${String(n).padStart(4)}  ${String(c).padStart(10)}  ${s.toFixed(3).padStart(8)}  ${(c / s).toFixed(0).padStart(13)}  ${r ? r.seconds.toFixed(2).padStart(7) : '      -'}  ${r ? (r.seconds / s).toFixed(1).padStart(9) : '        -'}`);
}
console.log(`total ${total} structures in ${totalS.toFixed(2)} s = ${(total / totalS).toFixed(0)} structures/s`);
const t0 = performance.now();
const hf = countStructures(lat, { sizes: Array.from({ length: maxSize - 1 }, (_, i) => i + 2), speciesSwaps: true, allSpeciesUsed: true });
console.log(`Hart–Forcade convention sizes 2…${maxSize}: ${hf.count} (${Object.values(hf.bySize).join(', ')}) in ${((performance.now() - t0) / 1000).toFixed(2)} s`);

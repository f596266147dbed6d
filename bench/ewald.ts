/**
 * Ewald matrix build for the lmo_drx prim (4 sites) on a 3,456-site supercell (864 prims, the
 * size of a 3×3×3 spinel supercell), plus energy and local-update costs.
 * Run: npx tsx bench/ewald.ts   (wall-clock is noisy on a shared machine; CPU time is steadier)
 */
import { readFileSync } from 'node:fs';
import type { Mat3 } from '../src/core/mat3.ts';
import { Rng } from '../src/core/rng.ts';
import { structureFromPymatgen } from '../src/structure/io/pymatgen.ts';
import { supercellSites } from '../src/structure/supercell.ts';
import { EwaldTerm } from '../src/space/ewald.ts';

const prim = structureFromPymatgen(JSON.parse(readFileSync(new URL('../test/fixtures/ewald/pymatgen_ewald.json', import.meta.url), 'utf8')).prim);
const cells: Array<[string, Mat3]> = [
  ['2×2×2 (32 sites)', [[2, 0, 0], [0, 2, 0], [0, 0, 2]]],
  ['6×6×6 (864 sites)', [[6, 0, 0], [0, 6, 0], [0, 0, 6]]],
  ['6×12×12 (3456 sites)', [[6, 0, 0], [0, 12, 0], [0, 0, 12]]],
  ['spinel-like cube 3×conv (3456 sites)', [[-6, 6, 6], [6, -6, 6], [6, 6, -6]]],
];
for (const [name, sc] of cells) {
  const sites = supercellSites(prim, sc);
  const c0 = process.cpuUsage();
  const t0 = performance.now();
  const term = EwaldTerm.build(prim, sc, sites);
  const t1 = performance.now();
  const cpu = process.cpuUsage(c0);
  const rng = new Rng(1);
  const codes = Int32Array.from(sites, (_, s) => rng.int(term.chargeTable[s]!.length));
  const q = term.chargesOf(codes);
  const t2 = performance.now();
  const e = term.energy(q);
  const t3 = performance.now();
  const reps = 2000;
  let acc = 0;
  for (let r = 0; r < reps; r++) {
    const s = rng.int(sites.length);
    acc += term.deltaFlip(s, q[s]!, term.chargeTable[s]![rng.int(term.chargeTable[s]!.length)]!, q);
  }
  const t4 = performance.now();
  console.log(`${name}: N=${sites.length} eta=${term.params.eta.toFixed(4)} rcut=${term.params.realSpaceCut.toFixed(2)} Å gcut=${term.params.recipSpaceCut.toFixed(2)} Å⁻¹`);
  console.log(`  build ${(t1 - t0).toFixed(0)} ms wall / ${((cpu.user + cpu.system) / 1000).toFixed(0)} ms CPU; full energy ${(t3 - t2).toFixed(2)} ms (E/prim=${(e / term.numPrims).toFixed(4)} eV); deltaFlip ${(((t4 - t3) / reps) * 1000).toFixed(1)} µs/call (${Number.isNaN(acc) ? 'nan' : 'ok'})`);
}

// Peer comparison: rocksalt MnO supercells (one species per site), same cells as
// bench/ewald-pymatgen.py; pymatgen EwaldSummation took 0.53 s (128 sites) and 6.8 s
// (432 sites) of CPU here, E/prim = -47.9319956997 eV.
{
  const { Structure } = await import('../src/structure/structure.ts');
  const { Species } = await import('../src/structure/species.ts');
  const mno = new Structure(prim.lattice, [
    { frac: prim.sites[2]!.frac, species: [{ species: Species.parse('Mn2+'), occu: 1 }] },
    { frac: prim.sites[3]!.frac, species: [{ species: Species.parse('O2-'), occu: 1 }] },
  ]);
  const peerCpu: Record<number, number> = { 4: 530, 6: 6800 };
  for (const n of [4, 6, 12]) {
    const sc: Mat3 = [[n, 0, 0], [0, n, 0], [0, 0, n]];
    const sites = supercellSites(mno, sc);
    const c0 = process.cpuUsage();
    const term = EwaldTerm.build(mno, sc, sites);
    const cpu = process.cpuUsage(c0);
    const ms = (cpu.user + cpu.system) / 1000;
    const peer = peerCpu[n];
    console.log(`MnO ${n}×${n}×${n} (${sites.length} sites): E/prim ${term.valuePerPrim(new Int32Array(sites.length)).toFixed(10)} eV, build ${ms.toFixed(0)} ms CPU${peer ? `; pymatgen ${peer} ms CPU (${(peer / ms).toFixed(0)}× slower)` : ''}`);
  }
}

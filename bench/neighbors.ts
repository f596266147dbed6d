/**
 * Neighbour search on a 10,000-site cell: a 10×10×25 supercell of a 4-site cubic cell
 * (a = 4.2 Å rocksalt conventional, sheared so the cell is not orthogonal), radii 3, 4.5, 6 Å.
 * Run: npx tsx bench/neighbors.ts
 */
import type { Mat3, Vec3 } from '../src/core/mat3.ts';
import { Rng } from '../src/core/rng.ts';
import { Lattice } from '../src/structure/lattice.ts';
import { findNeighbors } from '../src/structure/neighbors.ts';

const a = 4.2, na = 10, nb = 10, nc = 25;
const lattice = new Lattice([[a * na, 0, 0], [0.5 * a * na, a * nb, 0], [0.3 * a * nc, 0.2 * a * nc, a * nc]] as Mat3);
const basis: Vec3[] = [[0, 0, 0], [0.5, 0.5, 0], [0.5, 0, 0.5], [0, 0.5, 0.5]];
const rng = new Rng(7);
const fracs: Vec3[] = [];
for (let i = 0; i < na; i++) for (let j = 0; j < nb; j++) for (let k = 0; k < nc; k++) {
  for (const b of basis) fracs.push([(i + b[0] + 0.02 * rng.normal()) / na, (j + b[1] + 0.02 * rng.normal()) / nb, (k + b[2] + 0.02 * rng.normal()) / nc]);
}
console.log(`${fracs.length} sites`);
for (const r of [3, 4.5, 6]) {
  findNeighbors(lattice, fracs, r); // warm-up
  const t = performance.now();
  const nl = findNeighbors(lattice, fracs, r);
  const ms = performance.now() - t;
  console.log(`r = ${r} Å: ${nl.count} pairs (${(nl.count / fracs.length).toFixed(1)} per site) in ${ms.toFixed(0)} ms`);
}

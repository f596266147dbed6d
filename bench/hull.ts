/**
 * Convex hull over composition: built-in dense simplex vs HiGHS (WebAssembly, CPLEX-LP text)
 * as the LP backend of lowerHull, for 300 random points in 2–5 components, plus the
 * lmo_drx entries (638 points, 4 elements). Run: npx tsx bench/hull.ts
 * Timings are wall-clock on a shared 2-core machine (noisy); both backends must agree.
 */
import { Rng } from '../src/core/rng.ts';
import { lowerHull, type HullPoint } from '../src/thermo/hull.ts';
import { highsLP } from '../src/thermo/lp-highs.ts';
import { hullCoordinates, compositionFromValue } from '../src/thermo/composition.ts';
import { readJsonFile } from '../src/structure/io/read.ts';

function randomPoints(rng: Rng, n: number, d: number): HullPoint[] {
  const pts: HullPoint[] = [];
  for (let k = 0; k < d; k++) pts.push({ x: Array.from({ length: d }, (_, j) => (j === k ? 1 : 0)), e: 0 });
  while (pts.length < n) {
    // compositions on a 1/12 grid, energies with a convex-ish mixing term plus noise
    const w = Array.from({ length: d }, () => rng.int(13));
    const s = w.reduce((a, b) => a + b, 0);
    if (s === 0) continue;
    const x = w.map((v) => v / s);
    const mix = x.reduce((a, v) => a - v * (1 - v), 0);
    pts.push({ x, e: mix + 0.15 * rng.next() });
  }
  return pts;
}

const highs = await highsLP();
const rng = new Rng(3);
const sets: Array<[string, HullPoint[]]> = [];
for (const d of [2, 3, 4, 5]) sets.push([`300 random points, ${d} components`, randomPoints(rng, 300, d)]);
const lmo = readJsonFile(new URL('../data/lmo_drx/entries.json.gz', import.meta.url).pathname) as Array<{ composition: unknown; energy: number }>;
sets.push(['lmo_drx entries (638 points, F/Li/Mn/O)', hullCoordinates(lmo.map((e, i) => ({ id: i, composition: compositionFromValue(e.composition), energy: e.energy }))).points]);

for (const [name, pts] of sets) {
  const t0 = performance.now();
  const a = lowerHull(pts);
  const t1 = performance.now();
  const b = lowerHull(pts, { lp: highs });
  const t2 = performance.now();
  let maxDiff = 0;
  for (let i = 0; i < pts.length; i++) maxDiff = Math.max(maxDiff, Math.abs(a.eAboveHull[i]! - b.eAboveHull[i]!));
  const same = a.vertices.join() === b.vertices.join();
  console.log(`${name}: ${a.vertices.length} vertices; simplex ${(t1 - t0).toFixed(0)} ms, HiGHS ${(t2 - t1).toFixed(0)} ms (ratio ${((t2 - t1) / (t1 - t0)).toFixed(1)}×); same vertices: ${same}; max |Δ e_above_hull| = ${maxDiff.toExponential(1)}`);
}

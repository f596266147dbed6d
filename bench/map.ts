/**
 * Time mapping all 638 lmo_drx entries onto the DRX primitive cell (ltol 0.15, stol 0.20,
 * angle_tol 15°, size by O2-) in standard and anion-framework modes, against smol's 216 s
 * (≈0.68 s per mapped, 0.14 s per failed entry, as quoted in the tracker issue).
 * Run: npx tsx bench/map.ts
 */
import { readEntries, readStructureFile } from '../src/structure/io/read.ts';
import { MappingError } from '../src/core/errors.ts';
import { mapStructure, type MappingOptions } from '../src/structure/mapping.ts';

const DATA = new URL('../data/lmo_drx', import.meta.url).pathname;
const prim = readStructureFile(`${DATA}/prim.json`);
const entries = readEntries(`${DATA}/entries.json.gz`);
const SMOL_TOTAL = 216;

// warm-up (JIT) on a few entries in both modes, so the first timed mode is not penalized
for (const e of entries.slice(0, 30)) {
  for (const mode of ['standard', 'anion-framework'] as const) {
    try {
      if (e.entry) mapStructure(prim, e.entry.structure, { ltol: 0.15, stol: 0.2, angleTol: 15, supercellSize: 'O2-', mode });
    } catch {
      /* failures are timed below */
    }
  }
}

for (const mode of ['standard', 'anion-framework'] as const) {
  const opts: MappingOptions = { ltol: 0.15, stol: 0.2, angleTol: 15, supercellSize: 'O2-', mode };
  // per-entry timing, so mapped and failed entries can be averaged separately
  let tMapped = 0, tFailed = 0, nMapped = 0, nFailed = 0;
  const reasons = new Map<string, number>();
  const t0 = performance.now();
  const cpu0 = process.cpuUsage();
  for (const e of entries) {
    if (!e.entry) continue;
    const t = performance.now();
    let ok = true;
    try {
      mapStructure(prim, e.entry.structure, opts);
    } catch (e) {
      if (!(e instanceof MappingError)) throw e;
      ok = false;
      reasons.set(e.reason, (reasons.get(e.reason) ?? 0) + 1);
    }
    const dt = (performance.now() - t) / 1000;
    if (ok) { tMapped += dt; nMapped++; } else { tFailed += dt; nFailed++; }
  }
  const total = (performance.now() - t0) / 1000;
  const cpu = process.cpuUsage(cpu0);
  const cpuSeconds = (cpu.user + cpu.system) / 1e6;
  console.log(`${mode}: mapped ${nMapped} / ${entries.length}, total ${total.toFixed(2)} s wall, ${cpuSeconds.toFixed(2)} s CPU (wall time is noisy on a shared machine)`);
  console.log(`  per mapped entry ${(tMapped / Math.max(1, nMapped) * 1000).toFixed(1)} ms, per failed entry ${(tFailed / Math.max(1, nFailed) * 1000).toFixed(1)} ms`);
  console.log(`  skipped by reason: ${[...reasons].map(([r, n]) => `${r} ${n}`).join(', ')}`);
  console.log(`  smol: 0.68 s per mapped, 0.14 s per failed entry`);
  console.log(`  speed-up vs smol's ${SMOL_TOTAL} s: ${(SMOL_TOTAL / total).toFixed(1)}×`);
}

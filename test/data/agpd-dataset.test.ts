/**
 * agpd_fcc as a complete dataset (prim + entries + celt.json): its energies are sparse-lm's
 * energy.npy, its cluster space has the orbit counts of sparse-lm's corr.npy, the DFT hull has
 * the ground states a brute-force hull over energy.npy finds (test/fixtures/workflow/agpd_hull.json),
 * and `celt run` goes through on it.
 */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { mkdtempSync, readFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { parseNpy } from '../../src/data/npy.ts';
import { ClusterSpace } from '../../src/space/cluster-space.ts';
import { readEntries, readStructureFile } from '../../src/structure/io/read.ts';
import { DATA_DIR } from '../data-dir.ts';

const MAIN = new URL('../../src/cli/main.ts', import.meta.url).pathname;
const run = (args: string[]) => spawnSync(process.execPath, ['--import', 'tsx', MAIN, ...args], { encoding: 'utf8' });
const DIR = join(DATA_DIR, 'agpd_fcc');
const config = JSON.parse(readFileSync(join(DIR, 'celt.json'), 'utf8')) as { space: { cutoffs: Record<string, number> } };

test('agpd_fcc entries carry energy.npy (eV/atom) times the atom count', () => {
  const perAtom = parseNpy(readFileSync(join(DIR, 'energy.npy'))).data;
  const entries = readEntries(join(DIR, 'entries.json.gz'));
  assert.equal(entries.length, perAtom.length);
  entries.forEach((r, i) => {
    assert.ok(r.entry, r.error?.describe());
    assert.ok(Math.abs(r.entry.energy / r.entry.structure.numSites - perAtom[i]!) < 1e-12, `entry ${i}`);
  });
});

test("celt.json's cutoffs give corr.npy's orbits: 1 point, then pairs, triplets, quadruplets as its pure-Pd row shows", () => {
  // For pure Pd every ±1 cluster function is (−1)^size, so the sign pattern of corr.npy's row 1
  // reads off how many columns each cluster size has.
  const corr = parseNpy(readFileSync(join(DIR, 'corr.npy')));
  const p = corr.shape[1]!;
  const bySize = new Map<number, number>();
  let size = 1;
  for (let j = 0; j < p; j++) {
    const sign = Math.sign(corr.data[p + j]!);
    if (sign !== (size % 2 ? -1 : 1)) size++;
    bySize.set(size, (bySize.get(size) ?? 0) + 1);
  }
  assert.deepEqual([...bySize], [[1, 1], [2, 10], [3, 20], [4, 35]]);
  const cutoffs = new Map(Object.entries(config.space.cutoffs).map(([k, v]) => [Number(k), v]));
  const space = ClusterSpace.build(readStructureFile(join(DIR, 'prim.json')), cutoffs);
  const counts = new Map<number, number>();
  for (const o of space.orbits) counts.set(o.size, (counts.get(o.size) ?? 0) + o.functions.length);
  assert.deepEqual([...counts], [...bySize]);
});

test('celt hull finds the brute-force DFT ground states; celt run completes on the dataset', () => {
  const ref = JSON.parse(readFileSync(resolve(import.meta.dirname, '../fixtures/workflow/agpd_hull.json'), 'utf8')) as { dft_vertices: number[] };
  const h = run(['hull', '--data', join(DIR, 'entries.json.gz'), '--json']);
  assert.equal(h.status, 0, h.stderr);
  const hull = JSON.parse(h.stdout) as { groundStates: string[] };
  const ids = hull.groundStates.map((id) => Number(id.replace('agpd-', ''))).sort((a, b) => a - b);
  assert.deepEqual(ids, [...ref.dft_vertices].sort((a, b) => a - b));
  const out = mkdtempSync(join(tmpdir(), 'celt-agpd-run-'));
  const r = run(['run', join(DIR, 'celt.json'), '--out', out]);
  assert.equal(r.status, 0, r.stderr);
  const summary = JSON.parse(readFileSync(join(out, 'summary.json'), 'utf8'));
  assert.equal(summary.dataset.mapped, 290);
  const hullIds = [...summary.hull.matched, ...summary.hull.missing].map((s: string) => Number(s.split(' ')[0]!.replace('agpd-', ''))).sort((a: number, b: number) => a - b);
  assert.deepEqual(hullIds, [...ref.dft_vertices].sort((a, b) => a - b));
});

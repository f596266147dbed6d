/**
 * All 638 lmo_drx entries against the pymatgen/smol fixture (test/fixtures/structure/
 * make_lmo_mapping.py): mapped or not, supercell size and per-sublattice species counts, entry
 * by entry; totals 238 (standard, as smol's documentation) and 324 (anion-framework, seed 001's
 * mode: a superset of the standard mapping).
 */
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { test } from 'node:test';
import { MappingError } from '../../src/core/errors.ts';
import { det3 } from '../../src/core/mat3.ts';
import { readEntries, readStructureFile } from '../../src/structure/io/read.ts';
import { type MappedStructure, type MappingOptions, mapStructure, supercellSites } from '../../src/structure/mapping.ts';
import { DATA_DIR } from '../data-dir.ts';

const prim = readStructureFile(`${DATA_DIR}/lmo_drx/prim.json`);
const entries = readEntries(`${DATA_DIR}/lmo_drx/entries.json.gz`);
const ref = JSON.parse(readFileSync(new URL('../fixtures/structure/lmo_mapping_reference.json', import.meta.url), 'utf8')) as {
  numMapped: number;
  entries: { entry: number; mapped: boolean; size?: number; classCounts?: Record<string, Record<string, number>> }[];
};
const OPTS: MappingOptions = { ltol: 0.15, stol: 0.2, angleTol: 15, supercellSize: 'O2-' };
const classOf = (p: number) => prim.allowedSpecies(p).map((s) => s.key).join(',');

function tryMap(i: number, mode: 'standard' | 'anion-framework'): MappedStructure | null {
  try {
    return mapStructure(prim, entries[i]!.entry!.structure, { ...OPTS, mode });
  } catch (e) {
    if (e instanceof MappingError) return null;
    throw e;
  }
}

const standard = entries.map((_, i) => tryMap(i, 'standard'));

test('standard mode: every one of the 638 entries agrees with pymatgen/smol (mapped, size, sublattice counts); 238 mapped', () => {
  assert.equal(entries.length, 638);
  assert.equal(ref.entries.length, 638);
  for (const [i, got] of standard.entries()) {
    const want = ref.entries[i]!;
    assert.equal(want.entry, i);
    assert.equal(got !== null, want.mapped, `entry ${i}: mapped`);
    if (!got) continue;
    assert.equal(Math.abs(Math.round(det3(got.scMatrix))), want.size, `entry ${i}: supercell size`);
    const counts: Record<string, Record<string, number>> = {};
    supercellSites(prim, got.scMatrix).forEach((s, k) => {
      const c = (counts[classOf(s.primSite)] ??= {});
      c[got.occupancy[k]!.key] = (c[got.occupancy[k]!.key] ?? 0) + 1;
    });
    assert.deepEqual(counts, want.classCounts, `entry ${i}: sublattice counts`);
  }
  assert.equal(standard.filter((m) => m).length, 238);
  assert.equal(ref.numMapped, 238);
});

test('anion-framework mode maps 324 of 638, a superset of the standard mode', () => {
  let n = 0;
  for (let i = 0; i < entries.length; i++) {
    const got = tryMap(i, 'anion-framework');
    if (got) n++;
    else assert.equal(standard[i], null, `entry ${i}: standard maps but anion-framework does not`);
  }
  assert.equal(n, 324);
});

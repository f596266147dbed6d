/**
 * Issue 19 items 1–2 against a peer: the oxyfluoride prim (lmo_drx's prim with its anion site
 * allowed O2-/F-), lmo_drx's F-containing entries mapped with the supercell counted by both
 * anions, and their sinusoid correlation vectors equal smol 0.5.5's (fixture:
 * test/fixtures/space/make_smol_oxyfluoride.py): the orbits in the same order with the same size,
 * diameter and multiplicity, and within each orbit the same functions. Within an orbit whose base
 * cluster has inequivalent sites, smol orders the decorations by the site order in which its
 * neighbour search first met the cluster, celt by its canonical (sorted) base cluster, so there
 * the functions may come in another order: the test finds the one-to-one match, and counts it.
 * Shuffling the species order of every site in the prim file changes nothing.
 */
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { test } from 'node:test';
import { gunzipSync } from 'node:zlib';
import { EvaluatorCache, occupancyCodes } from '../../src/data/training-set.ts';
import { ClusterSpace } from '../../src/space/cluster-space.ts';
import { cutoffsFromObject } from '../../src/space/cutoffs.ts';
import { entryFromPymatgen, structureFromPymatgen } from '../../src/structure/io/pymatgen.ts';
import { mapStructure } from '../../src/structure/mapping.ts';
import { DATA_DIR } from '../data-dir.ts';

interface Fixture {
  cutoffs: Record<string, number>;
  tolerances: { ltol: number; stol: number; angle_tol: number };
  n_functions: number;
  functions: { orbit: number; size: number; diameter: number; multiplicity: number }[];
  entries: { index: number; corr: number[] }[];
}
const fx = JSON.parse(readFileSync(new URL('../fixtures/space/smol_oxyfluoride.json', import.meta.url), 'utf8')) as Fixture;
const raw = JSON.parse(gunzipSync(readFileSync(join(DATA_DIR, 'lmo_drx/entries.json.gz'))).toString()) as unknown[];

type SiteDict = { species: Record<string, unknown>[]; label: string };
function oxyfluoridePrimDict(shuffle: boolean): { sites: SiteDict[] } {
  const d = JSON.parse(readFileSync(join(DATA_DIR, 'lmo_drx/prim.json'), 'utf8')) as { sites: SiteDict[] };
  const anion = d.sites.find((s) => s.label === 'O2-')!;
  anion.species = [{ element: 'O', oxidation_state: -2, occu: 0.5 }, { element: 'F', oxidation_state: -1, occu: 0.5 }];
  if (shuffle) for (const s of d.sites) s.species.reverse();
  return d;
}

function correlationRows(shuffle: boolean): { space: ClusterSpace; rows: Float64Array[] } {
  const prim = structureFromPymatgen(oxyfluoridePrimDict(shuffle));
  const cutoffs = cutoffsFromObject(Object.fromEntries(Object.entries(fx.cutoffs).map(([k, v]) => [Number(k), v])));
  const space = ClusterSpace.build(prim, cutoffs, { basis: 'sinusoid' });
  assert.equal(space.nCorrelations, fx.n_functions, 'function count equals smol');
  const cache = new EvaluatorCache(space);
  const tol = { ltol: fx.tolerances.ltol, stol: fx.tolerances.stol, angleTol: fx.tolerances.angle_tol };
  const rows = fx.entries.map(({ index }) => {
    const m = mapStructure(prim, entryFromPymatgen(raw[index]).structure, { ...tol, supercellSize: 'O2-,F-' });
    return cache.features(m.scMatrix, occupancyCodes(space, m.scMatrix, m.occupancy.map((s) => s.key)));
  });
  return { space, rows };
}

const TOL = 1e-10;

test(`oxyfluoride correlation vectors of ${fx.entries.length} F-containing lmo_drx entries equal smol 0.5.5's, orbit by orbit`, (t) => {
  const { space, rows } = correlationRows(false);
  const orbits = space.orbitTable();
  const smolOrbits = [...new Set(fx.functions.map((f) => f.orbit))];
  assert.equal(orbits.length, smolOrbits.length, 'orbit count');
  let reordered = 0;
  const reorderedOrbits = new Set<number>();
  let col = 1; // column 0 is the constant (1 in both)
  for (const [k, o] of orbits.entries()) {
    const theirs = fx.functions.filter((f) => f.orbit === smolOrbits[k]);
    assert.deepEqual([o.size, +o.diameter.toFixed(6), o.multiplicity, o.nFunctions], [theirs[0]!.size, theirs[0]!.diameter, theirs[0]!.multiplicity, theirs.length], `orbit ${o.id}`);
    // one-to-one match of this orbit's columns by their values over all entries
    const used = new Set<number>();
    for (let a = 0; a < o.nFunctions; a++) {
      const b = Array.from({ length: o.nFunctions }, (_, t) => t).find((t) => !used.has(t) && rows.every((row, r) => Math.abs(row[col + t]! - fx.entries[r]!.corr[col + a]!) < TOL));
      assert.ok(b !== undefined, `orbit ${o.id}: smol function ${col + a} has no equal celt column`);
      used.add(b);
      if (b !== a) {
        reordered++;
        reorderedOrbits.add(o.id);
      }
    }
    col += o.nFunctions;
  }
  assert.equal(col, fx.n_functions);
  t.diagnostic(`${reordered} functions of ${reorderedOrbits.size} orbits come in another order within their orbit`);
});

test('reversing the species order of every prim site leaves the oxyfluoride features unchanged', () => {
  const a = correlationRows(false).rows;
  const b = correlationRows(true).rows;
  a.forEach((row, r) => assert.deepEqual(Array.from(b[r]!), Array.from(row)));
});

/** Starting states: --composition with SPECIES@k, shared remainders, and the errors for impossible ones. */
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { test } from 'node:test';
import { OptionError } from '../../src/core/errors.ts';
import { Rng } from '../../src/core/rng.ts';
import { compositionCounts, parseComposition, randomOccupancy } from '../../src/mc/init.ts';
import { parseSupercell } from '../../src/structure/supercell.ts';
import { Layout } from '../../src/mc/state.ts';
import { ClusterSpace } from '../../src/space/cluster-space.ts';
import { parseCutoffs } from '../../src/space/cutoffs.ts';
import { structureFromPymatgen } from '../../src/structure/io/pymatgen.ts';
import { DATA_DIR } from '../data-dir.ts';

const prim = structureFromPymatgen(JSON.parse(readFileSync(`${DATA_DIR}/lmo_drx/prim.json`, 'utf8')));
const space = ClusterSpace.build(prim, parseCutoffs('2:3'), {});
const layout = new Layout(space, parseSupercell('2 0 0,0 2 0,0 0 1'));

test('composition by sublattice: SPECIES@k targets one sublattice, SPECIES alone every sublattice holding it, the rest is shared', () => {
  // tetrahedral sublattice 0: 8 sites {Li+, Mn2+, Vac}; octahedral 1: 4 sites {Li+, Mn2+, Mn3+, Mn4+, Vac}
  assert.deepEqual(layout.sublattices.map((s) => s.sites.length), [8, 4]);
  const c = compositionCounts(layout, parseComposition('Li+=0.25,Vacancy@0=0.75,Mn3+@1=0.5,Mn4+@1=0.25'));
  assert.deepEqual(Array.from(c), [2, 0, 6, 1, 0, 2, 1, 0]);
  const codes = randomOccupancy(layout, c, new Rng(1));
  const got = new Int32Array(layout.nSlots);
  for (const i of layout.activeSites) got[layout.slotOf(i, codes[i]!)]!++;
  assert.deepEqual(got, c);
});

test('compositions the supercell cannot hold, or that name absent species, are refused naming --composition', () => {
  const bad = ['Li+@1=0.3', 'Zn2+=0.5', 'Li+@0=0.5,Mn2+@0=0.75', 'Li+=1.5'];
  for (const b of bad) {
    assert.throws(() => compositionCounts(layout, parseComposition(b)), (e: unknown) => e instanceof OptionError && e.location.field === 'composition', b);
  }
  assert.throws(() => parseSupercell('1 2,3'), (e: unknown) => e instanceof OptionError && e.location.field === 'supercell');
});

/**
 * Supercell size on a mixed-anion sublattice (issue 19 item 2): the oxyfluoride prim is the
 * embedded lmo_drx prim with its anion site allowed O2-/F- (seed 001's Li–Mn–O–F system), the
 * entries are lmo_drx's F-containing structures. The prim has one anion site per cell, so by hand
 * a mapped structure spans exactly (#O + #F) cells: |det scMatrix| = #O + #F.
 */
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { test } from 'node:test';
import { gunzipSync } from 'node:zlib';
import { MappingError, OptionError } from '../../src/core/errors.ts';
import { det3 } from '../../src/core/mat3.ts';
import { entryFromPymatgen, structureFromPymatgen } from '../../src/structure/io/pymatgen.ts';
import { mapStructure } from '../../src/structure/mapping.ts';
import { Structure } from '../../src/structure/structure.ts';
import { ClusterSpace } from '../../src/space/cluster-space.ts';
import { cutoffsFromObject } from '../../src/space/cutoffs.ts';
import { DATA_DIR } from '../data-dir.ts';

const OPTS = { ltol: 0.15, stol: 0.2, angleTol: 15 };
const primDict = JSON.parse(readFileSync(join(DATA_DIR, 'lmo_drx/prim.json'), 'utf8')) as { sites: Array<{ species: unknown[]; label: string }> };
const oxidePrim = structureFromPymatgen(primDict);
const anion = primDict.sites.findIndex((s) => s.label === 'O2-');
primDict.sites[anion]!.species = [{ element: 'O', oxidation_state: -2, occu: 0.5 }, { element: 'F', oxidation_state: -1, occu: 0.5 }];
const oxyfluoride = structureFromPymatgen(primDict);
const raw = JSON.parse(gunzipSync(readFileSync(join(DATA_DIR, 'lmo_drx/entries.json.gz'))).toString()) as unknown[];
const withF = raw.map((d) => entryFromPymatgen(d).structure).filter((s) => s.composition().has('F-'));

function reason(f: () => unknown): string {
  try {
    f();
    return 'mapped';
  } catch (e) {
    if (e instanceof MappingError) return e.reason;
    throw e;
  }
}

test(`lmo_drx F-containing entries map onto the oxyfluoride prim with supercellSize 'O2-,F-', spanning #O + #F cells`, () => {
  assert.equal(withF.length, 287, 'the F-containing lmo_drx entries');
  let mapped = 0;
  for (const s of withF) {
    assert.equal(reason(() => mapStructure(oxidePrim, s, { ...OPTS, supercellSize: 'O2-' })), 'species-not-allowed', 'no F site in the oxide prim');
    let m: ReturnType<typeof mapStructure>;
    try {
      m = mapStructure(oxyfluoride, s, { ...OPTS, supercellSize: 'O2-,F-' });
    } catch (e) {
      if (e instanceof MappingError) continue;
      throw e;
    }
    mapped++;
    const anions = (s.composition().get('O2-') ?? 0) + (s.composition().get('F-') ?? 0);
    assert.equal(Math.round(Math.abs(det3(m.scMatrix))), anions);
    assert.equal(m.occupancy.filter((sp) => sp.key === 'F-').length, s.composition().get('F-'), 'every F on the lattice');
  }
  // 133 of 287 map at the workflow's default tolerances (measured; the rest are distorted past stol).
  assert.ok(mapped >= 100, `${mapped} of ${withF.length} mapped`);
});

test(`one species of a shared site is refused up front with the list to use; a vacancy-able site too`, () => {
  assert.throws(() => mapStructure(oxyfluoride, withF[0]!, { ...OPTS, supercellSize: 'O2-' }), (e) => e instanceof OptionError && /O2- shares its site with F-.*'O2-,F-'/.test(e.message));
  assert.throws(() => mapStructure(oxyfluoride, withF[0]!, { ...OPTS, supercellSize: 'Li+' }), (e) => e instanceof OptionError && /Li\+ shares its site with Mn2\+/.test(e.message));
  assert.throws(() => mapStructure(oxyfluoride, withF[0]!, { ...OPTS, supercellSize: 'O2-,O2-' }), (e) => e instanceof OptionError && /twice/.test(e.message));
  assert.throws(() => mapStructure(oxyfluoride, withF[0]!, { ...OPTS, supercellSize: 'O2-,Cl-' }), (e) => e instanceof OptionError && /'Cl-' is not in the primitive cell/.test(e.message));
});

test(`a structure without any of the counted species is a size-mismatch`, () => {
  const s = withF[0]!;
  const li = new Structure(s.lattice, s.sites.filter((x) => x.species[0]!.species.key === 'Li+'));
  assert.ok(li.numSites > 0);
  assert.equal(reason(() => mapStructure(oxyfluoride, li, { ...OPTS, supercellSize: 'O2-,F-' })), 'size-mismatch');
});

test('seed 001: the oxyfluoride space with pairs 7 Å, triplets 5 Å, quadruplets 4 Å, quintuplets 3 Å has 4587 correlation functions', () => {
  // "the correlation vector for a given structure has length 4587" (seed 001, Methods; 4588 with Ewald)
  const space = ClusterSpace.build(oxyfluoride, cutoffsFromObject({ 2: 7, 3: 5, 4: 4, 5: 3 }), { basis: 'sinusoid' });
  assert.equal(space.nCorrelations, 4587);
});

import { test } from 'node:test';
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { type Mat3, type Vec3, det3, inv3, mul3, vecMul3 } from '../../src/core/mat3.ts';
import { MappingError } from '../../src/core/errors.ts';
import { Rng } from '../../src/core/rng.ts';
import { readEntries, readStructureFile } from '../../src/structure/io/read.ts';
import { Lattice } from '../../src/structure/lattice.ts';
import { mapStructure, supercellSites, type MappingOptions } from '../../src/structure/mapping.ts';
import { findNeighbors } from '../../src/structure/neighbors.ts';
import { Species } from '../../src/structure/species.ts';
import { Structure, type Site } from '../../src/structure/structure.ts';
import { DATA_DIR } from '../data-dir.ts';

const DATA = `${DATA_DIR}/lmo_drx`;
const prim = readStructureFile(`${DATA}/prim.json`);
const entries = readEntries(`${DATA}/entries.json.gz`);
const ref = JSON.parse(readFileSync(new URL('../fixtures/structure/lmo_mapping_reference.json', import.meta.url), 'utf8')) as {
  entries: { entry: number; mapped: boolean; size?: number; classCounts?: Record<string, Record<string, number>> }[];
};
const OPTS: MappingOptions = { ltol: 0.15, stol: 0.2, angleTol: 15, supercellSize: 'O2-' };
const classOf = (p: number) => prim.allowedSpecies(p).map((s) => s.key).join(',');

function structureOf(i: number): Structure {
  const e = entries[i]!;
  if (!e.entry) throw new Error(`entry ${i} did not load`);
  return e.entry.structure;
}

function classCounts(scMatrix: Mat3, occ: Species[]): Record<string, Record<string, number>> {
  const out: Record<string, Record<string, number>> = {};
  supercellSites(prim, scMatrix).forEach((s, k) => {
    const c = (out[classOf(s.primSite)] ??= {});
    c[occ[k]!.key] = (c[occ[k]!.key] ?? 0) + 1;
  });
  return out;
}

function composition(occ: Species[]): Map<string, number> {
  const m = new Map<string, number>();
  for (const s of occ) if (!s.isVacancy) m.set(s.key, (m.get(s.key) ?? 0) + 1);
  return m;
}

const sortedMap = (m: Map<string, number>) => [...m].sort((a, b) => a[0].localeCompare(b[0]));

// 40 entries spread over the list (every 16th), a mix of mapped and unmapped in pymatgen
const SUBSET = Array.from({ length: 40 }, (_, k) => k * 16);

test('standard mode agrees with pymatgen/smol (fixture) on 40 lmo_drx entries: mapped or not, size, per-sublattice counts', () => {
  let mappedHere = 0;
  for (const i of SUBSET) {
    const want = ref.entries[i]!;
    let got: ReturnType<typeof mapStructure> | null = null;
    try {
      got = mapStructure(prim, structureOf(i), OPTS);
    } catch (e) {
      if (!(e instanceof MappingError)) throw e;
    }
    assert.equal(got !== null, want.mapped, `entry ${i}: mapped`);
    if (!got) continue;
    mappedHere++;
    assert.equal(Math.abs(Math.round(det3(got.scMatrix))), want.size, `entry ${i}: supercell size`);
    assert.deepEqual(classCounts(got.scMatrix, got.occupancy), want.classCounts, `entry ${i}: sublattice counts`);
  }
  assert.ok(mappedHere >= 10 && mappedHere <= 30, `subset should mix mapped and unmapped (${mappedHere} mapped)`);
});

test('every mapped entry (both modes) has the entry composition; anion-framework maps a superset here', () => {
  let std = 0, anion = 0;
  for (const i of SUBSET) {
    const s = structureOf(i);
    const comp = sortedMap(s.composition());
    let stdOk = false;
    for (const mode of ['standard', 'anion-framework'] as const) {
      try {
        const m = mapStructure(prim, s, { ...OPTS, mode });
        assert.equal(m.occupancy.length, prim.numSites * Math.abs(Math.round(det3(m.scMatrix))));
        assert.deepEqual(sortedMap(composition(m.occupancy)), comp, `entry ${i} ${mode}`);
        m.occupancy.forEach((sp, k) => assert.ok(prim.allowedSpecies(Math.floor(k / (m.occupancy.length / prim.numSites))).some((a) => a.key === sp.key)));
        if (mode === 'standard') { std++; stdOk = true; } else anion++;
      } catch (e) {
        if (!(e instanceof MappingError)) throw e;
        assert.ok(!(mode === 'anion-framework' && stdOk), `entry ${i}: standard maps but anion-framework does not (${e.message})`);
      }
    }
  }
  assert.ok(anion > std, `anion-framework ${anion} vs standard ${std}`);
});

/** Multiset of (species, species, distance) pairs within r: invariant under basis choice and rigid motion. */
function fingerprint(s: Structure, r = 3.2): string[] {
  const nl = findNeighbors(s.lattice, s.sites.map((x) => x.frac), r);
  const out: string[] = [];
  for (let k = 0; k < nl.count; k++) {
    out.push(`${s.sites[nl.center[k]!]!.species[0]!.species.key}-${s.sites[nl.neighbor[k]!]!.species[0]!.species.key}@${nl.distance[k]!.toFixed(2)}`);
  }
  return out.sort();
}

function orderedFrom(scMatrix: Mat3, occ: Species[]): Structure {
  const lattice = prim.lattice.supercell(scMatrix);
  const sites: Site[] = [];
  supercellSites(prim, scMatrix).forEach((s, k) => {
    if (!occ[k]!.isVacancy) sites.push({ frac: s.frac, species: [{ species: occ[k]!, occu: 1 }] });
  });
  return new Structure(lattice, sites);
}

test('mapped configurations equal pymatgen/smol ones (pair fingerprints within 3.2 Å of the decorated ideal supercell)', () => {
  const fp = JSON.parse(readFileSync(new URL('../fixtures/structure/lmo_fingerprints_reference.json', import.meta.url), 'utf8')) as Record<string, Record<string, number>>;
  assert.ok(Object.keys(fp).length >= 10);
  for (const [k, want] of Object.entries(fp)) {
    const m = mapStructure(prim, structureOf(Number(k)), OPTS);
    const counts: Record<string, number> = {};
    for (const key of fingerprint(orderedFrom(m.scMatrix, m.occupancy))) counts[key] = (counts[key] ?? 0) + 1;
    assert.deepEqual(counts, want, `entry ${k}`);
  }
});

test('ideal decorated supercells map back to an equivalent configuration (same pair fingerprint), any basis', () => {
  const rng = new Rng(42);
  const mats: Mat3[] = [[[2, 0, 0], [0, 2, 0], [0, 0, 2]], [[1, -1, 1], [1, 1, -1], [-1, 1, 1]], [[3, 1, 0], [0, 1, 2], [1, 0, 1]]];
  for (const m of mats) {
    const sites = supercellSites(prim, m);
    const occ = sites.map((s) => {
      const allowed = prim.allowedSpecies(s.primSite);
      return allowed[rng.int(allowed.length)]!;
    });
    const ideal = orderedFrom(m, occ);
    // same structure in another basis, rigidly rotated, with small seeded displacements
    const u: Mat3 = [[1, 1, 0], [0, 1, 0], [1, 0, 1]];
    const th = 0.3, rot: Mat3 = [[Math.cos(th), -Math.sin(th), 0], [Math.sin(th), Math.cos(th), 0], [0, 0, 1]];
    const newLat = new Lattice(mul3(mul3(u, ideal.lattice.matrix), rot));
    const uInv = inv3(u);
    const moved = new Structure(newLat, ideal.sites.map((s) => {
      const f = vecMul3(s.frac, uInv);
      const c = newLat.fracToCart(f).map((x) => x + 0.02 * rng.normal()) as Vec3;
      return { frac: newLat.cartToFrac(c), species: s.species };
    }));
    for (const mode of ['standard', 'anion-framework'] as const) {
      const got = mapStructure(prim, moved, { ...OPTS, mode });
      assert.equal(Math.abs(Math.round(det3(got.scMatrix))), Math.abs(Math.round(det3(m))));
      assert.deepEqual(fingerprint(orderedFrom(got.scMatrix, got.occupancy)), fingerprint(ideal), `${mode}, M=${JSON.stringify(m)}`);
      assert.ok(got.maxDisplacement < 0.1, `max displacement ${got.maxDisplacement}`);
    }
  }
});

test('supercell-choice invariance on a relaxed entry: a re-based copy and a doubled copy map consistently', () => {
  const i = SUBSET.find((k) => ref.entries[k]!.mapped)!;
  const s = structureOf(i);
  const base = mapStructure(prim, s, OPTS);
  const baseCounts = classCounts(base.scMatrix, base.occupancy);
  const u: Mat3 = [[1, 0, 1], [0, 1, 0], [-1, 1, 0]];
  const rebased = new Structure(new Lattice(mul3(u, s.lattice.matrix)), s.sites.map((x) => ({ frac: vecMul3(x.frac, inv3(u)), species: x.species })));
  const r = mapStructure(prim, rebased, OPTS);
  assert.deepEqual(classCounts(r.scMatrix, r.occupancy), baseCounts);
  assert.ok(Math.abs(r.maxDisplacement - base.maxDisplacement) < 1e-6, `${r.maxDisplacement} vs ${base.maxDisplacement}`);
  assert.deepEqual(fingerprint(orderedFrom(r.scMatrix, r.occupancy)), fingerprint(orderedFrom(base.scMatrix, base.occupancy)));
  // a left-handed description (two axes swapped) is the same crystal
  const swapped = new Structure(new Lattice([s.lattice.matrix[1], s.lattice.matrix[0], s.lattice.matrix[2]]), s.sites.map((x) => ({ frac: [x.frac[1], x.frac[0], x.frac[2]] as Vec3, species: x.species })));
  const sw = mapStructure(prim, swapped, OPTS);
  assert.deepEqual(classCounts(sw.scMatrix, sw.occupancy), baseCounts);
  assert.ok(Math.abs(sw.maxDisplacement - base.maxDisplacement) < 1e-6, `${sw.maxDisplacement} vs ${base.maxDisplacement}`);
  // doubled along a: every sublattice count doubles
  const doubled = new Structure(new Lattice(mul3([[2, 0, 0], [0, 1, 0], [0, 0, 1]], s.lattice.matrix)), s.sites.flatMap((x) => [0, 1].map((k) => ({ frac: [(x.frac[0] + k) / 2, x.frac[1], x.frac[2]] as Vec3, species: x.species }))));
  const d = mapStructure(prim, doubled, OPTS);
  const dc = classCounts(d.scMatrix, d.occupancy);
  for (const [cls, counts] of Object.entries(baseCounts)) {
    for (const [sp, n] of Object.entries(counts)) assert.equal(dc[cls]![sp], 2 * n, `${cls} ${sp}`);
  }
});

test('failures carry reasons: foreign species, size, lattice, displaced site, disallowed site', () => {
  const fail = (s: Structure, opts: MappingOptions = OPTS) => {
    try {
      mapStructure(prim, s, opts);
    } catch (e) {
      if (e instanceof MappingError) return e.reason;
      throw e;
    }
    return 'mapped';
  };
  const f = SUBSET.find((k) => structureOf(k).composition().has('F-'))!;
  assert.equal(fail(structureOf(f)), 'species-not-allowed');
  const i = SUBSET.find((k) => ref.entries[k]!.mapped)!;
  const s = structureOf(i);
  assert.equal(fail(s, { ...OPTS, supercellSize: 1 }), 'size-mismatch');
  // a simple-cubic LiO cell of one fcc-primitive volume: no three fcc lattice vectors of about
  // that length are mutually perpendicular (nearest-neighbour vectors meet at 60/90/120°)
  const c = Math.cbrt(prim.lattice.volume);
  const cubic = new Structure(new Lattice([[c, 0, 0], [0, c, 0], [0, 0, c]]), [
    { frac: [0, 0, 0], species: [{ species: Species.parse('Li+'), occu: 1 }] },
    { frac: [0.5, 0.5, 0.5], species: [{ species: Species.parse('O2-'), occu: 1 }] },
  ]);
  assert.equal(fail(cubic), 'no-lattice-match');
  // move one atom far from any lattice site (to the middle between a tet and an oct site, ~0.9 Å)
  const oct = prim.lattice.fracToCart([0, 0, 0]), tet = prim.lattice.fracToCart([0.25, 0.25, 0.25]);
  const half: Vec3 = [(tet[0] - oct[0]) / 2, (tet[1] - oct[1]) / 2, (tet[2] - oct[2]) / 2];
  const displaced = new Structure(s.lattice, s.sites.map((x, k) => {
    if (k !== 0) return x;
    const c = s.lattice.fracToCart(x.frac);
    return { ...x, frac: s.lattice.cartToFrac([c[0] + half[0], c[1] + half[1], c[2] + half[2]]) };
  }));
  assert.equal(fail(displaced), 'site-outside-tolerance');
  // an ideal cell with Mn3+ on a tetrahedral site (allowed: Li+, Mn2+ only)
  const m: Mat3 = [[1, 0, 0], [0, 1, 0], [0, 0, 1]];
  const bad = orderedFrom(m, [Species.parse('Mn3+'), Species.VACANCY, Species.parse('Li+'), Species.parse('O2-')]);
  assert.equal(fail(bad), 'species-not-allowed');
  assert.equal(fail(bad, { ...OPTS, mode: 'anion-framework' }), 'species-not-allowed');
});

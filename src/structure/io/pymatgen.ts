/**
 * pymatgen JSON: `Structure.as_dict()` and `ComputedStructureEntry.as_dict()`, with oxidation
 * states and partial occupancies. Reading validates every field and names the entry and field
 * of the first problem.
 */
import { InputError } from '../../core/errors.ts';
import type { Mat3, Vec3 } from '../../core/mat3.ts';
import { Lattice } from '../lattice.ts';
import { Species, type SpeciesOccupancy } from '../species.ts';
import { checkSites } from '../neighbors.ts';
import { Structure, type Site } from '../structure.ts';

type Json = Record<string, unknown>;

function isObj(v: unknown): v is Json {
  return typeof v === 'object' && v !== null && !Array.isArray(v);
}

function vec3(v: unknown, field: string): Vec3 {
  if (!Array.isArray(v) || v.length !== 3 || v.some((x) => typeof x !== 'number' || !Number.isFinite(x))) {
    throw new InputError('expected three finite numbers', { field });
  }
  return [v[0], v[1], v[2]];
}

export function structureFromPymatgen(d: unknown): Structure {
  if (!isObj(d)) throw new InputError('a structure must be a JSON object');
  const lat = d.lattice;
  if (!isObj(lat) || !Array.isArray(lat.matrix)) throw new InputError('missing lattice matrix', { field: 'lattice.matrix' });
  let lattice: Lattice;
  try {
    lattice = new Lattice([0, 1, 2].map((i) => vec3((lat.matrix as unknown[])[i], `lattice.matrix[${i}]`)) as Mat3);
  } catch (e) {
    if (e instanceof InputError) throw e.at({ field: 'lattice.matrix' });
    throw e;
  }
  if (!Array.isArray(d.sites)) throw new InputError('missing site list', { field: 'sites' });
  const sites: Site[] = d.sites.map((s: unknown, i: number) => {
    const field = `sites[${i}]`;
    if (!isObj(s)) throw new InputError('site must be an object', { field });
    let frac: Vec3;
    if (s.abc !== undefined) frac = vec3(s.abc, `${field}.abc`);
    else if (s.xyz !== undefined) frac = lattice.cartToFrac(vec3(s.xyz, `${field}.xyz`));
    else throw new InputError('site has neither abc nor xyz', { field });
    if (!Array.isArray(s.species) || s.species.length === 0) throw new InputError('site has no species', { field: `${field}.species` });
    const species: SpeciesOccupancy[] = s.species.map((sp: unknown, k: number) => {
      const f = `${field}.species[${k}]`;
      if (!isObj(sp) || typeof sp.element !== 'string') throw new InputError('species needs an element', { field: f });
      const ox = sp.oxidation_state;
      if (ox !== undefined && ox !== null && typeof ox !== 'number') throw new InputError('oxidation_state must be a number', { field: f });
      // known oxidation states lie in −5…+9; far outside, the Ewald energy and charge balance are meaningless
      if (typeof ox === 'number' && !(Number.isFinite(ox) && Math.abs(ox) <= 12)) throw new InputError(`oxidation_state ${ox} is outside −12…12`, { field: f });
      const occu = sp.occu === undefined ? 1 : sp.occu;
      if (typeof occu !== 'number' || !(occu > 0) || occu > 1 + 1e-6) throw new InputError(`occupancy ${String(occu)} outside (0, 1]`, { field: f });
      try {
        return { species: Species.of(sp.element, (ox as number | null | undefined) ?? null), occu };
      } catch (e) {
        if (e instanceof InputError) throw e.at({ field: f });
        throw e;
      }
    });
    const total = species.reduce((a, o) => a + o.occu, 0);
    if (total > 1 + 1e-6) throw new InputError(`occupancies sum to ${total} > 1`, { field });
    const site: Site = { frac, species };
    if (typeof s.label === 'string') site.label = s.label;
    if (isObj(s.properties) && Object.keys(s.properties).length) site.properties = s.properties;
    return site;
  });
  checkSites(lattice, sites.map((s) => s.frac));
  return new Structure(lattice, sites);
}

export function structureToPymatgen(s: Structure): Json {
  const [a, b, c] = s.lattice.abc;
  const [alpha, beta, gamma] = s.lattice.angles;
  return {
    '@module': 'pymatgen.core.structure',
    '@class': 'Structure',
    charge: 0,
    lattice: { matrix: s.lattice.matrix, pbc: [true, true, true], a, b, c, alpha, beta, gamma, volume: s.lattice.volume },
    sites: s.sites.map((site) => ({
      species: site.species.map(({ species, occu }) =>
        species.oxidationState === null ? { element: species.element, occu } : { element: species.element, oxidation_state: species.oxidationState, occu },
      ),
      abc: site.frac,
      xyz: s.lattice.fracToCart(site.frac),
      label: site.label ?? site.species.map((o) => o.species.key).join(','),
      properties: site.properties ?? {},
    })),
  };
}

export interface ComputedEntry {
  structure: Structure;
  /** Total energy of the cell (eV), corrections included as pymatgen's `energy` property does. */
  energy: number;
  entryId?: string;
  data?: Json;
}

/** A `ComputedStructureEntry` dict, or a bare `Structure` dict (energy then NaN). */
export function entryFromPymatgen(d: unknown): ComputedEntry {
  if (!isObj(d)) throw new InputError('an entry must be a JSON object');
  if (d['@class'] === 'Structure' || (d.lattice !== undefined && d.sites !== undefined)) {
    return { structure: structureFromPymatgen(d), energy: NaN };
  }
  if (!isObj(d.structure)) throw new InputError('entry has no structure', { field: 'structure' });
  const structure = (() => {
    try {
      return structureFromPymatgen(d.structure);
    } catch (e) {
      if (e instanceof InputError && e.location.field) e.location.field = `structure.${e.location.field}`;
      throw e;
    }
  })();
  if (typeof d.energy !== 'number' || !Number.isFinite(d.energy)) throw new InputError('entry energy must be a finite number', { field: 'energy' });
  const correction = typeof d.correction === 'number' ? d.correction : 0;
  const entry: ComputedEntry = { structure, energy: d.energy + correction };
  if (typeof d.entry_id === 'string') entry.entryId = d.entry_id;
  if (isObj(d.data)) entry.data = d.data;
  return entry;
}

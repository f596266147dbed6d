/**
 * Reads the energy files of `celt hull` / `celt voltage`: a JSON list (or {"entries": [...]})
 * of objects with
 *   composition: {"Li": 2, "Mn": 2, "O": 4} (species keys such as "Mn3+" are read as their
 *                element) or a formula string "Li2Mn2O4";
 *   energy:      total energy of exactly that composition, eV (a cell or a formula unit —
 *                whatever the composition describes); a pymatgen "correction" is added;
 *   id / entry_id / name: optional label (default: the entry's index).
 * A ComputedStructureEntry without `composition` takes its structure's.
 * pymatgen ComputedEntry / ComputedStructureEntry dicts have these fields, so their JSON
 * lists load as they are; the file may be gzip-compressed.
 */
import { CeltError, InputError } from '../core/errors.ts';
import { readJsonFile } from '../structure/io/read.ts';
import { entryFromPymatgen } from '../structure/io/pymatgen.ts';
import { type Composition, type EnergyEntry, compositionFromValue } from './composition.ts';

/** The entry's `composition`, or else (a ComputedStructureEntry without one) its structure's. */
function compositionOf(r: Record<string, unknown>): Composition {
  if (r.composition !== undefined) return compositionFromValue(r.composition);
  if (r.structure === undefined) throw new InputError('missing composition (or a structure to take it from)', { field: 'composition' });
  return compositionFromValue(Object.fromEntries(entryFromPymatgen(r).structure.composition()));
}

export function readEnergyFile(file: string): EnergyEntry[] {
  let data = readJsonFile(file);
  if (data && typeof data === 'object' && !Array.isArray(data) && Array.isArray((data as { entries?: unknown }).entries)) data = (data as { entries: unknown[] }).entries;
  if (!Array.isArray(data)) throw new InputError('expected a JSON list of entries (or {"entries": [...]})', { file });
  if (data.length === 0) throw new InputError('the file has no entries', { file });
  const seen = new Set<string>();
  return data.map((raw, i) => {
    try {
      if (!raw || typeof raw !== 'object' || Array.isArray(raw)) throw new InputError('an entry must be a JSON object');
      const r = raw as Record<string, unknown>;
      const label = r.id ?? r.entry_id ?? r.name;
      const id = typeof label === 'string' || typeof label === 'number' ? label : i;
      if (seen.has(String(id))) throw new InputError(`duplicate id '${id}'`, { field: 'id' });
      seen.add(String(id));
      const composition = compositionOf(r);
      if (typeof r.energy !== 'number' || !Number.isFinite(r.energy)) throw new InputError(`energy must be a finite number (${r.energy === undefined ? "it is missing" : `got ${JSON.stringify(r.energy)}`})`, { field: 'energy' });
      const correction = typeof r.correction === 'number' && Number.isFinite(r.correction) ? r.correction : 0;
      return { id, composition, energy: r.energy + correction };
    } catch (e) {
      if (e instanceof CeltError) throw e.at({ file, entry: i });
      throw e;
    }
  });
}

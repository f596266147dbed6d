/**
 * ASE SQLite databases (`ase.db`, the format icet's and CLEASE's tutorials ship their training
 * data in), read with sql.js — SQLite compiled to WebAssembly, so the same reader runs in the
 * browser lab. Each row of `systems` becomes one entry; a bad row is reported as that entry's
 * error and the others still load.
 *
 * ASE stores arrays as raw little-endian blobs (ase/db/sqlite.py: `numbers` int32, `positions`
 * and `cell` float64, row-major) and user properties as JSON in `key_value_pairs`.
 */
import type { Database, SqlValue } from 'sql.js';
import { CeltError, InputError, ParseError } from '../../core/errors.ts';
import type { Mat3, Vec3 } from '../../core/mat3.ts';
import { ELEMENTS } from '../elements.ts';
import { Lattice } from '../lattice.ts';
import { Species } from '../species.ts';
import { checkSites } from '../neighbors.ts';
import { Structure, type Site } from '../structure.ts';
import type { ComputedEntry } from './pymatgen.ts';

export interface AseDbOptions {
  /** Property to fit: the `energy` column (total, eV) or a key of key_value_pairs. Default `energy`. */
  energyKey?: string;
  /** The property is per atom (icet's `mixing_energy`): multiplied by the atom count to a cell total. */
  perAtom?: boolean;
}

export type AseRow = { index: number; entry: ComputedEntry; error?: undefined } | { index: number; entry?: undefined; error: CeltError };

const SQLITE_MAGIC = 'SQLite format 3\0';

export function isSqlite(bytes: Uint8Array): boolean {
  return bytes.length >= 16 && String.fromCharCode(...bytes.subarray(0, 16)) === SQLITE_MAGIC;
}

/** sql.js's WebAssembly module, instantiated once per process on first use. */
let sqlModule: Promise<typeof import('sql.js')['default'] extends (...a: never[]) => Promise<infer M> ? M : never> | undefined;
async function loadSql() {
  if (!sqlModule) sqlModule = import('sql.js').then((m) => m.default());
  return sqlModule;
}

/** Every row of an ASE database as an entry (total energy per cell, eV). */
export async function readAseDb(bytes: Uint8Array, file: string, opts: AseDbOptions = {}): Promise<AseRow[]> {
  if (!isSqlite(bytes)) throw new ParseError('not an SQLite database', { file });
  const SQL = await loadSql();
  let db: Database;
  try {
    db = new SQL.Database(bytes);
  } catch (e) {
    throw new ParseError(`unreadable SQLite database (${(e as Error).message})`, { file });
  }
  try {
    return readRows(db, file, opts);
  } finally {
    db.close();
  }
}

const COLUMNS = ['id', 'unique_id', 'numbers', 'positions', 'cell', 'pbc', 'energy', 'key_value_pairs'] as const;

function readRows(db: Database, file: string, opts: AseDbOptions): AseRow[] {
  let result: ReturnType<Database['exec']>;
  try {
    result = db.exec(`SELECT ${COLUMNS.join(', ')} FROM systems ORDER BY id`);
  } catch (e) {
    throw new ParseError(`not an ASE database: ${(e as Error).message}`, { file });
  }
  const rows = result[0]?.values ?? [];
  if (!rows.length) throw new InputError('the database has no rows', { file });
  return rows.map((values, index) => {
    const row = Object.fromEntries(COLUMNS.map((c, k) => [c, values[k]])) as Record<(typeof COLUMNS)[number], SqlValue>;
    try {
      return { index, entry: rowEntry(row, opts) };
    } catch (e) {
      if (e instanceof CeltError) return { index, error: e.at({ file, entry: `id ${String(row.id)}` }) };
      throw e;
    }
  });
}

function rowEntry(row: Record<(typeof COLUMNS)[number], SqlValue>, opts: AseDbOptions): ComputedEntry {
  const numbers = blob(row.numbers, 'numbers', Int32Array);
  const positions = blob(row.positions, 'positions', Float64Array);
  const cell = blob(row.cell, 'cell', Float64Array);
  const n = numbers.length;
  if (n === 0) throw new InputError('row has no atoms', { field: 'numbers' });
  if (positions.length !== 3 * n) throw new InputError(`${positions.length / 3} positions for ${n} atoms`, { field: 'positions' });
  if (cell.length !== 9) throw new InputError('cell must hold nine numbers', { field: 'cell' });
  if (row.pbc !== 7) throw new InputError('structure is not periodic in all three directions (pbc)', { field: 'pbc' });
  const lattice = new Lattice([0, 1, 2].map((r) => [cell[3 * r]!, cell[3 * r + 1]!, cell[3 * r + 2]!]) as Mat3);
  const sites: Site[] = [];
  for (let a = 0; a < n; a++) {
    const symbol = ELEMENTS[numbers[a]! - 1];
    if (symbol === undefined) throw new InputError(`atomic number ${numbers[a]} is not an element`, { field: 'numbers' });
    const xyz: Vec3 = [positions[3 * a]!, positions[3 * a + 1]!, positions[3 * a + 2]!];
    sites.push({ frac: lattice.cartToFrac(xyz), species: [{ species: Species.parse(symbol), occu: 1 }] });
  }
  checkSites(lattice, sites.map((s) => s.frac));
  const kv = keyValuePairs(row.key_value_pairs);
  const energy = propertyValue(row.energy, kv, opts.energyKey ?? 'energy');
  const entry: ComputedEntry = { structure: new Structure(lattice, sites), energy: opts.perAtom ? energy * n : energy, data: kv as ComputedEntry['data'] };
  if (typeof row.unique_id === 'string') entry.entryId = row.unique_id;
  return entry;
}

/** ASE's deblob: the bytes reinterpreted as little-endian values of the column's dtype. */
function blob<T extends Int32Array | Float64Array>(v: SqlValue, field: string, Type: { new (b: ArrayBuffer): T; BYTES_PER_ELEMENT: number }): T {
  if (!(v instanceof Uint8Array)) throw new InputError('missing or not an array blob', { field });
  if (v.byteLength % Type.BYTES_PER_ELEMENT !== 0) throw new InputError(`blob of ${v.byteLength} bytes is not a ${Type.BYTES_PER_ELEMENT}-byte array`, { field });
  // Copy: a typed-array view needs an aligned offset, which sql.js's result buffers need not have.
  return new Type(v.slice().buffer as ArrayBuffer);
}

function keyValuePairs(v: SqlValue): Record<string, unknown> {
  if (v === null || v === undefined || v === '') return {};
  if (typeof v !== 'string') throw new InputError('key_value_pairs is not JSON text', { field: 'key_value_pairs' });
  try {
    const d = JSON.parse(v) as unknown;
    if (d && typeof d === 'object' && !Array.isArray(d)) return d as Record<string, unknown>;
  } catch {
    /* reported below */
  }
  throw new InputError('key_value_pairs is not a JSON object', { field: 'key_value_pairs' });
}

function propertyValue(energyColumn: SqlValue, kv: Record<string, unknown>, key: string): number {
  const v = key === 'energy' && energyColumn !== null ? energyColumn : kv[key];
  if (v === undefined || v === null) throw new InputError(`row has no '${key}' (choose the property with --energy-key)`, { field: key });
  if (typeof v !== 'number' || !Number.isFinite(v)) throw new InputError(`'${key}' must be a finite number`, { field: key });
  return v;
}

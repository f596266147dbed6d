/**
 * TrainingSet: the mapped structures of a dataset with their energies and feature rows
 * (correlation vector, constant first, then the Ewald energy per prim when the space has it),
 * sample weights, duplicate detection and a JSON form that fitting code loads with
 * `loadTrainingSet`. Energies are stored both as the DFT total and per primitive cell; `energy`
 * (the fitting target) is the per-prim value, the unit of a correlation vector.
 */
import { writeFileSync } from 'node:fs';
import { readJsonFile } from '../core/files.ts';
import { InputError } from '../core/errors.ts';
import type { Mat3 } from '../core/mat3.ts';
import { equalRowGroups, Mat } from '../core/matrix.ts';
import type { ClusterSpace } from '../space/cluster-space.ts';
import { CorrelationEvaluator } from '../space/correlation.ts';
import { EwaldTerm } from '../space/ewald.ts';
import { speciesCode } from '../space/site-space.ts';
import type { EntryResult } from '../structure/io/read.ts';
import { mapEntries, type MappedEntry, type SkippedEntry } from '../structure/map-batch.ts';
import type { MappingOptions } from '../structure/mapping.ts';
import { supercellSites } from '../structure/supercell.ts';

export interface TrainingRow {
  /** Index of the source entry in the input list. */
  entry: number;
  scMatrix: Mat3;
  /** Species key per supercell site (supercellSites order, vacancies included). */
  occupancy: string[];
  nPrims: number;
  /** DFT total energy of the cell (eV). */
  energyTotal: number;
  features: Float64Array;
  weight: number;
}

export interface TrainingSetJSON {
  format: 'celt-training-set';
  /** 2: `space.siteSpecies` records each prim site's species in code order (canonical since 2). */
  version: 2;
  featureNames: string[];
  groups: number[];
  hierarchy: [number, number][];
  featureSizes: number[];
  X: number[][];
  energy: number[];
  energyTotal: number[];
  nPrims: number[];
  weights: number[];
  entries: number[];
  scMatrices: Mat3[];
  occupancies: string[][];
  skipped: { entry: number; reason: string; message?: string }[];
  duplicates: number[][];
  space?: Record<string, unknown>;
}

/**
 * Per-supercell evaluators. Keyed by the exact matrix, so two matrices that differ by a row
 * permutation (the same lattice, different site order) never share tables (smol issue 261).
 */
export class EvaluatorCache {
  private readonly corr = new Map<string, CorrelationEvaluator>();
  private readonly ewald = new Map<string, EwaldTerm>();
  constructor(readonly space: ClusterSpace) {}

  correlations(scMatrix: Mat3): CorrelationEvaluator {
    const key = JSON.stringify(scMatrix);
    let ev = this.corr.get(key);
    if (!ev) {
      ev = new CorrelationEvaluator(this.space, scMatrix);
      this.corr.set(key, ev);
    }
    return ev;
  }

  ewaldTerm(scMatrix: Mat3): EwaldTerm {
    const key = JSON.stringify(scMatrix);
    let t = this.ewald.get(key);
    if (!t) {
      t = EwaldTerm.build(this.space.prim, scMatrix, supercellSites(this.space.prim, scMatrix));
      this.ewald.set(key, t);
    }
    return t;
  }

  /** Feature row of an occupancy (species codes in supercellSites order). */
  features(scMatrix: Mat3, codes: Int32Array): Float64Array {
    const ev = this.correlations(scMatrix);
    const row = new Float64Array(this.space.nFeatures);
    row.set(ev.correlations(codes));
    if (this.space.ewald) row[this.space.ewaldIndex] = this.ewaldTerm(scMatrix).valuePerPrim(codes);
    return row;
  }
}

/** Species keys → codes on the space's site spaces; throws InputError naming the site. */
export function occupancyCodes(space: ClusterSpace, scMatrix: Mat3, occupancy: string[]): Int32Array {
  const sites = supercellSites(space.prim, scMatrix);
  if (occupancy.length !== sites.length) throw new InputError(`occupancy has ${occupancy.length} sites, the supercell ${sites.length}`, { field: 'occupancy' });
  return Int32Array.from(sites, (s, i) => {
    const c = speciesCode(space.spaces.sites[s.primSite]!, occupancy[i]!);
    if (c < 0) throw new InputError(`species ${occupancy[i]} is not allowed on supercell site ${i} (prim site ${s.primSite})`, { field: 'occupancy' });
    return c;
  });
}

export class TrainingSet {
  readonly featureNames: string[];
  readonly groups: number[];
  readonly hierarchy: [number, number][];
  readonly featureSizes: number[];
  readonly rows: TrainingRow[];
  readonly skipped: { entry: number; reason: string; message?: string }[];
  space?: Record<string, unknown>;

  constructor(meta: { featureNames: string[]; groups: number[]; hierarchy: [number, number][]; featureSizes: number[] }, rows: TrainingRow[] = [], skipped: TrainingSet['skipped'] = []) {
    this.featureNames = meta.featureNames;
    this.groups = meta.groups;
    this.hierarchy = meta.hierarchy;
    this.featureSizes = meta.featureSizes;
    this.rows = rows;
    this.skipped = skipped;
  }

  static forSpace(space: ClusterSpace): TrainingSet {
    const ts = new TrainingSet({ featureNames: space.featureNames, groups: space.groups, hierarchy: space.hierarchy, featureSizes: space.featureSizes });
    ts.space = {
      cutoffs: Object.fromEntries(space.cutoffs),
      basis: space.basisName,
      orthonormal: space.orthonormal,
      measure: space.measure,
      ewald: space.ewald,
      nOrbits: space.nOrbits,
      spaceGroup: space.symmetry.hmSymbol,
      siteSpecies: space.siteSpecies,
    };
    return ts;
  }

  /**
   * Map every entry and compute its features. A bad entry, a structure that does not map, a
   * species the prim does not allow or a failed feature is a reported skip, never an abort.
   */
  static featurize(space: ClusterSpace, entries: EntryResult[], mapping: MappingOptions = {}, opts: { cache?: EvaluatorCache; onEach?: (done: number) => void } = {}): TrainingSet {
    const ts = TrainingSet.forSpace(space);
    const { mapped, skipped } = mapEntries(space.prim, entries, mapping, opts.onEach);
    const energies = new Map<number, number>();
    for (const e of entries) if (e.entry) energies.set(e.index, e.entry.energy);
    const cache = opts.cache ?? new EvaluatorCache(space);
    const extra: SkippedEntry[] = [];
    for (const m of mapped) {
      try {
        ts.addMapped(m, energies.get(m.entry) ?? NaN, cache);
      } catch (err) {
        if (err instanceof InputError) extra.push({ entry: m.entry, reason: 'featurize-failed', message: err.describe() });
        else throw err;
      }
    }
    ts.skipped.push(...[...skipped, ...extra].sort((a, b) => a.entry - b.entry));
    return ts;
  }

  addMapped(m: MappedEntry, energyTotal: number, cache: EvaluatorCache): void {
    if (!Number.isFinite(energyTotal)) throw new InputError('entry has no finite energy', { entry: m.entry, field: 'energy' });
    const codes = occupancyCodes(cache.space, m.scMatrix, m.occupancy);
    const features = cache.features(m.scMatrix, codes);
    const nPrims = cache.correlations(m.scMatrix).nPrims;
    this.rows.push({ entry: m.entry, scMatrix: m.scMatrix, occupancy: m.occupancy, nPrims, energyTotal, features, weight: 1 });
  }

  get nRows(): number {
    return this.rows.length;
  }

  get nFeatures(): number {
    return this.featureNames.length;
  }

  /** Feature matrix (rows × features). */
  get X(): Mat {
    const X = new Mat(this.rows.length, this.nFeatures);
    this.rows.forEach((r, i) => X.data.set(r.features, i * this.nFeatures));
    return X;
  }

  /** Fitting target: DFT energy per primitive cell (eV/prim). */
  get energy(): Float64Array {
    return Float64Array.from(this.rows, (r) => r.energyTotal / r.nPrims);
  }

  get weights(): Float64Array {
    return Float64Array.from(this.rows, (r) => r.weight);
  }

  /**
   * Groups (≥ 2 rows) whose feature vectors agree within `tol` in every component: the same
   * configuration seen twice, or configurations the expansion cannot tell apart.
   */
  duplicateGroups(tol = 1e-8): number[][] {
    const groups = new Map<number, number[]>();
    equalRowGroups(this.X, tol).forEach((id, i) => {
      const g = groups.get(id);
      if (g) g.push(i);
      else groups.set(id, [i]);
    });
    return [...groups.values()].filter((g) => g.length > 1);
  }

  /** Keep the lowest-energy row of every duplicate group; the others become skips. Returns how many were dropped. */
  dropDuplicates(tol = 1e-8): number {
    const drop = new Set<number>();
    for (const g of this.duplicateGroups(tol)) {
      const e = this.energy;
      const keep = g.reduce((best, i) => (e[i]! < e[best]! ? i : best), g[0]!);
      for (const i of g) if (i !== keep) drop.add(i);
      for (const i of g) if (i !== keep) this.skipped.push({ entry: this.rows[i]!.entry, reason: 'duplicate', message: `same correlation vector as entry ${this.rows[keep]!.entry}, which has the lower energy` });
    }
    const kept = this.rows.filter((_, i) => !drop.has(i));
    this.rows.length = 0;
    this.rows.push(...kept);
    this.skipped.sort((a, b) => a.entry - b.entry);
    return drop.size;
  }

  toJSON(): TrainingSetJSON {
    const json: TrainingSetJSON = {
      format: 'celt-training-set',
      version: 2,
      featureNames: this.featureNames,
      groups: this.groups,
      hierarchy: this.hierarchy,
      featureSizes: this.featureSizes,
      X: this.rows.map((r) => Array.from(r.features)),
      energy: Array.from(this.energy),
      energyTotal: this.rows.map((r) => r.energyTotal),
      nPrims: this.rows.map((r) => r.nPrims),
      weights: this.rows.map((r) => r.weight),
      entries: this.rows.map((r) => r.entry),
      scMatrices: this.rows.map((r) => r.scMatrix),
      occupancies: this.rows.map((r) => r.occupancy),
      skipped: this.skipped,
      duplicates: this.duplicateGroups(),
    };
    if (this.space) json.space = this.space;
    return json;
  }

  save(path: string): void {
    writeFileSync(path, JSON.stringify(this.toJSON()) + '\n');
  }

  static fromJSON(d: unknown, file?: string): TrainingSet {
    const err = (msg: string, field?: string) => new InputError(msg, { file, field });
    if (typeof d !== 'object' || d === null || Array.isArray(d)) throw err('a training set must be a JSON object');
    const o = d as Record<string, unknown>;
    const arr = (name: string): unknown[] => {
      const v = o[name];
      if (!Array.isArray(v)) throw err(`missing array '${name}'`, name);
      return v;
    };
    const featureNames = arr('featureNames').map((v, i) => {
      if (typeof v !== 'string') throw err(`feature name ${i} is not a string`, 'featureNames');
      return v;
    });
    const p = featureNames.length;
    const X = arr('X');
    const n = X.length;
    const num = (v: unknown, field: string): number => {
      if (typeof v !== 'number' || !Number.isFinite(v)) throw err(`${field} is not a finite number (${String(v)})`, field);
      return v;
    };
    const rowsX = X.map((r, i) => {
      if (!Array.isArray(r) || r.length !== p) throw err(`row ${i} of X has ${Array.isArray(r) ? r.length : 'no'} values, expected ${p}`, 'X');
      return Float64Array.from(r, (v, j) => num(v, `X[${i}][${j}]`));
    });
    const perRow = (name: string, required: boolean): unknown[] | null => {
      if (o[name] === undefined && !required) return null;
      const v = arr(name);
      if (v.length !== n) throw err(`'${name}' has ${v.length} values for ${n} rows`, name);
      return v;
    };
    const energy = perRow('energy', true)!.map((v, i) => num(v, `energy[${i}]`));
    const entries = perRow('entries', false)?.map((v, i) => num(v, `entries[${i}]`)) ?? energy.map((_, i) => i);
    const nPrims = perRow('nPrims', false)?.map((v, i) => num(v, `nPrims[${i}]`)) ?? energy.map(() => 1);
    const energyTotal = perRow('energyTotal', false)?.map((v, i) => num(v, `energyTotal[${i}]`)) ?? energy.map((e, i) => e * nPrims[i]!);
    const weights = perRow('weights', false)?.map((v, i) => num(v, `weights[${i}]`)) ?? energy.map(() => 1);
    const scMatrices = (perRow('scMatrices', false) as Mat3[] | null) ?? energy.map(() => [[1, 0, 0], [0, 1, 0], [0, 0, 1]] as Mat3);
    const occupancies = (perRow('occupancies', false) as string[][] | null) ?? energy.map(() => []);
    const groups = o.groups === undefined ? featureNames.map((_, i) => i) : arr('groups').map((v, i) => num(v, `groups[${i}]`));
    if (groups.length !== p) throw err(`'groups' has ${groups.length} values for ${p} features`, 'groups');
    const hierarchy = (o.hierarchy === undefined ? [] : arr('hierarchy')).map((h, i) => {
      if (!Array.isArray(h) || h.length !== 2 || !h.every((v) => Number.isInteger(v) && v >= 0 && v < p)) throw err(`hierarchy[${i}] must be [child, parent] feature indices`, 'hierarchy');
      return [h[0], h[1]] as [number, number];
    });
    const featureSizes = o.featureSizes === undefined ? featureNames.map(() => 0) : arr('featureSizes').map((v, i) => num(v, `featureSizes[${i}]`));
    const skipped = (o.skipped === undefined ? [] : arr('skipped')) as TrainingSet['skipped'];
    const rows: TrainingRow[] = rowsX.map((features, i) => ({ entry: entries[i]!, scMatrix: scMatrices[i]!, occupancy: occupancies[i]!, nPrims: nPrims[i]!, energyTotal: energyTotal[i]!, features, weight: weights[i]! }));
    // energy is authoritative for fitting; keep energyTotal consistent with it
    rows.forEach((r, i) => (r.energyTotal = energy[i]! * r.nPrims));
    const ts = new TrainingSet({ featureNames, groups, hierarchy, featureSizes }, rows, skipped);
    if (o.space && typeof o.space === 'object') ts.space = o.space as Record<string, unknown>;
    return ts;
  }

  static load(path: string): TrainingSet {
    return TrainingSet.fromJSON(readJsonFile(path), path);
  }
}

/** What fitting code needs, in one call: X, y (eV/prim), weights, groups, hierarchy, names. */
export function loadTrainingSet(path: string): { X: Mat; y: Float64Array; weights: Float64Array; groups: number[]; hierarchy: [number, number][]; featureNames: string[]; featureSizes: number[]; set: TrainingSet } {
  const set = TrainingSet.load(path);
  return { X: set.X, y: set.energy, weights: set.weights, groups: set.groups, hierarchy: set.hierarchy, featureNames: set.featureNames, featureSizes: set.featureSizes, set };
}

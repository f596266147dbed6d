/**
 * A fitted cluster expansion: the cluster space it was fitted on, one coefficient per feature
 * (constant, correlation functions, external terms such as Ewald) and the fit's metadata.
 *
 * The model file stores the space's *definition* (prim as pymatgen JSON, cutoffs, basis
 * options, external terms), not its orbits: reloading rebuilds the space and refuses to load
 * if the rebuilt feature list differs from the saved one, so a model can never silently apply
 * its ECIs to the wrong functions. Energies are per primitive cell, as the correlations are.
 *
 * The intercept of a fit (estimators remove the constant column and fit an intercept) is
 * folded into the constant ECI, so prediction is a single dot product Π·J.
 */
import { existsSync, writeFileSync } from 'node:fs';
import { readJsonFile } from '../core/files.ts';
import { InputError, ParseError } from '../core/errors.ts';
import type { Mat } from '../core/matrix.ts';
import { ClusterSpace, type ClusterSpaceOptions } from '../space/cluster-space.ts';
import { cutoffsFromObject } from '../space/cutoffs.ts';
import { structureFromPymatgen, structureToPymatgen } from '../structure/io/pymatgen.ts';

export const MODEL_FORMAT = 'celt-cluster-expansion';
/**
 * 2: site species are coded in canonical order (Structure.allowedSpecies) and the order is
 * saved as `space.siteSpecies`; 1 coded them in the order of the prim file.
 */
export const MODEL_VERSION = 2;

export interface SpaceDefinition {
  prim: Record<string, unknown>;
  cutoffs: Record<string, number>;
  basis: string;
  orthonormal: boolean;
  measure: 'uniform' | 'concentration';
  ewald: boolean;
  /** Species of each prim site in code order (code k = position k); written since version 2. */
  siteSpecies?: string[][];
}

export interface FitMetadata {
  method: string;
  params: Record<string, unknown>;
  /** Intercept as the estimator reported it (already folded into eci[0]). */
  intercept: number;
  /** Mean CV RMSE at the chosen hyperparameters (eV per prim cell), if a search ran. */
  cvRmse?: number;
  cvStd?: number;
  cvScheme?: string;
  trainRmse?: number;
  nTrain?: number;
  /** Grid searched: parameter → values, and the mean CV RMSE at each point. */
  search?: { grid: Record<string, number[]>; scores: Array<{ params: Record<string, number>; rmse: number; std: number }> };
  /** Mapping options used for the training data, so `celt predict` maps new data the same way. */
  mapping?: Record<string, unknown>;
  created?: string;
  [key: string]: unknown;
}

export interface ModelJSON {
  format: typeof MODEL_FORMAT;
  version: number;
  space: SpaceDefinition;
  featureNames: string[];
  eci: number[];
  fit: FitMetadata;
}

export function spaceDefinition(space: ClusterSpace): SpaceDefinition {
  return {
    prim: structureToPymatgen(space.prim),
    cutoffs: Object.fromEntries([...space.cutoffs].map(([k, v]) => [String(k), v])),
    basis: space.basisName,
    orthonormal: space.orthonormal,
    measure: space.measure,
    ewald: space.ewald,
    siteSpecies: space.siteSpecies,
  };
}

/**
 * A model's species coding must be the one this celt builds, or its ECIs would multiply other
 * functions. Version 1 used the prim file's order: still valid when that order is canonical.
 */
function checkSpeciesOrder(space: ClusterSpace, version: number, saved: string[][] | undefined): string | undefined {
  const now = space.siteSpecies;
  const before = version >= 2 ? saved : space.prim.fileSpeciesOrder();
  if (!before) return 'missing space.siteSpecies';
  const site = now.findIndex((keys, i) => keys.join(',') !== (before[i] ?? []).join(','));
  if (site < 0) return undefined;
  return `site ${site} codes its species as ${(before[site] ?? []).join(', ')} in this model, but celt now orders them ${now[site]!.join(', ')} (pymatgen's order, vacancy last, as smol does); the ECIs would apply to other functions — refit the model (celt run, or celt featurize + celt fit) with this celt`;
}

export function buildSpace(def: SpaceDefinition): ClusterSpace {
  const opts: ClusterSpaceOptions = { basis: def.basis, orthonormal: def.orthonormal, measure: def.measure, ewald: def.ewald };
  return ClusterSpace.build(structureFromPymatgen(def.prim), cutoffsFromObject(def.cutoffs), opts);
}

export class ClusterExpansion {
  readonly space: ClusterSpace;
  /** One coefficient per feature (space.featureNames order), intercept folded into [0]. */
  readonly eci: Float64Array;
  readonly fit: FitMetadata;

  constructor(space: ClusterSpace, eci: ArrayLike<number>, fit: FitMetadata) {
    if (eci.length !== space.nFeatures) throw new InputError(`${eci.length} coefficients for ${space.nFeatures} features`, { field: 'eci' });
    this.space = space;
    this.eci = Float64Array.from(eci);
    this.fit = fit;
  }

  /**
   * From an estimator fitted on the feature matrix without its constant column (coef has
   * nFeatures − 1 entries) or with it (nFeatures entries).
   */
  static fromCoefficients(space: ClusterSpace, coef: ArrayLike<number>, intercept: number, fit: Omit<FitMetadata, 'intercept'> & { intercept?: number }): ClusterExpansion {
    const n = space.nFeatures;
    const eci = new Float64Array(n);
    if (coef.length === n - 1) for (let j = 0; j < n - 1; j++) eci[j + 1] = coef[j]!;
    else if (coef.length === n) eci.set(coef);
    else throw new InputError(`estimator has ${coef.length} coefficients; the space has ${n} features (${n - 1} without the constant)`, { field: 'coef' });
    // The constant correlation is identically 1, so the intercept is the constant's ECI.
    eci[0]! += intercept;
    return new ClusterExpansion(space, eci, { ...fit, intercept } as FitMetadata);
  }

  get featureNames(): string[] {
    return this.space.featureNames;
  }

  /** Energy per primitive cell of one feature vector (constant first, Ewald last if present). */
  predictOne(features: ArrayLike<number>): number {
    if (features.length !== this.eci.length) throw new InputError(`feature vector has ${features.length} entries, the model expects ${this.eci.length}`, { field: 'features' });
    let s = 0;
    for (let j = 0; j < this.eci.length; j++) s += features[j]! * this.eci[j]!;
    return s;
  }

  /** Energies per primitive cell for the rows of a feature matrix. */
  predict(X: Mat): Float64Array {
    if (X.cols !== this.eci.length) throw new InputError(`feature matrix has ${X.cols} columns, the model expects ${this.eci.length}`, { field: 'features' });
    const out = new Float64Array(X.rows);
    for (let i = 0; i < X.rows; i++) out[i] = this.predictOne(X.data.subarray(i * X.cols, (i + 1) * X.cols));
    return out;
  }

  toJSON(): ModelJSON {
    return { format: MODEL_FORMAT, version: MODEL_VERSION, space: spaceDefinition(this.space), featureNames: this.featureNames, eci: Array.from(this.eci), fit: this.fit };
  }

  save(path: string): void {
    // JSON.stringify prints the shortest string that round-trips a double, so ECIs reload bit-exact.
    writeFileSync(path, JSON.stringify(this.toJSON(), null, 1) + '\n');
  }

  static fromJSON(raw: unknown, file?: string): ClusterExpansion {
    const fail = (msg: string, field?: string): never => {
      throw new InputError(msg, { file, field });
    };
    if (typeof raw !== 'object' || raw === null) return fail('a model file must be a JSON object');
    const m = raw as Partial<ModelJSON>;
    const found = m.format === undefined ? 'no "format" field' : `format is ${JSON.stringify(m.format)}`;
    if (m.format !== MODEL_FORMAT) fail(`not a celt model file (${found}, expected "${MODEL_FORMAT}"; celt run writes one as model.json)`, 'format');
    if (!Number.isInteger(m.version) || m.version! < 1) fail(`model format version ${JSON.stringify(m.version ?? null)} is not a version celt wrote (a whole number from 1)`, 'version');
    if (typeof m.version !== 'number' || m.version > MODEL_VERSION) fail(`model format version ${String(m.version)} is newer than this celt reads (${MODEL_VERSION})`, 'version');
    if (!m.space || typeof m.space !== 'object') fail('missing space definition', 'space');
    if (!Array.isArray(m.eci) || m.eci.some((x) => typeof x !== 'number' || !Number.isFinite(x))) fail('eci must be a list of finite numbers', 'eci');
    // an ECI past 1e100 eV makes every prediction (and its square in an RMSE) overflow: a corrupt file, not a fit
    const huge = m.eci!.findIndex((x) => Math.abs(x) > 1e100);
    if (huge >= 0) fail(`ECI ${huge} is ${m.eci![huge]} eV, past ±1e100 (predictions would overflow)`, 'eci');
    if (!Array.isArray(m.featureNames)) fail('missing featureNames', 'featureNames');
    let space: ClusterSpace;
    try {
      space = buildSpace(m.space!);
    } catch (e) {
      if (e instanceof InputError || e instanceof ParseError) throw e.at({ file, field: 'space' });
      throw e;
    }
    const orderProblem = checkSpeciesOrder(space, m.version!, m.space!.siteSpecies);
    if (orderProblem) fail(orderProblem, 'space.siteSpecies');
    const names = space.featureNames;
    if (names.length !== m.featureNames!.length || names.some((n, i) => n !== m.featureNames![i])) {
      const i = names.findIndex((n, k) => n !== m.featureNames![k]);
      fail(`the rebuilt cluster space does not match the saved features (first difference at feature ${i}: saved ${m.featureNames![i] ?? '(none)'}, rebuilt ${names[i] ?? '(none)'}); the model was made with a different celt version or its space was edited`, 'featureNames');
    }
    return new ClusterExpansion(space, m.eci!, (m.fit ?? { method: 'unknown', params: {}, intercept: 0 }) as FitMetadata);
  }

  static load(path: string): ClusterExpansion {
    if (!existsSync(path)) throw new InputError('model file not found (write one with `celt run`)', { file: path });
    return ClusterExpansion.fromJSON(readJsonFile(path), path);
  }
}

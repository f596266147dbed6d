/**
 * Candidate configurations for the next DFT round, each as (supercell matrix, species codes in
 * supercellSites order, feature row) on the model's lattice — the form the correlation code,
 * the hull and the structure writers all take:
 *  - `poolCandidates`: a user pool — any structure/entry file celt reads (mapped onto the lattice
 *    with the model's mapping options), or a celt training-set JSON (its occupancies);
 *  - `enumeratedCandidates`: every symmetry-distinct ordering up to a size (src/generate);
 *  - `mcCandidates`: canonical Monte Carlo on the current model (src/mc) at given compositions
 *    and temperatures; each condition contributes its lowest-energy and its final
 *    configuration (src/mc keeps no per-sample configurations, only these; CASM's "keep
 *    low-energy MC configurations"), de-duplicated by feature row;
 *  - `sqsCandidates`: the special quasirandom structure of each given composition (src/generate);
 *  - `groundStateCandidates`: the model's exact (MILP) ground state in one supercell at each
 *    given composition (src/generate) — where the current model puts its hull.
 * A candidate that does not map, or whose species the lattice does not allow, is an error
 * naming the file and entry: a pool is the user's deliberate list, so nothing is dropped quietly.
 */
import { CeltError, InputError, MappingError, OptionError } from '../core/errors.ts';
import type { Mat3 } from '../core/mat3.ts';
import { Mat } from '../core/matrix.ts';
import { EvaluatorCache, occupancyCodes, TrainingSet } from '../data/training-set.ts';
import { derivativeStructure, enumerateStructures, enumerationLattice, type EnumerateOptions } from '../generate/enumerate.ts';
import { groundState } from '../generate/groundstate.ts';
import { countsFromFractions } from '../generate/options.ts';
import { findSqs } from '../generate/sqs.ts';
import type { ClusterExpansion } from '../model/cluster-expansion.ts';
import type { ClusterSpace } from '../space/cluster-space.ts';
import type { CompositionSpec } from '../mc/init.ts';
import { runMonteCarlo } from '../mc/run.ts';
import { loadEntries, readJsonFile } from '../structure/io/read.ts';
import { mapStructure, type MappingOptions } from '../structure/mapping.ts';
import type { Structure } from '../structure/structure.ts';
import { supercellSites } from '../structure/supercell.ts';

export interface Candidate {
  /** Where it came from: "pool.json#3" (file and entry), "enum:17" (enumeration order). */
  label: string;
  source: 'pool' | 'enumeration' | 'mc' | 'sqs' | 'groundstate';
  scMatrix: Mat3;
  codes: Int32Array;
  /** Species key per supercell site (vacancies included). */
  occupancy: string[];
  nPrims: number;
  features: Float64Array;
}

/** Build a candidate from codes (the one place features and occupancy are derived). */
export function candidateFromCodes(cache: EvaluatorCache, label: string, source: Candidate['source'], scMatrix: Mat3, codes: Int32Array): Candidate {
  const space = cache.space;
  const sites = supercellSites(space.prim, scMatrix);
  const occupancy = sites.map((s, i) => space.spaces.sites[s.primSite]!.species[codes[i]!]!.key);
  return { label, source, scMatrix, codes, occupancy, nPrims: cache.correlations(scMatrix).nPrims, features: cache.features(scMatrix, codes) };
}

/** The ideal (unrelaxed) structure of a candidate, ready for DFT. */
export function candidateStructure(space: ClusterSpace, c: Candidate): Structure {
  return derivativeStructure(space.prim, c.scMatrix, c.codes, { label: c.label, source: c.source });
}

export function candidateMatrix(cands: readonly Candidate[], nFeatures: number): Mat {
  const X = new Mat(cands.length, nFeatures);
  cands.forEach((c, i) => X.data.set(c.features, i * nFeatures));
  return X;
}

function isTrainingSetJson(raw: unknown): boolean {
  return typeof raw === 'object' && raw !== null && (raw as { format?: unknown }).format === 'celt-training-set';
}

/** Pool candidates from a celt training-set JSON: its occupancies on the model's lattice. */
function poolFromTrainingSet(model: ClusterExpansion, file: string, cache: EvaluatorCache): Candidate[] {
  const ts = TrainingSet.load(file);
  return ts.rows.map((r, i) => {
    if (!r.occupancy.length) throw new InputError('a pool training set needs occupancies (write it with celt featurize)', { file, entry: i, field: 'occupancies' });
    try {
      return candidateFromCodes(cache, `${file}#${r.entry}`, 'pool', r.scMatrix, occupancyCodes(model.space, r.scMatrix, r.occupancy));
    } catch (e) {
      if (e instanceof CeltError) throw e.at({ file, entry: r.entry });
      throw e;
    }
  });
}

/**
 * Pool candidates from files: celt training sets, or structure/entry files mapped onto the
 * model's lattice with `mapping` (the options the training data used).
 */
export async function poolCandidates(model: ClusterExpansion, files: string[], mapping: MappingOptions): Promise<Candidate[]> {
  const cache = new EvaluatorCache(model.space);
  const out: Candidate[] = [];
  for (const file of files) {
    const asJson = /\.json(\.gz)?$/i.test(file) ? readJsonFile(file) : undefined;
    if (isTrainingSetJson(asJson)) {
      out.push(...poolFromTrainingSet(model, file, cache));
      continue;
    }
    for (const r of await loadEntries(file)) {
      if (r.error) throw r.error.at({ file, entry: r.index });
      try {
        const m = mapStructure(model.space.prim, r.entry.structure, mapping);
        out.push(candidateFromCodes(cache, `${file}#${r.index}`, 'pool', m.scMatrix, occupancyCodes(model.space, m.scMatrix, m.occupancy.map((sp) => sp.key))));
      } catch (e) {
        if (e instanceof MappingError) throw new InputError(`candidate does not map onto the model's lattice (${e.reason}: ${e.message}); remove it from the pool or loosen the model's mapping tolerances`, { file, entry: r.index });
        if (e instanceof CeltError) throw e.at({ file, entry: r.index });
        throw e;
      }
    }
  }
  if (!out.length) throw new InputError('the candidate files hold no structures', { file: files.join(', ') });
  return out;
}

/** Every symmetry-distinct ordering of the model's lattice on supercells of the given sizes. */
export function enumeratedCandidates(model: ClusterExpansion, opts: EnumerateOptions): Candidate[] {
  const cache = new EvaluatorCache(model.space);
  const lat = enumerationLattice(model.space.prim);
  const out: Candidate[] = [];
  let id = 0;
  for (const s of enumerateStructures(lat, opts)) {
    out.push(candidateFromCodes(cache, `enum:${id}`, 'enumeration', s.hnf, Int32Array.from(s.codes)));
    id++;
  }
  if (!out.length) throw new OptionError(`enumeration of sizes ${opts.sizes.join(',')} gave no structures`, { field: 'enumerate' });
  return out;
}

export interface McCandidateOptions {
  supercell: Mat3;
  /** One canonical chain set per composition (random start at that composition). */
  compositions: CompositionSpec[][];
  T: number[];
  steps: number;
  seed?: number;
}

/** Same feature row (max |difference| ≤ tol) as an earlier candidate in the list. */
function seenBefore(list: readonly Candidate[], f: Float64Array, tol = 1e-8): boolean {
  return list.some((c) => c.features.every((v, j) => Math.abs(v - f[j]!) <= tol));
}

/** Lowest-energy and final configurations of canonical Monte Carlo chains, de-duplicated by feature row. */
export async function mcCandidates(model: ClusterExpansion, o: McCandidateOptions): Promise<Candidate[]> {
  const cache = new EvaluatorCache(model.space);
  const out: Candidate[] = [];
  for (const [ci, composition] of o.compositions.entries()) {
    const res = await runMonteCarlo(model, { supercell: o.supercell, ensemble: 'canonical', T: o.T, steps: o.steps, warmup: Math.floor(o.steps / 10), seed: (o.seed ?? 0) + ci, init: { composition }, threads: 1 });
    res.details.forEach((d, k) => {
      for (const [what, codes] of [['lowest', d.lowestCodes], ['final', d.finalCodes]] as const) {
        const c = candidateFromCodes(cache, `mc:${ci}:${res.summary.conditions[k]!.T}K:${what}`, 'mc', o.supercell, Int32Array.from(codes));
        if (!seenBefore(out, c.features)) out.push(c);
      }
    });
  }
  return out;
}

/** One SQS per composition (species key → fraction of its sublattice), cells up to maxSize prim cells. */
export function sqsCandidates(model: ClusterExpansion, compositions: Array<Record<string, number>>, maxSize: number, seed = 0): Candidate[] {
  const cache = new EvaluatorCache(model.space);
  return compositions.map((comp, i) => {
    const r = findSqs(model.space, { composition: new Map(Object.entries(comp)), maxSize, seed });
    return candidateFromCodes(cache, `sqs:${i}`, 'sqs', r.hnf, Int32Array.from(r.codes));
  });
}

/** The model's ground state in one supercell at each composition (fractions of each sublattice; exact counts required). */
export async function groundStateCandidates(model: ClusterExpansion, scMatrix: Mat3, compositions: Array<Record<string, number>>, timeLimit: number, seed = 0): Promise<Candidate[]> {
  const cache = new EvaluatorCache(model.space);
  const nPrims = cache.correlations(scMatrix).nPrims;
  const out: Candidate[] = [];
  for (const [i, comp] of compositions.entries()) {
    const r = await groundState(model, { scMatrix, counts: countsFromFractions(comp, model.space, nPrims, 'groundstate-composition'), timeLimit, seed });
    out.push(candidateFromCodes(cache, `gs:${i}:${r.status}`, 'groundstate', scMatrix, Int32Array.from(r.codes)));
  }
  return out;
}

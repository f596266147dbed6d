/**
 * Predicting energies of new structures with a saved model: each structure is mapped onto the
 * model's lattice with the mapping options the training data used (stored in the model file),
 * its feature vector computed, and the energy given per primitive cell and for the whole cell.
 * A structure that does not map is reported with its reason, not dropped.
 */
import { CeltError, MappingError, OptionError } from '../core/errors.ts';
import type { Mat3 } from '../core/mat3.ts';
import { EvaluatorCache, occupancyCodes } from '../data/training-set.ts';
import type { ClusterExpansion } from '../model/cluster-expansion.ts';
import { mapStructure, type MappingOptions } from '../structure/mapping.ts';
import { loadEntries } from '../structure/io/read.ts';

export interface Prediction {
  file: string;
  entry: number;
  formula: string;
  ok: true;
  scMatrix: Mat3;
  nPrims: number;
  /** CE energy per primitive cell (eV/prim). */
  energyPerPrim: number;
  /** CE energy of the whole cell (eV). */
  energyTotal: number;
  /** DFT total energy when the file had one. */
  dftTotal?: number;
  features?: number[];
}

export interface FailedPrediction {
  file: string;
  entry: number;
  ok: false;
  reason: string;
  message: string;
}

export function mappingOptionsOf(model: ClusterExpansion, override: MappingOptions = {}): MappingOptions {
  const m = (model.fit.mapping ?? {}) as Record<string, unknown>;
  const out: MappingOptions = {};
  if (typeof m.ltol === 'number') out.ltol = m.ltol;
  if (typeof m.stol === 'number') out.stol = m.stol;
  if (typeof m.angleTol === 'number') out.angleTol = m.angleTol;
  if (typeof m.supercellSize === 'string' || typeof m.supercellSize === 'number') out.supercellSize = m.supercellSize;
  if (m.mode === 'standard' || m.mode === 'anion-framework') out.mode = m.mode;
  return { ...out, ...override };
}

export async function predictFiles(model: ClusterExpansion, files: string[], opts: { mapping?: MappingOptions; withFeatures?: boolean } = {}): Promise<Array<Prediction | FailedPrediction>> {
  const mapping = mappingOptionsOf(model, opts.mapping);
  const cache = new EvaluatorCache(model.space);
  const out: Array<Prediction | FailedPrediction> = [];
  for (const file of files) {
    for (const r of await loadEntries(file)) {
      if (r.error) {
        out.push({ file, entry: r.index, ok: false, reason: 'unreadable', message: r.error.describe() });
        continue;
      }
      const s = r.entry.structure;
      try {
        const m = mapStructure(model.space.prim, s, mapping);
        const codes = occupancyCodes(model.space, m.scMatrix, m.occupancy.map((sp) => sp.key));
        const features = cache.features(m.scMatrix, codes);
        const nPrims = cache.correlations(m.scMatrix).nPrims;
        const perPrim = model.predictOne(features);
        const p: Prediction = { file, entry: r.index, formula: s.formula(), ok: true, scMatrix: m.scMatrix, nPrims, energyPerPrim: perPrim, energyTotal: perPrim * nPrims };
        if (Number.isFinite(r.entry.energy)) p.dftTotal = r.entry.energy;
        if (opts.withFeatures) p.features = Array.from(features);
        out.push(p);
      } catch (e) {
        if (e instanceof OptionError) throw e;
        if (e instanceof MappingError) out.push({ file, entry: r.index, ok: false, reason: e.reason, message: e.message });
        else if (e instanceof CeltError) out.push({ file, entry: r.index, ok: false, reason: 'featurize-failed', message: e.describe() });
        else throw e;
      }
    }
  }
  return out;
}

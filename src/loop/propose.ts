/**
 * One round of the loop as a library call: given a model, its training set and candidates,
 * score every candidate (predicted energy ± σ, hull distance ± σ, leverage) and pick N.
 *
 *  - Predicted energies are the model file's ECIs; σ comes from a bootstrap ensemble of the
 *    model's own method and parameters refitted on the training set (ensemble.ts), with σ_noise
 *    from CV on that training set.
 *  - Hull distances: per ensemble member, the hull of the training rows at their DFT energies
 *    and the candidates at the member's energies (hull-distance.ts), eV per prim cell.
 *  - Model and training set must describe the same cluster space (feature names, and the
 *    species coding when the training set records it), else the ECIs would meet other columns.
 */
import { InputError } from '../core/errors.ts';
import { datasetFromArrays } from '../data/matrix-io.ts';
import type { TrainingSet } from '../data/training-set.ts';
import type { FitContext } from '../fit/registry.ts';
import type { ClusterExpansion } from '../model/cluster-expansion.ts';
import { type Candidate, candidateMatrix } from './candidates.ts';
import { fitEnsemble, predictEnsemble } from './ensemble.ts';
import { hullDistances, hullFrame } from './hull-distance.ts';
import { allowedCandidates, type Criterion, selectCandidates } from './select.ts';

export interface ProposeOptions {
  n: number;
  criterion?: Criterion;
  seed?: number;
  nBootstrap?: number;
  ridge?: number;
  /** Duplicate-rule tolerance on feature rows (max |difference|), default 1e-8. */
  tol?: number;
}

export interface ProposedRow {
  rank: number;
  candidate: Candidate;
  formula: string;
  energy: number;
  sigma: number;
  sigmaEnsemble: number;
  hullDistance: number;
  hullSigma: number;
  nearFraction: number;
  leverage: number;
  score: number;
}

export interface CompositionCoverage {
  /** Reduced element-fraction formula → counts. */
  rows: Array<{ composition: string; training: number; candidates: number; proposed: number }>;
  /** Distinct candidate compositions with a training structure, before and after adding the picks. */
  coveredBefore: number;
  coveredAfter: number;
  candidateCompositions: number;
}

export interface ProposeResult {
  picks: ProposedRow[];
  coverage: CompositionCoverage;
  sigmaNoise: number;
  cvRmse: number;
  nCandidates: number;
  /** Candidates left after the duplicate rule (distinct, not in the training set). */
  nAllowed: number;
  method: string;
}

/** Refuse a training set from another cluster space. */
export function checkSameSpace(model: ClusterExpansion, ts: TrainingSet, file?: string): void {
  const a = model.featureNames, b = ts.featureNames;
  const diff = a.findIndex((n, i) => n !== b[i]);
  if (a.length !== b.length || diff >= 0) {
    throw new InputError(`the training set and the model are from different cluster spaces (${b.length} vs ${a.length} features${diff >= 0 ? `; first difference at feature ${diff}: ${b[diff] ?? '(none)'} vs ${a[diff]}` : ''}); featurize the data with the model's prim and cutoffs`, { file, field: 'featureNames' });
  }
  const coding = (ts.space as { siteSpecies?: string[][] } | undefined)?.siteSpecies;
  if (coding && JSON.stringify(coding) !== JSON.stringify(model.space.siteSpecies)) {
    throw new InputError(`the training set codes species as ${JSON.stringify(coding)}, the model as ${JSON.stringify(model.space.siteSpecies)}: different cluster spaces`, { file, field: 'space.siteSpecies' });
  }
}

function compositionKey(x: Float64Array, components: string[]): string {
  return components.map((c, k) => (x[k]! > 1e-9 ? `${c}${+x[k]!.toFixed(4)}` : '')).join('');
}

function coverage(frame: ReturnType<typeof hullFrame>, nTrain: number, cands: number[], picks: number[]): CompositionCoverage {
  const key = (i: number) => compositionKey(frame.x[i]!, frame.components);
  const rows = new Map<string, { composition: string; training: number; candidates: number; proposed: number }>();
  const row = (k: string) => rows.get(k) ?? rows.set(k, { composition: k, training: 0, candidates: 0, proposed: 0 }).get(k)!;
  for (let i = 0; i < nTrain; i++) row(key(i)).training++;
  for (const c of cands) row(key(c)).candidates++;
  for (const p of picks) row(key(p)).proposed++;
  const candRows = [...rows.values()].filter((r) => r.candidates > 0);
  return {
    rows: [...rows.values()].sort((a, b) => a.composition.localeCompare(b.composition)),
    coveredBefore: candRows.filter((r) => r.training > 0).length,
    coveredAfter: candRows.filter((r) => r.training + r.proposed > 0).length,
    candidateCompositions: candRows.length,
  };
}

export function proposeStructures(model: ClusterExpansion, ts: TrainingSet, cands: Candidate[], opts: ProposeOptions): ProposeResult {
  checkSameSpace(model, ts);
  const p = model.eci.length;
  const Xtr = ts.X, ytr = ts.energy;
  const Xc = candidateMatrix(cands, p);
  const ds = datasetFromArrays(Xtr, ytr, { featureNames: ts.featureNames, groups: Int32Array.from(ts.groups), hierarchy: ts.hierarchy, source: 'training set' });
  const ctx: FitContext = { featureNames: ds.featureNames };
  if (ds.groups) ctx.groups = ds.groups;
  if (ds.hierarchy) ctx.hierarchy = ds.hierarchy;
  const spec = { method: model.fit.method, params: model.fit.params, ctx };
  const ens = fitEnsemble(spec, Xtr, ytr, { nBootstrap: opts.nBootstrap ?? 20, seed: opts.seed ?? 0 });
  // centre = the model's own ECIs (what the user will keep using), spread = the ensemble's
  const pc = predictEnsemble({ ...ens, centre: { coef: model.eci, intercept: 0 } }, Xc);
  const frame = hullFrame([...ts.rows, ...cands]);
  const known = Int32Array.from({ length: ts.nRows }, (_, i) => i);
  const candIdx = Int32Array.from({ length: cands.length }, (_, k) => ts.nRows + k);
  const hd = hullDistances(frame, known, ytr, candIdx, pc.mean, pc.members, ens.cvRmse);
  const picks = selectCandidates(Xtr, { X: Xc, sigmaEnsemble: pc.sigmaEnsemble, hullDistance: hd.mean, nearFraction: hd.nearFraction }, opts.n, { ...(opts.criterion ? { criterion: opts.criterion } : {}), ...(opts.ridge !== undefined ? { ridge: opts.ridge } : {}), ...(opts.tol !== undefined ? { tol: opts.tol } : {}), seed: opts.seed ?? 0 });
  const formula = (k: number) => compositionKey(frame.x[ts.nRows + k]!, frame.components);
  return {
    picks: picks.map((pk) => ({
      rank: pk.rank, candidate: cands[pk.index]!, formula: formula(pk.index),
      energy: pc.mean[pk.index]!, sigma: pc.sigma[pk.index]!, sigmaEnsemble: pc.sigmaEnsemble[pk.index]!,
      hullDistance: hd.mean[pk.index]!, hullSigma: hd.sigma[pk.index]!, nearFraction: hd.nearFraction[pk.index]!,
      leverage: pk.leverage, score: pk.score,
    })),
    coverage: coverage(frame, ts.nRows, Array.from(candIdx), picks.map((pk) => ts.nRows + pk.index)),
    sigmaNoise: ens.sigmaNoise,
    cvRmse: ens.cvRmse,
    nCandidates: cands.length,
    nAllowed: allowedCandidates(Xtr, Xc, opts.tol ?? 1e-8).allowed.length,
    method: model.fit.method,
  };
}

/**
 * Rounds of the loop as `celt run` sees them: the data files gain new DFT results between runs;
 * OUTPUT/rounds.json records which entries came in which round, with that round's CV RMSE,
 * number of non-zero ECIs, ECI change ‖J_k − J_{k−1}‖/‖J_k‖ (constant ECI left out) and ground states matched / missing /
 * spurious, and a verdict says whether the expansion has converged (seed 000 Fig. 1a: CV error
 * low and stable, DFT ground states reproduced).
 *
 * Identity of an entry: its file (as the config names it) and its position in that file, so
 * new results are appended to a data file or come in a new file. A run whose entries are all
 * known re-states the last round (refit with other settings) instead of adding one; a run with
 * another cluster space (feature names differ) starts the rounds afresh, since ECIs of different
 * functions cannot be compared.
 */
import { InputError } from '../core/errors.ts';
import { parseJsonText, readTextFile } from '../core/files.ts';

export interface RoundStats {
  nTrain: number;
  /** CV RMSE at the chosen hyperparameters (eV per prim cell); null when no search ran. */
  cvRmse: number | null;
  nEci: number;
  groundStates: { matched: number; missing: number; spurious: number } | null;
}

export interface RoundRecord extends RoundStats {
  round: number;
  created: string;
  /** Entry ids first seen in this round. */
  added: string[];
  /** Entry ids of earlier rounds no longer in the data. */
  removed: string[];
  /** ‖J − J_prev‖ / ‖J‖ over the non-constant ECIs against the previous round; null in the first. */
  eciChange: number | null;
  eci: number[];
}

export interface RoundsFile {
  format: 'celt-rounds';
  version: 1;
  featureNames: string[];
  rounds: RoundRecord[];
}

export const ROUNDS_FILE = 'rounds.json';

/** The previous run's rounds, or undefined when there are none (first run, or an older celt). */
export function readRounds(path: string): RoundsFile | undefined {
  let text: string;
  try {
    text = readTextFile(path);
  } catch {
    return undefined;
  }
  const raw = parseJsonText(text, path) as Partial<RoundsFile>;
  if (raw?.format !== 'celt-rounds' || !Array.isArray(raw.rounds) || !Array.isArray(raw.featureNames)) throw new InputError('not a celt rounds file (remove it to start the rounds afresh)', { file: path });
  return raw as RoundsFile;
}

/** ‖a − b‖/‖a‖ over the non-constant ECIs (index ≥ 1): the constant ECI (the mean energy, eV) would swamp the rest. */
export function eciChange(a: ArrayLike<number>, b: ArrayLike<number>): number {
  let d = 0, n = 0;
  for (let j = 1; j < a.length; j++) {
    d += (a[j]! - (b[j] ?? 0)) ** 2;
    n += a[j]! ** 2;
  }
  return n > 0 ? Math.sqrt(d / n) : 0;
}

/** The rounds after this run: a new round when entries were added, else the last one re-stated. */
export function updateRounds(prev: RoundsFile | undefined, ids: string[], featureNames: string[], eci: ArrayLike<number>, stats: RoundStats, created = new Date().toISOString()): RoundsFile {
  const sameSpace = prev && prev.featureNames.length === featureNames.length && prev.featureNames.every((n, i) => n === featureNames[i]);
  const rounds = sameSpace ? prev.rounds.map((r) => ({ ...r })) : [];
  const known = new Set(rounds.flatMap((r) => r.added));
  const now = new Set(ids);
  const added = ids.filter((id) => !known.has(id));
  const removed = [...known].filter((id) => !now.has(id));
  const restate = rounds.length > 0 && added.length === 0;
  const before = restate ? rounds.at(-2) : rounds.at(-1);
  const rec: RoundRecord = {
    round: restate ? rounds.at(-1)!.round : rounds.length + 1,
    created,
    added: restate ? rounds.at(-1)!.added : added,
    removed,
    ...stats,
    eciChange: before ? eciChange(eci, before.eci) : null,
    eci: Array.from(eci),
  };
  if (restate) rounds[rounds.length - 1] = rec;
  else rounds.push(rec);
  return { format: 'celt-rounds', version: 1, featureNames, rounds };
}

export interface ConvergenceCriteria {
  /** Largest acceptable CV RMSE (eV per prim cell); null = not checked. */
  maxCvRmse: number | null;
  /** Largest relative change of the CV RMSE from the previous round ("stable"). */
  maxCvChange: number;
  /** Largest ‖ΔJ‖/‖J‖ from the previous round. */
  maxEciChange: number;
  /** Every DFT ground state reproduced and no spurious one. */
  groundStates: boolean;
  /** Rounds needed before stability can be judged. */
  minRounds: number;
}

export interface Verdict {
  converged: boolean;
  /** One line per failed criterion (empty when converged). */
  failures: string[];
  /** The plain sentence for the report. */
  text: string;
}

export function convergenceVerdict(file: RoundsFile, c: ConvergenceCriteria): Verdict {
  const r = file.rounds;
  const last = r.at(-1);
  const failures: string[] = [];
  if (!last) return { converged: false, failures: ['no rounds'], text: 'Not converged: no rounds recorded.' };
  const prev = r.at(-2);
  if (r.length < c.minRounds) failures.push(`only ${r.length} round${r.length === 1 ? '' : 's'} (${c.minRounds} needed to judge stability)`);
  if (c.maxCvRmse !== null && (last.cvRmse === null || last.cvRmse > c.maxCvRmse)) failures.push(`CV RMSE ${last.cvRmse === null ? 'unknown (no search ran)' : `${(last.cvRmse * 1000).toFixed(2)} meV/prim`} above ${(c.maxCvRmse * 1000).toFixed(2)}`);
  if (prev && last.cvRmse !== null && prev.cvRmse !== null && prev.cvRmse > 0) {
    const ch = Math.abs(last.cvRmse - prev.cvRmse) / prev.cvRmse;
    if (ch > c.maxCvChange) failures.push(`CV RMSE changed by ${(100 * ch).toFixed(1)} % from round ${prev.round} (limit ${(100 * c.maxCvChange).toFixed(0)} %)`);
  }
  if (last.eciChange !== null && last.eciChange > c.maxEciChange) failures.push(`ECIs changed by ‖ΔJ‖/‖J‖ = ${last.eciChange.toFixed(3)} (limit ${c.maxEciChange})`);
  if (c.groundStates) {
    const g = last.groundStates;
    if (!g) failures.push('ground states not compared (no hull)');
    else if (g.missing || g.spurious) failures.push(`ground states: ${g.missing} DFT ground state${g.missing === 1 ? '' : 's'} missing, ${g.spurious} spurious`);
  }
  const converged = failures.length === 0;
  return { converged, failures, text: converged ? `Converged after round ${last.round}: every criterion holds.` : `Not converged after round ${last.round}: ${failures.join('; ')}.` };
}

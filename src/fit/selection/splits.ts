/**
 * Train/test index splits — the one splits module for CV, learning curves and `celt learn` —
 * all seeded through core Rng: k-fold (shuffled), repeated shuffle-split (seed 001: 50 × 80/20;
 * seed 004: 100 × 80/20, optionally grouped so one id never straddles the split),
 * leave-one-out, and the `--cv` text syntax `kfold:5`, `kfold:5:ordered` (contiguous folds in
 * row order, as scikit-learn's KFold without shuffling), `shuffle:50:0.2`, `loo`. Every scheme
 * takes optional group ids (one per row): rows of one group then never straddle a split (k-fold
 * assigns whole groups to folds, shuffle draws whole groups, loo leaves one group out). `celt
 * run` groups entries with identical correlation vectors this way, since a copy on the training
 * side makes its twin's test error ~0 and the CV optimistic (issue 19 item 6).
 *
 * One rounding rule everywhere: a test fraction f of n items is round(n·f) items (testCount).
 */
import { InputError, OptionError } from '../../core/errors.ts';
import { Rng } from '../../core/rng.ts';

export interface Split {
  train: Int32Array;
  test: Int32Array;
}

export type CvSpec = { kind: 'kfold'; k: number; ordered?: boolean } | { kind: 'shuffle'; n: number; testFraction: number } | { kind: 'loo' };

/** Most CV splits (K folds or N shuffles) a run may ask for: each is a full fit. */
export const MAX_SPLITS = 10_000;

export function parseCv(text: string): CvSpec {
  const parts = text.trim().toLowerCase().split(':');
  const bad = () => new OptionError(`bad --cv '${text}'; expected kfold:K, kfold:K:ordered, shuffle:N:FRACTION or loo`, { field: 'cv' });
  if (parts[0] === 'loo' && parts.length === 1) return { kind: 'loo' };
  if (parts[0] === 'kfold') {
    const k = parts.length === 1 ? 5 : Number(parts[1]);
    const ordered = parts[2] === 'ordered';
    if (parts.length > 3 || (parts.length === 3 && !ordered) || !Number.isInteger(k) || k < 2) throw bad();
    if (k > MAX_SPLITS) throw new OptionError(`--cv kfold:${k} is past the limit of ${MAX_SPLITS} folds`, { field: 'cv' });
    return ordered ? { kind: 'kfold', k, ordered } : { kind: 'kfold', k };
  }
  if (parts[0] === 'shuffle') {
    const n = parts[1] === undefined ? 50 : Number(parts[1]);
    const f = parts[2] === undefined ? 0.2 : Number(parts[2]);
    if (parts.length > 3 || !Number.isInteger(n) || n < 1 || !(f > 0 && f < 1)) throw bad();
    if (n > MAX_SPLITS) throw new OptionError(`--cv shuffle:${n} is past the limit of ${MAX_SPLITS} splits`, { field: 'cv' });
    return { kind: 'shuffle', n, testFraction: f };
  }
  throw bad();
}

export function makeSplits(nSamples: number, spec: CvSpec, seed = 0, groups?: ArrayLike<string | number>): Split[] {
  const rng = new Rng(seed);
  if (groups) {
    if (spec.kind === 'kfold') return spec.ordered ? orderedGroupKfold(nSamples, spec.k, groups) : groupKfold(nSamples, spec.k, rng, groups);
    if (spec.kind === 'shuffle') return shuffleSplit(nSamples, spec.n, spec.testFraction, rng, groups);
    return leaveOneGroupOut(nSamples, groups);
  }
  if (spec.kind === 'loo') {
    if (nSamples < 2) throw new OptionError(`leave-one-out needs at least 2 samples, got ${nSamples}`, { field: 'cv' });
    return Array.from({ length: nSamples }, (_, i) => ({ test: Int32Array.of(i), train: Int32Array.from({ length: nSamples - 1 }, (_, j) => (j < i ? j : j + 1)) }));
  }
  if (spec.kind === 'kfold') return kfold(nSamples, spec.k, rng, spec.ordered);
  return shuffleSplit(nSamples, spec.n, spec.testFraction, rng);
}

/** k folds of a random permutation, or of the row order itself when `ordered`. */
export function kfold(n: number, k: number, rng: Rng, ordered = false): Split[] {
  if (k > n) throw new OptionError(`${k}-fold cross-validation needs at least ${k} samples, the data have ${n}`, { field: 'cv' });
  if (k < 2) throw new OptionError(`k-fold needs k ≥ 2, got ${k}`, { field: 'cv' });
  const perm = ordered ? Int32Array.from({ length: n }, (_, i) => i) : rng.permutation(n);
  const out: Split[] = [];
  // sklearn's fold sizes: the first n % k folds get one extra sample.
  let start = 0;
  for (let f = 0; f < k; f++) {
    const size = Math.floor(n / k) + (f < n % k ? 1 : 0);
    const test = perm.slice(start, start + size).sort();
    const inTest = new Uint8Array(n);
    for (const i of test) inTest[i] = 1;
    const train = Int32Array.from({ length: n - size }, () => 0);
    let t = 0;
    for (let i = 0; i < n; i++) if (!inTest[i]) train[t++] = i;
    out.push({ train, test });
    start += size;
  }
  return out;
}

/** Row indices per group id, groups in order of first appearance. */
export function rowsByGroup(n: number, groups: ArrayLike<string | number>): number[][] {
  if (groups.length !== n) throw new InputError(`${groups.length} group ids for ${n} rows`);
  const byGroup = new Map<string, number[]>();
  for (let i = 0; i < n; i++) {
    const g = String(groups[i]);
    if (!byGroup.has(g)) byGroup.set(g, []);
    byGroup.get(g)!.push(i);
  }
  return [...byGroup.values()];
}

function splitFromTest(n: number, testRows: number[]): Split {
  const test = Int32Array.from(testRows).sort();
  const inTest = new Uint8Array(n);
  for (const i of test) inTest[i] = 1;
  const train: number[] = [];
  for (let i = 0; i < n; i++) if (!inTest[i]) train.push(i);
  return { train: Int32Array.from(train), test };
}

/**
 * `kfold:K:ordered` with groups: the groups in order of first appearance, cut into K contiguous
 * runs of groups (sklearn's fold sizes over groups: the first G % K runs one group longer), so
 * the folds follow the row order as without groups and no group straddles a fold.
 */
export function orderedGroupKfold(n: number, k: number, groups: ArrayLike<string | number>): Split[] {
  const rows = rowsByGroup(n, groups);
  if (k < 2) throw new OptionError(`k-fold needs k ≥ 2, got ${k}`, { field: 'cv' });
  if (k > rows.length) throw new OptionError(`${k}-fold cross-validation needs at least ${k} groups of identical rows, the data have ${rows.length}`, { field: 'cv' });
  const out: Split[] = [];
  let start = 0;
  for (let f = 0; f < k; f++) {
    const size = Math.floor(rows.length / k) + (f < rows.length % k ? 1 : 0);
    out.push(splitFromTest(n, rows.slice(start, start + size).flat()));
    start += size;
  }
  return out;
}

/**
 * Grouped k-fold: groups in a seeded random order, then largest first, each into the fold with
 * the fewest rows so far (sklearn GroupKFold's balancing; the shuffle makes the seed matter
 * among equal-size groups, which with many singletons is most of them).
 */
export function groupKfold(n: number, k: number, rng: Rng, groups: ArrayLike<string | number>): Split[] {
  const rows = rowsByGroup(n, groups);
  if (k < 2) throw new OptionError(`k-fold needs k ≥ 2, got ${k}`, { field: 'cv' });
  if (k > rows.length) throw new OptionError(`${k}-fold cross-validation needs at least ${k} groups of identical rows, the data have ${rows.length}`, { field: 'cv' });
  const perm = rng.permutation(rows.length);
  const order = Array.from(perm, (g) => rows[g]!).sort((a, b) => b.length - a.length); // stable: shuffled order within a size
  const folds: number[][] = Array.from({ length: k }, () => []);
  for (const g of order) {
    let best = 0;
    for (let f = 1; f < k; f++) if (folds[f]!.length < folds[best]!.length) best = f;
    folds[best]!.push(...g);
  }
  return folds.map((f) => splitFromTest(n, f));
}

function leaveOneGroupOut(n: number, groups: ArrayLike<string | number>): Split[] {
  const rows = rowsByGroup(n, groups);
  if (rows.length < 2) throw new OptionError(`leave-one-group-out needs at least 2 groups, got ${rows.length}`, { field: 'cv' });
  return rows.map((g) => splitFromTest(n, g));
}

/** The number of test items for a test fraction: round(n·f) (one rule for every split). */
export function testCount(n: number, testFraction: number): number {
  return Math.round(n * testFraction);
}

/**
 * `nSplits` seeded random splits with round(n·f) test rows (at least 1 test and 2 training
 * rows). With `groups` (an id per row) whole groups are drawn instead: round(G·f) test groups,
 * at least one on each side, so rows of one id never straddle the split.
 */
export function shuffleSplit(n: number, nSplits: number, testFraction: number, rng: Rng, groups?: ArrayLike<string | number>): Split[] {
  if (!Number.isInteger(nSplits) || nSplits < 1) throw new OptionError(`number of splits must be a positive integer, got ${nSplits}`, { field: 'splits' });
  if (!(testFraction > 0 && testFraction < 1)) throw new OptionError(`test fraction must be in (0, 1), got ${testFraction}`, { field: 'splits' });
  const ratio = `${Math.round((1 - testFraction) * 100)}/${Math.round(testFraction * 100)}`;
  if (groups) return groupShuffleSplit(n, nSplits, testFraction, rng, groups, ratio);
  const nTest = testCount(n, testFraction);
  if (nTest < 1 || n - nTest < 2) throw new OptionError(`${n} rows are too few for a ${ratio} split: it leaves ${n - nTest} training and ${nTest} test rows (need at least 2 and 1)`);
  const out: Split[] = [];
  for (let s = 0; s < nSplits; s++) {
    const perm = rng.permutation(n);
    out.push({ test: perm.slice(0, nTest).sort(), train: perm.slice(nTest).sort() });
  }
  return out;
}

function groupShuffleSplit(n: number, nSplits: number, testFraction: number, rng: Rng, groups: ArrayLike<string | number>, ratio: string): Split[] {
  const byGroup = rowsByGroup(n, groups);
  const G = byGroup.length;
  const nTest = testCount(G, testFraction);
  if (G < 2 || nTest < 1 || nTest > G - 1) throw new InputError(`${G} group(s) cannot be split ${ratio} with at least one group on each side`);
  const out: Split[] = [];
  for (let s = 0; s < nSplits; s++) {
    const perm = rng.permutation(G);
    const test: number[] = [], train: number[] = [];
    for (let k = 0; k < G; k++) (k < nTest ? test : train).push(...byGroup[perm[k]!]!);
    out.push({ train: Int32Array.from(train.sort((a, b) => a - b)), test: Int32Array.from(test.sort((a, b) => a - b)) });
  }
  return out;
}

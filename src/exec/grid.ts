/**
 * A task grid on disk: a deterministic list of independent tasks, each writing its own result
 * file, so a grid can run anywhere (worker threads, SLURM array indices), be killed, rerun and
 * merged. The layout of a grid directory DIR:
 *   DIR/grid.json        manifest: format, kind, identity hash, the command, chunk size, task ids
 *   DIR/shared.json      the payload every task reads (model + options, or the dataset)
 *   DIR/inputs.json      the task inputs, in grid order
 *   DIR/tasks/<id>.json  one finished task: { id, identity, seconds, host, result }
 *   DIR/tasks/<id>.err   one failed task: the error's one-line message, then where its log is
 *   DIR/logs/, DIR/slurm/  scheduler logs, job script and submissions (slurm.ts)
 * Identity = sha256 of the canonical JSON of {kind, shared, inputs}: the same work gets the
 * same hash on any machine, and any change of model, options or grid gets another. A task id is
 * sha256(identity, canonical input), so ids are stable across reruns and never collide with
 * another grid's. Every file is written to a temporary name and renamed into place (rename is
 * atomic within a directory on POSIX), so a crash leaves either the old state or a complete
 * file; grid.json is written last, so a half-prepared directory is never taken for a grid.
 */
import { closeSync, existsSync, fsyncSync, mkdirSync, openSync, readdirSync, renameSync, rmSync, writeSync } from 'node:fs';
import { hostname } from 'node:os';
import { join } from 'node:path';
import { CeltError } from '../core/errors.ts';
import { readJsonFile, readTextFile } from '../core/files.ts';
import { canonicalJson, decode, encode, sha256 } from './codec.ts';

/** A grid directory that is not the one asked for, or is damaged; nothing is overwritten. */
export class GridError extends CeltError {}

export const GRID_FORMAT = 'celt-grid/1';

/** What a caller builds: the work (hashed into the identity) and how to finish it (not hashed). */
export interface GridSpec<S = unknown, I = unknown> {
  kind: string;
  shared: S;
  inputs: I[];
  /** One short human-readable label per task ("T=300 mu={…}", "fold 2"). */
  labels: string[];
  /** The argv that built the grid, for the record and for `celt collect`'s messages. */
  command: string[];
  /** What the merge needs besides the results (output path, report metadata); JSON only. */
  finish: Record<string, unknown>;
  /**
   * Phase of each task (non-decreasing; default all 0). A task of phase p may read the results
   * of every task of an earlier phase (TaskKind.open's `earlier`); phases run in order.
   */
  phases?: number[];
}

export interface GridManifest {
  format: string;
  kind: string;
  identity: string;
  command: string[];
  chunkSize: number;
  tasks: { id: string; label: string; phase?: number }[];
  /** Task index ranges [first, end) of the chunks (array indices); a chunk never spans two phases. */
  chunks: [number, number][];
  finish: Record<string, unknown>;
}

export type TaskStateName = 'done' | 'failed' | 'missing';

export interface TaskState {
  index: number;
  id: string;
  label: string;
  state: TaskStateName;
  /** failed: the error message and the log it points to (when run under a scheduler). */
  error?: string;
  log?: string;
}

/** One finished task as stored in DIR/tasks/<id>.json. */
export interface TaskRecord<R = unknown> {
  id: string;
  identity: string;
  seconds: number;
  host: string;
  result: R;
}

export function gridIdentity(kind: string, shared: unknown, inputs: unknown[]): string {
  return sha256(canonicalJson({ format: GRID_FORMAT, kind, shared, inputs }));
}

export function taskId(identity: string, input: unknown): string {
  return sha256(`${identity}\n${canonicalJson(input)}`).slice(0, 24);
}

/** Write `text` to `path` through a temporary name in the same directory, fsync'ed, then rename. */
export function writeAtomic(path: string, text: string): void {
  const tmp = `${path}.tmp-${process.pid}-${Math.random().toString(36).slice(2)}`;
  const fd = openSync(tmp, 'w');
  try {
    writeSync(fd, text);
    fsyncSync(fd);
  } finally {
    closeSync(fd);
  }
  renameSync(tmp, path);
}

const manifestPath = (dir: string) => join(dir, 'grid.json');
const resultPath = (dir: string, id: string) => join(dir, 'tasks', `${id}.json`);
const errorPath = (dir: string, id: string) => join(dir, 'tasks', `${id}.err`);

export function readGridManifest(dir: string): GridManifest {
  const p = manifestPath(dir);
  if (!existsSync(p)) throw new GridError(`not a task-grid directory (no grid.json)`, { file: dir });
  const m = readJsonFile(p) as GridManifest;
  if (m?.format !== GRID_FORMAT || typeof m.identity !== 'string' || !Array.isArray(m.tasks)) throw new GridError(`not a ${GRID_FORMAT} manifest`, { file: p });
  return m;
}

/**
 * Make DIR hold `spec`'s grid, or find that it already does (a rerun: finished tasks stay).
 * A directory holding another grid, or anything else, is refused before a byte is written.
 */
export function prepareGrid(dir: string, spec: GridSpec, chunkSize: number): GridManifest {
  if (!(Number.isInteger(chunkSize) && chunkSize >= 1)) throw new GridError(`--chunk-size must be a positive integer (got ${chunkSize})`, { field: 'chunk-size' });
  if (spec.inputs.length === 0) throw new GridError('the grid has no tasks');
  const identity = gridIdentity(spec.kind, spec.shared, spec.inputs);
  if (existsSync(manifestPath(dir))) {
    const old = readGridManifest(dir);
    if (old.identity !== identity || old.kind !== spec.kind) {
      throw new GridError(`holds another grid (${old.kind} ${old.identity.slice(0, 12)}, built by \`${old.command.join(' ')}\`), not this ${spec.kind} grid (${identity.slice(0, 12)}); nothing was overwritten: give another --work-dir or remove the directory`, { file: dir });
    }
    return old;
  }
  if (existsSync(dir) && readdirSync(dir).length > 0) throw new GridError('exists, is not empty and holds no grid.json; nothing was overwritten: give an empty or new --work-dir', { file: dir });
  const ids = spec.inputs.map((x) => taskId(identity, x));
  const seen = new Map<string, number>();
  ids.forEach((id, k) => {
    if (seen.has(id)) throw new GridError(`tasks ${seen.get(id)} and ${k} have the same input (${spec.labels[k]}); a grid lists each task once`);
    seen.set(id, k);
  });
  mkdirSync(join(dir, 'tasks'), { recursive: true });
  writeAtomic(join(dir, 'shared.json'), JSON.stringify(encode(spec.shared)));
  writeAtomic(join(dir, 'inputs.json'), JSON.stringify(encode(spec.inputs)));
  const phases = spec.phases ?? [];
  if (phases.some((p, k) => k > 0 && p < phases[k - 1]!)) throw new GridError('task phases must not decrease along the grid');
  const phaseOf = (k: number) => phases[k] ?? 0;
  const chunks: [number, number][] = [];
  for (let k = 0; k < ids.length; ) {
    let e = k + 1;
    while (e < ids.length && e - k < chunkSize && phaseOf(e) === phaseOf(k)) e++;
    chunks.push([k, e]);
    k = e;
  }
  const tasks = ids.map((id, k) => ({ id, label: spec.labels[k] ?? String(k), ...(phaseOf(k) ? { phase: phaseOf(k) } : {}) }));
  const manifest: GridManifest = { format: GRID_FORMAT, kind: spec.kind, identity, command: spec.command, chunkSize, tasks, chunks, finish: spec.finish };
  writeAtomic(manifestPath(dir), JSON.stringify(manifest, null, 1));
  return manifest;
}

export function readShared(dir: string): unknown {
  return decode(readJsonFile(join(dir, 'shared.json')));
}

export function readInputs(dir: string): unknown[] {
  return decode(readJsonFile(join(dir, 'inputs.json'))) as unknown[];
}

export function chunkCount(m: GridManifest): number {
  return m.chunks.length;
}

/** Task indices of chunk c (array index c of a SLURM job). */
export function chunkTasks(m: GridManifest, c: number): number[] {
  const [lo, hi] = m.chunks[c] ?? [0, 0];
  return Array.from({ length: hi - lo }, (_, k) => lo + k);
}

export function chunkOf(m: GridManifest, taskIndex: number): number {
  return m.chunks.findIndex(([lo, hi]) => taskIndex >= lo && taskIndex < hi);
}

export function phaseOfTask(m: GridManifest, taskIndex: number): number {
  return m.tasks[taskIndex]!.phase ?? 0;
}

export function isDone(dir: string, id: string): boolean {
  return existsSync(resultPath(dir, id));
}

export function writeResult(dir: string, m: GridManifest, id: string, result: unknown, seconds: number): void {
  const rec: TaskRecord = { id, identity: m.identity, seconds, host: hostname(), result: encode(result) };
  writeAtomic(resultPath(dir, id), JSON.stringify(rec));
  rmSync(errorPath(dir, id), { force: true });
}

/** A failed task: its one-line message, then the log that holds the rest. */
export function writeFailure(dir: string, id: string, err: unknown, log?: string): void {
  const e = err as Error;
  const line = (e instanceof CeltError ? `${e.name}: ${e.describe()}` : `${e?.name ?? 'Error'}: ${e?.message ?? String(err)}`).split('\n')[0];
  writeAtomic(errorPath(dir, id), `${line}\n${log ? `log: ${log}\n` : ''}`);
}

export function readResult(dir: string, m: GridManifest, index: number): TaskRecord {
  const id = m.tasks[index]!.id, p = resultPath(dir, id);
  const rec = readJsonFile(p) as TaskRecord;
  if (rec?.id !== id || rec.identity !== m.identity) throw new GridError(`task file belongs to another grid or task (identity ${String(rec?.identity).slice(0, 12)}, grid ${m.identity.slice(0, 12)})`, { file: p });
  return { ...rec, result: decode(rec.result) };
}

export function gridStatus(dir: string, m: GridManifest): TaskState[] {
  const names = new Set(existsSync(join(dir, 'tasks')) ? readdirSync(join(dir, 'tasks')) : []);
  return m.tasks.map((t, index): TaskState => {
    if (names.has(`${t.id}.json`)) return { index, id: t.id, label: t.label, state: 'done' };
    if (names.has(`${t.id}.err`)) {
      const [error = '', logLine = ''] = readTextFile(errorPath(dir, t.id)).split('\n');
      const log = logLine.startsWith('log: ') ? logLine.slice(5) : undefined;
      return { index, id: t.id, label: t.label, state: 'failed', error, ...(log ? { log } : {}) };
    }
    return { index, id: t.id, label: t.label, state: 'missing' };
  });
}

/**
 * What runs a grid's tasks: given the shared payload once per process (a sampler, a dataset),
 * a function of one task input. Both executors call exactly this, so a task computes the same
 * numbers wherever it runs. runMany, when a stage has its own worker-thread pool, runs many
 * inputs on it and reports each result as it arrives.
 */
export interface TaskKind<S = unknown, I = unknown, R = unknown> {
  readonly name: string;
  /** `earlier(k)`: the result of task k of an earlier phase (throws when it is not done). */
  open(shared: S, earlier: (taskIndex: number) => unknown): (input: I) => R;
  runMany?(shared: S, inputs: I[], threads: number, onResult: (k: number, result: R) => void): Promise<void>;
}

/**
 * Run the unfinished tasks among `indices` in this process, one by one; a task that throws is
 * recorded in its .err file and the rest go on. Returns how many failed.
 */
export function runTasksInProcess(dir: string, m: GridManifest, kind: TaskKind, indices: number[], opts: { log?: string; onDone?: (k: number) => void } = {}): number {
  const todo = indices.filter((k) => !isDone(dir, m.tasks[k]!.id));
  if (!todo.length) return 0;
  const inputs = readInputs(dir);
  let run: (input: unknown) => unknown;
  try {
    const earlier = (j: number) => {
      if (!isDone(dir, m.tasks[j]!.id)) throw new GridError(`needs the result of task ${j} (${m.tasks[j]!.label}, phase ${phaseOfTask(m, j)}), which is not done: collect and resubmit that phase first`, { file: dir });
      return readResult(dir, m, j).result;
    };
    run = kind.open(readShared(dir), earlier);
  } catch (e) {
    // the set-up every task needs failed (a corrupt payload, a node without a module): each task says so
    for (const k of todo) writeFailure(dir, m.tasks[k]!.id, e, opts.log);
    return todo.length;
  }
  let failed = 0;
  for (const k of todo) {
    const id = m.tasks[k]!.id;
    const t0 = performance.now();
    try {
      const r = run(inputs[k]);
      writeResult(dir, m, id, r, (performance.now() - t0) / 1000);
    } catch (e) {
      failed++;
      writeFailure(dir, id, e, opts.log);
    }
    opts.onDone?.(k);
  }
  return failed;
}

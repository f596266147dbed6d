/**
 * The SLURM executor: a grid's chunks become the indices of one job array. The script runs
 * `NODE bin/celt.js exec-task DIR --chunk $SLURM_ARRAY_TASK_ID` on the node, which runs the
 * chunk's unfinished tasks in order and writes their result files (grid.ts). Nothing here
 * polls: `celt collect DIR` reads what finished and, for what did not, the scheduler's view
 * (squeue) and the exact sbatch line that resubmits only those chunks.
 * Options are checked before anything is written; sbatch must be on PATH unless --dry-run.
 */
import { execFileSync } from 'node:child_process';
import { accessSync, constants, existsSync, mkdirSync, statSync } from 'node:fs';
import { delimiter, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { CeltError, OptionError } from '../core/errors.ts';
import { readJsonFile } from '../core/files.ts';
import type { Executor, ExecOutcome } from './executor.ts';
import { chunkCount, chunkOf, chunkTasks, type GridManifest, gridStatus, phaseOfTask, type TaskKind, writeAtomic } from './grid.ts';

export interface SlurmOptions {
  dryRun?: boolean;
  /** At most this many array indices run at once (`--array=…%N`). */
  throttle?: number;
  /** --time (SLURM forms: MM, MM:SS, HH:MM:SS, D-HH, D-HH:MM, D-HH:MM:SS). */
  time?: string;
  /** --mem per node (e.g. 2G, 500M). */
  mem?: string;
  partition?: string;
  account?: string;
  /** Node.js on the compute nodes (default: the one running this command). */
  node?: string;
  /** Only these chunks (a resubmission); default: every chunk with an unfinished task. */
  chunks?: number[];
}

/** The CLI entry point next to this module, from the sources and from dist/ alike. */
export const CELT_BIN = fileURLToPath(new URL('../../bin/celt.js', import.meta.url));

const TIME_RE = /^(\d+(-\d+(:\d+){0,2})?|\d+:\d+(:\d+)?)$/;
const MEM_RE = /^\d+[KMGT]?$/;
const NAME_RE = /^[A-Za-z0-9_.,:+-]+$/;

/** Every check on the options, before any file is written; each message names the option. */
export function checkSlurmOptions(o: SlurmOptions): void {
  if (o.time !== undefined && !TIME_RE.test(o.time)) throw new OptionError(`--time '${o.time}' is not a SLURM time (MM, MM:SS, HH:MM:SS, D-HH, D-HH:MM or D-HH:MM:SS)`, { field: 'time' });
  if (o.mem !== undefined && !MEM_RE.test(o.mem)) throw new OptionError(`--mem '${o.mem}' is not a SLURM memory size (an integer with an optional K, M, G or T)`, { field: 'mem' });
  for (const k of ['partition', 'account'] as const) {
    const v = o[k];
    if (v !== undefined && !NAME_RE.test(v)) throw new OptionError(`--${k} '${v}' has characters SLURM names do not use`, { field: k });
  }
  if (o.throttle !== undefined && !(Number.isInteger(o.throttle) && o.throttle >= 1)) throw new OptionError(`--array-throttle must be a positive integer (got ${o.throttle})`, { field: 'array-throttle' });
  if (o.node !== undefined) {
    if (!existsSync(o.node) || statSync(o.node).isDirectory()) throw new OptionError(`--node ${o.node}: no such executable`, { field: 'node' });
    try {
      accessSync(o.node, constants.X_OK);
    } catch {
      throw new OptionError(`--node ${o.node} is not executable`, { field: 'node' });
    }
  }
}

/** The first `name` on PATH that is an executable file, or null. */
export function findOnPath(name: string, path = process.env.PATH ?? ''): string | null {
  for (const d of path.split(delimiter)) {
    if (!d) continue;
    const p = join(d, name);
    try {
      accessSync(p, constants.X_OK);
      if (statSync(p).isFile()) return p;
    } catch {
      /* not here */
    }
  }
  return null;
}

/** "0-3,7,9-12" from sorted distinct indices, with "%N" when throttled. */
export function arraySpec(chunks: number[], throttle?: number): string {
  const s = [...new Set(chunks)].sort((a, b) => a - b);
  const parts: string[] = [];
  for (let i = 0; i < s.length; ) {
    let j = i;
    while (j + 1 < s.length && s[j + 1] === s[j]! + 1) j++;
    parts.push(i === j ? `${s[i]}` : `${s[i]}-${s[j]}`);
    i = j + 1;
  }
  return parts.join(',') + (throttle ? `%${throttle}` : '');
}

const q = (s: string) => `'${s.replace(/'/g, `'\\''`)}'`;

/** The sbatch script of a grid: its directives, then one exec-task per array index. */
export function sbatchScript(dir: string, m: GridManifest, o: SlurmOptions, array: string): string {
  const abs = resolve(dir);
  const lines = [
    '#!/bin/bash',
    `#SBATCH --job-name=celt-${m.kind}-${m.identity.slice(0, 8)}`,
    `#SBATCH --array=${array}`,
    `#SBATCH --output=${join(abs, 'logs', '%A_%a.out')}`,
    '#SBATCH --ntasks=1',
    '#SBATCH --cpus-per-task=1',
  ];
  if (o.time) lines.push(`#SBATCH --time=${o.time}`);
  if (o.mem) lines.push(`#SBATCH --mem=${o.mem}`);
  if (o.partition) lines.push(`#SBATCH --partition=${o.partition}`);
  if (o.account) lines.push(`#SBATCH --account=${o.account}`);
  lines.push(
    `# celt task grid ${m.identity} (${m.tasks.length} tasks, ${m.chunkSize} per array index), built by:`,
    `#   ${m.command.join(' ')}`,
    '# Each array index runs the unfinished tasks of its chunk; `celt collect` merges them.',
    'set -eu',
    `exec ${q(o.node ?? process.execPath)} ${q(CELT_BIN)} exec-task ${q(abs)} --chunk "$SLURM_ARRAY_TASK_ID"`,
    '',
  );
  return lines.join('\n');
}

export interface Submission {
  jobId: string;
  array: string;
  chunks: number[];
  submitted: string;
}

export function readSubmissions(dir: string): Submission[] {
  const p = join(dir, 'slurm', 'submissions.json');
  return existsSync(p) ? (readJsonFile(p) as Submission[]) : [];
}

/** Chunks holding a task that is not done. */
export function unfinishedChunks(dir: string, m: GridManifest): number[] {
  return [...new Set(gridStatus(dir, m).filter((t) => t.state !== 'done').map((t) => chunkOf(m, t.index)))];
}

export class SlurmExecutor implements Executor {
  readonly name = 'slurm' as const;
  constructor(private readonly o: SlurmOptions) {
    checkSlurmOptions(o);
  }

  /** Refuse before anything is written when sbatch is missing (a dry run needs no SLURM). */
  static requireSbatch(dryRun: boolean | undefined): void {
    if (!dryRun && !findOnPath('sbatch')) throw new OptionError('--executor slurm: sbatch is not on PATH (run on a SLURM login node, or use --dry-run to print the job script)', { field: 'executor' });
  }

  async execute(dir: string, m: GridManifest, _kind: TaskKind): Promise<ExecOutcome> {
    const chunks = this.o.chunks ?? unfinishedChunks(dir, m);
    const array = arraySpec(chunks, this.o.throttle);
    const text = sbatchScript(dir, m, this.o, arraySpec(Array.from({ length: chunkCount(m) }, (_, c) => c), this.o.throttle));
    const script = join(resolve(dir), 'slurm', 'job.sh');
    mkdirSync(join(dir, 'slurm'), { recursive: true });
    mkdirSync(join(dir, 'logs'), { recursive: true });
    writeAtomic(script, text);
    if (this.o.dryRun) return { kind: 'dry-run', array, script, text };
    if (!chunks.length) return { kind: 'submitted', jobId: '', array: '', script };
    SlurmExecutor.requireSbatch(false);
    return submitByPhase(dir, m, chunks, this.o.throttle);
  }
}

/**
 * Submit `chunks` as one array job per phase, each later phase held until the earlier one
 * ended well (--dependency=afterok; --kill-on-invalid-dep=yes cancels it when a task of the
 * earlier phase failed, so collect reports it missing instead of pending forever).
 */
export function submitByPhase(dir: string, m: GridManifest, chunks: number[], throttle?: number): Extract<ExecOutcome, { kind: 'submitted' }> {
  const byPhase = new Map<number, number[]>();
  for (const c of [...chunks].sort((a, b) => a - b)) {
    const p = phaseOfTask(m, chunkTasks(m, c)[0]!);
    byPhase.set(p, [...(byPhase.get(p) ?? []), c]);
  }
  const ids: string[] = [], arrays: string[] = [];
  let out: Extract<ExecOutcome, { kind: 'submitted' }> | null = null;
  for (const p of [...byPhase.keys()].sort((a, b) => a - b)) {
    out = submitChunks(dir, byPhase.get(p)!, throttle, ids.at(-1));
    ids.push(out.jobId);
    arrays.push(out.array);
  }
  return { ...out!, jobId: ids.join(','), array: arrays.join(' then ') };
}

/** The grid's job script (written by the first submission or dry run), or null. */
export function jobScript(dir: string): string | null {
  const p = join(resolve(dir), 'slurm', 'job.sh');
  return existsSync(p) ? p : null;
}

/**
 * Submit `chunks` of the grid's existing job script (its directives stay; --array on the
 * command line overrides the script's) and record the submission for collect's log paths.
 */
export function submitChunks(dir: string, chunks: number[], throttle?: number, afterJob?: string): Extract<ExecOutcome, { kind: 'submitted' }> {
  const script = jobScript(dir);
  if (!script) throw new OptionError('this grid has no job script (it was not run with --executor slurm); rerun its command with --executor slurm', { file: dir });
  SlurmExecutor.requireSbatch(false);
  const array = arraySpec(chunks, throttle);
  const jobId = sbatch(['--parsable', `--array=${array}`, ...(afterJob ? [`--dependency=afterok:${afterJob}`, '--kill-on-invalid-dep=yes'] : []), script]);
  const subs = readSubmissions(dir);
  subs.push({ jobId, array, chunks: [...chunks].sort((a, b) => a - b), submitted: new Date().toISOString() });
  writeAtomic(join(dir, 'slurm', 'submissions.json'), JSON.stringify(subs, null, 1));
  return { kind: 'submitted', jobId, array, script };
}

function sbatch(args: string[]): string {
  try {
    const out = execFileSync('sbatch', args, { encoding: 'utf8', stdio: ['ignore', 'pipe', 'pipe'] });
    return out.trim().split(';')[0]!;
  } catch (e) {
    const err = e as { stderr?: string; message: string };
    const line = (err.stderr || err.message).trim().split('\n').pop();
    throw new CeltError(`sbatch refused the job: ${line}`, { field: 'executor' });
  }
}

/**
 * The scheduler's state of each chunk still queued or running, from squeue (empty when squeue
 * is missing or the jobs have left the queue). Keys are chunk indices.
 */
export function queueStates(subs: Submission[]): Map<number, string> {
  const out = new Map<number, string>();
  if (!subs.length || !findOnPath('squeue')) return out;
  let text = '';
  try {
    // -r lists each pending array element on its own line: "123_4 PENDING Resources"
    text = execFileSync('squeue', ['-h', '-r', '-j', subs.map((s) => s.jobId).join(','), '-o', '%i %T %r'], { encoding: 'utf8', stdio: ['ignore', 'pipe', 'ignore'] });
  } catch {
    return out; // jobs no longer known to the controller
  }
  for (const line of text.split('\n')) {
    const [jid, state, reason] = line.trim().split(/\s+/);
    const mt = /_(\d+)$/.exec(jid ?? '');
    if (mt && state) out.set(Number(mt[1]), reason && reason !== 'None' ? `${state} (${reason})` : state);
  }
  return out;
}

/** The log file of chunk c under its latest submission. */
export function chunkLog(dir: string, subs: Submission[], c: number): string | undefined {
  for (let i = subs.length - 1; i >= 0; i--) if (subs[i]!.chunks.includes(c)) return join(resolve(dir), 'logs', `${subs[i]!.jobId}_${c}.out`);
  return undefined;
}

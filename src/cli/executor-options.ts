/**
 * `--executor local|slurm` and its options, shared by `celt mc` and `celt search`: the option
 * list, their parsing (every check before a file is written), and the run of a grid with the
 * messages a user needs next (where the results are, or how to collect a submitted job).
 */
import type { Command } from 'commander';
import { resolve } from 'node:path';
import { CeltError, OptionError } from '../core/errors.ts';
import { type Executor, LocalExecutor } from '../exec/executor.ts';
import type { GridSpec } from '../exec/grid.ts';
import { SlurmExecutor } from '../exec/slurm.ts';
import { runGrid } from '../workflow/grids.ts';
import { optionalInteger } from './options.ts';

export interface ExecutorCliOptions {
  executor?: string;
  workDir?: string;
  dryRun?: boolean;
  arrayThrottle?: string;
  time?: string;
  mem?: string;
  partition?: string;
  account?: string;
  chunkSize?: string;
  node?: string;
}

export function addExecutorOptions(cmd: Command): Command {
  return cmd
    .option('--executor <local|slurm>', 'run the grid as resumable tasks in a work directory: local (worker threads) or slurm (a job array; `celt collect` merges)')
    .option('--work-dir <dir>', 'with --executor: the task-grid directory (default: OUT.grid)')
    .option('--chunk-size <n>', 'with --executor slurm: tasks per array index', '1')
    .option('--array-throttle <n>', 'with --executor slurm: at most n array indices at once (--array=…%n)')
    .option('--time <limit>', 'with --executor slurm: --time per array index (e.g. 30, 2:00:00, 1-00)')
    .option('--mem <size>', 'with --executor slurm: --mem per array index (e.g. 2G)')
    .option('--partition <name>', 'with --executor slurm: --partition')
    .option('--account <name>', 'with --executor slurm: --account')
    .option('--node <path>', 'with --executor slurm: Node.js on the compute nodes (default: this one)')
    .option('--dry-run', 'with --executor slurm: write the grid and the job script, print it, submit nothing');
}

export interface ExecutorChoice {
  executor: Executor;
  dir: string;
  chunkSize: number;
}

/** The executor the options ask for, or null without --executor; `out` names the default work dir. */
export function executorFromCli(o: ExecutorCliOptions, out: string | undefined, threads: number, onProgress?: (done: number, total: number) => void): ExecutorChoice | null {
  if (o.executor === undefined) {
    const stray = (['dryRun', 'arrayThrottle', 'time', 'mem', 'partition', 'account', 'node', 'workDir'] as const).find((k) => o[k] !== undefined);
    if (stray) throw new OptionError(`--${stray.replace(/[A-Z]/g, (c) => `-${c.toLowerCase()}`)} needs --executor`, { field: stray });
    return null;
  }
  if (o.executor !== 'local' && o.executor !== 'slurm') throw new OptionError(`--executor must be local or slurm (got '${o.executor}')`, { field: 'executor' });
  if (!o.workDir && !out) throw new OptionError('--executor needs --out (or --work-dir) to know where the grid lives', { field: 'work-dir' });
  const dir = resolve(o.workDir ?? `${out}.grid`);
  const chunkSize = optionalInteger('chunk-size', o.chunkSize, 1) ?? 1;
  if (o.executor === 'local') return { executor: new LocalExecutor(threads, onProgress), dir, chunkSize };
  const throttle = optionalInteger('array-throttle', o.arrayThrottle, 1);
  const node = o.node === undefined ? undefined : resolve(o.node);
  const executor = new SlurmExecutor({ ...(throttle ? { throttle } : {}), ...(o.time ? { time: o.time } : {}), ...(o.mem ? { mem: o.mem } : {}), ...(o.partition ? { partition: o.partition } : {}), ...(o.account ? { account: o.account } : {}), ...(node ? { node } : {}), ...(o.dryRun ? { dryRun: true } : {}) });
  SlurmExecutor.requireSbatch(o.dryRun);
  return { executor, dir, chunkSize };
}

/** Run the grid with the chosen executor and tell the user what happened; `label` is the command name. */
export async function runGridCli(label: string, choice: ExecutorChoice, spec: GridSpec): Promise<string[] | null> {
  const { manifest, outcome, collected } = await runGrid(choice.dir, spec, choice.chunkSize, choice.executor);
  const n = manifest.tasks.length;
  if (manifest.chunkSize !== choice.chunkSize) process.stderr.write(`celt ${label}: ${choice.dir} was built with --chunk-size ${manifest.chunkSize}; its array indices keep that size\n`);
  if (outcome.kind === 'dry-run') {
    process.stdout.write(outcome.text);
    process.stderr.write(`celt ${label}: grid of ${n} tasks in ${choice.dir}; job script ${outcome.script} (not submitted); submit with: sbatch --array=${outcome.array} ${outcome.script}\n`);
    return null;
  }
  if (outcome.kind === 'submitted') {
    if (!outcome.jobId) process.stderr.write(`celt ${label}: every task of ${choice.dir} is already done; merge with: celt collect ${choice.dir}\n`);
    else process.stderr.write(`celt ${label}: submitted SLURM job ${outcome.jobId} (array ${outcome.array}, ${n} tasks, ${manifest.chunkSize} per index); when it ends: celt collect ${choice.dir}\n`);
    return null;
  }
  if (outcome.failed > 0 || !collected?.files) {
    const bad = collected?.states.filter((s) => s.state !== 'done') ?? [];
    throw new CeltError(`${bad.length} of ${n} tasks failed (first: ${bad[0]?.label}: ${bad[0]?.error ?? 'no result'}); the rest are saved in ${choice.dir}: fix the cause and rerun, or see celt collect ${choice.dir}`);
  }
  process.stderr.write(`celt ${label}: ${n} tasks in ${choice.dir}; wrote ${collected.files.length} files\n`);
  return collected.files;
}

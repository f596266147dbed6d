/**
 * `celt exec-task DIR --chunk I` (internal; what a SLURM array index runs): the unfinished tasks
 * of chunk I of the grid in DIR, in order, each result written atomically; a task that fails
 * leaves DIR/tasks/<id>.err naming this index's log, and the command exits 1 so the scheduler
 * marks the index FAILED. Finished tasks are skipped, so a rerun only does what is missing.
 */
import type { Command } from 'commander';
import { join, resolve } from 'node:path';
import { CeltError, OptionError } from '../../core/errors.ts';
import { chunkCount, chunkTasks, readGridManifest, runTasksInProcess } from '../../exec/grid.ts';
import { gridStage } from '../../workflow/grids.ts';
import { integerOption } from '../options.ts';

export function register(program: Command): void {
  program
    .command('exec-task', { hidden: true })
    .description('internal: run one chunk of a task grid (what each SLURM array index runs)')
    .argument('<dir>', 'task-grid directory')
    .requiredOption('--chunk <i>', 'chunk index (SLURM_ARRAY_TASK_ID)')
    .action(async (dir: string, o: { chunk: string }) => {
      const m = readGridManifest(dir);
      const c = integerOption('chunk', o.chunk, 0);
      if (c >= chunkCount(m)) throw new OptionError(`--chunk ${c} is past the grid's last chunk (${chunkCount(m) - 1})`, { field: 'chunk' });
      const stage = await gridStage(m.kind);
      const job = process.env.SLURM_ARRAY_JOB_ID, idx = process.env.SLURM_ARRAY_TASK_ID;
      const log = job && idx ? join(resolve(dir), 'logs', `${job}_${idx}.out`) : undefined;
      const tasks = chunkTasks(m, c);
      const t0 = performance.now();
      const failed = runTasksInProcess(dir, m, stage.task, tasks, log ? { log } : {});
      process.stderr.write(`celt exec-task: chunk ${c}: ${tasks.length - failed} of ${tasks.length} tasks done in ${((performance.now() - t0) / 1000).toFixed(2)} s\n`);
      if (failed) throw new CeltError(`chunk ${c}: ${failed} of ${tasks.length} tasks failed (messages in ${join(dir, 'tasks')}/*.err)`);
    });
}

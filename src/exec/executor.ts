/**
 * One interface for where a grid's tasks run. `local` runs the unfinished tasks now, on this
 * machine (the stage's own worker-thread pool via TaskKind.runMany, else in this thread);
 * `slurm` (slurm.ts) writes a job-array script and submits it. Either way every task result
 * lands in DIR/tasks/<id>.json, and the stage's merge reads them back the same way.
 */
import { type GridManifest, gridStatus, isDone, phaseOfTask, readInputs, readShared, runTasksInProcess, type TaskKind, writeResult } from './grid.ts';

export type ExecOutcome =
  /** local: every task ran; `failed` of them left a .err file. */
  | { kind: 'finished'; failed: number }
  /** slurm: the job is queued; collect later. */
  | { kind: 'submitted'; jobId: string; array: string; script: string }
  /** slurm --dry-run: the script that would have been submitted. */
  | { kind: 'dry-run'; array: string; script: string; text: string };

export interface Executor {
  readonly name: 'local' | 'slurm';
  execute(dir: string, manifest: GridManifest, kind: TaskKind): Promise<ExecOutcome>;
}

export class LocalExecutor implements Executor {
  readonly name = 'local' as const;
  constructor(
    private readonly threads = 1,
    private readonly onProgress?: (done: number, total: number) => void,
  ) {}

  async execute(dir: string, m: GridManifest, kind: TaskKind): Promise<ExecOutcome> {
    const open = gridStatus(dir, m).filter((t) => t.state !== 'done').map((t) => t.index);
    const total = m.tasks.length;
    let done = total - open.length;
    this.onProgress?.(done, total);
    // phases in order; a later phase reads the earlier ones' results, so a failure stops there
    for (const phase of [...new Set(open.map((k) => phaseOfTask(m, k)))].sort((a, b) => a - b)) {
      const todo = open.filter((k) => phaseOfTask(m, k) === phase);
      if (kind.runMany && phase === 0 && this.threads > 1 && todo.length > 1) {
        // The stage's own pool: a failure there fails the run; finished tasks are already on disk.
        const inputs = readInputs(dir), shared = readShared(dir);
        const t0 = performance.now();
        await kind.runMany(shared, todo.map((k) => inputs[k]), this.threads, (j, r) => {
          const id = m.tasks[todo[j]!]!.id;
          if (!isDone(dir, id)) writeResult(dir, m, id, r, (performance.now() - t0) / 1000);
          this.onProgress?.(++done, total);
        });
        continue;
      }
      const failed = runTasksInProcess(dir, m, kind, todo, { onDone: () => this.onProgress?.(++done, total) });
      if (failed) return { kind: 'finished', failed };
    }
    return { kind: 'finished', failed: 0 };
  }
}

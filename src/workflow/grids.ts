/**
 * The task grids celt knows, by the `kind` a grid directory records: how each runs a task
 * (a TaskKind, for `celt exec-task` on a cluster node and for the local executor) and how its
 * finished results become the output files a plain local run writes (for `celt collect` and
 * for `--executor local`, so both go through one finish). Also the collect step itself:
 * status of every task, the merge when all are done, and what to resubmit when not.
 */
import { writeFileSync } from 'node:fs';
import type { Executor } from '../exec/executor.ts';
import { type GridManifest, type GridSpec, gridStatus, prepareGrid, readGridManifest, readResult, readShared, type TaskKind, type TaskState } from '../exec/grid.ts';
import { OptionError } from '../core/errors.ts';

export interface GridStage {
  task: TaskKind;
  /** Merge the results (task order) and write the outputs; returns the files written. */
  finish(manifest: GridManifest, shared: unknown, results: unknown[], taskSeconds: number): Promise<string[]>;
}

/** Loaded on demand: a node running an MC chunk never loads the fitting stack, and back. */
const STAGES: Record<string, () => Promise<GridStage>> = {
  mc: async () => {
    const { mcTaskKind, mergeMcGrid } = await import('../mc/grid.ts');
    const { writeMcOutput } = await import('../report/mc.ts');
    return {
      task: mcTaskKind as TaskKind,
      async finish(m, shared, results) {
        const f = m.finish as { out: string; plots: boolean };
        return writeMcOutput(f.out, mergeMcGrid(shared as never, results as never), { plots: f.plots });
      },
    };
  },
  search: async () => {
    const { searchTaskKind, mergeSearchGrid, searchDocument } = await import('../fit/selection/search-grid.ts');
    return {
      task: searchTaskKind as TaskKind,
      async finish(m, shared, results, taskSeconds) {
        const f = m.finish as { out: string; plot?: string; cv: string; seed: number; data: { source: string; nSamples: number; nFeatures: number } };
        const r = mergeSearchGrid(shared as never, results as never);
        const doc = searchDocument(r, f, taskSeconds);
        writeFileSync(f.out, JSON.stringify(doc, null, 1));
        const files = [f.out];
        if (f.plot) {
          const { searchPlotSpec } = await import('../report/figures.ts');
          const { writePlot } = await import('../report/plot.ts');
          const xName = (shared as { axes: { name: string }[] }).axes[0]!.name;
          const p = await writePlot(searchPlotSpec(doc.points, xName, r.best.params, r.oneSE.params, `${r.method} on ${f.data.source} (${f.cv})`), f.plot);
          files.push(p.svg, p.png);
        }
        return files;
      },
    };
  },
  sparsity: async () => {
    const { studyTaskKind, mergeStudyGrid } = await import('./sparsity-grid.ts');
    const { writeStudyOutput } = await import('./sparsity-study.ts');
    return {
      task: studyTaskKind as TaskKind,
      async finish(m, shared, results, taskSeconds) {
        const f = m.finish as { out: string; data: string; featureNames?: string[]; title: string; scale: number; unit: string };
        return writeStudyOutput(f.out, mergeStudyGrid(shared as never, results, taskSeconds), f);
      },
    };
  },
};

export async function gridStage(kind: string): Promise<GridStage> {
  const load = STAGES[kind];
  if (!load) throw new OptionError(`unknown task-grid kind '${kind}' (known: ${Object.keys(STAGES).join(', ')})`, { field: 'kind' });
  return load();
}

export interface CollectReport {
  manifest: GridManifest;
  states: TaskState[];
  /** The output files, when every task was done. */
  files: string[] | null;
}

/** Merge a grid whose tasks are all done into its outputs; otherwise only report the states. */
export async function collectGrid(dir: string, opts: { out?: string } = {}): Promise<CollectReport> {
  const manifest = readGridManifest(dir);
  const states = gridStatus(dir, manifest);
  if (states.some((s) => s.state !== 'done')) return { manifest, states, files: null };
  const stage = await gridStage(manifest.kind);
  const records = manifest.tasks.map((_, k) => readResult(dir, manifest, k));
  const m = opts.out ? { ...manifest, finish: { ...manifest.finish, out: opts.out } } : manifest;
  const files = await stage.finish(m, readShared(dir), records.map((r) => r.result), records.reduce((a, r) => a + r.seconds, 0));
  return { manifest, states, files };
}

/**
 * Build (or find) the grid in `dir` and hand it to the executor; a local run that finished
 * every task is merged at once, through the same collectGrid a cluster run ends with.
 */
export async function runGrid(dir: string, spec: GridSpec, chunkSize: number, executor: Executor): Promise<{ manifest: GridManifest; outcome: Awaited<ReturnType<Executor['execute']>>; collected: CollectReport | null }> {
  const stage = await gridStage(spec.kind);
  const manifest = prepareGrid(dir, spec, chunkSize);
  const outcome = await executor.execute(dir, manifest, stage.task);
  const collected = outcome.kind === 'finished' ? await collectGrid(dir) : null;
  return { manifest, outcome, collected };
}

/**
 * `celt mc` conditions as a task grid (src/exec): the shared payload is the model, the options
 * and the starting occupancy (drawn once, at grid build); a task is one condition, or the whole
 * --path. Every executor runs runMcTask through mcTaskKind, and the merge is mergeMcTasks — the
 * very functions runMonteCarlo uses — so a grid's merged result equals the in-process one.
 */
import { OptionError } from '../core/errors.ts';
import type { GridSpec, TaskKind } from '../exec/grid.ts';
import { ClusterExpansion } from '../model/cluster-expansion.ts';
import { buildSampler, type Condition, mcGridPlan, mcHead, type McOptions, type McResult, type McTask, type McTaskResult, mergeMcTasks, prepareMonteCarlo, runMcTask } from './run.ts';

/** Options as stored in a grid: no callbacks, no thread count (it never changes a number), the start as codes. */
export type McGridOptions = Omit<McOptions, 'onProgress' | 'threads' | 'init'> & { init: { codes: Int32Array } };

export interface McShared {
  model: unknown;
  options: McGridOptions;
  conditions: Condition[];
  seeds: number[];
}

/** The grid of `celt mc`'s conditions; refuses the ensembles that are one walk (nothing to split). */
export function mcGridSpec(model: ClusterExpansion, o: McOptions, command: string[], finish: Record<string, unknown>): GridSpec<McShared, McTask> {
  if (o.ensemble === 'wang-landau' || o.ensemble === 'anneal') throw new OptionError(`--executor: --ensemble ${o.ensemble} is one walk, not a grid of conditions; run it without --executor`, { field: 'executor' });
  const { sampler } = prepareMonteCarlo(model, o);
  const { onProgress: _p, threads: _t, init: _i, ...rest } = o;
  const options: McGridOptions = { ...rest, init: { codes: Int32Array.from(sampler.state.codes) } };
  const plan = mcGridPlan(o);
  const label = (k: number) => {
    const c = plan.conditions[k]!, mu = Object.entries(c.mu).map(([s, v]) => `${s}=${v}`).join(',');
    return `T=${c.T}${mu ? ` mu=${mu}` : ''}`;
  };
  return {
    kind: 'mc',
    shared: { model: model.toJSON(), options, conditions: plan.conditions, seeds: plan.seeds },
    inputs: plan.tasks,
    labels: plan.tasks.map((t) => (t.path ? `path of ${t.conditions.length} conditions from ${label(t.conditions[0]!)}` : label(t.conditions[0]!))),
    command,
    finish,
  };
}

export const mcTaskKind: TaskKind<McShared, McTask, McTaskResult> = {
  name: 'mc',
  open(shared) {
    const model = ClusterExpansion.fromJSON(shared.model);
    const sampler = buildSampler(model, shared.options);
    const start = shared.options.init.codes;
    return (task) => runMcTask(sampler, shared.options, shared, task, start);
  },
  async runMany(shared, tasks, threads, onResult) {
    // independent conditions only (a path is a single task): mc's own worker pool runs them
    const { runOnWorkers } = await import('./parallel.ts');
    const model = ClusterExpansion.fromJSON(shared.model);
    const only = tasks.map((t) => t.conditions[0]!);
    const where = new Map(only.map((k, j) => [k, j]));
    await runOnWorkers(model, shared.options, shared.conditions, shared.seeds, shared.options.init.codes, Math.min(threads, tasks.length), undefined, {
      only,
      onResult: (k, r) => onResult(where.get(k)!, { conditions: [r] }),
    });
  },
};

/** The merged McResult of a grid's task results (in task order), as runMonteCarlo returns it. */
export function mergeMcGrid(shared: McShared, results: McTaskResult[]): McResult {
  const t0 = performance.now();
  const model = ClusterExpansion.fromJSON(shared.model);
  const { layout } = buildSampler(model, shared.options);
  return mergeMcTasks(mcHead(layout, shared.options, (performance.now() - t0) / 1000), layout, results);
}

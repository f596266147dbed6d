/**
 * `celt collect DIR [--out PATH] [--resubmit] [--json]`: merge a task grid's finished tasks into
 * exactly the files a local run writes. When tasks are missing or failed it writes nothing and
 * reports each (with the scheduler's state from squeue, and the log of a failed one), then the
 * sbatch line that resubmits only their chunks; --resubmit submits it. Exit code 1 until every
 * task is done.
 */
import type { Command } from 'commander';
import { CeltError } from '../../core/errors.ts';
import { chunkOf, phaseOfTask, type TaskState } from '../../exec/grid.ts';
import { arraySpec, chunkLog, jobScript, queueStates, readSubmissions, submitByPhase } from '../../exec/slurm.ts';
import { collectGrid } from '../../workflow/grids.ts';
import { optionalInteger } from '../options.ts';
import { resolve } from 'node:path';

export function register(program: Command): void {
  program
    .command('collect')
    .description('merge a task grid (--executor slurm/local) into the files a local run writes; report and resubmit missing tasks')
    .argument('<dir>', 'task-grid directory')
    .option('--out <path>', 'write the merged output here instead of the path the grid recorded')
    .option('--resubmit', 'submit the chunks of missing and failed tasks again (sbatch)')
    .option('--array-throttle <n>', 'with --resubmit: at most n array indices at once')
    .option('--json', 'print the task states as JSON')
    .action(async (dir: string, o: { out?: string; resubmit?: boolean; arrayThrottle?: string; json?: boolean }) => {
      const rep = await collectGrid(dir, o.out ? { out: resolve(o.out) } : {});
      const m = rep.manifest, n = m.tasks.length;
      const subs = readSubmissions(dir);
      const open = rep.states.filter((s) => s.state !== 'done');
      const queue = open.length ? queueStates(subs) : new Map<number, string>();
      const row = (s: TaskState) => {
        const c = chunkOf(m, s.index);
        const q = queue.get(c);
        const log = s.log ?? chunkLog(dir, subs, c);
        return { index: s.index, chunk: c, id: s.id, label: s.label, state: s.state === 'missing' && q ? q : s.state, ...(s.error ? { error: s.error } : {}), ...(log ? { log } : {}) };
      };
      if (o.json) process.stdout.write(JSON.stringify({ dir: resolve(dir), kind: m.kind, identity: m.identity, tasks: n, done: n - open.length, open: open.map(row), files: rep.files }, null, 1) + '\n');
      if (rep.files) {
        process.stderr.write(`celt collect: all ${n} tasks done; wrote ${rep.files.length} files (${rep.files[0]}${rep.files.length > 1 ? ', …' : ''})\n`);
        return;
      }
      // chunks the scheduler still holds (pending or running) are not resubmitted: they would run twice
      const queued = new Set([...queue.keys()].filter((c) => open.some((s) => chunkOf(m, s.index) === c)));
      // a later phase waits for every earlier-phase chunk still in the queue: resubmit nothing past that phase
      const firstQueuedPhase = Math.min(...open.filter((s) => queued.has(chunkOf(m, s.index))).map((s) => phaseOfTask(m, s.index)));
      const chunks = [...new Set(open.filter((s) => phaseOfTask(m, s.index) <= firstQueuedPhase).map((s) => chunkOf(m, s.index)))].filter((c) => !queue.has(c));
      if (!o.json) {
        const failed = open.filter((s) => s.state === 'failed').length;
        const lines = [`celt collect: ${n - open.length} of ${n} tasks done, ${failed} failed, ${open.length - failed} missing; nothing merged`];
        for (const s of open.slice(0, 50).map(row)) lines.push(`  ${s.state}\ttask ${s.index} (chunk ${s.chunk}) ${s.label}${s.error ? `: ${s.error}` : ''}${s.log ? `\tlog ${s.log}` : ''}`);
        if (open.length > 50) lines.push(`  … ${open.length - 50} more (--json lists all)`);
        const script = jobScript(dir);
        if (queued.size) lines.push(`${queued.size} chunks are still queued or running (squeue); collect again when they end`);
        const phased = new Set(chunks.map((c) => phaseOfTask(m, m.chunks[c]![0]))).size > 1;
        if (chunks.length && !script) lines.push(`finish them: ${m.command.join(' ')}   (finished tasks are skipped)`);
        else if (chunks.length && phased) lines.push(`resubmit only these: celt collect ${dir} --resubmit   (chunks ${arraySpec(chunks)}, one array per phase, each after the previous one)`);
        else if (chunks.length) lines.push(`resubmit only these: sbatch --array=${arraySpec(chunks)} ${script}   (or: celt collect ${dir} --resubmit)`);
        process.stderr.write(lines.join('\n') + '\n');
      }
      if (o.resubmit && chunks.length) {
        const throttle = optionalInteger('array-throttle', o.arrayThrottle, 1);
        const r = submitByPhase(dir, m, chunks, throttle);
        process.stderr.write(`celt collect: resubmitted ${chunks.length} chunks as SLURM job ${r.jobId} (array ${r.array})\n`);
        return;
      }
      throw new CeltError(`${open.length} of ${n} tasks are not done`, { file: dir });
    });
}

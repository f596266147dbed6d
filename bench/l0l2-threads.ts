/**
 * Parallel search check on the six issue-15 instances under a node limit: threads = 1 and 2
 * must give the same incumbent, bound and node count (node-pool.ts); prints both with the wall
 * and per-thread CPU time, so the speed-up can be read on a loaded machine.
 *
 *   npx tsx bench/l0l2-threads.ts --lmo /tmp/l0/train.json [--nodes 200] [--only lmo|agpd] [--mu0 X]
 */
import { solveL0 } from '../src/fit/l0/bnb.ts';
import { benchArg as opt, benchInstances } from './l0l2-data.ts';

const nodes = Number(opt('--nodes') ?? 200);
const only = opt('--only');
const pick = opt('--mu0');
const threadList = (opt('--threads') ?? '1,2').split(',').map(Number);

const instances = benchInstances(only, opt('--lmo'));
for (const { label, prob } of instances) {
  if (pick && prob.mu0 !== Number(pick)) continue;
  for (const threads of threadList) {
    const cpu0 = process.cpuUsage();
    const r = solveL0(prob, { maxNodes: nodes, timeLimit: 600, gapTol: 1e-4, threads });
    const cpu = process.cpuUsage(cpu0);
    console.log(`threads=${threads} ${label.padEnd(16)} UB=${r.objective.toPrecision(10)} LB=${r.lowerBound.toPrecision(10)} gap=${r.gap.toFixed(5)} nodes=${r.nodes} (worker ${r.workerNodes}) wall ${r.elapsed.toFixed(1)} s, process CPU ${((cpu.user + cpu.system) / 1e6).toFixed(1)} s`);
  }
}

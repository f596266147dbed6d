
import { solveL0 } from '../src/fit/l0/bnb.ts';
import { benchInstances } from './l0l2-data.ts';

const args = process.argv.slice(2);
const opt = (name: string): string | undefined => {
  const i = args.indexOf(name);
  return i >= 0 ? args[i + 1] : undefined;
};
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

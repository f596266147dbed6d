/**
 * Parallel search check on the six issue-15 instances under a node limit: threads = 1 and 2
 * must give the same incumbent, bound and node count (node-pool.ts); prints both with the wall
 * and per-thread CPU time, so the speed-up can be read on a loaded machine.
 *
 *   npx tsx bench/l0l2-threads.ts --lmo /tmp/l0/train.json [--nodes 200] [--only lmo|agpd] [--mu0 X]
 */
import { loadDataset } from '../src/data/matrix-io.ts';
import { buildProblem, type L0Problem } from '../src/fit/l0/problem.ts';
import { solveL0 } from '../src/fit/l0/bnb.ts';
import { gramProblem } from './l0l2-data.ts';

const args = process.argv.slice(2);
const opt = (name: string): string | undefined => {
  const i = args.indexOf(name);
  return i >= 0 ? args[i + 1] : undefined;
};
const nodes = Number(opt('--nodes') ?? 200);
const only = opt('--only');
const pick = opt('--mu0');
const threadList = (opt('--threads') ?? '1,2').split(',').map(Number);

const instances: Array<{ label: string; prob: L0Problem }> = [];
if (only !== 'lmo') {
  const dir = new URL('../data/agpd_fcc', import.meta.url).pathname;
  const gp = gramProblem(loadDataset(`${dir}/corr.npy,${dir}/energy.npy`));
  for (const mu0 of [1.83e-4, 1.83e-3, 1.83e-2]) instances.push({ label: `agpd μ0=${mu0}`, prob: { ...buildProblem(gp.G, gp.b, gp.yy, gp.p, { mu0, mu2: 9.63e-4 }), n: gp.n } });
}
const lmo = opt('--lmo');
if (lmo && only !== 'agpd') {
  const ds = loadDataset(lmo);
  const gp = gramProblem(ds);
  const ewald = ds.featureNames.findIndex((f) => /ewald/i.test(f));
  for (const mu0 of [1.9e-4, 1.9e-3, 1.9e-2]) instances.push({ label: `lmo μ0=${mu0}`, prob: { ...buildProblem(gp.G, gp.b, gp.yy, gp.p, { mu0, mu2: 7.526e-3, hierarchy: ds.hierarchy ?? [], nonneg: [ewald] }), n: gp.n } });
}
for (const { label, prob } of instances) {
  if (pick && prob.mu0 !== Number(pick)) continue;
  for (const threads of threadList) {
    const cpu0 = process.cpuUsage();
    const r = solveL0(prob, { maxNodes: nodes, timeLimit: 600, gapTol: 1e-4, threads });
    const cpu = process.cpuUsage(cpu0);
    console.log(`threads=${threads} ${label.padEnd(16)} UB=${r.objective.toPrecision(10)} LB=${r.lowerBound.toPrecision(10)} gap=${r.gap.toFixed(5)} nodes=${r.nodes} (worker ${r.workerNodes}) wall ${r.elapsed.toFixed(1)} s, process CPU ${((cpu.user + cpu.system) / 1e6).toFixed(1)} s`);
  }
}

/**
 * A/B probe for the ℓ0ℓ2 node bounds on the six issue-15 instances under a node limit
 * (deterministic, unlike the wall-clock bench):
 *
 *   npx tsx bench/l0l2-probe.ts --lmo /tmp/l0/train.json [--nodes 50] [--only lmo|agpd] [--variant NAME]
 *
 * Prints per instance: root bound, bound and incumbent after the node limit, gap, nodes, seconds.
 */
import { loadDataset } from '../src/data/matrix-io.ts';
import { buildProblem, type L0Problem } from '../src/fit/l0/problem.ts';
import { solveL0, type BnbOptions } from '../src/fit/l0/bnb.ts';
import { gramProblem } from './l0l2-data.ts';

const args = process.argv.slice(2);
const opt = (name: string): string | undefined => {
  const i = args.indexOf(name);
  return i >= 0 ? args[i + 1] : undefined;
};
const nodes = Number(opt('--nodes') ?? 50);
const only = opt('--only');
const time = Number(opt('--time') ?? 600);

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
const variant = opt('--variant') ?? 'default';
const pick = opt('--mu0');
const extra: BnbOptions = {
  default: {},
  nohier: { hierarchyBound: false },
  cd: { relaxation: 'cd' },
  'cd-nohier': { relaxation: 'cd', hierarchyBound: false },
  z: { relaxation: 'z' },
  'z-norc': { relaxation: 'z', reducedCostFixing: false },
  'cd-norc': { relaxation: 'cd', reducedCostFixing: false },
  'z-boxonly': { relaxation: 'z', hierarchyRelaxation: false },
  'z-nohier': { relaxation: 'z', hierarchyBound: false },
}[variant] as BnbOptions;
for (const { label, prob } of instances) {
  if (pick && prob.mu0 !== Number(pick)) continue;
  const root = solveL0(prob, { maxNodes: 1, timeLimit: time, gapTol: 1e-4, ...extra });
  const r = solveL0(prob, { maxNodes: nodes, timeLimit: time, gapTol: 1e-4, ...extra });
  console.log(`${variant} ${label.padEnd(16)} root LB=${root.lowerBound.toExponential(5)}  LB=${r.lowerBound.toExponential(5)} UB=${r.objective.toExponential(5)} gap=${r.gap.toFixed(4)} nodes=${r.nodes} ${r.elapsed.toFixed(1)} s`);
}

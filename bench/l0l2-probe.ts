/**
 * A/B probe for the ℓ0ℓ2 node bounds on the six issue-15 instances under a node limit
 * (deterministic, unlike the wall-clock bench):
 *
 *   npx tsx bench/l0l2-probe.ts --lmo /tmp/l0/train.json [--nodes 50] [--only lmo|agpd] [--variant NAME]
 *
 * Prints per instance: root bound, bound and incumbent after the node limit, gap, nodes, seconds.
 */
import { solveL0, type BnbOptions } from '../src/fit/l0/bnb.ts';
import { benchArg as opt, benchInstances } from './l0l2-data.ts';

const nodes = Number(opt('--nodes') ?? 50);
const only = opt('--only');
const time = Number(opt('--time') ?? 600);

const instances = benchInstances(only, opt('--lmo'));
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

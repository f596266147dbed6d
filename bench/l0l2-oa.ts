/**
 * Outer approximation with a HiGHS MILP master (Bertsimas & Van Parys), tried on lmo_drx and
 * not kept (src/fit/l0/README.md). A node-limited branch-and-bound collects one global cut per
 * node from its dual point (RelaxationSolver.cutAt: objective(z) ≥ A − Σ z_u w_u for every z),
 * plus the incumbent's cut (tight at its support); the master
 *   min t  s.t.  t ≥ A_k − Σ_u w_ku z_u (all cuts),  z_child ≤ z_parent,  z ∈ {0,1}
 * is solved by HiGHS with the incumbent as objective bound, and its proven dual bound is
 * printed next to the search's bound at the same nodes.
 *
 *   npx tsx bench/l0l2-oa.ts --lmo /tmp/l0/train.json [--nodes 100] [--time 20] [--mu0 1.9e-2]
 */
import { loadDataset } from '../src/data/matrix-io.ts';
import { loadHighs } from '../src/core/highs.ts';
import { buildProblem } from '../src/fit/l0/problem.ts';
import { solveL0 } from '../src/fit/l0/bnb.ts';
import { RelaxationSolver } from '../src/fit/l0/relaxation.ts';
import { benchArg as opt, gramProblem } from './l0l2-data.ts';

const lmo = opt('--lmo');
if (!lmo) throw new Error('--lmo PATH (a celt TrainingSet JSON of lmo_drx) is required');
const nodes = Number(opt('--nodes') ?? 100), timeLimit = Number(opt('--time') ?? 20), mu0 = Number(opt('--mu0') ?? 1.9e-2);

const ds = loadDataset(lmo);
const gp = gramProblem(ds);
const ewald = ds.featureNames.findIndex((f) => /ewald/i.test(f));
const prob = { ...buildProblem(gp.G, gp.b, gp.yy, gp.p, { mu0, mu2: 7.526e-3, hierarchy: ds.hierarchy ?? [], nonneg: [ewald] }), n: gp.n };
const solver = new RelaxationSolver(prob);
const cuts: Array<{ A: number; w: Float64Array }> = [];
const r = solveL0(prob, { maxNodes: nodes, timeLimit: 600, onNode: (_st, rel) => { if (rel.rc) cuts.push(solver.cutAt(rel.J, rel.rc.theta)); } });
const tight = solver.cutAt(r.J, 1);
cuts.push(tight);
let atInc = tight.A;
for (const u of r.units) atInc -= tight.w[u]!;
console.log(`search: ${r.nodes} nodes, UB ${r.objective}, LB ${r.lowerBound} (gap ${r.gap.toFixed(4)}); ${cuts.length} cuts; incumbent cut at its support ${atInc}`);

const highs = await loadHighs();
const m = prob.units.length;
const starts = [0], indices: number[] = [], values: number[] = [], lo: number[] = [], hi: number[] = [];
const row = (idx: number[], val: number[], l: number, h: number) => { indices.push(...idx); values.push(...val); starts.push(indices.length); lo.push(l); hi.push(h); };
for (const c of cuts) {
  const idx = [m], val = [1];
  for (let u = 0; u < m; u++) if (c.w[u] !== 0) { idx.push(u); val.push(c.w[u]!); }
  row(idx, val, c.A, highs.infinity);
}
for (let u = 0; u < m; u++) for (const q of prob.parents[u]!) row([u, q], [1, -1], -highs.infinity, 0);
const model = highs.createModel({
  numCols: m + 1, numRows: lo.length,
  colCost: Float64Array.from({ length: m + 1 }, (_, j) => (j === m ? 1 : 0)),
  colLower: Float64Array.from({ length: m + 1 }, (_, j) => (j === m ? -highs.infinity : 0)),
  colUpper: Float64Array.from({ length: m + 1 }, (_, j) => (j === m ? highs.infinity : 1)),
  rowLower: Float64Array.from(lo), rowUpper: Float64Array.from(hi),
  matrix: { format: 'csr', numRows: lo.length, numCols: m + 1, starts: Int32Array.from(starts), indices: Int32Array.from(indices), values: Float64Array.from(values) },
  integrality: Int32Array.from({ length: m + 1 }, (_, j) => (j === m ? 0 : 1)),
} as never);
model.options.set('time_limit', timeLimit);
model.options.set('output_flag', false);
model.options.set('objective_bound', r.objective);
const t0 = performance.now();
model.run();
console.log(`master: status ${model.getModelStatus()}, dual bound ${model.info.get('mip_dual_bound')}, objective ${model.info.get('objective_function_value')}, ${model.info.get('mip_node_count')} nodes in ${((performance.now() - t0) / 1000).toFixed(1)} s`);
model.dispose();

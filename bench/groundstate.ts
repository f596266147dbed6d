/**
 * What ground-state MILPs HiGHS (WebAssembly, single thread) solves within a time limit:
 * binary fcc with pairs + NN triplets at growing supercells, and lno (Li/vacancy, Ni3+/Ni4+,
 * Ewald, charge balance). For each cell: MILP size, status, seconds, proven relative gap,
 * and the objective against simulated annealing alone (2000 proposals per site, best of 3 seeds).
 * Wall and CPU seconds are both printed: on a loaded machine CPU time is the steadier number.
 * No peer reference: icet/smol need Python MIP back ends not installed here.
 * Run: npx tsx bench/groundstate.ts [timeLimitSeconds=60] [fcc|lno|all]
 * Wall-clock on a shared 2-core machine (noisy).
 */
import type { Mat3 } from '../src/core/mat3.ts';
import { groundState } from '../src/generate/groundstate.ts';
import type { ClusterExpansion } from '../src/model/cluster-expansion.ts';
import { diag, fccModel, lnoModel } from '../test/generate/groundstate-helpers.ts';

const limit = Number(process.argv[2] ?? 60);
const which = process.argv[3] ?? 'all';
const cases: Array<[string, ClusterExpansion, Mat3, Record<string, unknown>]> = [];
if (which !== 'lno') {
  const f = fccModel();
  for (const sc of [diag(2, 2, 2), diag(3, 3, 2), diag(3, 3, 3), diag(4, 4, 2), diag(4, 4, 3), diag(4, 4, 4), diag(5, 5, 4), diag(6, 6, 4), diag(10, 10, 6)]) cases.push(['fcc', f, sc, {}]);
}
if (which !== 'fcc') {
  const l = lnoModel();
  for (const sc of [diag(2, 2, 1), diag(2, 2, 2), diag(3, 3, 1), diag(3, 3, 2), diag(4, 4, 1), diag(3, 3, 3), diag(4, 4, 2)]) cases.push(['lno', l, sc, { mu: { 'Li+': 2 } }]);
}
console.log(`time limit ${limit} s`);
console.log('case\tcell\tsites\tbinaries\tproducts\trows\tstatus\twall s\tcpu s\tgap\tE_milp (eV/prim)\tE_SA best of 3 (eV/prim)');
for (const [name, ce, sc, opts] of cases) {
  const c0 = process.cpuUsage();
  const r = await groundState(ce, { scMatrix: sc, timeLimit: limit, maxProducts: Infinity, ...opts });
  const cu = process.cpuUsage(c0);
  const cpu = (cu.user + cu.system) / 1e6;
  let sa = Infinity;
  for (const seed of [1, 2, 3]) {
    const a = await groundState(ce, { scMatrix: sc, timeLimit: limit, maxProducts: 0, annealRuns: 1, annealSweeps: 2000, seed, ...opts });
    sa = Math.min(sa, a.objective);
  }
  const cell = sc.map((r) => r.join(' ')).join(',');
  console.log(`${name}\t${cell}\t${r.codes.length}\t${r.size.binaries}\t${r.size.products}\t${r.size.rows}\t${r.status}\t${r.seconds.toFixed(1)}\t${cpu.toFixed(1)}\t${r.gap === null ? '-' : r.gap.toExponential(2)}\t${r.objective.toFixed(6)}\t${sa.toFixed(6)}`);
}

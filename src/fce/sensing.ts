/**
 * Sensing matrix (seed 002, "structure decomposition"): the forces of a displaced supercell
 * are linear in the force-constant parameters, F = A(u) θ, one row per atom and direction.
 *
 * With E = Σ_k (1/k!) Σ_{ordered tuples} Φ u…u and Φ symmetric under joint atom/index
 * permutation, the sum over the orderings of one cluster (a multiset with multiplicities m_i)
 * is k!/Πm_i! times its canonical term, so E = Σ_clusters (1/Πm_i!) Φ^c · (u_{c₁}⊗…⊗u_{c_k})
 * and F_{a,α} = −∂E/∂u_{a,α}. Clusters are taken in the periodic supercell: every orbit member
 * translated to every cell, atoms wrapped, which is the exact force of the periodic crystal.
 */
import { Mat, matMul, matVec } from '../core/matrix.ts';
import type { FcClusterSpace } from './cluster-space.ts';
import type { FcSupercell } from './supercell.ts';
import { digits } from './tensor.ts';

/** Every cluster instance in one supercell, flattened once per (space, supercell). */
export interface SensingPlan {
  nAtoms: number;
  nParams: number;
  instances: Array<{ order: number; atoms: Int32Array; factor: number; transform: Mat; paramOffset: number }>;
}

export function sensingPlan(space: FcClusterSpace, sc: FcSupercell): SensingPlan {
  const instances: SensingPlan['instances'] = [];
  for (const orbit of space.orbits) {
    for (const m of orbit.members) {
      // 1/Πm_i! over real-space repeats (canonical atoms are sorted, so repeats are adjacent)
      let factor = 1, run = 1;
      for (let i = 1; i <= m.atoms.length; i++) {
        if (i < m.atoms.length && m.atoms[i]!.every((x, t) => x === m.atoms[i - 1]![t])) run++;
        else {
          for (let r = 2; r <= run; r++) factor /= r;
          run = 1;
        }
      }
      for (const g of sc.cells) {
        const atoms = Int32Array.from(m.atoms, (a) => sc.indexOf([a[0], a[1] + g[0], a[2] + g[1], a[3] + g[2]]));
        instances.push({ order: orbit.order, atoms, factor, transform: m.transform, paramOffset: orbit.paramOffset });
      }
    }
  }
  return { nAtoms: sc.numAtoms, nParams: space.nParams, instances };
}

const DIGITS = new Map<number, Int8Array>();
function digitTable(k: number): Int8Array {
  let t = DIGITS.get(k);
  if (!t) {
    const n = 3 ** k;
    t = new Int8Array(n * k);
    for (let i = 0; i < n; i++) digits(i, k).forEach((d, j) => (t![i * k + j] = d));
    DIGITS.set(k, t);
  }
  return t;
}

/** A(u): 3N × nParams (all parameters, before the sum rules). */
export function sensingRowsFull(plan: SensingPlan, u: Float64Array): Mat {
  const P = plan.nParams;
  const A = new Mat(3 * plan.nAtoms, P);
  const a = A.data;
  for (const inst of plan.instances) {
    const k = inst.order, n = 3 ** k, dig = digitTable(k);
    const G = inst.transform.data, m = inst.transform.cols, idx = inst.atoms;
    for (let d = 0; d < n; d++) {
      for (let p = 0; p < k; p++) {
        // weight = Π_{q≠p} u[atom_q, δ_q]; skip zero products (undisplaced atoms)
        let w = inst.factor;
        for (let q = 0; q < k && w !== 0; q++) if (q !== p) w *= u[3 * idx[q]! + dig[d * k + q]!]!;
        if (w === 0) continue;
        const row = (3 * idx[p]! + dig[d * k + p]!) * P + inst.paramOffset;
        for (let j = 0; j < m; j++) a[row + j] -= w * G[d * m + j]!;
      }
    }
  }
  return A;
}

/** A(u) · sumRuleMap: 3N × nFree, the rows a fit sees. */
export function sensingRows(space: FcClusterSpace, plan: SensingPlan, u: Float64Array): Mat {
  return matMul(sensingRowsFull(plan, u), space.sumRuleMap);
}

/** Forces of the expansion with full parameters θ at displacements u. */
export function predictForces(plan: SensingPlan, theta: ArrayLike<number>, u: Float64Array): Float64Array {
  return matVec(sensingRowsFull(plan, u), theta);
}

/**
 * Shared helpers of the Monte Carlo tests: the lno model (real space with its Ewald term and
 * ECIs from a ridge fit of the embedded lno data, rounded and written out here so the tests do
 * not refit), exhaustive enumeration of a small supercell with energies from the model's own
 * feature path (CorrelationEvaluator + EwaldTerm, not the MC processors), and exact
 * Boltzmann averages.
 */
import { readFileSync } from 'node:fs';
import type { Mat3 } from '../../src/core/mat3.ts';
import { ClusterExpansion } from '../../src/model/cluster-expansion.ts';
import { ClusterSpace } from '../../src/space/cluster-space.ts';
import { CorrelationEvaluator } from '../../src/space/correlation.ts';
import { parseCutoffs } from '../../src/space/cutoffs.ts';
import { EwaldTerm } from '../../src/space/ewald.ts';
import { structureFromPymatgen } from '../../src/structure/io/pymatgen.ts';
import { supercellSites } from '../../src/structure/supercell.ts';
import { KB_EV } from '../../src/core/units.ts';
import { seriesStats } from '../../src/mc/analysis.ts';
import type { Layout } from '../../src/mc/state.ts';
import { DATA_DIR } from '../data-dir.ts';

export const SC2: Mat3 = [[2, 0, 0], [0, 2, 0], [0, 0, 2]];

/**
 * lno with pairs to 5 Å and triplets to 3 Å plus Ewald: 12 features. ECIs: `ridge alpha=1e-6`
 * on the 27 mapped lno entries (featurize with supercell size O2-), intercept folded into c0,
 * rounded to 4 significant digits.
 */
export const LNO_ECI = [-22.74, 2.005, 2.005, 0.1445, 0.002089, -0.03671, -0.01816, -0.02741, 0.005768, 0.01481, 0.005846, 0.1061];

let cached: ClusterSpace | null = null;
export function lnoSpace(): ClusterSpace {
  if (!cached) {
    const prim = structureFromPymatgen(JSON.parse(readFileSync(`${DATA_DIR}/lno/prim.json`, 'utf8')));
    cached = ClusterSpace.build(prim, parseCutoffs('2:5,3:3'), { ewald: true });
  }
  return cached;
}

export function lnoModel(eci: number[] = LNO_ECI): ClusterExpansion {
  return new ClusterExpansion(lnoSpace(), eci, { method: 'hand', params: {}, intercept: 0 });
}

export interface Enumerated {
  codes: Int32Array[];
  /** Whole-supercell energies (eV). */
  energy: Float64Array;
  /** Slot counts per state. */
  counts: Int32Array[];
}

/** Every occupancy of the active sites (all sublattices binary or not), filtered. */
export function enumerate(model: ClusterExpansion, layout: Layout, keep: (counts: Int32Array) => boolean = () => true): Enumerated {
  const space = model.space;
  const ev = new CorrelationEvaluator(space, layout.scMatrix);
  const ew = space.ewald ? EwaldTerm.build(space.prim, layout.scMatrix, supercellSites(space.prim, layout.scMatrix)) : null;
  const act = layout.activeSites;
  const radix = Array.from(act, (s) => layout.sublattices[layout.subOf[s]!]!.species.length);
  const total = radix.reduce((a, b) => a * b, 1);
  const out: Enumerated = { codes: [], energy: new Float64Array(0), counts: [] };
  const energies: number[] = [];
  const codes = new Int32Array(layout.nSites);
  for (let k = 0; k < total; k++) {
    let r = k;
    const counts = new Int32Array(layout.nSlots);
    act.forEach((s, i) => {
      codes[s] = r % radix[i]!;
      r = Math.floor(r / radix[i]!);
      counts[layout.slotOf(s, codes[s]!)]!++;
    });
    if (!keep(counts)) continue;
    const f = new Float64Array(space.nFeatures);
    f.set(ev.correlations(codes));
    if (ew) f[space.ewaldIndex] = ew.valuePerPrim(codes);
    energies.push(model.predictOne(f) * layout.nPrims);
    out.codes.push(Int32Array.from(codes));
    out.counts.push(counts);
  }
  out.energy = Float64Array.from(energies);
  return out;
}

/** Exact averages of energy per prim and of each slot count under weights exp(−β(E − Σ μ_slot n_slot)). */
export function exactAverages(en: Enumerated, T: number, nPrims: number, muSlot?: Float64Array): { energy: number; counts: Float64Array; lnZ: number; energyVar: number } {
  const beta = 1 / (KB_EV * T);
  const h = Array.from(en.energy, (e, k) => {
    let w = 0;
    if (muSlot) en.counts[k]!.forEach((n, s) => (w += muSlot[s]! * n));
    return -beta * (e - w);
  });
  const m = Math.max(...h);
  let Z = 0, e1 = 0, e2 = 0;
  const counts = new Float64Array(en.counts[0]!.length);
  h.forEach((x, k) => {
    const w = Math.exp(x - m);
    Z += w;
    const e = en.energy[k]! / nPrims;
    e1 += w * e;
    e2 += w * e * e;
    en.counts[k]!.forEach((n, s) => (counts[s]! += w * n));
  });
  for (let s = 0; s < counts.length; s++) counts[s]! /= Z;
  return { energy: e1 / Z, counts, lnZ: m + Math.log(Z), energyVar: e2 / Z - (e1 / Z) ** 2 };
}

/**
 * Square-lattice Ising model as a cluster expansion: one site (A/B) in a tetragonal cell with
 * a = 1 Å, c = 10 Å, pairs to 1.2 Å (only the four in-plane neighbours). Sinusoid basis on two
 * species: φ₁(σ) = −cos(πσ) = ±1 (code 0 → −1, code 1 → +1). With E = Π·J per site and two bonds
 * per site, H = −J Σ⟨ij⟩ s_i s_j needs the pair ECI −2J. J is in eV.
 */
export function isingModel(J: number): ClusterExpansion {
  const prim = structureFromPymatgen({
    '@module': 'pymatgen.core.structure', '@class': 'Structure',
    lattice: { matrix: [[1, 0, 0], [0, 1, 0], [0, 0, 10]] },
    sites: [{ species: [{ element: 'Cu', occu: 0.5 }, { element: 'Au', occu: 0.5 }], abc: [0, 0, 0], label: 'X' }],
  });
  const space = ClusterSpace.build(prim, parseCutoffs('2:1.2'), { basis: 'sinusoid' });
  if (space.nCorrelations !== 3 || space.orbits[1]!.size !== 2 || space.orbits[1]!.multiplicity !== 2) {
    throw new Error(`Ising space should be constant + point + one pair orbit of multiplicity 2, got ${JSON.stringify(space.orbitTable())}`);
  }
  return new ClusterExpansion(space, [0, 0, -2 * J], { method: 'hand', params: {}, intercept: 0 });
}

/** Mean and standard error of the number of atoms in `slots` over a condition's trace after equilibration. */
export function slotStats(detail: { trace: { step: number[]; counts: number[][] } }, equilibrationSteps: number, slots: number[]): { mean: number; stderr: number } {
  const xs = detail.trace.counts.filter((_, k) => detail.trace.step[k]! > equilibrationSteps).map((c) => slots.reduce((s, q) => s + c[q]!, 0));
  const st = seriesStats(xs);
  return { mean: st.mean, stderr: st.stderr };
}

/** |mc − exact| ≤ 4 standard errors, with a message that shows the numbers. */
export function within4(mc: number, se: number, exact: number, what: string): void {
  const z = Math.abs(mc - exact) / se;
  if (!(z <= 4)) throw new Error(`${what}: MC ${mc} ± ${se} vs exact ${exact} (${z.toFixed(2)} standard errors)`);
}

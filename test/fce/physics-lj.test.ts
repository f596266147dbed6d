/**
 * Lennard-Jones fcc (argon-like, smooth cutoff 6.1 Å between the 2nd and 3rd shells; 2nd-order
 * cutoff 6.2 Å ≥ the potential's): held-out force error of a 2nd+3rd-order FCE at 0.05 Å rms
 * displacements, and fitted 2nd-order constants against finite-difference second derivatives
 * of the potential itself. Also the potential's forces against −dE/du (so the reference is right).
 */
import { strict as assert } from 'node:assert';
import { test } from 'node:test';
import { Rng } from '../../src/core/rng.ts';
import { FcClusterSpace } from '../../src/fce/cluster-space.ts';
import { fitFce } from '../../src/fce/fit.ts';
import { rattle } from '../../src/fce/generate.ts';
import { LennardJones } from '../../src/fce/potentials.ts';
import { predictForces, sensingPlan } from '../../src/fce/sensing.ts';
import { FcSupercell } from '../../src/fce/supercell.ts';
import { fccPrim } from './helpers.ts';

const prim = fccPrim(5.26, 'Ar');
const lj = LennardJones.argonLike();
const sc = new FcSupercell(prim, [[-3, 3, 3], [3, -3, 3], [3, 3, -3]]); // 3×3×3 conventional, 108 atoms
const mass = 39.948;

function structures(n: number, std: number, seed: number) {
  const rng = new Rng(seed);
  return Array.from({ length: n }, (_, s) => {
    const u = rattle(sc.numAtoms, std, rng);
    return { supercell: sc, displacements: u, forces: lj.forces(sc, u), label: `s${s}` };
  });
}

test('LJ forces are −dE/du (central differences of the energy)', () => {
  const u = structures(1, 0.05, 5)[0]!.displacements;
  const f = lj.forces(sc, u), h = 1e-5;
  for (const c of [0, 1, 2, 100, 200, 323]) {
    const up = u.slice(), dn = u.slice();
    up[c] += h;
    dn[c] -= h;
    const fd = -(lj.energy(sc, up) - lj.energy(sc, dn)) / (2 * h);
    assert.ok(Math.abs(fd - f[c]!) < 1e-7, `component ${c}: ${fd} vs ${f[c]}`);
  }
});

test('LJ: 2nd+3rd-order FCE predicts held-out forces at 0.05 Å rms with relative RMSE < 5 %', () => {
  const cs = FcClusterSpace.build(prim, new Map([[2, 6.2], [3, 5.3]]));
  const res = fitFce(cs, structures(8, 0.05, 1), 'ols', {}, { cvFolds: 4, masses: [mass] });
  const plan = sensingPlan(cs, sc);
  let se = 0, ss = 0;
  for (const t of structures(4, 0.05, 2)) {
    const f = predictForces(plan, res.model.parameters, t.displacements);
    f.forEach((v, i) => { se += (v - t.forces[i]!) ** 2; ss += t.forces[i]! ** 2; });
  }
  const rel = Math.sqrt(se / ss);
  assert.ok(rel < 0.05, `relative RMSE ${rel}`);
});

test('LJ: 2nd-order constants fitted from 0.005 Å displacements equal finite differences of the potential to 1e-4', () => {
  // 4th order is in the model so the quartic terms do not renormalize the harmonic constants
  // (with 2nd+3rd only the on-site constant is off by ≈ 5e-4 relative: ⟨u²⟩Φ⁽⁴⁾ bias)
  const cs = FcClusterSpace.build(prim, new Map([[2, 6.2], [3, 5.3], [4, 4.0]]));
  const res = fitFce(cs, structures(5, 0.005, 3), 'ols', {}, { cvFolds: 0, masses: [mass] });
  const h = 1e-4;
  let maxDiff = 0, maxPhi = 0;
  const fc2 = res.model.pairForceConstants();
  assert.equal(fc2.length, 1 + 12 + 6, 'on-site, 12 first and 6 second neighbours');
  for (const p of fc2) {
    const i = sc.indexOf([p.i, 0, 0, 0]), j = sc.indexOf([p.j, ...p.offset]);
    for (let b = 0; b < 3; b++) {
      const u = new Float64Array(3 * sc.numAtoms);
      u[3 * j + b] = h;
      const fp = lj.forces(sc, u);
      u[3 * j + b] = -h;
      const fm = lj.forces(sc, u);
      for (let c = 0; c < 3; c++) {
        const fd = -(fp[3 * i + c]! - fm[3 * i + c]!) / (2 * h);
        maxDiff = Math.max(maxDiff, Math.abs(fd - p.phi[3 * c + b]!));
        maxPhi = Math.max(maxPhi, Math.abs(fd));
      }
    }
  }
  assert.ok(maxDiff / maxPhi < 1e-4, `max |Φ_fit − Φ_FD| / max |Φ| = ${maxDiff / maxPhi} (max |Φ| ${maxPhi} eV/Å²)`);
});

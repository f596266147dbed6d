import { test } from 'node:test';
import assert from 'node:assert/strict';
import { InputError } from '../../src/core/errors.ts';
import { voltageProfile, voltagePointsFromEntries } from '../../src/thermo/voltage.ts';
import { compareGroundStates } from '../../src/thermo/ground-states.ts';
import { parseFormula, hullCoordinates } from '../../src/thermo/composition.ts';

const near = (a: number, b: number, tol = 1e-9) => Math.abs(a - b) <= tol;

// Hand computation, Li_x Mn2O4 (energies per Mn2O4 formula unit, μ_Li = −1.90 eV):
//   E(0) = −50.0, E(1) = −56.5, E(2) = −60.9, and an off-hull E(0.5) = −53.0 (hull there −53.25).
//   V(0→1) = −[(−56.5) − (−50.0) − 1·(−1.90)]/1 = −(−6.5 + 1.9) = 4.6 V
//   V(1→2) = −[(−60.9) − (−56.5) − 1·(−1.90)]/1 = −(−4.4 + 1.9) = 2.5 V
//   average 0→2: −[(−60.9) − (−50.0) + 2·1.90]/2 = −(−10.9 + 3.8)/2 = 3.55 V
const spinel = [
  { x: 0, e: -50.0, id: 'Mn2O4' },
  { x: 1, e: -56.5, id: 'LiMn2O4' },
  { x: 2, e: -60.9, id: 'Li2Mn2O4' },
  { x: 0.5, e: -53.0, id: 'Li0.5Mn2O4' },
];

test('voltage profile of a 3-phase example matches the hand computation', () => {
  const v = voltageProfile(spinel, -1.9);
  assert.deepEqual(v.groundStates, [0, 1, 2]);
  assert.equal(v.steps.length, 2);
  assert.ok(near(v.steps[0]!.voltage, 4.6) && v.steps[0]!.x1 === 0 && v.steps[0]!.x2 === 1);
  assert.ok(near(v.steps[1]!.voltage, 2.5) && v.steps[1]!.x1 === 1 && v.steps[1]!.x2 === 2);
  assert.ok(near(v.averageVoltage, 3.55));
  assert.ok(near(v.eAboveHull[3]!, 0.25));
  // A divalent ion halves every voltage (z = 2 electrons per ion).
  assert.ok(near(voltageProfile(spinel, -1.9, { ionCharge: 2 }).steps[0]!.voltage, 2.3));
});

test('an extra ground state splits a step (x = 0.5 at −53.5 eV)', () => {
  // V(0→0.5) = −[(−53.5) − (−50) + 0.5·1.9]/0.5 = −(−3.5 + 0.95)/0.5 = 5.1 V
  // V(0.5→1) = −[(−56.5) − (−53.5) + 0.5·1.9]/0.5 = −(−3.0 + 0.95)/0.5 = 4.1 V
  const pts = spinel.map((p) => (p.x === 0.5 ? { ...p, e: -53.5 } : p));
  const v = voltageProfile(pts, -1.9);
  assert.deepEqual(v.steps.map((s) => +s.voltage.toFixed(9)), [5.1, 4.1, 2.5]);
});

test('voltage from compositions and total energies: same voltages for any host normalization', () => {
  const entries = [
    { id: 'a', composition: parseFormula('Mn4O8'), energy: -100.0 }, // 2 f.u. Mn2O4
    { id: 'b', composition: parseFormula('LiMn2O4'), energy: -56.5 },
    { id: 'c', composition: parseFormula('Li4Mn4O8'), energy: -121.8 },
  ];
  const auto = voltagePointsFromEntries(entries, 'Li'); // host reduced to MnO2
  assert.deepEqual(auto.points.map((p) => p.x), [0, 0.5, 1]);
  const v1 = voltageProfile(auto.points, -1.9);
  const given = voltagePointsFromEntries(entries, 'Li', parseFormula('Mn2O4'));
  assert.deepEqual(given.points.map((p) => p.x), [0, 1, 2]);
  const v2 = voltageProfile(given.points, -1.9);
  for (const v of [v1, v2]) assert.deepEqual(v.steps.map((s) => +s.voltage.toFixed(9)), [4.6, 2.5]);
  assert.throws(() => voltagePointsFromEntries([...entries, { id: 'bad', composition: parseFormula('LiMn3O4'), energy: -60 }], 'Li'), (e: unknown) => e instanceof InputError && e.location.entry === 'bad');
});

test('missing and spurious ground states on a hand case', () => {
  // x:      0     0.25   0.5   0.75   1
  // DFT:    0    −0.30  −0.50 −0.20   0   → lines −x (0..0.5) and x − 1 (0.5..1): GS {0, 1, 2, 4}
  // CE:     0    −0.20  −0.50 −0.30   0   → 0.25 above (−0.2 > −0.25), 0.75 below: GS {0, 2, 3, 4}
  const xs = [0, 0.25, 0.5, 0.75, 1];
  const r = compareGroundStates(xs.map((x, i) => ({ x: [1 - x, x], id: i })), [0, -0.3, -0.5, -0.2, 0], [0, -0.2, -0.5, -0.3, 0]);
  assert.deepEqual(r.matched, [0, 2, 4]);
  assert.deepEqual(r.missing, [1]);
  assert.deepEqual(r.spurious, [3]);
  assert.ok(near(r.ceHull.eAboveHull[1]!, 0.05));
});

test('compositions: formulas, end members, components', () => {
  assert.deepEqual([...parseFormula('Li0.5(CoO2)2')], [['Li', 0.5], ['Co', 2], ['O', 4]]);
  assert.throws(() => parseFormula('Li(CoO2'), InputError);
  assert.throws(() => parseFormula('Qq2'), InputError);
  // Li0.5CoO2 between CoO2 and LiCoO2: 0.5 + 0.5 f.u., x = (0.5, 0.5), energy per f.u.
  const c = hullCoordinates([{ id: 1, composition: parseFormula('Li0.5CoO2'), energy: -10 }, { id: 2, composition: parseFormula('Li2Co2O4'), energy: -30 }], {
    endMembers: [{ name: 'CoO2', composition: parseFormula('CoO2') }, { name: 'LiCoO2', composition: parseFormula('LiCoO2') }],
  });
  assert.ok(near(c.points[0]!.x[0]!, 0.5) && near(c.points[0]!.x[1]!, 0.5) && near(c.points[0]!.e, -10));
  assert.ok(near(c.points[1]!.x[1]!, 1) && near(c.points[1]!.e, -15));
  assert.throws(() => hullCoordinates([{ id: 'x', composition: parseFormula('Li2O'), energy: -1 }], { endMembers: [{ name: 'CoO2', composition: parseFormula('CoO2') }, { name: 'LiCoO2', composition: parseFormula('LiCoO2') }] }), /not a non-negative combination/);
  // element components: eV/atom
  const e = hullCoordinates([{ id: 'a', composition: parseFormula('AgPd3'), energy: -20 }]);
  assert.deepEqual(e.components, ['Ag', 'Pd']);
  assert.ok(near(e.points[0]!.e, -5) && near(e.points[0]!.x[0]!, 0.25));
  assert.throws(() => hullCoordinates([{ id: 'a', composition: parseFormula('AgPd3'), energy: -20 }], { components: ['Ag'] }), /not among the components/);
});

/**
 * Charge-neutral semigrand (table exchanges + canonical swaps) on lno 2×2×2 with its Ewald
 * term: the exchange table is the hand-derived Vac→Li⁺ + Ni⁴⁺→Ni³⁺ direction (charge
 * +1 + 3 − 4 = 0); the table plus swaps connects all C(16,8) = 12,870 charge-balanced states
 * (breadth-first search over every concrete move); and MC energy and Li content at 3 T × 2 μ
 * agree with exact enumeration of those states within 4 standard errors.
 */
import assert from 'node:assert/strict';
import { test } from 'node:test';
import { InputError } from '../../src/core/errors.ts';
import { exchangeTable, integerNullSpace } from '../../src/mc/exchange-table.ts';
import { runMonteCarlo } from '../../src/mc/run.ts';
import { Layout } from '../../src/mc/state.ts';
import { enumerate, exactAverages, lnoModel, SC2, slotStats, within4 } from './helpers.ts';

const model = lnoModel();
const layout = new Layout(model.space, SC2);
const balanced = (c: Int32Array) => c[0]! + 3 * c[2]! + 4 * c[3]! === 32;

test('exchange table of lno is the single direction (Li+ +1, Vac −1, Ni3+ +1, Ni4+ −1)', () => {
  const t = exchangeTable(layout);
  assert.deepEqual(t.slotSpecies, ['Li+', 'Vacancy', 'Ni3+', 'Ni4+']);
  assert.deepEqual(t.rows, [[1, -1, 1, -1]]);
  // a two-direction case: {A+, B2+, Vac} × {C3+, D4+}: rank-3 constraints on 5 slots leave 2 directions
  const ns = integerNullSpace([[1, 1, 1, 0, 0], [0, 0, 0, 1, 1], [1, 2, 0, 3, 4]], 5);
  assert.equal(ns.length, 2);
  for (const v of ns) {
    assert.equal(v[0]! + v[1]! + v[2]!, 0);
    assert.equal(v[3]! + v[4]!, 0);
    assert.equal(v[0]! + 2 * v[1]! + 3 * v[3]! + 4 * v[4]!, 0);
  }
});

test('table exchanges + swaps connect every charge-balanced state of the 16-site cell', () => {
  const act = Array.from(layout.activeSites);
  const table = exchangeTable(layout).rows;
  assert.ok(table.every((u) => u.every((x) => Math.abs(x) <= 1)), 'BFS below handles |u_s| ≤ 1');
  const dirs = table.flatMap((u) => [u, u.map((x) => -x)]);
  const slotOf = (bits: number, k: number) => layout.slotOf(act[k]!, (bits >> k) & 1);
  const counts = (bits: number) => {
    const c = new Int32Array(4);
    act.forEach((_, k) => c[slotOf(bits, k)]!++);
    return c;
  };
  let start = -1, nBalanced = 0;
  for (let b = 0; b < 1 << 16; b++) if (balanced(counts(b))) {
    nBalanced++;
    if (start < 0) start = b;
  }
  assert.equal(nBalanced, 12870);
  const seen = new Uint8Array(1 << 16);
  const queue = [start];
  seen[start] = 1;
  let reached = 0;
  while (queue.length) {
    const b = queue.pop()!;
    reached++;
    const next: number[] = [];
    // swaps: two sites of one sublattice with different codes
    for (let i = 0; i < 16; i++) for (let j = i + 1; j < 16; j++) {
      if (layout.subOf[act[i]!] === layout.subOf[act[j]!] && ((b >> i) & 1) !== ((b >> j) & 1)) next.push(b ^ (1 << i) ^ (1 << j));
    }
    // exchanges: every choice of one site per removed slot; binary sublattices leave one added code each
    for (const u of dirs) {
      const rm = u.map((x, s) => (x < 0 ? s : -1)).filter((s) => s >= 0);
      const choices = rm.map((s) => act.map((_, k) => k).filter((k) => slotOf(b, k) === s));
      const rec = (d: number, bits: number): void => {
        if (d === rm.length) return void next.push(bits);
        for (const k of choices[d]!) rec(d + 1, bits ^ (1 << k));
      };
      rec(0, b);
    }
    for (const n of next) {
      assert.ok(balanced(counts(n)), 'every move keeps the cell neutral');
      if (!seen[n]) {
        seen[n] = 1;
        queue.push(n);
      }
    }
  }
  assert.equal(reached, 12870);
});

test('charge-neutral lno: E and Li content at 3 T × 2 μ within 4 standard errors of the 12,870 balanced states', async () => {
  const en = enumerate(model, layout, balanced);
  assert.equal(en.energy.length, 12870);
  const Ts = [2000, 4000, 8000];
  const mus = [{ 'Li+': -5.6 }, { 'Li+': -5.25 }];
  const res = await runMonteCarlo(model, { supercell: SC2, ensemble: 'charge-neutral', T: Ts, mu: mus, steps: 300000, warmup: 5000, thin: 16, seed: 3, swapShare: 0.5, init: { composition: [{ species: 'Li+', fraction: 0.5 }, { species: 'Ni4+', fraction: 0.5 }] } });
  res.summary.conditions.forEach((c, k) => {
    const muSlot = Float64Array.from(layout.slotSpecies, (s) => (c.mu as Record<string, number>)[s] ?? 0);
    const ex = exactAverages(en, c.T, 8, muSlot);
    assert.ok(ex.counts[0]! > 0.15 && ex.counts[0]! < 7.85, `condition ${k}: ⟨N_Li⟩ = ${ex.counts[0]} is not saturated`);
    within4(c.energy!.mean, c.energy!.stderr, ex.energy, `E at T=${c.T}, μ=${JSON.stringify(c.mu)}`);
    const sLi = slotStats(res.details[k]!, c.equilibrationSteps, [0]);
    within4(sLi.mean, sLi.stderr, ex.counts[0]!, `⟨N_Li⟩ at T=${c.T}, μ=${JSON.stringify(c.mu)}`);
    // neutrality: Ni4+ count = 8 − Li count in every sample
    assert.ok(Math.abs(c.composition['Li+']! + c.composition['Ni4+']! - 1) < 1e-12);
  });
});

test('a charge-imbalanced start is refused for charge-neutral sampling', async () => {
  await assert.rejects(
    runMonteCarlo(model, { supercell: SC2, ensemble: 'charge-neutral', T: [1000], steps: 10, init: { composition: [{ species: 'Li+', fraction: 0.5 }, { species: 'Ni4+', fraction: 0.25 }] } }),
    (e: unknown) => e instanceof InputError && /charge/.test(e.message) && e.location.field === 'composition',
  );
});

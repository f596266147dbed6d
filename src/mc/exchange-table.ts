/**
 * The exchange table of charge-neutral semigrand sampling: integer directions u in the space
 * of slot counts (one slot per active sublattice × species) with Σ_{s∈sublattice} u_s = 0 for
 * every sublattice (site counts fixed) and Σ_s q_s u_s = 0 (charge fixed). They are a basis of
 * the integer null space of that constraint matrix: exact rational reduced row echelon form,
 * one vector per free column scaled to coprime integers, then shortened by pairwise
 * reduction (v ← v ± w while the L1 norm drops) so each exchange touches as few sites as
 * possible, then completed with every short combination (completeTable). For the lno test cell
 * the table is the single direction Vac→Li⁺ + Ni⁴⁺→Ni³⁺.
 */
import { InputError } from '../core/errors.ts';
import type { Layout } from './state.ts';

export interface ExchangeTable {
  /** One row per direction, length nSlots. */
  rows: number[][];
  slotSpecies: string[];
}

function gcd(a: number, b: number): number {
  a = Math.abs(a);
  b = Math.abs(b);
  while (b) [a, b] = [b, a % b];
  return a;
}

/** Exact fractions on safe integers (constraint entries are small: 0, 1 and formal charges). */
class Frac {
  constructor(readonly n: number, readonly d = 1) {}
  static of(n: number, d = 1): Frac {
    if (d < 0) [n, d] = [-n, -d];
    const g = gcd(n, d) || 1;
    return new Frac(n / g, d / g);
  }
  sub(o: Frac): Frac { return Frac.of(this.n * o.d - o.n * this.d, this.d * o.d); }
  mul(o: Frac): Frac { return Frac.of(this.n * o.n, this.d * o.d); }
  div(o: Frac): Frac { return Frac.of(this.n * o.d, this.d * o.n); }
  get zero(): boolean { return this.n === 0; }
}

/** Integer basis of {u : C u = 0} for a small integer matrix C (rows × cols). */
export function integerNullSpace(C: number[][], cols: number): number[][] {
  // charges like 1.5 would break integrality; scale each row to integers first
  const rows = C.map((r) => {
    let scale = 1;
    while (r.some((x) => Math.abs(x * scale - Math.round(x * scale)) > 1e-9) && scale < 1e6) scale *= 10;
    return r.map((x) => new Frac(Math.round(x * scale)));
  });
  const pivots: number[] = [];
  let rank = 0;
  for (let c = 0; c < cols && rank < rows.length; c++) {
    const p = rows.findIndex((r, i) => i >= rank && !r[c]!.zero);
    if (p < 0) continue;
    [rows[rank], rows[p]] = [rows[p]!, rows[rank]!];
    const piv = rows[rank]![c]!;
    rows[rank] = rows[rank]!.map((x) => x.div(piv));
    for (let i = 0; i < rows.length; i++) {
      if (i === rank || rows[i]![c]!.zero) continue;
      const f = rows[i]![c]!;
      rows[i] = rows[i]!.map((x, k) => x.sub(f.mul(rows[rank]![k]!)));
    }
    pivots.push(c);
    rank++;
  }
  const basis: number[][] = [];
  for (let free = 0; free < cols; free++) {
    if (pivots.includes(free)) continue;
    const v = Array.from({ length: cols }, () => new Frac(0));
    v[free] = new Frac(1);
    pivots.forEach((pc, r) => (v[pc] = Frac.of(-rows[r]![free]!.n, rows[r]![free]!.d)));
    const lcm = v.reduce((l, x) => (l * x.d) / gcd(l, x.d), 1);
    let ints = v.map((x) => (x.n * lcm) / x.d);
    const g = ints.reduce((a, x) => gcd(a, x), 0) || 1;
    ints = ints.map((x) => x / g);
    basis.push(ints);
  }
  return shorten(basis);
}

const l1 = (v: number[]) => v.reduce((s, x) => s + Math.abs(x), 0);

/** Pairwise reduction: replace a vector by v ± w while that lowers its L1 norm (keeps the lattice). */
function shorten(basis: number[][]): number[][] {
  for (let changed = true, guard = 0; changed && guard < 1000; guard++) {
    changed = false;
    for (let i = 0; i < basis.length; i++) {
      for (let j = 0; j < basis.length; j++) {
        if (i === j) continue;
        for (const sgn of [1, -1]) {
          const t = basis[i]!.map((x, k) => x + sgn * basis[j]![k]!);
          if (l1(t) < l1(basis[i]!)) {
            basis[i] = t;
            changed = true;
          }
        }
      }
    }
  }
  // a leading positive entry makes the table independent of elimination order details
  return basis.map((v) => (v.find((x) => x !== 0)! < 0 ? v.map((x) => -x) : v).map((x) => x + 0)); // + 0 turns −0 into 0
}

/**
 * Every short direction: integer combinations of the basis with coefficients in −2..2 whose L1
 * norm does not exceed the longest basis vector's, primitive (gcd 1), one sign each. A basis
 * alone can leave corner states unreachable in small cells (the combination that reaches them
 * passes through infeasible intermediate states: on a 2-prim lmo_drx cell the basis reaches 101
 * of 102 neutral states, the completed table all 102); short combinations restore those moves
 * and keep each exchange local. More directions do not affect detailed balance: ±u are drawn
 * with the same rule, and the mask factor counts them all.
 */
export function completeTable(basis: number[][]): number[][] {
  const maxL1 = Math.max(...basis.map(l1));
  const n = basis[0]!.length;
  const seen = new Set<string>();
  const out: number[][] = [];
  const coef = new Array<number>(basis.length).fill(-2);
  for (;;) {
    const v = new Array<number>(n).fill(0);
    basis.forEach((b, i) => b.forEach((x, k) => (v[k]! += coef[i]! * x)));
    const g = v.reduce((a, x) => gcd(a, x), 0);
    if (g === 1 && l1(v) <= maxL1) {
      const canon = (v.find((x) => x !== 0)! < 0 ? v.map((x) => -x) : v).map((x) => x + 0);
      const key = canon.join(',');
      if (!seen.has(key)) {
        seen.add(key);
        out.push(canon);
      }
    }
    let i = 0;
    while (i < coef.length && coef[i] === 2) coef[i++] = -2;
    if (i === coef.length) break;
    coef[i]!++;
  }
  // basis vectors first (in their order), then the rest by L1 norm
  const rank = (v: number[]) => basis.findIndex((b) => b.join(',') === v.join(','));
  return out.sort((a, b) => ((rank(a) + 1 || 1e9) - (rank(b) + 1 || 1e9)) || l1(a) - l1(b) || a.join(',').localeCompare(b.join(',')));
}

/** Exchange table of a supercell layout (site-count + charge constraints). */
export function exchangeTable(layout: Layout): ExchangeTable {
  const n = layout.nSlots;
  const C: number[][] = layout.sublattices.map((s) => Array.from({ length: n }, (_, k) => (k >= s.slot0 && k < s.slot0 + s.species.length ? 1 : 0)));
  C.push(Array.from(layout.slotCharge));
  const basis = integerNullSpace(C, n);
  const rows = basis.length && basis.length <= 8 ? completeTable(basis) : basis;
  if (rows.length === 0) throw new InputError('the charge and site-count constraints leave no composition direction: charge-neutral semigrand cannot change the composition (use canonical)', { field: 'ensemble' });
  for (const r of rows) if (l1(r) > 64) throw new InputError(`an exchange direction moves ${l1(r)} sites; at most 64 per move are supported`, { field: 'ensemble' });
  return { rows, slotSpecies: layout.slotSpecies };
}

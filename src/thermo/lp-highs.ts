/**
 * The same LP interface as simplexLP, solved by HiGHS (WebAssembly) through CPLEX LP text.
 * Loading is asynchronous; the returned solver is synchronous (highs.solve blocks).
 */
import { loadHighs } from '../core/highs.ts';
import { NumericalError } from '../core/errors.ts';
import type { LPResult, LPSolver } from './lp-simplex.ts';

export async function highsLP(): Promise<LPSolver> {
  const highs = await loadHighs();
  return (A, m, n, b, c): LPResult => {
    const lines: string[] = ['Minimize', ' obj: ' + terms(Array.from({ length: n }, (_, j) => c[j]!)), 'Subject To'];
    for (let i = 0; i < m; i++) {
      const row = Array.from({ length: n }, (_, j) => A[i * n + j]!);
      if (row.every((v) => v === 0)) {
        if (Math.abs(b[i]!) > 1e-12) return { status: 'infeasible', x: new Float64Array(n), objective: NaN };
        continue;
      }
      lines.push(` r${i}: ${terms(row)} = ${num(b[i]!)}`);
    }
    lines.push('Bounds');
    for (let j = 0; j < n; j++) lines.push(` l${j} >= 0`);
    lines.push('End');
    const res = highs.solve(lines.join('\n'), { output_flag: false, presolve: 'off' });
    const x = new Float64Array(n);
    if (res.Status === 'Infeasible') return { status: 'infeasible', x, objective: NaN };
    if (res.Status === 'Unbounded') return { status: 'unbounded', x, objective: -Infinity };
    if (res.Status !== 'Optimal') throw new NumericalError(`HiGHS returned status ${res.Status}`);
    const cols = res.Columns as Record<string, { Primal: number }>;
    for (let j = 0; j < n; j++) x[j] = Math.max(0, cols[`l${j}`]?.Primal ?? 0);
    let objective = 0;
    for (let j = 0; j < n; j++) objective += c[j]! * x[j]!;
    return { status: 'optimal', x, objective };
  };
}

function terms(coef: number[]): string {
  const parts: string[] = [];
  coef.forEach((v, j) => {
    // Every column appears (with 0 if need be) so HiGHS reports all of them.
    parts.push(`${v < 0 || Object.is(v, -0) ? '-' : '+'} ${num(Math.abs(v))} l${j}`);
  });
  return parts.join(' ');
}

function num(v: number): string {
  return v.toPrecision(17);
}

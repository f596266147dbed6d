/**
 * Minimum-cost assignment of n rows to distinct columns (n ≤ m), Hungarian method with
 * potentials, O(n²m). Used only to untangle the rare case where two atoms have the same
 * nearest lattice site; costs ≥ BIG mark forbidden pairs.
 */
export const FORBIDDEN = 1e18;

/** Returns col[i] for each row, or null when any row can only take a forbidden column. */
export function minCostAssignment(cost: Float64Array, n: number, m: number): Int32Array | null {
  const INF = Infinity;
  const u = new Float64Array(n + 1), v = new Float64Array(m + 1);
  const p = new Int32Array(m + 1), way = new Int32Array(m + 1);
  const minv = new Float64Array(m + 1);
  const used = new Uint8Array(m + 1);
  for (let i = 1; i <= n; i++) {
    p[0] = i;
    let j0 = 0;
    minv.fill(INF);
    used.fill(0);
    do {
      used[j0] = 1;
      const i0 = p[j0]!;
      let delta = INF, j1 = 0;
      for (let j = 1; j <= m; j++) {
        if (used[j]) continue;
        const cur = cost[(i0 - 1) * m + (j - 1)]! - u[i0]! - v[j]!;
        if (cur < minv[j]!) { minv[j] = cur; way[j] = j0; }
        if (minv[j]! < delta) { delta = minv[j]!; j1 = j; }
      }
      for (let j = 0; j <= m; j++) {
        if (used[j]) { u[p[j]!] += delta; v[j] -= delta; } else minv[j] -= delta;
      }
      j0 = j1;
    } while (p[j0] !== 0);
    do { const j1 = way[j0]!; p[j0] = p[j1]!; j0 = j1; } while (j0);
  }
  const col = new Int32Array(n);
  for (let j = 1; j <= m; j++) if (p[j]! > 0) col[p[j]! - 1] = j - 1;
  for (let i = 0; i < n; i++) if (cost[i * m + col[i]!]! >= FORBIDDEN) return null;
  return col;
}

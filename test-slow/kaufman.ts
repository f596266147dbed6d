/**
 * Exact partition function of the L×L square-lattice Ising model on a torus (Kaufman, Phys.
 * Rev. 76, 1232 (1949); the form of Ferdinand & Fisher, Phys. Rev. 185, 832 (1969)):
 *   Z = ½ (2 sinh 2K)^{N/2} (Z₁ + Z₂ + Z₃ + Z₄),  N = L², K = J/k_BT,
 *   Z₁ = Π_{r=0}^{L−1} 2cosh(L γ_{2r+1}/2),  Z₂ = Π 2sinh(L γ_{2r+1}/2),
 *   Z₃ = Π 2cosh(L γ_{2r}/2),              Z₄ = Π 2sinh(L γ_{2r}/2),
 *   cosh γ_l = cosh 2K coth 2K − cos(π l / L) for l ≥ 1,  γ₀ = 2K + ln tanh K (signed).
 * Written here from the formulas (no library); checked in the slow suite against brute-force
 * enumeration of L = 4 and Onsager's infinite-lattice energies.
 * Energy per site u = −J ∂lnZ/∂K / N and heat capacity c = K² ∂²lnZ/∂K² / N (k_B per site) by
 * central differences of ln Z.
 */

function gamma(l: number, K: number, L: number): number {
  if (l === 0) return 2 * K + Math.log(Math.tanh(K));
  const c = Math.cosh(2 * K) / Math.tanh(2 * K) - Math.cos((Math.PI * l) / L);
  return Math.acosh(c);
}

/** ln |Π 2f(Lγ/2)| and the sign of the product. */
function lnProduct(K: number, L: number, odd: boolean, sinh: boolean): { ln: number; sign: number } {
  let ln = 0, sign = 1;
  for (let r = 0; r < L; r++) {
    const x = (L * gamma(odd ? 2 * r + 1 : 2 * r, K, L)) / 2;
    if (sinh) {
      if (x === 0) return { ln: -Infinity, sign: 0 };
      sign *= Math.sign(x);
      const a = Math.abs(x);
      ln += a > 20 ? a : Math.log(2 * Math.sinh(a));
    } else {
      ln += x > 20 ? x : Math.log(2 * Math.cosh(x));
    }
  }
  return { ln, sign };
}

export function kaufmanLnZ(K: number, L: number): number {
  const parts = [lnProduct(K, L, true, false), lnProduct(K, L, true, true), lnProduct(K, L, false, false), lnProduct(K, L, false, true)];
  const m = Math.max(...parts.map((p) => p.ln));
  const s = parts.reduce((acc, p) => acc + p.sign * Math.exp(p.ln - m), 0);
  const N = L * L;
  return Math.log(0.5) + (N / 2) * Math.log(2 * Math.sinh(2 * K)) + m + Math.log(s);
}

/** Energy per site in units of J at temperature t = k_B T / J. */
export function kaufmanEnergy(t: number, L: number): number {
  const K = 1 / t, h = 1e-5 * K;
  return -(kaufmanLnZ(K + h, L) - kaufmanLnZ(K - h, L)) / (2 * h) / (L * L);
}

/** Heat capacity per site in k_B at t = k_B T / J. */
export function kaufmanHeatCapacity(t: number, L: number): number {
  const K = 1 / t, h = 1e-4 * K;
  const d2 = (kaufmanLnZ(K + h, L) - 2 * kaufmanLnZ(K, L) + kaufmanLnZ(K - h, L)) / (h * h);
  return (K * K * d2) / (L * L);
}

/** Temperature of the heat-capacity maximum (golden-section search on [a, b]). */
export function kaufmanPeak(L: number, a = 2.1, b = 2.6): number {
  const g = (Math.sqrt(5) - 1) / 2;
  let x1 = b - g * (b - a), x2 = a + g * (b - a);
  let f1 = kaufmanHeatCapacity(x1, L), f2 = kaufmanHeatCapacity(x2, L);
  while (b - a > 1e-7) {
    if (f1 > f2) {
      b = x2; x2 = x1; f2 = f1; x1 = b - g * (b - a); f1 = kaufmanHeatCapacity(x1, L);
    } else {
      a = x1; x1 = x2; f1 = f2; x2 = a + g * (b - a); f2 = kaufmanHeatCapacity(x2, L);
    }
  }
  return (a + b) / 2;
}

/** Brute force: ln Z of the L×L torus by enumerating all 2^(L²) states (L ≤ 4). */
export function bruteLnZ(K: number, L: number): number {
  const N = L * L;
  const terms: number[] = [];
  for (let s = 0; s < 1 << N; s++) {
    let bonds = 0;
    for (let x = 0; x < L; x++) for (let y = 0; y < L; y++) {
      const a = ((s >> (x * L + y)) & 1) * 2 - 1;
      const r = ((s >> (((x + 1) % L) * L + y)) & 1) * 2 - 1;
      const u = ((s >> (x * L + ((y + 1) % L))) & 1) * 2 - 1;
      bonds += a * r + a * u;
    }
    terms.push(K * bonds);
  }
  const m = Math.max(...terms);
  return m + Math.log(terms.reduce((acc, t) => acc + Math.exp(t - m), 0));
}

/**
 * Per-size cluster diameter cutoffs, e.g. "2:6,3:4,4:2" (pairs ≤ 6 Å, triplets ≤ 4 Å, …).
 * Sizes must run 2, 3, … without gaps and cutoffs must not increase with size: orbit
 * enumeration extends (k−1)-clusters, and a k-cluster's subclusters are only all present
 * when d_k ≤ d_{k−1} (smol documents the same requirement but does not enforce it).
 */
import { OptionError } from '../core/errors.ts';

/** cutoffs[k] = maximum diameter (Å) of k-site clusters, k ≥ 2. */
export type Cutoffs = Map<number, number>;

export function validateCutoffs(entries: Iterable<[number, number]>): Cutoffs {
  const list = [...entries];
  const out: Cutoffs = new Map();
  for (const [size, cut] of list) {
    if (!Number.isInteger(size) || size < 2) throw new OptionError(`cluster size must be an integer ≥ 2, got ${size}`, { field: 'cutoffs' });
    if (!Number.isFinite(cut) || !(cut > 0)) throw new OptionError(`cutoff for ${size}-site clusters must be a positive number of Å, got ${cut}`, { field: 'cutoffs' });
    if (out.has(size)) throw new OptionError(`cutoff for ${size}-site clusters given twice`, { field: 'cutoffs' });
    out.set(size, cut);
  }
  const sizes = [...out.keys()].sort((a, b) => a - b);
  sizes.forEach((s, i) => {
    if (s !== i + 2) throw new OptionError(`cutoffs must cover sizes 2, 3, … without gaps (size ${i + 2} missing)`, { field: 'cutoffs' });
    if (i > 0 && out.get(s)! > out.get(s - 1)! + 1e-12) {
      throw new OptionError(`cutoffs must not increase with cluster size: ${s}-site cutoff ${out.get(s)} Å > ${s - 1}-site cutoff ${out.get(s - 1)} Å`, { field: 'cutoffs' });
    }
  });
  return new Map(sizes.map((s) => [s, out.get(s)!]));
}

/** "2:6,3:4,4:2" → cutoffs. */
export function parseCutoffs(text: string): Cutoffs {
  const t = text.trim();
  if (!t) throw new OptionError('cutoffs are empty (expected e.g. 2:6,3:4,4:2)', { field: 'cutoffs' });
  const pairs: [number, number][] = t.split(',').map((part) => {
    const m = /^\s*(-?\d+)\s*:\s*(\S+)\s*$/.exec(part);
    if (!m) throw new OptionError(`cannot read cutoff '${part}' (expected size:angstrom, e.g. 2:6)`, { field: 'cutoffs' });
    return [Number(m[1]), Number(m[2])];
  });
  return validateCutoffs(pairs);
}

export function cutoffsFromObject(obj: Record<string, number>): Cutoffs {
  return validateCutoffs(Object.entries(obj).map(([k, v]) => [Number(k), Number(v)]));
}

export function formatCutoffs(c: Cutoffs): string {
  return [...c].map(([k, v]) => `${k}:${v}`).join(',');
}

/**
 * Most candidate clusters per primitive cell the orbit search may start on: about a minute on
 * one core (measured on lmo_drx: 5.5e4 pair candidates (2:30) 8 s, 2.2e5 (2:60) 48 s, 1.8e5
 * triplets (2:8,3:8) 5 s). Past it a run would not finish, so it is refused up front.
 */
export const MAX_CANDIDATE_CLUSTERS = 5e5;

/**
 * Refuse cutoffs whose orbit search cannot finish. A site has ≈ ρ·(4/3)πr³ active neighbours
 * within r (ρ = active sites per Å³), so size-k clusters number ≈ n_active·n(r)^(k−1)/(k−1)!
 * per primitive cell before symmetry reduction.
 */
export function checkCutoffWork(cutoffs: Cutoffs, nActiveSites: number, primVolume: number): void {
  const density = nActiveSites / primVolume;
  for (const [size, r] of cutoffs) {
    let count = nActiveSites;
    for (let m = 1; m < size; m++) count *= (density * (4 / 3) * Math.PI * r ** 3) / m;
    if (count > MAX_CANDIDATE_CLUSTERS) {
      let fact = 1;
      for (let m = 1; m < size; m++) fact *= m;
      const rMax = Math.cbrt((((MAX_CANDIDATE_CLUSTERS * fact) / nActiveSites) ** (1 / (size - 1)) / density) * (3 / (4 * Math.PI)));
      throw new OptionError(`a ${size}-site cutoff of ${r} Å means ~${count.toExponential(1)} candidate clusters per primitive cell, over the limit of ${MAX_CANDIDATE_CLUSTERS.toExponential(0)}; use at most ~${rMax.toFixed(1)} Å`, { field: 'cutoffs' });
    }
  }
}

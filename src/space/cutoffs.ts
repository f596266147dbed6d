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

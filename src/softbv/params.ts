/**
 * SoftBV parameters (Chen & Adams, IUCrJ 4, 614–625, 2017, as shipped by BVlain; see
 * data/softbv/README.md): per cation–anion pair R0, b = 1/α, D0, Rmin; per element the
 * principal quantum number n; per ion the Shannon ionic radius by coordination.
 *
 * Two quantities are not in the shipped table and are derived here by a stated rule:
 *  - Rcutoff (seed 004 Eq. 6 with s(Rcutoff)/k = S_CUTOFF): the distance at which the bond
 *    valence has fallen to S_CUTOFF = 0.001 v.u., Rcutoff = R0 − b·ln(0.001);
 *  - the radius r_i of the screened Coulomb term: the Shannon ionic radius at coordination
 *    VI (seed 004: "ionic radii … for the coordination number of 6 were used in all cases"),
 *    or the coordination nearest to VI when the ion has no VI entry.
 */
import { fileURLToPath } from 'node:url';
import { readJsonFile } from '../core/files.ts';
import { InputError } from '../core/errors.ts';
import type { Species } from '../structure/species.ts';

export const S_CUTOFF = 0.001;
/** e²/(4πε0) in eV·Å. */
export const KAPPA = 14.4;

export interface PairParams {
  R0: number;
  b: number;
  D0: number;
  Rmin: number;
  Rcutoff: number;
}

/** A cation–anion pair the table does not list (or lists with a negative softness b). */
export class MissingPairError extends InputError {}

interface RawTable {
  pairColumns: string[];
  pairs: Array<[string, number, string, number, number, number, number, number]>;
  principalQuantumNumber: Record<string, number>;
  shannonIonicRadii: Record<string, Record<string, number>>;
}

const ROMAN: Record<string, number> = { I: 1, II: 2, III: 3, IV: 4, V: 5, VI: 6, VII: 7, VIII: 8, IX: 9, X: 10, XI: 11, XII: 12, XIV: 14 };

export const PARAMS_FILE = new URL('../../data/softbv/softbv-params.json', import.meta.url);

/** "Ti4+", "O2-", "K+" — the key used by the radius table. */
export function ionKey(element: string, valence: number): string {
  const m = Math.abs(valence);
  return `${element}${m === 1 ? '' : m}${valence > 0 ? '+' : '-'}`;
}

export class SoftBvParams {
  private readonly pairs = new Map<string, PairParams>();
  private readonly quantum: Record<string, number>;
  private readonly radii: Record<string, Record<string, number>>;

  constructor(raw: RawTable) {
    for (const [cat, cv, an, av, R0, alpha, D0, Rmin] of raw.pairs) {
      // 34 entries carry a negative α (b < 0): a bond valence that grows with distance is
      // unphysical, so they are treated as missing rather than used.
      if (!(alpha > 0)) continue;
      const b = 1 / alpha;
      this.pairs.set(`${ionKey(cat, cv)}|${ionKey(an, av)}`, { R0, b, D0, Rmin, Rcutoff: R0 - b * Math.log(S_CUTOFF) });
    }
    this.quantum = raw.principalQuantumNumber;
    this.radii = raw.shannonIonicRadii;
  }

  static load(file: string | URL = PARAMS_FILE): SoftBvParams {
    return new SoftBvParams(readJsonFile(typeof file === 'string' ? file : fileURLToPath(file)) as RawTable);
  }

  /** Parameters of a cation–anion pair; throws MissingPairError naming the pair. */
  pair(cation: Species, anion: Species): PairParams {
    const key = `${ionKey(cation.element, cation.charge)}|${ionKey(anion.element, anion.charge)}`;
    const p = this.pairs.get(key);
    if (!p) throw new MissingPairError(`no SoftBV parameters for the pair ${key.replace('|', '–')}`);
    return p;
  }

  hasPair(cationKey: string, anionKey: string): boolean {
    return this.pairs.has(`${cationKey}|${anionKey}`);
  }

  /** Oxidation states the table lists for an element as a cation bonded to a given anion. */
  cationStates(element: string, anionKey: string): number[] {
    const out: number[] = [];
    for (let v = 1; v <= 8; v++) if (this.pairs.has(`${ionKey(element, v)}|${anionKey}`)) out.push(v);
    return out;
  }

  principalQuantumNumber(element: string): number {
    const n = this.quantum[element];
    if (n === undefined) throw new MissingPairError(`no principal quantum number for ${element} in the SoftBV table`);
    return n;
  }

  /** Shannon ionic radius at coordination VI (else the nearest listed coordination), Å. */
  radius(element: string, valence: number): number {
    const key = ionKey(element, valence);
    const byCn = this.radii[key];
    if (!byCn) throw new MissingPairError(`no Shannon ionic radius for ${key}`);
    if (byCn.VI !== undefined) return byCn.VI;
    const best = Object.entries(byCn).sort(([a], [b]) => Math.abs(ROMAN[a]! - 6) - Math.abs(ROMAN[b]! - 6) || ROMAN[b]! - ROMAN[a]!)[0]!;
    return best[1];
  }
}

let cached: SoftBvParams | undefined;
/** The shipped table, read once. */
export function defaultParams(): SoftBvParams {
  return (cached ??= SoftBvParams.load());
}

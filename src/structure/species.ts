/**
 * Species: an element with an optional oxidation state, or a vacancy. Species are compared by
 * their canonical string ("Li+", "Mn3+", "O2-", "Ag", "Vacancy"), the form pymatgen prints.
 */
import { PAULING_X } from './electronegativity.ts';
import { InputError, OptionError } from '../core/errors.ts';
import { isElement } from './elements.ts';

export class Species {
  /** Element symbol; "X" for a vacancy. */
  readonly element: string;
  /** Formal oxidation state; null when none was given. */
  readonly oxidationState: number | null;
  readonly isVacancy: boolean;
  readonly key: string;

  private constructor(element: string, oxidationState: number | null, isVacancy: boolean) {
    this.element = element;
    this.oxidationState = oxidationState;
    this.isVacancy = isVacancy;
    this.key = isVacancy ? 'Vacancy' : element + formatOxidation(oxidationState);
  }

  static readonly VACANCY = new Species('X', null, true);

  static of(element: string, oxidationState: number | null = null): Species {
    if (element === 'X' || element === 'Vacancy' || element === 'X0+') return Species.VACANCY;
    if (!isElement(element)) throw new InputError(`unknown element '${element}'`);
    if (oxidationState !== null && !Number.isFinite(oxidationState)) {
      throw new InputError(`oxidation state of ${element} is not a number (${oxidationState})`);
    }
    return new Species(element, oxidationState, false);
  }

  /** Parse "Li+", "Mn3+", "O2-", "Fe2.5+", "Ag", "Vacancy", "Li1+". */
  static parse(text: string): Species {
    const t = text.trim();
    if (t === 'Vacancy' || t === 'X' || t === 'Va' || t === 'vac') return Species.VACANCY;
    const m = /^([A-Z][a-z]?)(?:(\d+(?:\.\d+)?)?([+-]))?$/.exec(t);
    if (!m) throw new InputError(`cannot read species '${text}' (expected e.g. Li+, Mn3+, O2-, Ag, Vacancy)`);
    const [, el, mag, sign] = m;
    const ox = sign ? (sign === '-' ? -1 : 1) * (mag ? Number(mag) : 1) : null;
    return Species.of(el!, ox);
  }

  /** Charge used in electrostatics (0 for vacancies and species without an oxidation state). */
  get charge(): number {
    return this.oxidationState ?? 0;
  }

  equals(other: Species): boolean {
    return this.key === other.key;
  }

  /**
   * pymatgen's species order, which smol uses to code a site's species (and so to build its
   * basis functions): Pauling electronegativity (none counts as +∞), then symbol, then
   * oxidation state (none counts as 0); vacancies after every real species.
   */
  static compare(a: Species, b: Species): number {
    if (a.isVacancy || b.isVacancy) return Number(a.isVacancy) - Number(b.isVacancy);
    const xa = PAULING_X[a.element] ?? Infinity, xb = PAULING_X[b.element] ?? Infinity;
    if (xa !== xb) return xa < xb ? -1 : 1;
    if (a.element !== b.element) return a.element < b.element ? -1 : 1;
    return (a.oxidationState ?? 0) - (b.oxidationState ?? 0);
  }

  toString(): string {
    return this.key;
  }
}

function formatOxidation(ox: number | null): string {
  if (ox === null) return '';
  if (ox === 0) return '0+';
  const mag = Math.abs(ox);
  const magText = mag === 1 ? '' : Number.isInteger(mag) ? String(mag) : String(+mag.toFixed(6));
  return magText + (ox > 0 ? '+' : '-');
}

/** One allowed species on a site with its occupancy (pymatgen's partial occupancy). */
export interface SpeciesOccupancy {
  species: Species;
  occu: number;
}

/**
 * "Li+=-0.1,Mn2+=0.2" (an option's SPECIES=number list) → species key → value, keys in
 * canonical form; a repeated species, a missing '=' or a non-number is an error naming the option.
 */
export function parseSpeciesValues(text: string, option: string): Map<string, number> {
  const out = new Map<string, number>();
  for (const part of text.split(',').map((p) => p.trim()).filter(Boolean)) {
    const eq = part.indexOf('=');
    if (eq <= 0) throw new OptionError(`--${option} entries must look like SPECIES=value, got '${part}'`, { field: option });
    let key: string;
    try {
      key = Species.parse(part.slice(0, eq)).key;
    } catch (e) {
      throw new OptionError(`--${option}: ${(e as Error).message}`, { field: option });
    }
    const raw = part.slice(eq + 1).trim();
    const v = raw === '' ? NaN : Number(raw);
    if (!Number.isFinite(v)) throw new OptionError(`--${option} value for ${key} is not a number: '${raw}'`, { field: option });
    if (out.has(key)) throw new OptionError(`--${option} gives ${key} twice`, { field: option });
    out.set(key, v);
  }
  if (out.size === 0) throw new OptionError(`--${option} is empty (expected SPECIES=value,…)`, { field: option });
  return out;
}

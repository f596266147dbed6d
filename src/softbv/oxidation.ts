/**
 * Oxidation states for SoftBV: taken from the file when every site has one, otherwise guessed
 * by charge balance.
 *
 * Guessing rule (stated because the choice is ours): every anion element takes its usual
 * state (O, S, Se, Te −2; F, Cl, Br, I −1; N −3); every other element is a cation with one
 * state, chosen among the states the parameter table lists for it with all anions present;
 * of all combinations whose charges sum to zero, the one with the lowest GII (seed 004
 * Eq. 7) wins — the bond-valence criterion of the tools the seed uses. Mixed valence of one
 * element is not guessed: give the states in the file.
 */
import { InputError } from '../core/errors.ts';
import { Species } from '../structure/species.ts';
import type { Structure } from '../structure/structure.ts';
import { bondValenceSums } from './bvs.ts';
import { orderedSpecies } from './ions.ts';
import { MissingPairError, type SoftBvParams, ionKey } from './params.ts';

export const ANION_STATES: Readonly<Record<string, number>> = { O: -2, S: -2, Se: -2, Te: -2, F: -1, Cl: -1, Br: -1, I: -1, N: -3 };
/** Refuse enumerations larger than this up front instead of running for minutes. */
const MAX_COMBINATIONS = 100000;

export interface ResolvedSpecies {
  species: Species[];
  /** True when the states were guessed by charge balance. */
  guessed: boolean;
}

export function resolveSpecies(s: Structure, params: SoftBvParams): ResolvedSpecies {
  const species = orderedSpecies(s);
  const given = species.filter((sp) => sp.oxidationState !== null).length;
  if (given === species.length) return { species, guessed: false };
  if (given > 0) throw new InputError('some sites have oxidation states and some do not; give all or none');
  return { species: guessOxidationStates(s, params, species), guessed: true };
}

function guessOxidationStates(s: Structure, params: SoftBvParams, species: Species[]): Species[] {
  const elements = [...new Set(species.map((sp) => sp.element))];
  const anions = elements.filter((e) => ANION_STATES[e] !== undefined);
  const cations = elements.filter((e) => ANION_STATES[e] === undefined);
  const formula = s.formula();
  if (anions.length === 0 || cations.length === 0) {
    throw new InputError(`cannot guess oxidation states of ${formula}: need at least one anion (${Object.keys(ANION_STATES).join(', ')}) and one cation`);
  }
  const count = (e: string) => species.filter((sp) => sp.element === e).length;
  const anionCharge = anions.reduce((t, e) => t + ANION_STATES[e]! * count(e), 0);
  const options = cations.map((e) => {
    const states = params.cationStates(e, ionKey(anions[0]!, ANION_STATES[anions[0]!]!)).filter((v) => anions.every((a) => params.hasPair(ionKey(e, v), ionKey(a, ANION_STATES[a]!))));
    if (states.length === 0) throw new MissingPairError(`no SoftBV parameters for ${e} with ${anions.join(', ')} in any oxidation state`);
    return states;
  });
  const combos = options.reduce((t, o) => t * o.length, 1);
  if (combos > MAX_COMBINATIONS) throw new InputError(`${combos} oxidation-state combinations for ${formula} exceed the limit of ${MAX_COMBINATIONS}; give oxidation states in the file`);
  const balanced: number[][] = [];
  const walk = (k: number, acc: number[], charge: number) => {
    if (k === cations.length) {
      if (charge + anionCharge === 0) balanced.push([...acc]);
      return;
    }
    for (const v of options[k]!) walk(k + 1, [...acc, v], charge + v * count(cations[k]!));
  };
  walk(0, [], 0);
  if (balanced.length === 0) {
    const tried = cations.map((e, k) => `${e} ${options[k]!.map((v) => `+${v}`).join('/')}`).join(', ');
    const an = anions.map((a) => `${a} ${ANION_STATES[a]}`).join(', ');
    throw new InputError(`cannot charge-balance ${formula} with one oxidation state per element (tried ${tried}; ${an}); give oxidation states in the file`);
  }
  const decorate = (states: number[]) =>
    species.map((sp) => Species.of(sp.element, cations.includes(sp.element) ? states[cations.indexOf(sp.element)]! : ANION_STATES[sp.element]!));
  let best = balanced[0]!, bestGii = Infinity;
  if (balanced.length > 1) {
    for (const states of balanced) {
      const g = bondValenceSums(s, decorate(states), params).gii;
      if (g < bestGii) { bestGii = g; best = states; }
    }
  }
  return decorate(best);
}

/**
 * `celt charges`: assign oxidation states of one element from per-site magnetic moments by
 * Bayesian optimization of moment cutoffs (seed 001). Input: a JSON list of pymatgen
 * Structure or ComputedStructureEntry dicts; sites of the element carry
 * `properties.magmom` (μB), every other species its fixed `oxidation_state`.
 */
import { seedOption } from '../options.ts';
import { writeFileSync } from 'node:fs';
import { checkOutputFile, readJsonFile } from '../../core/files.ts';
import type { Command } from 'commander';
import { CeltError, InputError, OptionError, } from '../../core/errors.ts';
import { buildChargeProblem, decorate, optimizeCharges } from '../../learn/charges.ts';
import type { Acquisition } from '../../learn/bayesopt.ts';
import { entryFromPymatgen, structureToPymatgen } from '../../structure/io/pymatgen.ts';
import type { Structure } from '../../structure/structure.ts';

export const ASSIGNMENT_RULE =
  'moment = |magmom|; states ordered by cutoff; a site takes the first state whose upper cutoff is >= its moment ' +
  '(a moment exactly at a cutoff belongs to that state); a moment above every cutoff is unassigned and its structure unbalanced';

export function register(program: Command): void {
  program
    .command('charges')
    .description('assign oxidation states from magnetic moments by Bayesian optimization of moment cutoffs (seed 001)')
    .requiredOption('--data <file>', 'JSON list of pymatgen Structure / ComputedStructureEntry dicts with per-site properties.magmom')
    .requiredOption('--element <symbol>', 'element whose charge is assigned, e.g. Mn')
    .requiredOption('--states <list>', 'comma-separated oxidation states, e.g. 2,3,4')
    .option('--calls <n>', 'objective evaluations per acquisition function', '50')
    .option('--acq <list>', 'acquisitions to run (best result kept): ei,lcb,pi', 'ei,lcb,pi')
    .option('--moment-key <name>', 'site property holding the moment', 'magmom')
    .option('--no-polish', 'skip the exact coordinate search after BO')
    .option('--seed <n>', 'random seed', '0')
    .option('--out <file>', 'write cutoffs, decorated structures and unbalanced entries as JSON')
    .action((o) => {
      if (o.out) checkOutputFile(o.out);
      const states = String(o.states).split(',').map((s: string) => (s.trim() === '' ? NaN : Number(s.trim())));
      if (states.length < 2 || states.some((s) => !Number.isInteger(s)) || new Set(states).size !== states.length) throw new OptionError(`--states must be comma-separated integers (two or more, distinct), got '${o.states}'`, { field: 'states' });
      const acqs = String(o.acq).split(',').map((s: string) => s.trim().toLowerCase());
      for (const a of acqs) if (!['ei', 'lcb', 'pi'].includes(a)) throw new OptionError(`unknown acquisition '${a}'; use ei, lcb, pi`, { field: 'acq' });
      const calls = Number(o.calls), seed = seedOption(o.seed);
      if (!Number.isInteger(calls) || calls < 1) throw new OptionError(`--calls must be a positive integer, got '${o.calls}'`, { field: 'calls' });
      // Each call refits a GP on all earlier points (O(n³)): past this the search would not end.
      if (calls > 2000) throw new OptionError(`--calls ${calls} is past the limit of 2000`, { field: 'calls' });
      const raw = readJsonFile(o.data);
      if (!Array.isArray(raw)) throw new InputError('expected a JSON list of structures or entries', { file: o.data });
      const ids: string[] = [];
      const structures: Structure[] = raw.map((d: unknown, i: number) => {
        try {
          const e = entryFromPymatgen(d);
          ids.push(e.entryId ?? String(i));
          return e.structure;
        } catch (err) {
          if (err instanceof CeltError) throw err.at({ file: o.data, entry: i });
          throw err;
        }
      });
      let problem: ReturnType<typeof buildChargeProblem>;
      try {
        problem = buildChargeProblem(structures, o.element, states, o.momentKey);
      } catch (err) {
        if (err instanceof CeltError) throw err.at({ file: o.data });
        throw err;
      }
      const res = optimizeCharges(problem, { calls, acquisitions: acqs as Acquisition[], seed, polish: o.polish });
      console.log(`rule: ${ASSIGNMENT_RULE}`);
      for (const r of res.runs) {
        console.log(`  ${r.acquisition.toUpperCase()}: ${r.nBalanced}/${res.nStructures} balanced, best at call ${r.bestCall}, cutoffs ${r.cutoffs.map((c) => c.toFixed(3)).join(', ')}`);
      }
      console.log(`best cutoffs (centered in their moment gaps): ${Object.entries(res.cutoffs).map(([k, v]) => `${k} <= ${v.toFixed(3)}`).join(', ')}`);
      console.log(`${res.nBalanced} of ${res.nStructures} structures charge-balanced`);
      const unbalanced = res.balanced.map((b, i) => (b ? -1 : i)).filter((i) => i >= 0);
      if (unbalanced.length) {
        const show = unbalanced.slice(0, 20).map((i) => `${ids[i]}${Number.isNaN(res.charge[i]) ? ' (unassigned moment)' : ` (charge ${res.charge[i]!.toFixed(2)})`}`);
        console.log(`not balanced: ${show.join(', ')}${unbalanced.length > 20 ? ` … and ${unbalanced.length - 20} more` : ''}`);
      }
      if (o.out) {
        const cut = states.map((s) => res.cutoffs[`${o.element}${s}${s >= 0 ? '+' : '-'}`]!);
        const dec = (i: number) => structureToPymatgen(decorate(structures[i]!, problem.structures[i]!, o.element, states, cut));
        writeFileSync(
          o.out,
          JSON.stringify({
            element: res.element,
            states: res.states,
            rule: ASSIGNMENT_RULE,
            cutoffs: res.cutoffs,
            rawCutoffs: res.rawCutoffs,
            nBalanced: res.nBalanced,
            nStructures: res.nStructures,
            runs: res.runs,
            decorated: res.balanced.map((b, i) => (b ? { index: i, id: ids[i], structure: dec(i) } : null)).filter(Boolean),
            unbalanced: unbalanced.map((i) => ({ index: i, id: ids[i], charge: Number.isNaN(res.charge[i]) ? null : res.charge[i], structure: dec(i) })),
          }),
        );
      }
    });
}

/** `celt predict`: energies of new structures from a saved cluster expansion. */
import type { Command } from 'commander';
import { InputError } from '../../core/errors.ts';
import { ClusterExpansion } from '../../model/cluster-expansion.ts';
import { predictFiles } from '../../workflow/predict.ts';

export function register(program: Command): void {
  program
    .command('predict')
    .description('map structures onto a saved model\'s lattice and print CE energies (total and per primitive cell)')
    .requiredOption('--model <file>', 'model.json written by `celt run`')
    .requiredOption('--data <files...>', 'structure or entry files (pymatgen JSON lists, CIF, POSCAR, extxyz; .gz allowed)')
    .option('--corr', 'also print each feature vector (correlations, constant first, Ewald last)')
    .option('--json', 'print JSON instead of a table')
    .action(async (opts: { model: string; data: string[]; corr?: boolean; json?: boolean }) => {
      const model = ClusterExpansion.load(opts.model);
      const res = await predictFiles(model, opts.data, { withFeatures: opts.corr });
      if (opts.json) {
        process.stdout.write(JSON.stringify({ featureNames: opts.corr ? model.featureNames : undefined, predictions: res }, null, 1) + '\n');
      } else {
        const rows = res.map((p) =>
          p.ok
            ? `${p.file}\t${p.entry}\t${p.formula}\t${p.nPrims}\t${p.energyTotal.toFixed(6)}\t${p.energyPerPrim.toFixed(6)}` +
              `\t${p.dftTotal !== undefined ? (p.dftTotal / p.nPrims).toFixed(6) : ''}` + (p.features ? `\n  corr: ${p.features.map((v) => v.toPrecision(8)).join(' ')}` : '')
            : `${p.file}\t${p.entry}\tskipped (${p.reason}): ${p.message}`,
        );
        process.stdout.write(`# file\tentry\tformula\tprims\tE_CE total (eV)\tE_CE (eV/prim)\tE_DFT (eV/prim)\n${rows.join('\n')}\n`);
      }
      const ok = res.filter((p) => p.ok).length;
      if (res.length && ok < res.length) process.stderr.write(`celt: ${res.length - ok} of ${res.length} structures could not be mapped onto the model's lattice (listed above)\n`);
      if (ok === 0) throw new InputError(`none of the ${res.length} structures could be mapped onto the model's lattice; check that they are the same material and oxidation states as the training data`, { file: opts.data.join(', ') });
    });
}

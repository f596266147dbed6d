/**
 * `celt featurize`: map DFT entries onto the lattice and write the training set JSON
 * (feature matrix with the constant first and Ewald last, energies per prim, groups, hierarchy,
 * supercell matrices, and every skipped entry with its reason).
 */
import { checkOutputFile } from '../../core/files.ts';
import { InputError } from '../../core/errors.ts';
import type { Command } from 'commander';
import { TrainingSet } from '../../data/training-set.ts';
import { loadEntries } from '../../structure/io/read.ts';
import { skipCounts } from '../../structure/map-batch.ts';
import { addSpaceOptions, spaceFromOptions, type SpaceCliOptions } from './space.ts';
import { addEntryOptions, entryOptions, mappingOptions, mappingSettings } from '../options.ts';

interface FeaturizeCliOptions extends SpaceCliOptions {
  data: string;
  out: string;
  ltol: string;
  stol: string;
  angleTol: string;
  supercellSize?: string;
  mode: string;
  dropDuplicates?: boolean;
  energyKey?: string;
  perAtom?: boolean;
}

export function register(program: Command): void {
  addEntryOptions(addSpaceOptions(program.command('featurize').description('map DFT entries onto the lattice and write the training set (feature matrix + energies)'))
    .requiredOption('--data <file>', 'JSON list of ComputedStructureEntry dicts, an ASE database (.db), or extended XYZ (every frame, energy= on its comment line)')
    .requiredOption('--out <file>', 'output training set JSON')
    .option('--ltol <x>', 'fractional length tolerance', '0.15')
    .option('--stol <x>', 'site tolerance, in units of (V/N)^(1/3)', '0.20')
    .option('--angle-tol <deg>', 'angle tolerance in degrees', '15')
    .option('--supercell-size <species|n>', "species whose count fixes the supercell size (e.g. 'O2-'; a shared site: 'O2-,F-', counted together), or an integer number of primitive cells")
    .option('--mode <mode>', 'standard | anion-framework', 'standard')
    .option('--drop-duplicates', 'keep only the lowest-energy entry among entries with the same feature vector'))
    .action(async (o: FeaturizeCliOptions) => {
      checkOutputFile(o.out);
      const mapping = mappingOptions(o);
      const t0 = performance.now();
      const space = spaceFromOptions(o);
      const t1 = performance.now();
      const entries = await loadEntries(o.data, entryOptions(o));
      const t2 = performance.now();
      const ts = TrainingSet.featurize(space, entries, mapping);
      const dropped = o.dropDuplicates ? ts.dropDuplicates() : 0;
      const t3 = performance.now();
      ts.save(o.out);
      const dup = ts.duplicateGroups();
      const lines = [
        `space: ${space.nOrbits} orbits, ${space.nFeatures} features (${(t1 - t0).toFixed(0)} ms); basis ${o.basis}${o.orthonormal ? ` (orthonormal, ${o.measure} measure)` : ''} (smol's default: indicator)`,
        mappingSettings(mapping),
        `read ${entries.length} entries (${(t2 - t1).toFixed(0)} ms); featurized ${ts.nRows}, skipped ${ts.skipped.length} (${((t3 - t2) / 1000).toFixed(2)} s)`,
        ...skipCounts(ts.skipped.map((s) => ({ ...s, message: s.message ?? '' }))).map(([r, n]) => `  ${r}: ${n}`),
      ];
      if (dropped) lines.push(`dropped ${dropped} duplicate rows (kept the lowest energy of each group)`);
      if (dup.length) lines.push(`${dup.length} groups of rows share a feature vector (listed under "duplicates"; --drop-duplicates keeps the lowest energy)`);
      lines.push(`wrote ${o.out}: X ${ts.nRows} × ${ts.nFeatures}`);
      process.stdout.write(lines.join('\n') + '\n');
      // The file is still written (its skip list says why), but a training set without rows is a failure.
      if (ts.nRows === 0) throw new InputError('no entry could be featurized (reasons above); check --supercell-size and the tolerances, or map with `celt map`', { file: o.data });
    });
}

/**
 * `celt map`: map relaxed structures (a JSON list of ComputedStructureEntry / Structure dicts)
 * onto the lattice of a disordered primitive cell; writes mapped occupancies and skip reasons.
 */
import { checkOutputFile, writeFileAtomic } from '../../core/files.ts';
import type { Command } from 'commander';
import { loadEntries, readStructureFile } from '../../structure/io/read.ts';
import { mapEntries, skipCounts } from '../../structure/map-batch.ts';
import { addEntryOptions, entryOptions, mappingOptions, mappingSettings } from '../options.ts';

export function register(program: Command): void {
  addEntryOptions(program
    .command('map')
    .description('map relaxed structures onto the lattice of a disordered primitive cell')
    .requiredOption('--prim <file>', 'disordered primitive cell (pymatgen JSON, CIF, POSCAR, extxyz)')
    .requiredOption('--data <file>', 'JSON list of ComputedStructureEntry or Structure dicts, an ASE database (.db), or extended XYZ (every frame, energy= on its comment line)')
    .requiredOption('--out <file>', 'output JSON {mapped: [...], skipped: [...]}')
    .option('--ltol <x>', 'fractional length tolerance', '0.15')
    .option('--stol <x>', 'site tolerance, in units of (V/N)^(1/3)', '0.20')
    .option('--angle-tol <deg>', 'angle tolerance in degrees', '15')
    .option('--supercell-size <species|n>', "species whose count fixes the supercell size (e.g. 'O2-'; a shared site: 'O2-,F-', counted together), or an integer number of primitive cells")
    .option('--mode <mode>', 'standard | anion-framework', 'standard'))
    .action(async (o) => {
      checkOutputFile(o.out);
      const opts = mappingOptions(o);
      const prim = readStructureFile(o.prim);
      const entries = await loadEntries(o.data, entryOptions(o));
      const t0 = performance.now();
      const res = mapEntries(prim, entries, opts);
      const secs = (performance.now() - t0) / 1000;
      // one entry per line: large files stay greppable and diffable
      const block = (xs: unknown[]) => (xs.length ? '[\n  ' + xs.map((x) => JSON.stringify(x)).join(',\n  ') + '\n ]' : '[]');
      writeFileAtomic(o.out, `{\n "mapped": ${block(res.mapped)},\n "skipped": ${block(res.skipped)}\n}\n`);
      const lines = [mappingSettings(opts), `mapped ${res.mapped.length} of ${entries.length} entries (${o.mode} mode, ${secs.toFixed(2)} s)`, `skipped ${res.skipped.length}`];
      for (const [reason, n] of skipCounts(res.skipped)) lines.push(`  ${reason}: ${n}`);
      lines.push(`wrote ${o.out}`);
      process.stdout.write(lines.join('\n') + '\n');
    });
}

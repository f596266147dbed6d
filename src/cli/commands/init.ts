/** `celt init`: write a documented project config template. */
import { checkOutputFile, writeFileAtomic } from '../../core/files.ts';
import { existsSync } from 'node:fs';
import type { Command } from 'commander';
import { InputError } from '../../core/errors.ts';
import { configTemplate } from '../../workflow/config.ts';

export function register(program: Command): void {
  program
    .command('init')
    .description('write a documented celt.json template (keys starting with "_" are comments)')
    .option('--out <file>', 'where to write the template', 'celt.json')
    .option('--force', 'overwrite an existing file')
    .action((opts: { out: string; force?: boolean }) => {
      checkOutputFile(opts.out);
      if (existsSync(opts.out) && !opts.force) throw new InputError(`file already exists; use --force to overwrite it`, { file: opts.out });
      writeFileAtomic(opts.out, JSON.stringify(configTemplate(), null, 2) + '\n');
      process.stdout.write(`wrote ${opts.out}: set "prim" and "data" to your files, then run \`celt run ${opts.out}\`\n`);
    });
}

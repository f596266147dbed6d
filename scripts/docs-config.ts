// Regenerates the config table of src/workflow/README.md from the config schema.
import { readFileSync, writeFileSync } from 'node:fs';
import { withConfigTable } from '../src/workflow/config-docs.ts';

const file = new URL('../src/workflow/README.md', import.meta.url);
writeFileSync(file, withConfigTable(readFileSync(file, 'utf8')));
console.log('wrote the config table of src/workflow/README.md');

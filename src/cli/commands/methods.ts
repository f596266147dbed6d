/** `celt methods` — list fitting methods and their parameters (defaults, ranges). */
import type { Command } from 'commander';
import { listMethods } from '../../fit/registry.ts';

export function register(program: Command): void {
  program
    .command('methods')
    .description('list fitting methods and their parameters')
    .option('--json', 'machine-readable output')
    .action((o: { json?: boolean }) => {
      const methods = listMethods();
      if (o.json) {
        process.stdout.write(JSON.stringify(methods.map((m) => ({ name: m.name, summary: m.summary, params: m.params })), null, 1) + '\n');
        return;
      }
      for (const m of methods) {
        process.stdout.write(`${m.name} — ${m.summary}\n`);
        for (const [k, p] of Object.entries(m.params)) {
          const range = [p.min !== undefined ? `≥ ${p.min}` : '', p.gt !== undefined ? `> ${p.gt}` : '', p.max !== undefined ? `≤ ${p.max}` : '', p.choices ? p.choices.join('|') : ''].filter(Boolean).join(', ');
          process.stdout.write(`    ${k} (${p.type}${p.default !== undefined ? `, default ${JSON.stringify(p.default)}` : ''}${range ? `, ${range}` : ''}): ${p.description}\n`);
        }
      }
    });
}

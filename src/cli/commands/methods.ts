/** `celt methods` — list fitting methods and learners from the one registry, with their parameters (defaults, ranges). */
import type { Command } from 'commander';
import { type AnyEstimator, type MethodSpec, kindOf } from '../../fit/method-spec.ts';
import { listMethods } from '../../fit/registry.ts';
import '../../learn/registry.ts';

export function register(program: Command): void {
  program
    .command('methods')
    .description('list fitting methods (celt fit/search) and learners (celt learn) with their parameters')
    .option('--json', 'machine-readable output')
    .action((o: { json?: boolean }) => {
      const methods = listMethods();
      const learners = listMethods(['regression', 'classification']);
      if (o.json) {
        const rows = [...methods, ...learners].map((m) => ({ name: m.name, kind: kindOf(m), summary: m.summary, params: m.params }));
        process.stdout.write(JSON.stringify(rows, null, 1) + '\n');
        return;
      }
      for (const m of methods) printSpec(m);
      process.stdout.write('\nlearners (celt learn --model NAME --param key=value):\n');
      for (const m of learners) printSpec(m);
    });
}

function printSpec(m: MethodSpec<AnyEstimator>): void {
  process.stdout.write(`${m.name} — ${m.summary}\n`);
  for (const [k, p] of Object.entries(m.params)) {
    const range = [p.min !== undefined ? `≥ ${p.min}` : '', p.gt !== undefined ? `> ${p.gt}` : '', p.max !== undefined ? `≤ ${p.max}` : '', p.choices ? p.choices.join('|') : ''].filter(Boolean).join(', ');
    process.stdout.write(`    ${k} (${p.type}${p.default !== undefined ? `, default ${JSON.stringify(p.default)}` : ''}${range ? `, ${range}` : ''}): ${p.description}\n`);
  }
}

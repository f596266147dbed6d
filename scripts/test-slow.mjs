// Runs the slow physics suites in test-slow/ (not part of `npm test`): node scripts/test-slow.mjs [filter]
import { readdirSync } from 'node:fs';
import { join } from 'node:path';
import { spawnSync } from 'node:child_process';

const root = new URL('../test-slow/', import.meta.url).pathname;
const files = readdirSync(root).filter((f) => f.endsWith('.test.ts')).sort().map((f) => join('test-slow', f));
const filter = process.argv.slice(2);
const selected = filter.length ? files.filter((f) => filter.some((p) => f.includes(p))) : files;
if (!selected.length) {
  console.error('no slow test files matched');
  process.exit(1);
}
const r = spawnSync(process.execPath, ['--import', 'tsx', '--test', '--test-reporter=spec', ...selected], { stdio: 'inherit' });
process.exit(r.status ?? 1);

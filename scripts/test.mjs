// Runs every test/**/*.test.ts (or, with --slow, every test-slow/**/*.test.ts: the physics
// suites too slow for `npm test`) with node's test runner. Node 20 cannot glob .ts test files
// itself, so the list is collected here and handed over unchanged. Other arguments filter by path.
import { readdirSync } from 'node:fs';
import { join } from 'node:path';
import { spawnSync } from 'node:child_process';

const args = process.argv.slice(2);
const folder = args.includes('--slow') ? 'test-slow' : 'test';
const root = new URL(`../${folder}/`, import.meta.url).pathname;
const files = readdirSync(root, { recursive: true })
  .map(String)
  .filter((f) => f.endsWith('.test.ts'))
  .sort()
  .map((f) => join(folder, f));
const filter = args.filter((a) => a !== '--slow');
const selected = filter.length ? files.filter((f) => filter.some((p) => f.includes(p))) : files;
if (!selected.length) {
  console.error('no test files matched');
  process.exit(1);
}
const r = spawnSync(process.execPath, ['--import', 'tsx', '--test', '--test-reporter=spec', ...selected], { stdio: 'inherit' });
process.exit(r.status ?? 1);

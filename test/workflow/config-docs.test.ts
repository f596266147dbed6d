import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { test } from 'node:test';
import { configTable } from '../../src/workflow/config-docs.ts';
import { configTemplate, defaultConfig } from '../../src/workflow/config.ts';

test('the README config table is the one generated from the schema (run `npm run docs:config` after changing a key)', () => {
  const readme = readFileSync(new URL('../../src/workflow/README.md', import.meta.url), 'utf8');
  assert.ok(readme.includes(configTable()), 'src/workflow/README.md config table is stale');
});

test('template and built-in defaults agree with the documented defaults of the lmo_drx demo (smol documentation settings)', () => {
  const t = configTemplate() as Record<string, Record<string, unknown>>;
  assert.deepEqual(t.space!.cutoffs, { 2: 6, 3: 4, 4: 2 });
  assert.deepEqual(t.fit!.grid, { alpha: '1e-6:1e-1:11:log' });
  const cfg = defaultConfig('/x');
  assert.deepEqual(cfg.mapping, { ltol: 0.15, stol: 0.2, angleTol: 15, supercellSize: 'O2-', mode: 'standard' });
  assert.equal(cfg.fit.grid.alpha!.length, 11);
});

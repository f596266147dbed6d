/**
 * Lazy CLI start-up: main.ts loads only the invoked command's module, which is sound only if
 * every key of commandModules registers exactly the command of that name.
 */
import assert from 'node:assert/strict';
import { test } from 'node:test';
import { Command } from 'commander';
import { commandModules, modulesFor } from '../../src/cli/commands/index.ts';

test('each command module registers exactly the command it is keyed by', async () => {
  for (const [name, load] of Object.entries(commandModules)) {
    const program = new Command();
    (await load()).register(program);
    assert.deepEqual(program.commands.map((c) => c.name()), [name]);
  }
});

test('modulesFor: the named command alone, none for --version, all for help or unknown names', () => {
  const all = Object.keys(commandModules);
  assert.deepEqual(modulesFor(['fit', '--data', 'x.json', '--method', 'ridge']), ['fit']);
  assert.deepEqual(modulesFor(['search', '--help']), ['search']);
  assert.deepEqual(modulesFor(['--version']), []);
  assert.deepEqual(modulesFor(['-V']), []);
  assert.deepEqual(modulesFor([]), all);
  assert.deepEqual(modulesFor(['--help']), all);
  assert.deepEqual(modulesFor(['fitt']), all);
  assert.deepEqual(modulesFor(['toString']), all);
});

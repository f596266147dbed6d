/**
 * `celt mc` end to end and the library entry point's contracts: bad input gives one line
 * naming the option and exit code 1; same seed ⇒ same trace for 1 or 2 worker threads; a
 * seeded path carries the state; --init maps and tiles a structure; the output directory holds
 * every promised file.
 */
import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { existsSync, mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { test } from 'node:test';
import { fileURLToPath } from 'node:url';
import { CeltError } from '../../src/core/errors.ts';
import { optionsFromCli } from '../../src/cli/commands/mc.ts';
import { structureOf } from '../../src/mc/init.ts';
import { buildProcessor } from '../../src/mc/processor.ts';
import { buildSampler, runMonteCarlo, type McOptions } from '../../src/mc/run.ts';
import { Layout, McState } from '../../src/mc/state.ts';
import { structureToPymatgen } from '../../src/structure/io/pymatgen.ts';
import { lnoModel, SC2 } from './helpers.ts';

const MAIN = fileURLToPath(new URL('../../src/cli/main.ts', import.meta.url));
const dir = mkdtempSync(join(tmpdir(), 'celt-mc-'));
const modelFile = join(dir, 'lno.json');
lnoModel().save(modelFile);
const celt = (...args: string[]) => spawnSync(process.execPath, ['--import', 'tsx', MAIN, 'mc', '--model', modelFile, ...args], { encoding: 'utf8', env: { ...process.env, CELT_NO_PROGRESS: '1' } });
const base = { supercell: '2', ensemble: 'canonical', T: '3000', mu: [] as string[], steps: '2000', seed: '0', composition: 'Li+=0.5,Ni4+=0.5' };

test('celt mc runs charge-neutral sampling and writes summary, trace, lowest structures and the HTML page', () => {
  const out = join(dir, 'run');
  const r = celt('--supercell', '2', '--ensemble', 'charge-neutral', '--T', '3000,6000', '--mu', 'Li+=-5.5', '--composition', 'Li+=0.5,Ni4+=0.5', '--steps', '4000', '--sro', '3', '--out', out);
  assert.equal(r.status, 0, r.stderr);
  const s = JSON.parse(readFileSync(join(out, 'summary.json'), 'utf8'));
  assert.equal(s.conditions.length, 2);
  for (const c of s.conditions) {
    for (const k of ['ensemble', 'T', 'mu', 'nSites', 'steps', 'acceptance', 'stepsPerSecond', 'energy', 'composition', 'heatCapacity', 'equilibrationSteps', 'lowestEnergy']) assert.ok(k in c, `summary field ${k}`);
    assert.equal(c.nSites, 32);
    assert.ok(c.lowestEnergy <= c.energy.mean);
  }
  for (const f of ['trace.csv', 'lowest_0.json', 'lowest_0.POSCAR', 'lowest_1.POSCAR', 'index.html']) assert.ok(existsSync(join(out, f)), f);
  assert.match(readFileSync(join(out, 'index.html'), 'utf8'), /<svg/);
});

test('bad input: one line naming the option, exit code 1', () => {
  const cases: [string[], RegExp][] = [
    [['--supercell', '2', '--T', '0', '--composition', 'Li+=0.5,Ni4+=0.5'], /--T/],
    [['--supercell', '2', '--ensemble', 'semigrand', '--T', '300', '--mu', 'Co3+=0.1', '--composition', 'Li+=0.5,Ni4+=0.5', '--no-ewald'], /--mu names Co3\+/],
    [['--supercell', '2', '--ensemble', 'charge-neutral', '--T', '300', '--composition', 'Li+=0.5,Ni4+=0.25'], /charge/],
  ];
  for (const [args, re] of cases) {
    const r = celt(...args);
    assert.equal(r.status, 1, args.join(' '));
    const lines = r.stderr.trim().split('\n');
    assert.equal(lines.length, 1, r.stderr);
    assert.match(lines[0]!, re);
    assert.doesNotMatch(r.stderr, /\n\s+at /);
  }
});

test('every listed bad input is refused before sampling with the option named', async () => {
  const model = lnoModel();
  const expect = async (o: Partial<typeof base> & Record<string, unknown>, re: RegExp) => {
    await assert.rejects(
      (async () => runMonteCarlo(model, optionsFromCli({ ...base, ...o } as never)))(),
      (e: unknown) => e instanceof CeltError && re.test(e.describe()),
      JSON.stringify(o),
    );
  };
  await expect({ supercell: '1 0 0,0 1 0,1 1 0' }, /--supercell.*singular/);
  await expect({ composition: 'Li+=0.3,Ni4+=0.5' }, /cannot hold/);
  await expect({ composition: 'Li+=0.5,Ni4+=0.5', T: '-5' }, /--T/);
  await expect({ ensemble: 'semigrand', mu: ['Zn2+=0.1'] }, /--mu names Zn2\+/);
  await expect({ ensemble: 'charge-neutral', composition: 'Li+=0.25,Ni4+=0.5' }, /charge/);
  await expect({ ensemble: 'wang-landau', window: '-30,-29', binWidth: '0.1' }, /outside the window/);
  await expect({ ensemble: 'fancy' }, /--ensemble/);
  // work that cannot finish or fit in memory: ≥ 1e10 steps in all, or 1e7 kept samples per condition
  await expect({ composition: 'Li+=0.5,Ni4+=0.5', steps: '6000000000', T: '300,600' }, /past the limit of 1e\+10/);
  await expect({ composition: 'Li+=0.5,Ni4+=0.5', steps: '200000000', thin: '1' }, /raise --thin/);
  // a structure that does not tile the requested supercell
  const layout = new Layout(model.space, SC2);
  const file = join(dir, 'start.json');
  const codes = new Int32Array(layout.nSites);
  for (const s of layout.sublattices) s.sites.forEach((i, k) => (codes[i] = k % 2));
  writeFileSync(file, JSON.stringify(structureToPymatgen(structureOf(layout, codes))));
  await expect({ composition: undefined, init: file, supercell: '3' } as never, /does not tile/);
});

test('--init maps a structure onto the supercell, also tiled into a larger one, keeping its energy per prim', () => {
  const model = lnoModel();
  const layout = new Layout(model.space, SC2);
  const codes = new Int32Array(layout.nSites);
  for (const sub of layout.sublattices) sub.sites.forEach((i, k) => (codes[i] = (k * 5) % 3 === 0 ? 1 : 0));
  const file = join(dir, 'start2.json');
  writeFileSync(file, JSON.stringify(structureToPymatgen(structureOf(layout, codes))));
  const expected = new McState(layout, buildProcessor(model, SC2).processor, codes).energyPerPrim;
  for (const supercell of ['2', '4 0 0,0 2 0,0 0 2']) {
    const s = buildSampler(model, optionsFromCli({ ...base, composition: undefined, init: file, supercell } as never));
    assert.ok(Math.abs(s.state.energyPerPrim - expected) < 1e-9, `${supercell}: ${s.state.energyPerPrim} vs ${expected}`);
  }
});

test('same seed, same trace with 1 or 2 worker threads; a path carries the state', async () => {
  const model = lnoModel();
  const o: McOptions = { ...optionsFromCli({ ...base, T: '2000,4000,8000', ensemble: 'charge-neutral', mu: ['Li+=-5.5'] } as never), steps: 3000, thin: 10 };
  const a = await runMonteCarlo(model, { ...o, threads: 1 });
  const b = await runMonteCarlo(model, { ...o, threads: 2 });
  assert.deepEqual(b.details.map((d) => d.trace.energy), a.details.map((d) => d.trace.energy));
  assert.deepEqual(b.summary.conditions.map((c) => c.energy), a.summary.conditions.map((c) => c.energy));
  const p = await runMonteCarlo(model, { ...o, path: true });
  // condition 2 of the path starts where condition 1 ended: its first kept sample differs from the independent run
  assert.notDeepEqual(p.details[1]!.trace.energy, a.details[1]!.trace.energy);
  const p2 = await runMonteCarlo(model, { ...o, path: true });
  assert.deepEqual(p2.details.map((d) => d.trace.energy), p.details.map((d) => d.trace.energy));
});

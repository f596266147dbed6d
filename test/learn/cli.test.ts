import { test } from 'node:test';
import assert from 'node:assert/strict';
import { mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Command } from 'commander';
import { register as registerLearn } from '../../src/cli/commands/learn.ts';
import { register as registerCharges } from '../../src/cli/commands/charges.ts';
import { CeltError } from '../../src/core/errors.ts';
import { Mat } from '../../src/core/matrix.ts';
import { Rng } from '../../src/core/rng.ts';
import { shuffleSplit } from '../../src/fit/selection/splits.ts';
import { evaluateRegression } from '../../src/learn/evaluate.ts';
import { GprNn } from '../../src/learn/gprnn.ts';

const dir = mkdtempSync(join(tmpdir(), 'celt-learn-'));

async function run(args: string[]): Promise<string> {
  const program = new Command().exitOverride();
  registerLearn(program);
  registerCharges(program);
  const lines: string[] = [];
  const orig = console.log;
  console.log = (...a: unknown[]) => void lines.push(a.join(' '));
  try {
    await program.parseAsync(['node', 'celt', ...args]);
  } finally {
    console.log = orig;
  }
  return lines.join('\n');
}
async function failsWith(args: string[], re: RegExp): Promise<void> {
  await assert.rejects(run(args), (e: unknown) => e instanceof CeltError && re.test(e.describe()));
}

function csv(name: string, rows: string[]): string {
  const p = join(dir, name);
  writeFileSync(p, rows.join('\n'));
  return p;
}
const rng = new Rng(9);
const rows = ['id,a,b,y,cls'];
for (let i = 0; i < 30; i++) {
  const a = rng.next(), b = rng.next();
  rows.push(`g${i % 10},${a},${b},${2 * a - b + 0.01 * rng.normal()},${a > b ? 'up' : 'down'}`);
}
const good = csv('good.csv', rows);

test('celt learn linear: Table-1 summary and --out JSON with one record per split', async () => {
  const out = join(dir, 'lin.json');
  const text = await run(['learn', '--data', good, '--target', 'y', '--model', 'linear', '--features', 'a,b', '--splits', '7:0.2', '--group', 'id', '--out', out]);
  assert.match(text, /linear \(7 splits\)/);
  const j = JSON.parse(readFileSync(out, 'utf8'));
  assert.equal(j.model, 'linear');
  assert.equal(j.splits.length, 7);
  for (const k of ['trainRmse', 'testRmse', 'trainR2', 'testR2']) assert.ok(k in j.splits[0]);
  // y is linear in a, b up to noise 0.01: a linear model must score near-perfect R².
  assert.ok(j.summary.testR2.min > 0.99);
});

test('celt learn logistic reports accuracy', async () => {
  const out = join(dir, 'log.json');
  await run(['learn', '--data', good, '--target', 'cls', '--model', 'logistic', '--features', 'a,b', '--splits', '5:0.2', '--param', 'C=10', '--out', out]);
  const j = JSON.parse(readFileSync(out, 'utf8'));
  assert.ok('testAccuracy' in j.splits[0]);
  assert.ok(j.summary.trainAccuracy.min > 0.8);
});

test('celt learn: bad input gives clear errors', async () => {
  await failsWith(['learn', '--data', good, '--target', 'y', '--model', 'forest'], /unknown model 'forest'/);
  await failsWith(['learn', '--data', good, '--target', 'y', '--model', 'mlp', '--param', 'layers=2'], /unknown parameter 'layers'/);
  await failsWith(['learn', '--data', good, '--target', 'nope', '--model', 'linear'], /target column 'nope' not found/);
  const nan = csv('nan.csv', ['a,y', '1,2', 'NaN,3', '2,4']);
  await failsWith(['learn', '--data', nan, '--target', 'y', '--model', 'linear'], /nan\.csv, line 3, field 'a': not a finite number: 'NaN'/);
  const constant = csv('const.csv', ['a,y', '1,2', '2,2', '3,2', '4,2', '5,2']);
  await failsWith(['learn', '--data', constant, '--target', 'y', '--model', 'gpr'], /target column 'y' is constant/);
  const tiny = csv('tiny.csv', ['a,y', '1,2', '2,3']);
  await failsWith(['learn', '--data', tiny, '--target', 'y', '--model', 'linear'], /2 rows are too few/);
  await failsWith(['learn', '--data', good, '--target', 'y', '--model', 'linear', '--features', 'a,b', '--splits', 'ten'], /--splits must look like/);
  const oneGroup = csv('grp.csv', ['g,a,y', 'x,1,2', 'x,2,3', 'x,3,5']);
  await failsWith(['learn', '--data', oneGroup, '--target', 'y', '--model', 'linear', '--group', 'g'], /1 group\(s\) cannot be split/);
  const ragged = csv('ragged.csv', ['a,y', '1,2', '2']);
  await failsWith(['learn', '--data', ragged, '--target', 'y', '--model', 'linear'], /line 3: expected 2 fields, got 1/);
});

test('celt charges on pymatgen dicts: balanced count, decorated output, named input errors', async () => {
  const lattice = { matrix: [[6, 0, 0], [0, 6, 0], [0, 0, 6]] };
  // positions only label sites: distinct points of a 3×3×3 grid (2 Å apart, as a readable crystal
  // needs), the three draws kept so the moments' random stream is unchanged
  let k = 0;
  const site = (el: string, ox: number | null, magmom?: number) => {
    for (let d = 0; d < 3; d++) rng.next();
    const g = k++ % 27;
    return {
      species: [{ element: el, ...(ox === null ? {} : { oxidation_state: ox }), occu: 1 }],
      abc: [(g % 3) / 3, (Math.floor(g / 3) % 3) / 3, Math.floor(g / 9) / 3],
      properties: magmom === undefined ? {} : { magmom },
    };
  };
  const moment = { 2: 4.6, 3: 3.8, 4: 3.0 } as Record<number, number>;
  const entries = [];
  for (let s = 0; s < 12; s++) {
    const q = [2 + (s % 3), 2 + ((s + 1) % 3)];
    const nLi = 8 - q[0]! - q[1]!;
    k = 0;
    const sites = [...q.map((x) => site('Mn', null, moment[x]! + 0.05 * rng.normal())), ...Array.from({ length: nLi }, () => site('Li', 1)), ...Array.from({ length: 4 }, () => site('O', -2))];
    entries.push({ '@class': 'ComputedStructureEntry', energy: -10, entry_id: `e${s}`, structure: { '@class': 'Structure', lattice, sites } });
  }
  const file = join(dir, 'mn.json');
  writeFileSync(file, JSON.stringify(entries));
  const out = join(dir, 'charges.json');
  const text = await run(['charges', '--data', file, '--element', 'Mn', '--states', '2,3,4', '--calls', '15', '--acq', 'ei', '--out', out]);
  assert.match(text, /12 of 12 structures charge-balanced/);
  const j = JSON.parse(readFileSync(out, 'utf8'));
  assert.equal(j.decorated.length, 12);
  const mn = j.decorated[0].structure.sites.filter((x: { species: Array<{ element: string }> }) => x.species[0]!.element === 'Mn');
  assert.deepEqual(mn.map((x: { species: Array<{ oxidation_state: number }> }) => x.species[0]!.oxidation_state), [2, 3]);
  delete entries[3]!.structure.sites[1]!.properties.magmom;
  writeFileSync(file, JSON.stringify(entries));
  await failsWith(['charges', '--data', file, '--element', 'Mn', '--states', '2,3,4'], /mn\.json, entry 3, field 'sites\[1\]\.properties\.magmom'/);
  await failsWith(['charges', '--data', file, '--element', 'Mn', '--states', '2,3,x'], /--states must be comma-separated integers/);
});

test('celt learn --param takes the registry’s snake_case names and builds the same model as the class', async () => {
  const out = join(dir, 'agpr.json');
  await run(['learn', '--data', good, '--target', 'y', '--model', 'additive-gpr', '--features', 'a,b', '--splits', '3:0.2', '--seed', '4', '--param', 'optimize=false', '--param', 'length_scale=0.5', '--param', 'noise=0.001', '--out', out]);
  const j = JSON.parse(readFileSync(out, 'utf8'));
  // reference: the same splits and the class built by hand (camelCase TypeScript options)
  const table = rows.slice(1).map((r) => r.split(','));
  const X = Mat.fromRows(table.map((r) => [Number(r[1]), Number(r[2])]));
  const y = Float64Array.from(table, (r) => Number(r[3]));
  const ref = evaluateRegression(X, y, (s) => new GprNn({ lengthScale: 0.5, noise: 0.001, optimize: false, seed: 4 + s }, 'additive-gpr'), shuffleSplit(30, 3, 0.2, new Rng(4)));
  assert.deepEqual(j.splits, ref.splits);
  await failsWith(['learn', '--data', good, '--target', 'y', '--model', 'gpr-nn', '--param', 'lengthScale=0.5'], /unknown parameter 'lengthScale' for model 'gpr-nn'; known: length_scale, noise, optimize, restarts, neurons, refine, refine_step/);
  await failsWith(['learn', '--data', good, '--target', 'cls', '--model', 'logistic', '--features', 'a,b', '--param', 'class_weight=up:x'], /class weights must look like/);
  // linear ECI methods share the table but are not learners
  await failsWith(['learn', '--data', good, '--target', 'y', '--model', 'lasso'], /unknown model 'lasso'; known models: additive-gpr, gpr, gpr-nn, linear, logistic, mlp/);
});

test('one table: learners are listed as learners, never among the linear fitting methods', async () => {
  const { listMethods } = await import('../../src/fit/registry.ts');
  await import('../../src/learn/registry.ts');
  assert.deepEqual(listMethods(['regression', 'classification']).map((m) => m.name), ['additive-gpr', 'gpr', 'gpr-nn', 'linear', 'logistic', 'mlp']);
  const linear = listMethods().map((m) => m.name);
  assert.ok(linear.includes('lasso') && !linear.includes('gpr') && !linear.includes('linear'));
});

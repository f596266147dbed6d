import { test } from 'node:test';
import assert from 'node:assert/strict';
import { mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Command } from 'commander';
import { register } from '../../src/cli/commands/softbv.ts';
import { CeltError } from '../../src/core/errors.ts';
import { readCsv } from '../../src/data/table.ts';
import { DATA_DIR } from '../data-dir.ts';

const dir = mkdtempSync(join(tmpdir(), 'celt-softbv-'));
const struct = (name: string) => join(DATA_DIR, 'softbv', 'structures', `${name}.json`);

async function run(args: string[]): Promise<string> {
  const program = new Command().exitOverride();
  register(program);
  const lines: string[] = [];
  const orig = console.log;
  console.log = (...a: unknown[]) => void lines.push(a.join(' '));
  try {
    await program.parseAsync(['node', 'celt', 'softbv', ...args]);
  } finally {
    console.log = orig;
  }
  return lines.join('\n');
}
async function failsWith(args: string[], re: RegExp): Promise<void> {
  await assert.rejects(run(args), (e: unknown) => e instanceof CeltError && re.test(e.describe()) && !e.describe().includes('\n'));
}

test('celt softbv gii prints per-site BVS and both GIIs', async () => {
  const out = await run(['gii', struct('SrTiO3')]);
  assert.match(out, /Ti4\+\s+3\.934/);
  assert.match(out, /GII \(seed 004 Eq\. 7, over cations\) = 0\.07\d\d/);
});

test('celt softbv relax reports Er against a reference and writes the relaxed cell', async () => {
  const out = join(dir, 'relaxed.json');
  const text = await run(['relax', struct('KTaO3'), '--sf', '0.74', '--strain', '1.1', '--reference', struct('KTaO3'), '--out', out]);
  assert.match(text, /converged/);
  const er = Number(/Er = (-?[0-9.]+) %/.exec(text)![1]);
  assert.ok(er < 0 && er > -2, `Er ${er} %`);
  assert.ok(readFileSync(out, 'utf8').includes('"lattice"'));
});

test('celt softbv sf-opt writes the learning table with the seed 004 columns', async () => {
  const csv = join(dir, 'table.csv');
  const text = await run(['sf-opt', struct('KTaO3'), '--sf-grid', '0.7:0.8:0.05', '--out', csv]);
  assert.match(text, /KTaO3\s+K\+\/Ta5\+\/O2-\s+-0\.\d\d %\s+0\.77\d\d/);
  const t = readCsv(csv);
  assert.deepEqual(t.header, ['structure', 'Er', 'R0_AO', 'b_AO', 'NC_AO', 'Rcut_AO', 'r_A', 'R0_BO', 'b_BO', 'NC_BO', 'Rcut_BO', 'r_B', 'sf']);
  assert.equal(t.rows.length, 6);
  // coordination numbers of the perovskite: A 12, B 6
  assert.equal(t.rows[0]![4], '12');
  assert.equal(t.rows[0]![9], '6');
});

test('bad options and inputs fail with one line naming the option, file or pair', async () => {
  await failsWith(['relax', struct('SrTiO3'), '--sf', '0'], /field 'sf'.*positive/);
  await failsWith(['relax', struct('SrTiO3'), '--sf', '-1'], /--sf must be a positive number/);
  await failsWith(['relax', struct('SrTiO3'), '--mode', 'cubic'], /--mode must be one of/);
  await failsWith(['sf-opt', struct('SrTiO3'), '--out', join(dir, 'x.csv'), '--sf-grid', '0:1:0.1'], /field 'sf-grid'.*0 < from/);
  // a pair the table lacks: Ti7+ does not exist
  const bad = JSON.parse(readFileSync(struct('SrTiO3'), 'utf8'));
  bad.sites[1].species[0].oxidation_state = 7;
  bad.sites[0].species[0].oxidation_state = -1; // keep it "balanced" so only the pair is wrong
  const f = join(dir, 'bad.json');
  writeFileSync(f, JSON.stringify(bad));
  await failsWith(['gii', f], /bad\.json: no SoftBV parameters for the pair/);
  // three cation species cannot form the A/B learning table
  await failsWith(['sf-opt', join(DATA_DIR, 'lmo_drx', 'spinel_LiMn2O4.json'), '--out', join(dir, 'y.csv'), '--sf-grid', '0.7:0.7:0.1'], /spinel_LiMn2O4\.json: the learning table needs two cation species/);
});

/**
 * One case per class the fuzz corpus (scripts/fuzz, `npm run fuzz`) found, run in-process through
 * the command modules: each was a stack trace, a hang or a silently accepted input before, and
 * must now be one typed error naming the file/option (or, for a batch, one skipped entry).
 */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { mkdirSync, mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { gunzipSync } from 'node:zlib';
import { Command } from 'commander';
import { CeltError } from '../../src/core/errors.ts';
import { commandModules } from '../../src/cli/commands/index.ts';
import { DATA_DIR } from '../data-dir.ts';

const dir = mkdtempSync(join(tmpdir(), 'celt-fuzzclass-'));
const file = (name: string, text: string) => {
  writeFileSync(join(dir, name), text);
  return join(dir, name);
};
const PRIM = join(DATA_DIR, 'lno/prim.json');
const LNO_ENTRIES = JSON.parse(gunzipSync(readFileSync(join(DATA_DIR, 'lno/entries.json.gz'))).toString('utf8')) as Array<Record<string, unknown>>;

/**
 * Runs `celt <args>` in-process; resolves, or rejects with what the command threw. (The commands'
 * own stdout lines stay: silencing process.stdout would also swallow the test reporter's lines.)
 */
async function celt(args: string[]): Promise<void> {
  const program = new Command().exitOverride();
  program.configureOutput({ writeOut: () => {}, writeErr: () => {} });
  (await commandModules[args[0]!]!()).register(program);
  await program.parseAsync(['node', 'celt', ...args]);
}

async function failsWith(args: string[], re: RegExp): Promise<CeltError> {
  let caught: unknown;
  await celt(args).catch((e: unknown) => (caught = e));
  assert.ok(caught instanceof CeltError, `${args.join(' ')}: expected a CeltError, got ${caught instanceof Error ? caught.stack : String(caught)}`);
  assert.match(caught.describe(), re, args.join(' '));
  assert.doesNotMatch(caught.describe(), /\n/, 'one line');
  return caught;
}

test('was a stack trace: a POSCAR of one line, and a JSON nested 20 000 deep', async () => {
  const poscar = file('POSCAR', '42');
  await failsWith(['structure', 'info', poscar], new RegExp(`^${poscar}, line 2: file ends before the scale factor`));
  const deep = file('deep.json', '['.repeat(20000) + ']'.repeat(20000));
  await failsWith(['run', deep, '--quiet'], new RegExp(`^${deep}, line 1: JSON nested deeper than 1000 levels`));
  await failsWith(['space', '--prim', deep, '--cutoffs', '2:4'], /JSON nested deeper than 1000 levels/);
});

test('was a hang: a CIF with a form feed, an --out under /proc, absurd counts', { timeout: 60_000 }, async () => {
  // form feed between tokens: whitespace to CIF, once an endless tokenizer loop
  const cif = file('ff.cif', `data_x\n_cell_length_a 4\f\n_cell_length_b 4\n_cell_length_c 4\n_cell_angle_alpha 90\n_cell_angle_beta 90\n_cell_angle_gamma 90\nloop_\n_atom_site_label\n_atom_site_type_symbol\n_atom_site_fract_x\n_atom_site_fract_y\n_atom_site_fract_z\nCu1 Cu 0 0 0\n`);
  await celt(['structure', 'info', cif]);
  // Node's recursive mkdir loops forever under /proc; the check names the option instead
  await failsWith(['enumerate', '--prim', PRIM, '--sizes', '1', '--out', '/proc/celt-fuzz/d'], /^\/proc\/celt-fuzz\/d, field '--out': cannot write here/);
  const ar = join(DATA_DIR, 'fce/Ar-fcc.poscar');
  await failsWith(['fce', 'generate', '--prim', ar, '--supercell', '2', '--potential', 'lj-ar', '--rattle', '0.01', '--n', '1e12', '--out', join(dir, 'g.extxyz')], /--n 1e12 × 8 atoms is past the limit of 1000000 atoms/);
  await failsWith(['softbv', 'relax', join(DATA_DIR, 'softbv/structures/SrTiO3.json'), '--sf', '1e12'], /--sf must be a positive number ≤ 5 \(seed 004 uses 0.5–1.0\), got '1e12'/);
  await failsWith(['sparsity-study', '--data', file('s.csv', 'x,y\n1,2\n2,3\n'), '--out', join(dir, 'ss'), '--repeats', '1e12'], /--repeats must be a whole number from 1 to 1000/);
});

test('--out is checked before any work in every command that writes (the data file does not exist)', async () => {
  const missing = join(dir, 'no-such-file.json');
  const aFile = file('plain.txt', 'x');
  const underFile = join(aFile, 'sub', 'out.json');
  const writers: string[][] = [
    ['map', '--prim', missing, '--data', missing, '--out', underFile],
    ['featurize', '--prim', missing, '--data', missing, '--cutoffs', '2:4', '--out', underFile],
    ['fit', '--data', missing, '--method', 'ols', '--out', underFile],
    ['search', '--data', missing, '--method', 'ridge', '--grid', 'alpha=1', '--out', underFile],
    ['learn', '--data', missing, '--target', 'y', '--model', 'linear', '--out', underFile],
    ['charges', '--data', missing, '--element', 'Ni', '--states', '3,4', '--out', underFile],
    ['init', '--out', underFile],
    ['fce', 'fit', '--prim', missing, '--cutoffs', '2:4', '--data', missing, '--method', 'ols', '--out', underFile],
    ['softbv', 'sf-opt', missing, '--out', underFile],
  ];
  for (const args of writers) await failsWith(args, new RegExp(`^${underFile}, field '--out': cannot write here: a part of the path is a file, not a folder$`));
  const folders: string[][] = [
    ['mc', '--model', missing, '--supercell', '2', '--T', '300', '--out', aFile],
    ['groundstate', '--model', missing, '--supercell', '2', '--out', aFile],
    ['sqs', '--prim', missing, '--cutoffs', '2:4', '--composition', 'Li+=1', '--out', aFile],
    ['sparsity-study', '--data', missing, '--out', aFile],
    ['fce', 'phonons', '--model', missing, '--out', aFile],
    ['enumerate', '--prim', missing, '--sizes', '1', '--out', aFile],
  ];
  for (const args of folders) await failsWith(args, new RegExp(`^${aFile}, field '--out': exists and is a file, not a folder$`));
  const folder = join(dir, 'a-folder');
  mkdirSync(folder);
  await failsWith(['fit', '--data', missing, '--method', 'ols', '--out', folder], new RegExp(`^${folder}, field '--out': is a folder; give a file name$`));
});

test('was silently accepted: corrupt model, force-constant model, training set, species and one-row data', async () => {
  // a real model from a tiny run
  const out = join(dir, 'run');
  const config = file('celt.json', JSON.stringify({ prim: PRIM, data: [join(DATA_DIR, 'lno/entries.json.gz')], space: { cutoffs: { 2: 4 }, ewald: false }, mapping: { supercellSize: 'O2-' }, fit: { method: 'ols', cv: 'kfold:3', learningCurve: false }, output: out }));
  await celt(['run', config, '--quiet']);
  const model = JSON.parse(readFileSync(join(out, 'model.json'), 'utf8'));
  const bad = (name: string, edit: (m: typeof model) => void) => {
    const m = structuredClone(model);
    edit(m);
    return file(name, JSON.stringify(m));
  };
  const predict = (m: string) => ['predict', '--model', m, '--data', PRIM];
  await failsWith(predict(bad('v0.json', (m) => (m.version = 0))), /field 'version': model format version 0 is not a version celt wrote/);
  await failsWith(predict(bad('big.json', (m) => (m.eci[1] = 1e308))), /field 'eci': ECI 1 is 1e\+308 eV, past ±1e100/);
  await failsWith(predict(file('empty.json', '{}')), /field 'format': not a celt model file \(no "format" field/);
  // training set of a foreign format
  const ts = file('ts.json', JSON.stringify({ format: 'something-else', X: [[1], [2]], y: [1, 2] }));
  await failsWith(['fit', '--data', ts, '--method', 'ols', '--out', join(dir, 'f.json')], /field 'format': not a celt training set/);
  await failsWith(['fit', '--data', file('one.json', JSON.stringify({ X: [[1, 2]], y: [1] })), '--method', 'ridge', '--out', join(dir, 'f.json')], /only 1 sample: a fit needs at least 2/);
  // oxidation state far outside chemistry
  const prim = JSON.parse(readFileSync(PRIM, 'utf8'));
  prim.sites[0].species[0].oxidation_state = 1e9;
  await failsWith(['space', '--prim', file('ox.json', JSON.stringify(prim)), '--cutoffs', '2:4'], /oxidation_state 1000000000 is outside −12…12/);
  // absurd settings that ran and printed nonsense (NaN compositions, symmetry of merged sites, atoms 10¹² Å away)
  await failsWith(['mc', '--model', join(out, 'model.json'), '--supercell', '2', '--T', '300', '--steps', '300', '--composition', 'Li+=0.5', '--thin', '1e12'], /--thin 1000000000000 is more than --steps 300: no sample would be kept/);
  await failsWith(['space', '--prim', PRIM, '--cutoffs', '2:4', '--symprec', '1e12'], /--symprec must be in \(0, 0\.5\] Å, got '1e12'/);
  await failsWith(['fce', 'generate', '--prim', join(DATA_DIR, 'fce/Ar-fcc.poscar'), '--supercell', '2', '--potential', 'lj-ar', '--rattle', '1e12', '--out', join(dir, 'r.extxyz')], /--rattle 1e12 Å is past the limit of 1 Å/);
  // force-constant model with a parameter missing
  const ar = join(DATA_DIR, 'fce/Ar-fcc.poscar');
  const frames = join(dir, 'fc.extxyz'), fcp = join(dir, 'fcp.json');
  await celt(['fce', 'generate', '--prim', ar, '--supercell', '2', '--potential', 'lj-ar', '--rattle', '0.02', '--n', '2', '--out', frames]);
  await celt(['fce', 'fit', '--prim', ar, '--cutoffs', '2:5', '--data', frames, '--method', 'ols', '--out', fcp]);
  const fc = JSON.parse(readFileSync(fcp, 'utf8'));
  const n = fc.parameters.length;
  fc.parameters.pop();
  await failsWith(['fce', 'phonons', '--model', file('fcp-short.json', JSON.stringify(fc)), '--out', join(dir, 'ph')], new RegExp(`field 'parameters': model has ${n - 1} parameters, its cluster space ${n}`));
});

test('a Python NaN literal in one entry of a batch skips that entry alone, naming its line', async () => {
  const text = JSON.stringify(LNO_ENTRIES, null, 1);
  const clean = file('clean.json', text);
  // the literal goes into entry 4's energy; its line is found in the text, not by celt
  const energy = `"energy": ${JSON.stringify(LNO_ENTRIES[4]!.energy)}`;
  const at = text.indexOf(energy, text.indexOf(`"energy": ${JSON.stringify(LNO_ENTRIES[3]!.energy)}`) + 1);
  assert.ok(at > 0);
  const line = text.slice(0, at).split('\n').length;
  const nan = file('nan.json', text.slice(0, at) + '"energy": NaN' + text.slice(at + energy.length));
  await celt(['map', '--prim', PRIM, '--data', clean, '--supercell-size', 'O2-', '--out', join(dir, 'clean-map.json')]);
  await celt(['map', '--prim', PRIM, '--data', nan, '--supercell-size', 'O2-', '--out', join(dir, 'nan-map.json')]);
  const before = JSON.parse(readFileSync(join(dir, 'clean-map.json'), 'utf8'));
  const after = JSON.parse(readFileSync(join(dir, 'nan-map.json'), 'utf8'));
  const skipped = after.skipped.find((s: { entry: number }) => s.entry === 4);
  assert.equal(skipped.reason, 'bad-entry');
  assert.equal(skipped.message, `${nan}, line ${line}, entry 4, field 'energy': NaN literal (as Python writes it): JSON has no such number`);
  // every other entry maps exactly as from the clean file
  const mappedIds = (m: { mapped: Array<{ entry: number }> }) => m.mapped.map((r) => r.entry).filter((e) => e !== 4);
  assert.deepEqual(mappedIds(after), mappedIds(before));
  assert.equal(after.mapped.length + after.skipped.length, LNO_ENTRIES.length);
  // a NaN outside any entry (one structure file) is still the file's error, at its line
  const prim = readFileSync(PRIM, 'utf8').replace(/"abc": \[\s*[-\d.e]+/, '"abc": [NaN');
  const primLine = prim.slice(0, prim.indexOf('NaN')).split('\n').length;
  const badPrim = file('nanprim.json', prim);
  await failsWith(['space', '--prim', badPrim, '--cutoffs', '2:4'], new RegExp(`^${badPrim}, line ${primLine}: NaN or Infinity literal`));
});

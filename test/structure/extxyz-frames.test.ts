/**
 * Multi-frame extended XYZ as training data (issue 19 item 8). The fixture was written by ASE
 * (make_frames.py beside it) from the first 30 embedded Ag–Pd entries, each frame carrying its
 * energy as ASE stores it; read back, every frame must be an entry with that energy and the
 * same correlation vector as the original pymatgen entry.
 */
import assert from 'node:assert/strict';
import { readFileSync, writeFileSync, mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { test } from 'node:test';
import { CeltError, InputError } from '../../src/core/errors.ts';
import { TrainingSet } from '../../src/data/training-set.ts';
import { cutoffsFromObject } from '../../src/space/cutoffs.ts';
import { ClusterSpace } from '../../src/space/cluster-space.ts';
import { parseExtxyz } from '../../src/structure/io/extxyz.ts';
import { loadEntries, readStructureFile } from '../../src/structure/io/read.ts';
import { DATA_DIR } from '../data-dir.ts';

const FIXTURE = join(import.meta.dirname, 'fixtures/extxyz/agpd-30.xyz');
const dir = mkdtempSync(join(tmpdir(), 'celt-xyz-'));

test('every ASE frame is an entry with its energy and the correlation vector of the original entry', async () => {
  const fromXyz = await loadEntries(FIXTURE);
  const fromJson = (await loadEntries(join(DATA_DIR, 'agpd_fcc/entries.json.gz'))).slice(0, 30);
  assert.equal(fromXyz.length, 30);
  fromXyz.forEach((r, i) => {
    assert.ok(r.entry, `frame ${i}: ${r.error?.message}`);
    assert.ok(Math.abs(r.entry.energy - fromJson[i]!.entry!.energy) < 1e-9, `frame ${i} energy`);
    assert.equal(r.entry.structure.numSites, fromJson[i]!.entry!.structure.numSites);
  });
  const space = ClusterSpace.build(readStructureFile(join(DATA_DIR, 'agpd_fcc/prim.json')), cutoffsFromObject({ 2: 6, 3: 4 }), { ewald: false });
  const opts = { supercellSize: 'num_sites' };
  const a = TrainingSet.featurize(space, fromXyz, opts);
  const b = TrainingSet.featurize(space, fromJson, opts);
  assert.equal(a.nRows, 30);
  assert.deepEqual(a.rows.map((r) => r.entry), b.rows.map((r) => r.entry));
  a.rows.forEach((r, i) => {
    r.features.forEach((v, j) => assert.ok(Math.abs(v - b.rows[i]!.features[j]!) < 1e-12, `row ${i} feature ${j}`));
    assert.equal(r.energyTotal, b.rows[i]!.energyTotal);
  });
});

test('--energy-key and --per-atom pick another comment-line property; a frame without it has no energy', async () => {
  const text = readFileSync(FIXTURE, 'utf8').split('\n');
  // frame 1: add mixing_energy=0.5 (per atom, 1 atom); frame 2 keeps only energy
  text[1] = text[1]!.replace('energy=', 'mixing_energy=0.5 energy=');
  const p = join(dir, 'mixed.xyz');
  writeFileSync(p, text.join('\n'));
  const r = await loadEntries(p, { energyKey: 'mixing_energy', perAtom: true });
  assert.equal(r[0]!.entry!.energy, 0.5 * r[0]!.entry!.structure.numSites);
  assert.ok(Number.isNaN(r[1]!.entry!.energy), 'no mixing_energy on frame 2');
});

test('a bad frame is that entry’s error at its own file line; the other frames still load', async () => {
  const lines = readFileSync(FIXTURE, 'utf8').split('\n');
  // third frame: find its comment line and break its energy; fourth frame: break a position
  const starts: number[] = [];
  for (let at = 0; at < lines.length && lines[at]!.trim() !== ''; at += Number(lines[at]) + 2) starts.push(at);
  lines[starts[2]! + 1] = lines[starts[2]! + 1]!.replace(/energy=\S+/, 'energy=abc');
  lines[starts[3]! + 2] = lines[starts[3]! + 2]!.replace(/\s\S+$/, ' x');
  const p = join(dir, 'bad.xyz');
  writeFileSync(p, lines.join('\n'));
  const r = await loadEntries(p);
  assert.equal(r.length, 30);
  assert.equal(r.filter((e) => e.error).length, 2);
  assert.match(r[2]!.error!.describe(), new RegExp(`bad\\.xyz.*line ${starts[2]! + 2}.*energy=abc is not a finite number`));
  assert.match(r[3]!.error!.describe(), new RegExp(`line ${starts[3]! + 3}.*bad position`));
});

test('a single structure (a prim) refuses a file of several frames instead of reading the first', () => {
  assert.throws(() => parseExtxyz(readFileSync(FIXTURE, 'utf8'), 'agpd-30.xyz'), (e) => e instanceof InputError && /holds 30 frames where one structure is expected/.test(e.message));
  assert.throws(() => parseExtxyz('1\nLattice="4 0 0 0 4 0 0 0 4"\nAg 0 0 0\n\ngarbage\n'), (e) => e instanceof CeltError && /text after a blank line/.test(e.message));
});

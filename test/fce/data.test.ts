/**
 * Displacement–force data: extxyz frames with forces round-trip through the mapping (atoms
 * shuffled and wrapped across the cell boundary), bad input gives one-line typed errors, the
 * sensing matrix obeys translational invariance, and force CV keeps structures whole.
 */
import { strict as assert } from 'node:assert';
import { spawnSync } from 'node:child_process';
import { mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { test } from 'node:test';
import { InputError, MappingError, OptionError } from '../../src/core/errors.ts';
import { Rng } from '../../src/core/rng.ts';
import { FcClusterSpace } from '../../src/fce/cluster-space.ts';
import { loadDisplacedData, mapDisplaced, parseForceFrames, writeForceFrame } from '../../src/fce/displaced.ts';
import { buildFitData, fitFce, structureFolds } from '../../src/fce/fit.ts';
import { rattle } from '../../src/fce/generate.ts';
import { LennardJones } from '../../src/fce/potentials.ts';
import { sensingPlan, sensingRows } from '../../src/fce/sensing.ts';
import { FcSupercell } from '../../src/fce/supercell.ts';
import { fccPrim } from './helpers.ts';

const prim = fccPrim(5.26, 'Ar');
const sc = new FcSupercell(prim, [[2, 0, 0], [0, 2, 0], [0, 0, 2]]);
const lj = LennardJones.argonLike();

function frameText(u: Float64Array, f: Float64Array): string {
  return writeForceFrame(sc, u, f);
}

/** Reverse atom order and push every atom by a lattice vector: the mapping must undo both. */
function scramble(text: string): string {
  const lines = text.trim().split('\n');
  const [n, head, ...atoms] = lines;
  const a1 = sc.ideal.lattice.matrix[0];
  const moved = atoms.reverse().map((l) => {
    const p = l.trim().split(/\s+/);
    const x = [1, 2, 3].map((i, c) => Number(p[i]) + a1[c]!);
    return [p[0], ...x.map((v) => v.toFixed(10)), ...p.slice(4)].join(' ');
  });
  return [n, head, ...moved].join('\n') + '\n';
}

test('extxyz frames with forces map back onto the ideal supercell (shuffled, wrapped)', () => {
  const rng = new Rng(4);
  const u1 = rattle(sc.numAtoms, 0.03, rng), u2 = rattle(sc.numAtoms, 0.03, rng);
  const text = scramble(frameText(u1, lj.forces(sc, u1))) + frameText(u2, lj.forces(sc, u2));
  const frames = parseForceFrames(text);
  assert.equal(frames.length, 2);
  const d = mapDisplaced(prim, frames[0]!, 'f1', { maxDisplacement: 0.5 });
  d.displacements.forEach((v, i) => assert.ok(Math.abs(v - u1[i]!) < 1e-9));
  const f1 = lj.forces(sc, u1);
  d.forces.forEach((v, i) => assert.ok(Math.abs(v - f1[i]!) < 1e-10));
});

test('bad data: missing forces, too-large displacement, foreign cell, doubled site, wrong count', () => {
  const u = new Float64Array(3 * sc.numAtoms);
  const good = frameText(u, new Float64Array(3 * sc.numAtoms));
  const noForces = good.replace(':forces:R:3', '');
  assert.throws(() => mapDisplaced(prim, parseForceFrames(noForces)[0]!, 'x', { maxDisplacement: 0.5 }), (e: unknown) => e instanceof InputError && /no forces column/.test(e.message));
  const big = u.slice();
  big[0] = 1.2;
  assert.throws(() => mapDisplaced(prim, parseForceFrames(frameText(big, u))[0]!, 'x', { maxDisplacement: 0.5 }), (e: unknown) => e instanceof MappingError && e.reason === 'displacement' && /1\.200 Å from the nearest ideal site/.test(e.message));
  const strained = good.replace(/Lattice="([^"]*)"/, (_, l: string) => `Lattice="${l.split(' ').map((v) => (Number(v) * 1.13).toString()).join(' ')}"`);
  assert.throws(() => mapDisplaced(prim, parseForceFrames(strained)[0]!, 'x', { maxDisplacement: 0.5 }), (e: unknown) => e instanceof MappingError && e.reason === 'lattice');
  // atom 2 placed on atom 1's site: the reader already refuses two atoms at one position
  const dup = u.slice();
  for (let c = 0; c < 3; c++) dup[3 + c] = sc.positions[c]! - sc.positions[3 + c]!;
  assert.throws(() => parseForceFrames(frameText(dup, u)), (e: unknown) => e instanceof InputError && /sites 0 and 1 are 0\.000 Å apart/.test(e.message));
  const lines = good.trim().split('\n');
  const short = [String(sc.numAtoms - 1), lines[1], ...lines.slice(2, -1)].join('\n') + '\n';
  assert.throws(() => mapDisplaced(prim, parseForceFrames(short)[0]!, 'x', { maxDisplacement: 0.5 }), (e: unknown) => e instanceof MappingError && e.reason === 'count');
});

test('CLI: bad data gives one line on stderr and exit code 1', () => {
  const dir = mkdtempSync(join(tmpdir(), 'celt-fce-'));
  const primFile = join(dir, 'prim.poscar');
  writeFileSync(primFile, 'Ar\n1.0\n0 2.63 2.63\n2.63 0 2.63\n2.63 2.63 0\nAr\n1\nDirect\n0 0 0\n');
  const big = new Float64Array(3 * sc.numAtoms);
  big[5] = 1.5;
  writeFileSync(join(dir, 'bad.extxyz'), frameText(new Float64Array(3 * sc.numAtoms), new Float64Array(3 * sc.numAtoms)) + frameText(big, big));
  const r = spawnSync(process.execPath, ['bin/celt.js', 'fce', 'fit', '--prim', primFile, '--cutoffs', '2:4', '--data', join(dir, 'bad.extxyz'), '--method', 'ols', '--out', join(dir, 'm.json')], { encoding: 'utf8' });
  assert.equal(r.status, 1);
  const err = r.stderr.trim().split('\n');
  assert.equal(err.length, 1, r.stderr);
  assert.match(err[0]!, /bad\.extxyz, entry 2: atom 2 \(Ar\) is 1\.500 Å from the nearest ideal site/);
});

test('translational invariance: a rigid shift gives zero force for every free parameter', () => {
  const cs = FcClusterSpace.build(prim, new Map([[2, 5.3], [3, 4.0]]));
  const plan = sensingPlan(cs, sc);
  const rng = new Rng(9);
  const u = rattle(sc.numAtoms, 0.05, rng);
  const shift = [0.013, -0.021, 0.007];
  const A0 = sensingRows(cs, plan, u);
  const A1 = sensingRows(cs, plan, u.map((v, i) => v + shift[i % 3]!));
  let maxDiff = 0, scale = 0;
  for (let i = 0; i < A0.data.length; i++) {
    maxDiff = Math.max(maxDiff, Math.abs(A0.data[i]! - A1.data[i]!));
    scale = Math.max(scale, Math.abs(A0.data[i]!));
  }
  assert.ok(maxDiff < 1e-12 * Math.max(1, scale), `rows change under a rigid shift by ${maxDiff}`);
  // without the sum rules they do change (the check can fail)
  const raw = FcClusterSpace.build(prim, new Map([[2, 5.3], [3, 4.0]]), { sumRules: false });
  const rp = sensingPlan(raw, sc);
  const B0 = sensingRows(raw, rp, u), B1 = sensingRows(raw, rp, u.map((v, i) => v + shift[i % 3]!));
  assert.ok(B0.data.some((v, i) => Math.abs(v - B1.data[i]!) > 1e-6));
});

test('force fits: no intercept, CV folds hold whole structures', () => {
  const cs = FcClusterSpace.build(prim, new Map([[2, 4.0]]));
  const rng = new Rng(2);
  const data = Array.from({ length: 6 }, (_, s) => {
    const u = rattle(sc.numAtoms, 0.01, rng);
    return { supercell: sc, displacements: u, forces: lj.forces(sc, u), label: `s${s}` };
  });
  const fd = buildFitData(cs, data);
  const splits = structureFolds(fd.group, fd.nStructures, 3, 0);
  for (const s of splits) {
    const testGroups = new Set(Array.from(s.test, (i) => fd.group[i]));
    const trainGroups = new Set(Array.from(s.train, (i) => fd.group[i]));
    for (const g of testGroups) assert.ok(!trainGroups.has(g), 'a structure is on both sides of a split');
    assert.equal(s.test.length, testGroups.size * 3 * sc.numAtoms);
  }
  assert.throws(() => fitFce(cs, fd, 'ridge', { fit_intercept: 'true' }, { masses: [39.948] }), OptionError);
  const res = fitFce(cs, fd, 'ridge', { alpha: 1e-8 }, { cvFolds: 3, masses: [39.948] });
  assert.equal((res.model.fit.params as Record<string, unknown>).fit_intercept, false);
});

test('reads what ASE writes: extxyz frames with forces (and extra columns) from ase.io.write', () => {
  // fixture made by test/fce/fixtures/make_ase_frames.py (ASE 3.22.1, its LennardJones calculator)
  const dir = new URL('./fixtures/', import.meta.url).pathname;
  const ref = JSON.parse(readFileSync(join(dir, 'ase_lj_frames.json'), 'utf8')) as { frames: Array<{ displacements: number[][]; forces: number[][] }> };
  const data = loadDisplacedData(prim, join(dir, 'ase_lj_frames.extxyz'), 1.0);
  assert.equal(data.length, ref.frames.length);
  data.forEach((d, k) => {
    assert.equal(d.supercell.numAtoms, 27);
    // pair atoms by displacement length (distinct for random displacements), then compare vectors
    const mine = Array.from({ length: 27 }, (_, i) => ({ u: Array.from(d.displacements.subarray(3 * i, 3 * i + 3)), f: Array.from(d.forces.subarray(3 * i, 3 * i + 3)) }));
    const theirs = ref.frames[k]!.displacements.map((u, i) => ({ u, f: ref.frames[k]!.forces[i]! }));
    const byNorm = (x: { u: number[] }) => Math.hypot(...x.u);
    mine.sort((p, q) => byNorm(p) - byNorm(q));
    theirs.sort((p, q) => byNorm(p) - byNorm(q));
    mine.forEach((m, i) => {
      m.u.forEach((v, c) => assert.ok(Math.abs(v - theirs[i]!.u[c]!) < 2e-8, `frame ${k} displacement`));
      m.f.forEach((v, c) => assert.ok(Math.abs(v - theirs[i]!.f[c]!) < 1e-8, `frame ${k} force`));
    });
  });
});

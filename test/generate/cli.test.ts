import { test } from 'node:test';
import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { mkdtempSync, readFileSync, readdirSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { Mat3 } from '../../src/core/mat3.ts';
import { ClusterExpansion } from '../../src/model/cluster-expansion.ts';
import { ClusterSpace } from '../../src/space/cluster-space.ts';
import { CorrelationEvaluator } from '../../src/space/correlation.ts';
import { parseCutoffs } from '../../src/space/cutoffs.ts';
import { structureToPymatgen } from '../../src/structure/io/pymatgen.ts';
import { readStructureFile } from '../../src/structure/io/read.ts';
import { mapStructure } from '../../src/structure/mapping.ts';
import { allSupercells, fcc } from './helpers.ts';

const root = new URL('../..', import.meta.url).pathname;
const run = (...args: string[]) => spawnSync(process.execPath, ['--import', 'tsx', 'src/cli/main.ts', ...args], { encoding: 'utf8', cwd: root });
const dir = mkdtempSync(join(tmpdir(), 'celt-enumsqs-'));
const primFile = join(dir, 'fcc.json');
const prim = fcc(['Au', 'Cu'], 4);
writeFileSync(primFile, JSON.stringify(structureToPymatgen(prim)));

test('celt enumerate --count: {"count": 631, "bySize": …} for fcc binary sizes 1-8', () => {
  const r = run('enumerate', '--prim', primFile, '--sizes', '1-8', '--count');
  assert.equal(r.status, 0, r.stderr);
  assert.deepEqual(JSON.parse(r.stdout), { count: 631, bySize: { 1: 2, 2: 2, 3: 6, 4: 19, 5: 28, 6: 80, 7: 104, 8: 390 } });
});

test('celt enumerate --out writes pymatgen JSON and POSCAR for every structure; --model hull = brute-force hull', () => {
  // a hand-made model: nearest-neighbour repulsion, weaker second-neighbour attraction
  const space = ClusterSpace.build(prim, parseCutoffs('2:4.1'));
  const eci = [0.01, 0.02, 0.1, -0.03];
  assert.equal(space.nFeatures, eci.length);
  const modelFile = join(dir, 'model.json');
  new ClusterExpansion(space, eci, { method: 'hand', params: {}, intercept: 0 }).save(modelFile);
  const out = join(dir, 'enum');
  const r = run('enumerate', '--model', modelFile, '--sizes', '1-4', '--out', out, '--json');
  assert.equal(r.status, 0, r.stderr);
  const j = JSON.parse(r.stdout);
  assert.equal(j.count, 29);
  assert.equal(readdirSync(join(out, 'POSCAR')).length, 29);
  const list = JSON.parse(readFileSync(join(out, 'structures.json'), 'utf8'));
  assert.equal(list.length, 29);
  // brute force: every labeling of every supercell ≤ 4, lowest energy per Cu fraction, 1-D lower hull by hand
  const lowest = new Map<number, number>();
  for (let n = 1; n <= 4; n++) {
    for (const sc of allSupercells(n)) {
      const ev = new CorrelationEvaluator(space, sc as Mat3);
      for (let mask = 0; mask < 1 << n; mask++) {
        const codes = Array.from({ length: n }, (_, i) => (mask >> i) & 1);
        const corr = ev.correlations(codes);
        const e = corr.reduce((a, v, k) => a + v * eci[k]!, 0);
        const x = codes.filter((c) => c === 0).length / n; // Cu is code 0 (pymatgen's species order)
        if (!(lowest.get(x)! <= e)) lowest.set(x, e);
      }
    }
  }
  const pts = [...lowest].sort((a, b) => a[0] - b[0]);
  const hull: [number, number][] = [];
  for (const p of pts) {
    while (hull.length >= 2) {
      const [a, b] = [hull[hull.length - 2]!, hull[hull.length - 1]!];
      if ((b[0] - a[0]) * (p[1] - a[1]) - (b[1] - a[1]) * (p[0] - a[0]) <= 1e-12) hull.pop();
      else break;
    }
    hull.push(p);
  }
  const cu = j.hull.components.indexOf('Cu');
  assert.deepEqual([...j.hull.components].sort(), ['Au', 'Cu']);
  const got = j.hull.groundStates.map((g: { x: number[]; energy: number }) => [g.x[cu], g.energy] as [number, number]).sort((a: number[], b: number[]) => a[0]! - b[0]!);
  assert.equal(got.length, hull.length);
  got.forEach(([x, e]: [number, number], i: number) => {
    assert.ok(Math.abs(x - hull[i]![0]) < 1e-9 && Math.abs(e - hull[i]![1]) < 1e-9, `vertex ${i}: ${x}, ${e} vs ${hull[i]}`);
  });
  assert.ok(JSON.parse(readFileSync(join(out, 'hull.json'), 'utf8')).groundStates.length === hull.length);
});

test('celt sqs at x(Cu) = 3/4 (annealing): reported mismatch = correlations recomputed from the written files', () => {
  const space = ClusterSpace.build(prim, parseCutoffs('2:6,3:5'));
  // one CLI run (annealing only; the exhaustive path is tested in-process in sqs.test.ts)
  for (const extra of [['--exhaustive-limit', '0', '--steps', '4000', '--seed', '3']]) {
    const out = join(dir, `sqs${extra.length}`);
    const r = run('sqs', '--prim', primFile, '--cutoffs', '2:6,3:5', '--composition', 'Au=0.25,Cu=0.75', '--max-size', '8', '--out', out, '--json', ...extra);
    assert.equal(r.status, 0, r.stderr);
    const j = JSON.parse(r.stdout);
    for (const file of ['sqs.json', 'POSCAR']) {
      const s = readStructureFile(join(out, file));
      const m = mapStructure(prim, s);
      // species codes in pymatgen's order: Cu (electronegativity 1.90) = 0, Au (2.54) = 1
      const codes = m.occupancy.map((sp) => (sp.key === 'Cu' ? 0 : 1));
      const corr = new CorrelationEvaluator(space, m.scMatrix).correlations(codes);
      // target by hand: code 0 (Cu) has φ = −1, so ⟨φ⟩ = −1·(3/4) + 1·(1/4) = −1/2 per site, (−1/2)^k for a k-site cluster
      let mismatch = 0;
      for (const o of space.orbits) mismatch += Math.abs(corr[o.firstFunction]! - (-0.5) ** o.size);
      assert.ok(Math.abs(mismatch - j.mismatch) < 1e-9, `${file}: recomputed ${mismatch}, reported ${j.mismatch}`);
      assert.deepEqual(Array.from(corr, (v) => +v.toFixed(9)), j.correlations.map((v: number) => +v.toFixed(9)));
    }
    assert.deepEqual(j.target.map((v: number) => +v.toFixed(12)), [1, ...space.orbits.map((o) => +((-0.5) ** o.size).toFixed(12))]);
    assert.equal(j.method, 'annealing');
    assert.ok(j.mismatch > 0 && j.mismatch < 1);
  }
});

test('celt enumerate / sqs: bad input gives one line and exit code 1 (the other cases are unit-tested)', () => {
  const cases: [string[], RegExp][] = [
    [['enumerate', '--prim', primFile, '--sizes', '0', '--count'], /sizes must be positive/],
    [['sqs', '--prim', primFile, '--cutoffs', '2:6', '--composition', 'Au=0.3,Cu=0.7', '--max-size', '4'], /cannot be realized exactly/],
  ];
  for (const [args, pattern] of cases) {
    const r = run(...args);
    assert.equal(r.status, 1, r.stderr);
    assert.match(r.stderr, pattern);
    assert.equal(r.stderr.trim().split('\n').length, 1);
  }
});

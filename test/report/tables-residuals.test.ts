/**
 * Report pieces of issue 19 item 11: tables written in full as CSV beside the report (and
 * printable in full), and the residual plot's formation energies carried to every training row.
 */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { mkdtempSync, readFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { orbitTable, tableCsv, writeReport } from '../../src/report/report.ts';
import { residualFigure } from '../../src/report/figures.ts';
import { carryFormation } from '../../src/workflow/thermo-analysis.ts';

test('a table with csv: every row in the CSV file beside the report, linked, and the print style lifts the scroll limit', async () => {
  const dir = mkdtempSync(join(tmpdir(), 'celt-report-csv-'));
  const rows = Array.from({ length: 40 }, (_, i) => ({ id: i + 1, size: 2, diameter: 2 + i / 10, multiplicity: 6, functions: 1, eciNorm: i === 3 ? 0.125 : 0, nonzero: i === 3 ? 1 : 0 }));
  await writeReport({ title: 't', sections: [{ id: 'space', title: 'Cluster space', table: orbitTable(rows) }] }, dir);
  const csv = readFileSync(join(dir, 'orbits.csv'), 'utf8').trim().split('\n');
  assert.equal(csv.length, 41);
  assert.equal(csv[0], 'orbit,sites,diameter (Å),multiplicity,functions,nonzero ECIs,Σ|ECI| (eV)');
  assert.equal(csv[4], '4,2,2.3,6,1,1,0.125');
  const html = readFileSync(join(dir, 'report.html'), 'utf8');
  assert.match(html, /All 40 rows: <a href="orbits.csv">orbits.csv<\/a>/);
  assert.match(html, /@media print \{ \.scroll \{ max-height: none; overflow: visible; \}/);
  // RFC 4180: fields with commas, quotes or newlines are quoted, quotes doubled
  assert.equal(tableCsv({ columns: ['a', 'b'], rows: [['x, y', 'say "hi"'], [1.5, 'plain']] }), 'a,b\n"x, y","say ""hi"""\n1.5,plain\n');
});

test('formation energies reach duplicate rows through their kept copy (same composition, same reference)', () => {
  // rows 0..3 (energies per prim); the hull saw rows 0, 1, 3 with formation energies −0.1, 0, −0.05;
  // row 2 duplicates row 1 (group [1, 2]) and lies 0.02 above it: E_f(2) = 0 + 0.02; row 4 is in no group
  const energy = [-10.1, -9.5, -9.48, -7.0, -3];
  const f = carryFormation(energy, [0, 1, 3], [[1, 2]], [-0.1, 0, -0.05]);
  assert.ok(Math.abs(f[0]! + 0.1) < 1e-12 && Math.abs(f[1]!) < 1e-12 && Math.abs(f[3]! + 0.05) < 1e-12);
  assert.ok(Math.abs(f[2]! - 0.02) < 1e-12, String(f[2]));
  assert.ok(Number.isNaN(f[4]!));
  // the figure plots them on x, residuals per atom in meV on y, rows without an x left out
  const spec = residualFigure({ dft: energy, train: energy.map((e) => e + 0.004), atomsPerUnit: [4, 4, 4, 4, 4], x: f, xTitle: 'DFT formation energy (eV/prim)' }) as { layer: Array<{ data: { values: Array<{ dft: number; res: number }> } }> };
  const pts = spec.layer[1]!.data.values;
  assert.equal(pts.length, 4);
  for (const p of pts) assert.ok(Math.abs(p.res - 1) < 1e-9, `0.004 eV/prim over 4 atoms = 1 meV/atom, got ${p.res}`);
});

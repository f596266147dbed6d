// Valid base inputs for the fuzz corpus, written into a scratch folder: every case in cases.mjs
// is one of these with one thing broken, so a failure points at that one thing. Small on
// purpose (lno's 31 entries, pair cutoff 4 Å) so a valid run takes well under a second.
import { spawnSync } from 'node:child_process';
import { copyFileSync, mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { gunzipSync } from 'node:zlib';

const ROOT = new URL('../../', import.meta.url).pathname;
const DATA = join(ROOT, 'data');

function celt(CELT, args, cwd) {
  const r = spawnSync(process.execPath, [CELT, ...args], { cwd, encoding: 'utf8' });
  if (r.status !== 0) throw new Error(`fixture step failed: celt ${args.join(' ')}\n${r.stderr}`);
}

/** Writes the base files into dir/base (the trained ones with the celt build CELT) and returns their paths by kind. */
export function writeFixtures(dir, CELT) {
  const base = join(dir, 'base');
  mkdirSync(base, { recursive: true });
  const p = (name) => join(base, name);
  const entries = JSON.parse(gunzipSync(readFileSync(join(DATA, 'lno/entries.json.gz'))).toString('utf8'));
  copyFileSync(join(DATA, 'lno/prim.json'), p('prim.json'));
  writeFileSync(p('entries.json'), JSON.stringify(entries, null, 1));
  // charges needs a moment per site: Ni3+ (d7, low spin) ~1 μB, Ni4+ ~0
  const withMoments = entries.slice(0, 6).map((e) => {
    const s = structuredClone(e.structure);
    for (const site of s.sites) {
      const sp = site.species[0];
      site.properties = { magmom: sp.element === 'Ni' ? (sp.oxidation_state === 3 ? 1.0 : 0.05) : 0 };
    }
    return { ...e, structure: s };
  });
  writeFileSync(p('magmom.json'), JSON.stringify(withMoments, null, 1));
  // a line y = 1 + 2x + x2 with a little structure, for fit/search/learn/sparsity-study
  const rows = ['x,x2,y'];
  for (let i = 0; i < 12; i++) rows.push(`${i},${(i * 7) % 5},${1 + 2 * i + ((i * 7) % 5) + 0.01 * ((i * 3) % 4)}`);
  writeFileSync(p('data.csv'), `${rows.join('\n')}\n`);
  writeFileSync(p('learn.csv'), `g,a,b,t\n${Array.from({ length: 16 }, (_, i) => `${i % 4},${i},${(i * 5) % 7},${i * 0.5 + ((i * 5) % 7)}`).join('\n')}\n`);
  writeFileSync(p('xy.json'), JSON.stringify({ X: [[1, 0], [2, 1], [3, 0], [4, 1], [5, 0]], y: [1, 3, 3, 5, 5] }));
  copyFileSync(join(ROOT, 'test/fixtures/thermo/limn2o4_hand.json'), p('hull.json'));
  copyFileSync(join(DATA, 'softbv/structures/SrTiO3.json'), p('SrTiO3.json'));
  copyFileSync(join(DATA, 'fce/Ar-fcc.poscar'), p('Ar.poscar'));
  writeFileSync(p('POSCAR'), 'Cu fcc\n1.0\n0 1.8 1.8\n1.8 0 1.8\n1.8 1.8 0\nCu\n1\nDirect\n0 0 0\n');
  writeFileSync(
    p('cu.cif'),
    'data_Cu\n_cell_length_a 3.6\n_cell_length_b 3.6\n_cell_length_c 3.6\n_cell_angle_alpha 90\n_cell_angle_beta 90\n_cell_angle_gamma 90\n' +
      "loop_\n_symmetry_equiv_pos_as_xyz\n'x,y,z'\n'x+1/2,y+1/2,z'\n'x+1/2,y,z+1/2'\n'x,y+1/2,z+1/2'\n" +
      'loop_\n_atom_site_label\n_atom_site_type_symbol\n_atom_site_fract_x\n_atom_site_fract_y\n_atom_site_fract_z\n_atom_site_occupancy\nCu1 Cu 0 0 0 1\n',
  );
  writeFileSync(p('frames.extxyz'), '1\nLattice="0 1.8 1.8 1.8 0 1.8 1.8 1.8 0" Properties=species:S:1:pos:R:3 energy=-3.5 pbc="T T T"\nCu 0 0 0\n');
  // trained artefacts through celt itself: a training set, a fitted model (celt run), a force-constant model
  celt(CELT, ['featurize', '--prim', p('prim.json'), '--data', p('entries.json'), '--cutoffs', '2:4', '--out', p('ts.json')], base);
  const config = {
    prim: 'prim.json',
    data: ['entries.json'],
    space: { cutoffs: { 2: 4 }, ewald: false },
    mapping: { supercellSize: 'O2-' },
    fit: { method: 'ridge', params: { alpha: 1e-4 }, cv: 'kfold:3', learningCurve: false },
    output: 'run-out',
  };
  writeFileSync(p('celt.json'), JSON.stringify(config, null, 1));
  celt(CELT, ['run', p('celt.json'), '--quiet'], base);
  copyFileSync(join(base, 'run-out/model.json'), p('model.json'));
  celt(CELT, ['fce', 'generate', '--prim', p('Ar.poscar'), '--supercell', '2', '--potential', 'lj-ar', '--rattle', '0.02', '--n', '3', '--out', p('fc.extxyz')], base);
  celt(CELT, ['fce', 'fit', '--prim', p('Ar.poscar'), '--cutoffs', '2:5', '--data', p('fc.extxyz'), '--method', 'ols', '--out', p('fcp.json')], base);
  return {
    prim: p('prim.json'),
    entries: p('entries.json'),
    magmom: p('magmom.json'),
    csv: p('data.csv'),
    learncsv: p('learn.csv'),
    xy: p('xy.json'),
    ts: p('ts.json'),
    model: p('model.json'),
    config: p('celt.json'),
    hull: p('hull.json'),
    softbv: p('SrTiO3.json'),
    ar: p('Ar.poscar'),
    poscar: p('POSCAR'),
    cif: p('cu.cif'),
    extxyz: p('frames.extxyz'),
    fcxyz: p('fc.extxyz'),
    fcp: p('fcp.json'),
  };
}

// The fuzz corpus: for every CLI command (src/cli/commands/*.ts) a valid invocation, then that
// invocation with one input broken — a file that is missing, a directory, empty, truncated,
// garbage, gzip garbage, a JSON NaN, the wrong JSON type; a kind-specific oddity (CIF, POSCAR,
// entries, CSV, model); a numeric option that is text, negative, zero, huge, NaN, fractional;
// an enum option that is unknown; an --out that cannot be written; unknown or repeated options.
// `expect` says what a correct celt does: 'ok' (exit 0), 'error' (one-line error, exit 1) or
// 'any' (either is fine; exit 0 is then reviewed by hand for a silently wrong result).
import { mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { gzipSync } from 'node:zlib';

/**
 * Command table. args: the valid invocation; files: argument index → kind of file there;
 * numbers: option → 'int' | 'real' (value-mutated); enums: options with a fixed set of names;
 * out: [option, 'file' | 'dir'] for commands that write.
 */
function commandTable(b) {
  return [
    { name: 'init', args: ['init', '--out', '@OUT/celt.json'], files: {}, out: ['--out', 'file'] },
    { name: 'run', args: ['run', b.config, '--quiet', '--out', '@OUT/run'], files: { 1: 'config' }, out: ['--out', 'dir'] },
    { name: 'predict', args: ['predict', '--model', b.model, '--data', b.entries], files: { 2: 'model', 4: 'entries' } },
    {
      name: 'learn',
      args: ['learn', '--data', b.learncsv, '--target', 't', '--model', 'linear', '--splits', '3:0.25', '--group', 'g', '--out', '@OUT/learn.json'],
      files: { 2: 'table' },
      enums: ['--model', '--target', '--group'],
      numbers: { '--seed': 'int' },
      out: ['--out', 'file'],
    },
    {
      name: 'charges',
      args: ['charges', '--data', b.magmom, '--element', 'Ni', '--states', '3,4', '--calls', '8', '--acq', 'ei', '--out', '@OUT/charges.json'],
      files: { 2: 'entries' },
      enums: ['--element', '--acq', '--states'],
      numbers: { '--calls': 'int', '--seed': 'int' },
      out: ['--out', 'file'],
    },
    { name: 'structure', args: ['structure', 'info', b.poscar], files: { 2: 'poscar' }, numbers: { '--symprec': 'real' } },
    { name: 'structure-cif', args: ['structure', 'info', b.cif, '--json'], files: { 2: 'cif' } },
    { name: 'structure-xyz', args: ['structure', 'info', b.extxyz], files: { 2: 'extxyz' } },
    {
      name: 'map',
      args: ['map', '--prim', b.prim, '--data', b.entries, '--out', '@OUT/map.json'],
      files: { 2: 'prim', 4: 'entries' },
      numbers: { '--ltol': 'real', '--stol': 'real', '--angle-tol': 'real', '--supercell-size': 'int' },
      enums: ['--mode'],
      out: ['--out', 'file'],
    },
    { name: 'space', args: ['space', '--prim', b.prim, '--cutoffs', '2:4'], files: { 2: 'prim' }, numbers: { '--symprec': 'real' }, enums: ['--basis', '--measure', '--cutoffs'] },
    {
      name: 'featurize',
      args: ['featurize', '--prim', b.prim, '--data', b.entries, '--cutoffs', '2:4', '--out', '@OUT/ts.json'],
      files: { 2: 'prim', 4: 'entries' },
      numbers: { '--ltol': 'real', '--supercell-size': 'int' },
      enums: ['--basis', '--cutoffs', '--energy-key'],
      out: ['--out', 'file'],
    },
    { name: 'hull', args: ['hull', '--data', b.hull], files: { 2: 'hull' }, numbers: { '--tol': 'real' }, enums: ['--lp', '--components', '--end-members', '--ref-energies'] },
    {
      name: 'voltage',
      args: ['voltage', '--data', b.hull, '--ion', 'Li', '--ref-energy', '-1.9'],
      files: { 2: 'hull' },
      numbers: { '--ref-energy': 'real', '--ion-charge': 'real', '--tol': 'real' },
      enums: ['--ion', '--host'],
    },
    {
      name: 'fit',
      args: ['fit', '--data', b.csv, '--method', 'lasso', '--param', 'alpha=1e-3', '--cv', 'kfold:3', '--out', '@OUT/fit.json'],
      files: { 2: 'csv' },
      numbers: { '--seed': 'int', '--threads': 'int', '--bootstrap': 'int' },
      enums: ['--method', '--cv', '--on-constant', '--param'],
      out: ['--out', 'file'],
    },
    { name: 'fit-ts', args: ['fit', '--data', b.ts, '--method', 'ols', '--out', '@OUT/fit.json'], files: { 2: 'ts' } },
    { name: 'fit-xy', args: ['fit', '--data', b.xy, '--method', 'ridge', '--param', 'alpha=0.1', '--out', '@OUT/fit.json'], files: { 2: 'xy' }, enums: ['--param'] },
    {
      name: 'search',
      args: ['search', '--data', b.csv, '--method', 'ridge', '--grid', 'alpha=1e-4:1:4:log', '--cv', 'kfold:3', '--out', '@OUT/search.json'],
      files: { 2: 'csv' },
      numbers: { '--threads': 'int', '--seed': 'int' },
      enums: ['--grid', '--cv', '--method'],
      out: ['--out', 'file'],
    },
    { name: 'methods', args: ['methods', '--json'], files: {} },
    {
      name: 'sparsity-study',
      args: ['sparsity-study', '--data', b.csv, '--out', '@OUT/sparsity', '--cv', 'kfold:3', '--time-limit', '1', '--mu2-grid', '1e-3,1', '--mu0-grid', '1e-3,1', '--alpha-grid', '1e-3,1e-2', '--subsets', '0.9', '--repeats', '1', '--threads', '1'],
      files: { 2: 'csv' },
      numbers: { '--time-limit': 'real', '--repeats': 'int', '--scale': 'real' },
      enums: ['--mu2-grid', '--subsets', '--cv'],
      out: ['--out', 'dir'],
    },
    {
      name: 'enumerate',
      args: ['enumerate', '--prim', b.prim, '--sizes', '1-2', '--out', '@OUT/enum'],
      files: { 2: 'prim' },
      numbers: { '--top': 'int' },
      enums: ['--sizes', '--concentration'],
      out: ['--out', 'dir'],
    },
    { name: 'enumerate-model', args: ['enumerate', '--prim', b.prim, '--sizes', '1-2', '--model', b.model, '--json'], files: { 2: 'prim', 6: 'model' } },
    {
      name: 'sqs',
      args: ['sqs', '--prim', b.prim, '--cutoffs', '2:4', '--composition', 'Li+=0.5,Vacancy=0.5,Ni3+=0.5,Ni4+=0.5', '--max-size', '2', '--steps', '200', '--out', '@OUT/sqs'],
      files: { 2: 'prim' },
      numbers: { '--max-size': 'int', '--steps': 'int', '--omega': 'real', '--exhaustive-limit': 'int' },
      enums: ['--composition', '--mode', '--supercell', '--weights'],
      out: ['--out', 'dir'],
    },
    {
      name: 'fce-space',
      args: ['fce', 'space', '--prim', b.ar, '--cutoffs', '2:5'],
      files: { 3: 'poscar' },
      numbers: { '--symprec': 'real' },
      enums: ['--cutoffs'],
    },
    {
      name: 'fce-generate',
      args: ['fce', 'generate', '--prim', b.ar, '--supercell', '2', '--potential', 'lj-ar', '--rattle', '0.02', '--n', '2', '--out', '@OUT/fc.extxyz'],
      files: { 3: 'poscar' },
      numbers: { '--rattle': 'real', '--n': 'int', '--temperature': 'real', '--spring-k': 'real' },
      enums: ['--potential', '--supercell', '--mass'],
      out: ['--out', 'file'],
    },
    {
      name: 'fce-fit',
      args: ['fce', 'fit', '--prim', b.ar, '--cutoffs', '2:5', '--data', b.fcxyz, '--method', 'ols', '--out', '@OUT/fcp.json'],
      files: { 3: 'poscar', 7: 'extxyz' },
      numbers: { '--cv': 'int', '--max-displacement': 'real' },
      enums: ['--method', '--cutoffs'],
      out: ['--out', 'file'],
    },
    {
      name: 'fce-phonons',
      args: ['fce', 'phonons', '--model', b.fcp, '--points', '5', '--mesh', '4,4,4', '--tmax', '300', '--tstep', '100', '--out', '@OUT/phon'],
      files: { 3: 'fcp' },
      numbers: { '--points': 'int', '--sigma': 'real', '--tmax': 'real', '--tstep': 'real' },
      enums: ['--mesh', '--path', '--supercell'],
      out: ['--out', 'dir'],
    },
    {
      name: 'mc',
      args: ['mc', '--model', b.model, '--supercell', '2', '--T', '300,600', '--steps', '300', '--composition', 'Li+=0.5', '--out', '@OUT/mc', '--no-plots'],
      files: { 2: 'model' },
      numbers: { '--steps': 'int', '--warmup': 'int', '--thin': 'int', '--seed': 'int', '--swap-share': 'real' },
      enums: ['--T', '--supercell', '--ensemble', '--composition', '--mu'],
      out: ['--out', 'dir'],
    },
    {
      name: 'groundstate',
      args: ['groundstate', '--model', b.model, '--supercell', '2', '--composition', 'Li+=0.5', '--time-limit', '5', '--out', '@OUT/gs'],
      files: { 2: 'model' },
      numbers: { '--time-limit': 'real', '--max-products': 'int', '--seed': 'int' },
      enums: ['--supercell', '--composition', '--mu'],
      out: ['--out', 'dir'],
    },
    { name: 'softbv-gii', args: ['softbv', 'gii', b.softbv, '--json'], files: { 2: 'softbv' } },
    {
      name: 'softbv-relax',
      args: ['softbv', 'relax', b.softbv, '--mode', 'isotropic', '--out', '@OUT/relaxed.json'],
      files: { 2: 'softbv' },
      numbers: { '--sf': 'real', '--strain': 'real' },
      enums: ['--mode'],
      out: ['--out', 'file'],
    },
    {
      name: 'softbv-sfopt',
      args: ['softbv', 'sf-opt', b.softbv, '--sf-grid', '0.6:0.9:0.1', '--out', '@OUT/sf.csv'],
      files: { 2: 'softbv' },
      numbers: { '--max-er': 'real' },
      enums: ['--sf-grid', '--mode'],
      out: ['--out', 'file'],
    },
  ];
}

/** Broken copies of a file, whatever its kind: [label, contents | special marker, expect]. */
const GENERIC = [
  ['missing', { missing: true }],
  ['directory', { dir: true }],
  ['empty', ''],
  ['truncated', (t) => t.slice(0, Math.floor(t.length / 2))],
  ['garbage bytes', Buffer.from(Array.from({ length: 512 }, (_, i) => (i * 7919 + 13) % 256))],
  ['gzip garbage', { gz: Buffer.from('this is not gzip at all, only a .gz name') }],
  ['gzip of truncated', (t) => ({ gz: gzipSync(t).subarray(0, 40), real: true })],
  ['only whitespace', '   \n\n  '],
  ['one number', '42'],
  ['null', 'null'],
  ['empty object', '{}'],
  ['empty list', '[]'],
  ['deep nesting', '['.repeat(20000) + ']'.repeat(20000)],
  ['NUL bytes', '\0\0\0\0'],
];

const s = (o) => JSON.stringify(o);
/** Kind-specific oddities: [label, transform(text) → text, expect]. */
function specific(kind) {
  const json = (f) => (t) => s(f(JSON.parse(t)));
  // edit(f): parse, let f change the object in place, serialize
  const edit = (f) => json((d) => {
    f(d);
    return d;
  });
  const first = (f) => edit((list) => f(list[0]));
  switch (kind) {
    case 'prim':
      return [
        ['NaN literal in a coordinate', (t) => t.replace(/"abc": \[[^\]]*\]/, '"abc": [NaN, 0, 0]')],
        ['occupancy above 1', edit((p) => { p.sites[0].species[0].occu = 1.7; })],
        ['negative occupancy', edit((p) => { p.sites[0].species[0].occu = -0.5; })],
        ['unknown element', edit((p) => { p.sites[0].species[0].element = 'Xx'; })],
        ['singular lattice', edit((p) => { p.lattice.matrix = [[1, 0, 0], [2, 0, 0], [0, 0, 1]]; })],
        ['lattice with a string', edit((p) => { p.lattice.matrix[0][0] = 'a'; })],
        ['no sites', edit((p) => { p.sites = []; })],
        ['coordinates of 1e308', edit((p) => { p.sites[0].abc = [1e308, 0, 0]; })],
        ['two sites on one position', edit((p) => { p.sites.push(structuredClone(p.sites[0])); })],
        ['species not a list', edit((p) => { p.sites[0].species = 'Li'; })],
        ['oxidation state of 1e9', edit((p) => { p.sites[0].species[0].oxidation_state = 1e9; })],
        ['lattice 2x3', edit((p) => { p.lattice.matrix = [[1, 0, 0], [0, 1, 0]]; })],
        ['a CIF in disguise', () => 'data_x\n_cell_length_a 4\n'],
      ];
    case 'entries':
      return [
        ['NaN energy in one entry', (t) => t.replace(/"energy": -?[0-9.]+/, '"energy": NaN'), 'any'],
        ['Infinity energy', (t) => t.replace(/"energy": -?[0-9.]+/, '"energy": Infinity'), 'any'],
        ['energy as a string', first((e) => (e.energy = 'low')), 'any'],
        ['energy null', first((e) => (e.energy = null)), 'any'],
        ['energy 1e300', first((e) => (e.energy = 1e300)), 'any'],
        ['no structure', first((e) => delete e.structure), 'any'],
        ['structure with no sites', first((e) => (e.structure.sites = [])), 'any'],
        ['a site on top of another', first((e) => e.structure.sites.push(structuredClone(e.structure.sites[0]))), 'any'],
        ['list of numbers', () => '[1,2,3]'],
        ['list of strings', () => '["a","b"]'],
        ['one entry object, not a list', json((l) => l[0])],
        ['lattice all zeros', first((e) => (e.structure.lattice.matrix = [[0, 0, 0], [0, 0, 0], [0, 0, 0]])), 'any'],
        ['negative occupancy on a site', first((e) => (e.structure.sites[0].species[0].occu = -1)), 'any'],
      ];
    case 'csv':
      return [
        ['ragged row', (t) => `${t}1,2\n`],
        ['thousands separator', (t) => t.replace(/\n1,/, '\n"1,000",')],
        ['hex cell', (t) => t.replace(/\n2,/, '\n0x2,')],
        ['text cell', (t) => t.replace(/\n3,/, '\nthree,')],
        ['only a header', (t) => `${t.split('\n')[0]}\n`],
        ['one data row', (t) => t.split('\n').slice(0, 2).join('\n')],
        ['duplicate header', (t) => t.replace(/^([^,\n]+),([^,\n]+)/, '$1,$1')],
        ['Infinity cell', (t) => t.replace(/\n4,/, '\nInfinity,')],
        ['NaN cell', (t) => t.replace(/\n5,/, '\nNaN,')],
        ['empty cell', (t) => t.replace(/\n6,/, '\n,')],
        ['1e300 target', (t) => t.replace(/\n(7,[^,\n]*),[^\n]*/, '\n$1,1e300')],
        ['semicolons', (t) => t.replaceAll(',', ';')],
        ['CRLF line ends', (t) => t.replaceAll('\n', '\r\n')],
      ];
    case 'ts':
      return [
        ['X rows of unequal length', edit((d) => { d.X ? d.X[0].push(1) : (d.rows ? d.rows[0].x.push(1) : (d.extra = 1)); })],
        ['y shorter than X', (t) => t.replace(/"y": \[/, '"y": [1e9999, ')],
        ['wrong format field', edit((d) => { d.format = 'something-else'; })],
        ['format version 999', edit((d) => { d.version = 999; })],
        ['NaN literal in X', (t) => t.replace(/"X":\[\[1,(-?[\d.]+)/, '"X":[[1,NaN')],
      ];
    case 'xy':
      return [
        ['ragged X', () => s({ X: [[1, 0], [2], [3, 0]], y: [1, 2, 3] })],
        ['y length mismatch', () => s({ X: [[1, 0], [2, 1], [3, 0]], y: [1, 2] })],
        ['X of strings', () => s({ X: [['a', 'b'], ['c', 'd']], y: [1, 2] })],
        ['no rows', () => s({ X: [], y: [] })],
        ['X of 1e200', () => s({ X: [[1e200, 0], [2e200, 1], [3, 0]], y: [1, 2, 3] })],
        ['y of NaN literal', () => '{"X": [[1],[2],[3]], "y": [1, NaN, 3]}'],
        ['one row', () => s({ X: [[1, 2]], y: [1] })],
      ];
    case 'model':
      return [
        ['wrong format', edit((m) => { m.format = 'not-celt'; })],
        ['format version 0', edit((m) => { m.version = 0; })],
        ['format version 99', edit((m) => { m.version = 99; })],
        ['ECIs shorter than features', edit((m) => { m.eci.pop(); })],
        ['ECI 1e308', edit((m) => { m.eci[1] = 1e308; })],
        ['ECI as a string', edit((m) => { m.eci[1] = '0.1'; })],
        ['no prim', edit((m) => { delete m.space.prim; })],
        ['NaN ECI', (t) => t.replace(/"eci": \[\s*(-?[\d.e+-]+)/, '"eci": [NaN')],
        ['cutoffs edited', edit((m) => { m.space.cutoffs = { 2: 6 }; })],
        ['site species shuffled', edit((m) => { m.space.siteSpecies?.[0]?.reverse(); })],
      ];
    case 'config':
      return [
        ['prim missing', edit((c) => { c.prim = 'nope.json'; })],
        ['data empty list', edit((c) => { c.data = []; })],
        ['unknown top-level key', edit((c) => { c.fitt = {}; })],
        ['cutoffs negative', edit((c) => { c.space.cutoffs = { 2: -4 }; })],
        ['cutoffs huge', edit((c) => { c.space.cutoffs = { 2: 1e4 }; })],
        ['unknown method', edit((c) => { c.fit.method = 'magic'; })],
        ['cv absurd', edit((c) => { c.fit.cv = 'kfold:100000000'; })],
        ['bad endMembers', edit((c) => { c.thermo = { endMembers: ['Xx2', 'Q'] }; })],
        ['bad ion', edit((c) => { c.thermo = { ion: 'Zz', ionRefEnergy: -1.9 }; })],
        ['supercellSize 1e9', edit((c) => { c.mapping.supercellSize = 1e9; })],
        ['output is a file', edit((c) => { c.output = 'prim.json'; })],
        ['param of wrong type', edit((c) => { c.fit.params = { alpha: 'big' }; })],
      ];
    case 'hull':
      return [
        ['unknown element in a formula', edit((l) => { l[0].composition = 'Xx2O'; })],
        ['negative amount', edit((l) => { l[0].composition = { Li: -1, O: 2 }; })],
        ['energy missing', edit((l) => { delete l[1].energy; })],
        ['energy NaN literal', (t) => t.replace(/"energy": -?[\d.]+/, '"energy": NaN')],
        ['one entry', json((l) => l.slice(0, 1)), 'any'],
        ['formula with garbage', edit((l) => { l[0].composition = 'Li2(O'; })],
        ['all-zero composition', edit((l) => { l[0].composition = { Li: 0 }; })],
        ['duplicate ids', json((l) => l.map((e) => ({ ...e, id: 'same' })))],
      ];
    case 'cif':
      return [
        ['angles 120/120/120', (t) => t.replace(/_cell_angle_alpha 90\n_cell_angle_beta 90\n_cell_angle_gamma 90/, '_cell_angle_alpha 120\n_cell_angle_beta 120\n_cell_angle_gamma 120')],
        ['singular symmetry operation', (t) => t.replace("'x,y,z'\n", "'x,y,z'\n'x,x,z'\n")],
        ['unparsable symmetry operation', (t) => t.replace("'x,y,z'\n", "'x,y,w+'\n")],
        ['zero cell length', (t) => t.replace('_cell_length_a 3.6', '_cell_length_a 0')],
        ['negative cell length', (t) => t.replace('_cell_length_a 3.6', '_cell_length_a -3.6')],
        ['cell length with uncertainty', (t) => t.replace('_cell_length_a 3.6', '_cell_length_a 3.6(2)'), 'ok'],
        ['occupancy 2', (t) => t.replace('Cu1 Cu 0 0 0 1', 'Cu1 Cu 0 0 0 2')],
        ['missing coordinate column', (t) => t.replace('_atom_site_fract_z\n', '').replace('Cu1 Cu 0 0 0 1', 'Cu1 Cu 0 0 1')],
        ['unknown element', (t) => t.replace('Cu1 Cu', 'Qq1 Qq')],
        ['two data blocks', (t) => `${t}\n${t.replace('data_Cu', 'data_Cu2')}`, 'any'],
        ['no atoms', (t) => t.split('loop_\n_atom_site_label')[0]],
        ['cell angle 0', (t) => t.replace('_cell_angle_alpha 90', '_cell_angle_alpha 0')],
        ['coordinate NaN', (t) => t.replace('Cu1 Cu 0 0 0 1', 'Cu1 Cu NaN 0 0 1')],
        ['site 0.001 Å from its image (merged, as pymatgen does)', (t) => t.replace("'x,y,z'\n", "'x,y,z'\n'-x,-y,-z'\n").replace('Cu1 Cu 0 0 0 1', 'Cu1 Cu 0.00015 0 0 1'), 'ok'],
      ];
    case 'poscar':
      return [
        ['two atoms on one spot', () => 'x\n1.0\n4 0 0\n0 4 0\n0 0 4\nCu\n2\nCartesian\n0 0 0\n0 0 0\n'],
        ['atoms 0.008 Å apart', () => 'x\n1.0\n4 0 0\n0 4 0\n0 0 4\nCu\n2\nCartesian\n0 0 0\n0.008 0 0\n'],
        ['count larger than lines', () => 'x\n1.0\n4 0 0\n0 4 0\n0 0 4\nCu\n5\nDirect\n0 0 0\n'],
        ['scale 0', (t) => t.replace(/\n1\.0\n/, '\n0\n')],
        ['negative scale (volume)', (t) => t.replace(/\n1\.0\n/, '\n-1e-9\n')],
        ['coplanar lattice', () => 'x\n1.0\n1 0 0\n0 1 0\n1 1 0\nCu\n1\nDirect\n0 0 0\n'],
        ['count 1e9', () => 'x\n1.0\n4 0 0\n0 4 0\n0 0 4\nCu\n1000000000\nDirect\n0 0 0\n'],
        ['element missing (VASP 4)', () => 'x\n1.0\n4 0 0\n0 4 0\n0 0 4\n1\nDirect\n0 0 0\n'],
        ['letters in a coordinate', () => 'x\n1.0\n4 0 0\n0 4 0\n0 0 4\nCu\n1\nDirect\n0 a 0\n'],
        ['huge lattice', () => 'x\n1.0\n1e200 0 0\n0 1e200 0\n0 0 1e200\nCu\n1\nDirect\n0 0 0\n'],
        ['a 1000-site cell', () => `big\n1.0\n36 0 0\n0 36 0\n0 0 36\nCu\n1000\nDirect\n${Array.from({ length: 1000 }, (_, i) => `${(i % 10) / 10} ${(Math.floor(i / 10) % 10) / 10} ${Math.floor(i / 100) / 10}`).join('\n')}\n`],
      ];
    case 'extxyz':
      return [
        ['atom count too large', (t) => t.replace(/^1\n/, '3\n')],
        ['no lattice', (t) => t.replace(/Lattice="[^"]*" /, '')],
        ['lattice with 8 numbers', (t) => t.replace(/Lattice="[^"]*"/, 'Lattice="1 0 0 0 1 0 0 0"')],
        ['energy text', (t) => t.replace(/energy=-?[\d.]+/, 'energy=abc'), 'any'],
        ['frame count not a number', (t) => `x\n${t}`],
        ['second frame truncated', (t) => `${t}${t.split('\n').slice(0, 2).join('\n')}\n`],
        ['unbalanced quotes', (t) => t.replace(/Lattice="/, 'Lattice=')],
      ];
    case 'fcp':
      return [
        ['wrong kind', edit((m) => { m.kind = 'nope'; })],
        ['parameters one short', edit((m) => { m.parameters.pop(); })],
        ['a parameter as a string', edit((m) => { m.parameters[0] = 'x'; })],
        ['masses negative', edit((m) => { m.masses = m.masses.map(() => -1); })],
        ['parameters NaN literal', (t) => t.replace(/(-?\d+\.\d{3,})/, 'NaN')],
        ['no prim', edit((m) => { delete m.prim; })],
      ];
    case 'softbv':
      return [
        ['element without parameters', edit((p) => { p.sites[0].species[0].element = 'Og'; })],
        ['no oxidation states', edit((p) => p.sites.forEach((x) => x.species.forEach((q) => delete q.oxidation_state))), 'ok'],
        ['two sites on one spot', edit((p) => { p.sites.push(structuredClone(p.sites[0])); })],
        ['cation only', edit((p) => { p.sites = p.sites.slice(0, 1); })],
      ];
    default:
      return [];
  }
}

const NUMBER_VALUES = [
  ['text', 'abc', 'error'],
  ['negative', '-1', 'any'],
  ['zero', '0', 'any'],
  ['huge', '1e12', 'any'],
  ['NaN', 'NaN', 'error'],
  ['fraction', '2.5', 'any'],
];
const ENUM_VALUES = [
  ['unknown name', 'bogus', 'error'],
  ['garbage punctuation', ':,=,:', 'error'],
];
/** Generic breakages tried on every file argument; the rest only once per kind of file. */
const EVERY_SLOT = new Set(['missing', 'directory', 'truncated', 'empty list']);

/** Replace the option's value in args (or append it): commander takes the last one. */
function withOption(args, opt, value) {
  const a = [...args];
  const i = a.indexOf(opt);
  if (i >= 0) a[i + 1] = value;
  else a.push(opt, value);
  return a;
}

/** Writes the broken files under dir/cases and returns the case list. */
export function buildCases(dir, base) {
  const cdir = join(dir, 'cases');
  mkdirSync(cdir, { recursive: true });
  const cases = [];
  let n = 0;
  const add = (command, label, args, expect) => cases.push({ id: `${String(++n).padStart(4, '0')}-${command}`, command, label, args, expect });
  const writeCase = (src, content) => {
    const id = `f${String(n + 1).padStart(4, '0')}`;
    const name = src.split('/').pop();
    if (content && typeof content === 'object' && content.missing) return join(cdir, id, name);
    mkdirSync(join(cdir, id), { recursive: true });
    if (content && typeof content === 'object' && content.dir) {
      mkdirSync(join(cdir, id, name), { recursive: true });
      return join(cdir, id, name);
    }
    if (content && typeof content === 'object' && content.gz) {
      writeFileSync(join(cdir, id, `${name}.gz`), content.gz);
      return join(cdir, id, `${name}.gz`);
    }
    writeFileSync(join(cdir, id, name), content);
    return join(cdir, id, name);
  };
  const seenKinds = new Set();
  for (const spec of commandTable(base)) {
    add(spec.name, 'valid invocation', spec.args, 'ok');
    for (const [index, kind] of Object.entries(spec.files)) {
      const src = spec.args[Number(index)];
      const text = readFileSync(src, 'utf8');
      const firstOfKind = !seenKinds.has(kind);
      seenKinds.add(kind);
      const generic = GENERIC.filter(([l]) => firstOfKind || EVERY_SLOT.has(l));
      // half a CSV can still be a valid (shorter) table
      const tries = [...generic.map(([l, c]) => [l, c, l === 'truncated' && (kind === 'csv' || kind === 'table') ? 'any' : 'error']), ...(firstOfKind ? specific(kind) : []).map(([l, f, e]) => [l, f, e ?? 'error'])];
      for (const [label, content, expect] of tries) {
        let c = content;
        try {
          if (typeof c === 'function') c = c(text);
        } catch {
          continue; // the oddity does not apply to this file's shape
        }
        if (typeof c === 'string' && c === text && !label.startsWith('a 1000')) continue; // nothing changed
        const path = writeCase(src, c);
        const args = [...spec.args];
        args[Number(index)] = path;
        add(spec.name, `${kind} file: ${label}`, args, label.startsWith('a 1000') || label === 'CRLF line ends' ? 'ok' : expect);
      }
    }
    for (const [opt, type] of Object.entries(spec.numbers ?? {})) {
      for (const [label, value, expect] of NUMBER_VALUES) {
        if (type === 'real' && label === 'fraction') continue;
        add(spec.name, `${opt} ${label}`, withOption(spec.args, opt, value), type === 'int' && (label === 'fraction' || label === 'hex') ? 'error' : expect);
      }
    }
    for (const opt of spec.enums ?? []) {
      for (const [label, value, expect] of ENUM_VALUES) add(spec.name, `${opt} ${label}`, withOption(spec.args, opt, value), expect);
    }
    if (spec.out) {
      const [opt, type] = spec.out;
      const asFile = join(base.prim); // an existing file
      const outs = [
        ['under a regular file', join(asFile, 'x', type === 'file' ? 'o.json' : 'd'), 'error'],
        ['under /proc (not writable)', `/proc/celt-fuzz/${type === 'file' ? 'o.json' : 'd'}`, 'error'],
        [type === 'file' ? 'an existing directory' : 'an existing file', type === 'file' ? cdir : asFile, 'error'],
        ['in a folder that does not exist yet', `@OUT/new/deeper/${type === 'file' ? 'o.json' : 'd'}`, 'any'],
      ];
      for (const [label, path, expect] of outs) add(spec.name, `${opt} ${label}`, withOption(spec.args, opt, path), expect);
    }
    add(spec.name, 'unknown option', [...spec.args, '--no-such-option'], 'error');
    add(spec.name, 'stray positional argument', [...spec.args, 'stray'], 'any');
    const firstOpt = spec.args.find((a) => a.startsWith('--') && a !== '--json' && a !== '--quiet');
    if (firstOpt) {
      const i = spec.args.indexOf(firstOpt);
      const without = spec.args.filter((_, k) => k !== i && k !== i + 1);
      add(spec.name, `${firstOpt} left out`, without, 'any');
    }
  }
  return cases;
}

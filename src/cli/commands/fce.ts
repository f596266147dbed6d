/**
 * `celt fce` — force-constant expansions (seed 002):
 *   celt fce space    --prim P --cutoffs 2:4.5,3:3.5 [--json]
 *   celt fce generate --prim P --supercell 3 --potential lj-ar|lj-cu|springs (--rattle STD | --temperature T) --n 10 --out data.extxyz
 *   celt fce fit      --prim P --cutoffs … --data DISPLACED.extxyz --method NAME [--param k=v …] --out fcp.json
 *   celt fce phonons  --model fcp.json [--path …] [--mesh 16,16,16] [--supercell 3] --out DIR
 */
import { checkOutputFile, checkOutputFolder } from '../../core/files.ts';
import type { Command } from 'commander';
import { mkdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { CeltError, OptionError } from '../../core/errors.ts';
import { Rng } from '../../core/rng.ts';
import { FcClusterSpace } from '../../fce/cluster-space.ts';
import { loadDisplacedData, writeForceFrame } from '../../fce/displaced.ts';
import { bandSpec, dosSpec, thermalSpec } from '../../fce/figures.ts';
import { fitFce } from '../../fce/fit.ts';
import { prepareMethod } from '../../fit/registry.ts';
import { normalModes, phononRattle, rattle, supercellMasses } from '../../fce/generate.ts';
import { FcModel, primMasses } from '../../fce/model.ts';
import { DEFAULT_PATH, Phonons, forceConstantsText, parseBandPath, phononDos, thermalProperties } from '../../fce/phonons.ts';
import { type ForceModel, LennardJones, SpringNetwork, finiteDifferenceFc } from '../../fce/potentials.ts';
import { FcSupercell } from '../../fce/supercell.ts';
import { parseSupercell } from '../../structure/supercell.ts';
import { writePlot } from '../../report/plot.ts';
import { parseCutoffs } from '../../space/cutoffs.ts';
import { readStructureFile, writeStructureFile } from '../../structure/io/read.ts';
import type { Structure } from '../../structure/structure.ts';
import { isElement } from '../../structure/elements.ts';
import { collect, integerOption, parseParams, positiveNumber, symprecOption } from '../options.ts';

function readPrim(path: string): Structure {
  return readStructureFile(path);
}

function buildSpace(prim: Structure, primPath: string, cutoffs: string, symprec?: string, sumRules = true): FcClusterSpace {
  const cuts = parseCutoffs(cutoffs);
  const opts = { sumRules, ...(symprec === undefined ? {} : { symprec: symprecOption(symprec) }) };
  try {
    return FcClusterSpace.build(prim, cuts, opts);
  } catch (e) {
    if (e instanceof CeltError && !(e instanceof OptionError)) throw e.at({ file: primPath });
    throw e;
  }
}

function parseMasses(list: string[]): Record<string, number> {
  const out: Record<string, number> = {};
  for (const kv of list) {
    const [el, v] = kv.split('=');
    const m = Number(v);
    if (!el || !(m > 0) || !Number.isFinite(m)) throw new OptionError(`--mass must look like El=AMU, got '${kv}'`, { field: 'mass' });
    if (!isElement(el.trim())) throw new OptionError(`--mass: '${el.trim()}' is not an element symbol`, { field: 'mass' });
    out[el.trim()] = m;
  }
  return out;
}

function potentialOf(name: string, o: { springK?: string; springCutoff?: string }): ForceModel {
  if (name === 'lj-ar') return LennardJones.argonLike();
  if (name === 'lj-cu') return LennardJones.copperLike();
  if (name === 'springs') return new SpringNetwork(positiveNumber('spring-k', o.springK ?? '1'), positiveNumber('spring-cutoff', o.springCutoff ?? ''));
  throw new OptionError(`unknown potential '${name}'; known: lj-ar, lj-cu, springs`, { field: 'potential' });
}

function spaceAction(o: { prim: string; cutoffs: string; json?: boolean; symprec?: string; sumRules: boolean }): void {
  const t0 = performance.now();
  const cs = buildSpace(readPrim(o.prim), o.prim, o.cutoffs, o.symprec, o.sumRules);
  const orbits = cs.orbits.map((orb) => ({
    id: orb.id,
    order: orb.order,
    diameter: +orb.diameter.toFixed(4),
    multiplicity: orb.members.length,
    sites: orb.representative.map((a) => a[0]),
    offsets: orb.representative.map((a) => a.slice(1)),
    parameters: orb.nParams,
  }));
  if (o.json) {
    process.stdout.write(JSON.stringify({ orbits, parameters: cs.nParams, parametersAfterSumRules: cs.nFree }, null, 1) + '\n');
    return;
  }
  const lines = [
    `space group ${cs.symmetry.hmSymbol} (${cs.symmetry.number}), ${cs.symmetry.operations.length} operations`,
    '',
    '   id  order  diameter/Å  multiplicity  parameters  sites',
    ...orbits.map((r) => `${String(r.id).padStart(5)}${String(r.order).padStart(7)}${r.diameter.toFixed(4).padStart(12)}${String(r.multiplicity).padStart(14)}${String(r.parameters).padStart(12)}  ${r.sites.join(',')}`),
    '',
    `${orbits.length} orbits, ${cs.nParams} parameters, ${cs.nFree} after the acoustic sum rules${cs.sumRules ? '' : ' (not imposed)'}; built in ${(performance.now() - t0).toFixed(0)} ms`,
  ];
  process.stdout.write(lines.join('\n') + '\n');
}

interface GenerateOptions { prim: string; supercell: string; potential: string; springK?: string; springCutoff?: string; rattle?: string; temperature?: string; quantum?: boolean; n: string; seed: string; mass: string[]; out: string }

/** Most atoms `fce generate` writes in one file (10⁶ atoms ≈ 100 MB of extxyz). */
const MAX_GENERATED_ATOMS = 1_000_000;

function generateAction(o: GenerateOptions): void {
  checkOutputFile(o.out);
  const prim = readPrim(o.prim);
  const sc = new FcSupercell(prim, parseSupercell(o.supercell));
  const pot = potentialOf(o.potential, o);
  const n = integerOption('n', o.n, 1);
  // the frames are built in memory before writing: bound the atoms written (~100 bytes each)
  if (n * sc.numAtoms > MAX_GENERATED_ATOMS) throw new OptionError(`--n ${o.n} × ${sc.numAtoms} atoms is past the limit of ${MAX_GENERATED_ATOMS} atoms in one file`, { field: 'n' });
  positiveNumber('spring-k', o.springK ?? '1');
  const masses = parseMasses(o.mass);
  if ((o.rattle === undefined) === (o.temperature === undefined)) throw new OptionError('give exactly one of --rattle STD and --temperature T', { field: 'rattle' });
  const rng = new Rng(integerOption('seed', o.seed, 0));
  let draw: () => Float64Array;
  if (o.rattle !== undefined) {
    const std = positiveNumber('rattle', o.rattle);
    // past ~1 Å atoms pass through each other: the forces say nothing about force constants
    if (std > 1) throw new OptionError(`--rattle ${o.rattle} Å is past the limit of 1 Å (force-constant fits use ~0.01–0.05 Å)`, { field: 'rattle' });
    draw = () => rattle(sc.numAtoms, std, rng);
  } else {
    const T = positiveNumber('temperature', o.temperature!);
    if (T > 1e4) throw new OptionError(`--temperature ${o.temperature} K is past the limit of 10000 K (harmonic amplitudes far past melting)`, { field: 'temperature' });
    const modes = normalModes(finiteDifferenceFc(pot, sc), supercellMasses(sc, primMasses(prim, masses)));
    draw = () => phononRattle(modes, T, rng, !!o.quantum);
  }
  let text = '';
  for (let s = 0; s < n; s++) {
    const u = draw();
    text += writeForceFrame(sc, u, pot.forces(sc, u), `${pot.name} structure ${s}`);
  }
  writeFileSync(o.out, text);
  process.stdout.write(`wrote ${n} structures of ${sc.numAtoms} atoms (${pot.name}) to ${o.out}\n`);
}

interface FitOptions { prim: string; cutoffs: string; data: string; method: string; param: string[]; cv: string; seed: string; maxDisplacement?: string; mass: string[]; symprec?: string; out: string }

async function fitAction(o: FitOptions): Promise<void> {
  checkOutputFile(o.out);
  await prepareMethod(o.method);
  const prim = readPrim(o.prim);
  const cs = buildSpace(prim, o.prim, o.cutoffs, o.symprec);
  const masses = primMasses(prim, parseMasses(o.mass));
  const maxDisp = o.maxDisplacement === undefined ? defaultMaxDisplacement(prim) : positiveNumber('max-displacement', o.maxDisplacement);
  const data = loadDisplacedData(prim, o.data, maxDisp);
  const folds = Number(o.cv);
  if (!Number.isInteger(folds) || folds < 0 || folds === 1) throw new OptionError(`--cv must be 0 (off) or a fold count ≥ 2, got '${o.cv}'`, { field: 'cv' });
  const t0 = performance.now();
  const res = fitFce(cs, data, o.method, parseParams(o.param), { cvFolds: folds, seed: integerOption('seed', o.seed, 0), masses });
  res.model.fit.data = o.data;
  res.model.save(o.out);
  const cv = res.cv ? `, CV-RMSE ${res.cv.rmse.toExponential(4)} eV/Å over ${res.cv.nSplits} structure folds` : '';
  process.stdout.write(`${o.method}: ${data.length} structures, ${res.nRows} force rows, ${cs.nFree} free parameters (${res.nNonzero} nonzero)${cv}; ${(performance.now() - t0).toFixed(0)} ms → ${o.out}\n`);
}

/** A third of the shortest interatomic distance: beyond that an atom could sit nearer another site. */
function defaultMaxDisplacement(prim: Structure): number {
  const sc = new FcSupercell(prim, [[2, 0, 0], [0, 2, 0], [0, 0, 2]]);
  let dmin = Infinity;
  for (let i = 0; i < sc.numAtoms; i++) {
    for (let j = i + 1; j < sc.numAtoms; j++) {
      const d = sc.ideal.sites[j]!.frac.map((v, c) => v - sc.ideal.sites[i]!.frac[c]!).map((v) => v - Math.round(v)) as [number, number, number];
      dmin = Math.min(dmin, Math.hypot(...sc.ideal.lattice.fracToCart(d)));
    }
  }
  return dmin / 3;
}

/** Limits of `fce phonons` output: q-points per band segment, temperatures of the thermal table. */
const MAX_BAND_POINTS = 10_000;
const MAX_TEMPERATURES = 100_000;
const MAX_MESH_POINTS = 1_000_000;

interface PhononOptions { model: string; path?: string; points: string; mesh: string; sigma: string; supercell?: string; tmax: string; tstep: string; out: string }

async function phononsAction(o: PhononOptions): Promise<void> {
  checkOutputFolder(o.out);
  const model = FcModel.load(o.model);
  const ph = new Phonons(model.prim, model.pairForceConstants(), model.masses);
  const path = parseBandPath(o.path ?? DEFAULT_PATH);
  const points = integerOption('points', o.points, 1);
  if (points > MAX_BAND_POINTS) throw new OptionError(`--points ${o.points} is past the limit of ${MAX_BAND_POINTS} q-points per segment`, { field: 'points' });
  const band = ph.bandStructure(path, points);
  const mesh = o.mesh.split(/[\s,]+/).map((t) => integerOption('mesh', t, 1)) as [number, number, number];
  if (mesh.length !== 3) throw new OptionError(`--mesh must be three integers, got '${o.mesh}'`, { field: 'mesh' });
  if (mesh[0] * mesh[1] * mesh[2] > MAX_MESH_POINTS) throw new OptionError(`--mesh ${o.mesh} has ${mesh[0] * mesh[1] * mesh[2]} q-points, past the limit of ${MAX_MESH_POINTS}`, { field: 'mesh' });
  const meshFreqs = ph.meshFrequencies(mesh);
  const dos = phononDos(meshFreqs, positiveNumber('sigma', o.sigma));
  const tmax = positiveNumber('tmax', o.tmax), tstep = positiveNumber('tstep', o.tstep);
  if (tmax / tstep > MAX_TEMPERATURES) throw new OptionError(`--tmax ${o.tmax} / --tstep ${o.tstep} asks for ${Math.floor(tmax / tstep) + 1} temperatures, past the limit of ${MAX_TEMPERATURES}`, { field: 'tstep' });
  const temps = Array.from({ length: Math.floor(tmax / tstep) + 1 }, (_, i) => i * tstep);
  const thermo = thermalProperties(meshFreqs, temps);
  mkdirSync(o.out, { recursive: true });
  writeFileSync(join(o.out, 'band.csv'), ['distance,' + Array.from(band.freqs[0]!, (_, b) => `band${b}`).join(','), ...band.freqs.map((f, i) => `${band.x[i]!.toFixed(6)},${Array.from(f, (v) => v.toFixed(6)).join(',')}`)].join('\n') + '\n');
  writeFileSync(join(o.out, 'band-labels.csv'), ['distance,label', ...band.ticks.map((t) => `${t.x.toFixed(6)},${t.label}`)].join('\n') + '\n');
  writeFileSync(join(o.out, 'dos.csv'), ['frequency_THz,dos', ...dos.freq.map((f, i) => `${f.toFixed(5)},${dos.dos[i]!.toExponential(6)}`)].join('\n') + '\n');
  writeFileSync(join(o.out, 'thermal.csv'), ['T_K,free_energy_eV_per_cell,heat_capacity_kB_per_cell', ...thermo.map((r) => `${r.T},${r.freeEnergy.toExponential(8)},${r.heatCapacity.toExponential(8)}`)].join('\n') + '\n');
  const written = ['band.csv', 'band-labels.csv', 'dos.csv', 'thermal.csv'];
  if (o.supercell !== undefined) {
    const fc = forceConstantsText(model.prim, model.pairForceConstants(), parseSupercell(o.supercell));
    writeFileSync(join(o.out, 'FORCE_CONSTANTS'), fc.text);
    writeStructureFile(join(o.out, 'SPOSCAR'), fc.supercell.ideal, 'poscar');
    written.push('FORCE_CONSTANTS', 'SPOSCAR');
  }
  const title = model.prim.formula();
  await writePlot(bandSpec(band, `${title}: phonon dispersion`), join(o.out, 'band'));
  await writePlot(dosSpec(dos, `${title}: phonon DOS (${mesh.join('×')} mesh)`), join(o.out, 'dos'));
  await writePlot(thermalSpec(thermo, `${title}: harmonic free energy and heat capacity`), join(o.out, 'thermal'));
  written.push('band.svg/png', 'dos.svg/png', 'thermal.svg/png');
  const imag = meshFreqs.reduce((n, f) => n + f.filter((v) => v < -1e-3).length, 0);
  process.stdout.write(`wrote ${written.join(', ')} to ${o.out}${imag ? `; warning: ${imag} imaginary mesh frequencies (left out of F and C_V)` : ''}\n`);
}

export function register(program: Command): void {
  const fce = program.command('fce').description('force-constant expansions: cluster space, fitting to forces, phonons (seed 002)');
  fce.command('space')
    .description('orbits and independent force-constant parameters of an ordered primitive cell')
    .requiredOption('--prim <file>', 'ordered primitive cell (pymatgen JSON, CIF, POSCAR, extxyz)')
    .requiredOption('--cutoffs <list>', 'cluster diameter cutoffs in Å per order, e.g. 2:4.5,3:3.5 (orders 2–4)')
    .option('--json', 'print {"orbits", "parameters", "parametersAfterSumRules"}')
    .option('--no-sum-rules', 'do not impose the acoustic sum rules')
    .option('--symprec <x>', 'symmetry tolerance (Å)')
    .action(spaceAction);
  fce.command('generate')
    .description('displaced supercells with forces from a built-in potential (extxyz with forces)')
    .requiredOption('--prim <file>', 'ordered primitive cell')
    .requiredOption('--supercell <m>', 'supercell matrix: N, "a,b,c" (diagonal) or nine integers')
    .requiredOption('--potential <name>', 'lj-ar | lj-cu | springs')
    .option('--spring-k <x>', 'spring constant (eV/Å²) for springs', '1')
    .option('--spring-cutoff <r>', 'bond length limit (Å) for springs')
    .option('--rattle <std>', 'Gaussian displacements with this standard deviation (Å) per component')
    .option('--temperature <T>', 'superposed normal modes of the potential at T (K)')
    .option('--quantum', 'quantum (Bose–Einstein) mode amplitudes instead of classical')
    .option('--n <count>', 'number of structures', '10')
    .option('--seed <n>', 'random seed', '0')
    .option('--mass <El=amu>', 'atomic mass override (repeatable)', collect, [])
    .requiredOption('--out <file>', 'output extxyz')
    .action(generateAction);
  fce.command('fit')
    .description('fit force constants to displacement–force data with any registered method')
    .requiredOption('--prim <file>', 'ordered primitive cell')
    .requiredOption('--cutoffs <list>', 'cutoffs per order, e.g. 2:4.5,3:3.5')
    .requiredOption('--data <file>', 'extxyz frames with a forces column (supercells of the primitive cell)')
    .requiredOption('--method <name>', 'ols, ridge, lasso, ard, rfe, bayesian-ridge, … (celt methods lists all)')
    .option('--param <key=value>', 'method hyperparameter (repeatable)', collect, [])
    .option('--cv <k>', 'cross-validation folds over structures (0 = off)', '5')
    .option('--seed <n>', 'seed of the folds', '0')
    .option('--max-displacement <Å>', 'largest accepted distance from the ideal site (default: a third of the shortest bond)')
    .option('--mass <El=amu>', 'atomic mass override (repeatable)', collect, [])
    .option('--symprec <x>', 'symmetry tolerance (Å)')
    .requiredOption('--out <file>', 'model JSON (fcp.json)')
    .action(fitAction);
  fce.command('phonons')
    .description('phonon dispersion, DOS, harmonic F and C_V, FORCE_CONSTANTS from a fitted model')
    .requiredOption('--model <file>', 'fcp.json from celt fce fit')
    .option('--path <points>', `band path LABEL:q1,q2,q3/… in reciprocal fractional coordinates (default: fcc ${DEFAULT_PATH})`)
    .option('--points <n>', 'q-points per segment', '40')
    .option('--mesh <n1,n2,n3>', 'Γ-centred mesh for DOS and thermodynamics', '16,16,16')
    .option('--sigma <THz>', 'Gaussian DOS smearing', '0.1')
    .option('--supercell <m>', 'also write phonopy FORCE_CONSTANTS and SPOSCAR for this supercell')
    .option('--tmax <K>', 'highest temperature', '1000')
    .option('--tstep <K>', 'temperature step', '10')
    .requiredOption('--out <dir>', 'output directory')
    .action(phononsAction);
}

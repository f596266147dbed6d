/**
 * `celt softbv`: the soft bond valence force field of seed 004 — bond valence sums and GII,
 * relaxation at a screening factor, and the sf_opt scan that writes the learning table.
 */
import { checkOutputFile, checkOutputFolder } from '../../core/files.ts';
import { writeFileSync } from 'node:fs';
import { basename, join } from 'node:path';
import type { Command } from 'commander';
import { OptionError } from '../../core/errors.ts';
import { writePlot } from '../../report/plot.ts';
import { bondValenceSums } from '../../softbv/bvs.ts';
import { checkSf } from '../../softbv/energy.ts';
import { prepareIons } from '../../softbv/ions.ts';
import { TABLE2_MODELS, leaveOneOut, table2Summary, type LooInput } from '../../softbv/learned.ts';
import { resolveSpecies } from '../../softbv/oxidation.ts';
import { defaultParams } from '../../softbv/params.ts';
import { erCurvePlotSpec } from '../../softbv/plots.ts';
import { type CellMode, latticeError, relax, scaled, siteDisplacement, withSpecies } from '../../softbv/relax.ts';
import { DESCRIPTOR_NAMES, LEARNING_HEADER, abDescriptors, learningRows, scanSf, sfGrid } from '../../softbv/sfopt.ts';
import { readStructureFile, writeStructureFile } from '../../structure/io/read.ts';
import type { Structure } from '../../structure/structure.ts';

const MODES: CellMode[] = ['isotropic', 'full', 'fixed-cell'];

/** Largest screening factor accepted: seed 004's values lie in 0.5–1.0; far past that the relaxation does not settle. */
const MAX_SF = 5;

function parseSf(text: string): number {
  const sf = Number(text);
  if (!(Number.isFinite(sf) && sf > 0 && sf <= MAX_SF)) throw new OptionError(`--sf must be a positive number ≤ ${MAX_SF} (seed 004 uses 0.5–1.0), got '${text}'`, { field: 'sf' });
  checkSf(sf);
  return sf;
}

function parseMode(text: string): CellMode {
  if (!MODES.includes(text as CellMode)) throw new OptionError(`--mode must be one of ${MODES.join(', ')}, got '${text}'`, { field: 'mode' });
  return text as CellMode;
}

function parseGrid(text: string): number[] {
  const m = /^([0-9.eE+-]+):([0-9.eE+-]+):([0-9.eE+-]+)$/.exec(text.trim());
  if (!m) throw new OptionError(`--sf-grid must look like 0.5:1.0:0.025, got '${text}'`, { field: 'sf-grid' });
  const grid = sfGrid(Number(m[1]), Number(m[2]), Number(m[3]));
  grid.forEach(checkSf);
  if (grid.length > 200) throw new OptionError(`--sf-grid has ${grid.length} points; the limit is 200`, { field: 'sf-grid' });
  return grid;
}

/** Read a structure and its SoftBV ions, naming the file in any error. */
function load(file: string) {
  const params = defaultParams();
  const structure = readStructureFile(file);
  try {
    const { species, guessed } = resolveSpecies(structure, params);
    return { structure: withSpecies(structure, species), species, guessed, ions: prepareIons(species, params), params };
  } catch (e) {
    throw e instanceof Error && 'at' in e ? (e as OptionError).at({ file }) : e;
  }
}

/** 'perovskite' for A:B:X = 1:1:3, 'spinel' for 1:2:4, else 'other' (legend of the Er(sf) figure). */
function structureKind(species: { key: string }[], d: { A: string; B: string; X: string }): string {
  const n = (k: string) => species.filter((s) => s.key === k).length;
  const a = n(d.A);
  if (n(d.B) === a && n(d.X) === 3 * a) return 'perovskite ABX3';
  if (n(d.B) === 2 * a && n(d.X) === 4 * a) return 'spinel AB2X4';
  return 'other';
}

const f4 = (v: number) => v.toFixed(4);
const pct = (v: number) => `${(100 * v).toFixed(2)} %`;
const abcText = (s: Structure) => `a, b, c = ${s.lattice.abc.map(f4).join(', ')} Å; α, β, γ = ${s.lattice.angles.map((v) => v.toFixed(2)).join(', ')}°`;

function registerGii(sb: Command): void {
  sb.command('gii <file>')
    .description('bond valence sums per site and the global instability index (seed 004 Eq. 7)')
    .option('--json', 'print JSON')
    .action((file: string, o: { json?: boolean }) => {
      const { structure, species, guessed, params } = load(file);
      const r = bondValenceSums(structure, species, params);
      if (o.json) {
        console.log(JSON.stringify({ file, guessedOxidationStates: guessed, gii: r.gii, giiAllIons: r.giiAll, sites: species.map((s, i) => ({ species: s.key, bvs: r.bvs[i], valence: r.valence[i], bonds: r.bonds[i] })) }, null, 1));
        return;
      }
      if (guessed) console.log(`oxidation states guessed by charge balance: ${[...new Set(species.map((s) => s.key))].join(' ')}`);
      console.log(`${structure.formula()}  (${file})`);
      console.log('site  species  BVS     V    bonds');
      species.forEach((s, i) => console.log(`${String(i).padStart(4)}  ${s.key.padEnd(7)}  ${f4(r.bvs[i]!)}  ${r.valence[i]}  ${r.bonds[i]}`));
      console.log(`GII (seed 004 Eq. 7, over cations) = ${f4(r.gii)} v.u.; over all ions = ${f4(r.giiAll)} v.u.`);
    });
}

function registerRelax(sb: Command): void {
  sb.command('relax <file>')
    .description('relax a structure under the SoftBV energy at a screening factor; Er against a reference')
    .option('--sf <value>', 'screening factor (> 0)', '0.74')
    .option('--mode <mode>', `cell freedom: ${MODES.join(' | ')}`, 'isotropic')
    .option('--reference <file>', 'reference structure for Er (default: the input)')
    .option('--strain <factor>', 'scale the input lattice by this factor before relaxing (seed 004 uses 0.9 and 1.1)', '1')
    .option('--out <file>', 'write the relaxed structure (format from the extension)')
    .action((file: string, o: { sf: string; mode: string; reference?: string; strain: string; out?: string }) => {
      if (o.out) checkOutputFile(o.out);
      const sf = parseSf(o.sf);
      const mode = parseMode(o.mode);
      const strain = Number(o.strain);
      if (!(strain > 0.5 && strain < 2)) throw new OptionError(`--strain must be between 0.5 and 2, got '${o.strain}'`, { field: 'strain' });
      const { structure, species, guessed, ions, params } = load(file);
      const reference = o.reference ? readStructureFile(o.reference) : structure;
      if (guessed) console.log(`oxidation states guessed by charge balance: ${[...new Set(species.map((s) => s.key))].join(' ')}`);
      const r = relax(scaled(structure, strain), ions, { sf, mode });
      const before = bondValenceSums(structure, species, params).gii, after = bondValenceSums(r.structure, species, params).gii;
      console.log(`${structure.formula()}: SoftBV relaxation at sf = ${sf} (${mode}${strain !== 1 ? `, start lattice × ${strain}` : ''})`);
      console.log(`  energy ${r.initialEnergy.toFixed(5)} → ${r.energy.toFixed(5)} eV/cell; ${r.iterations} L-BFGS iterations, ${r.evaluations} evaluations; ${r.converged ? 'converged' : 'NOT converged'} (${r.message})`);
      console.log(`  input   ${abcText(structure)}`);
      console.log(`  relaxed ${abcText(r.structure)}`);
      console.log(`  GII ${f4(before)} → ${f4(after)} v.u.; mean fractional site displacement Δ_site = ${siteDisplacement(structure, r.structure).toExponential(2)}`);
      console.log(`  Er = ${pct(latticeError(r.structure, reference))} (a_opt − a_ref)/a_ref against ${o.reference ?? 'the input'}`);
      if (o.out) {
        writeStructureFile(o.out, r.structure);
        console.log(`wrote ${o.out}`);
      }
    });
}

interface SfOptOptions {
  out: string;
  maxEr: string;
  sfGrid: string;
  mode: string;
  plot?: string;
  table2?: boolean;
  seed: string;
  json?: string;
}

function registerSfOpt(sb: Command): void {
  sb.command('sf-opt <files...>')
    .description('seed 004 Fig. 2: Er vs sf from ±10 % strained starts, sf_opt where Er = 0; writes the learning table CSV')
    .requiredOption('--out <file>', 'learning table CSV (structure, Er, descriptors, sf) for `celt learn --target sf --group structure`')
    .option('--sf-grid <from:to:step>', 'screening factors to scan', '0.5:1.0:0.025')
    .option('--mode <mode>', `cell freedom: ${MODES.join(' | ')}`, 'isotropic')
    .option('--max-er <value>', 'leave rows with |Er| above this out of the learning table', '0.1')
    .option('--plot <dir>', 'write the Er(sf) figure (seed 004 Fig. 3) to this folder')
    .option('--table2', 'also compare Er at sf = 0.74 with sf learned leave-one-structure-out (seed 004 Table 2)')
    .option('--seed <n>', 'random seed of the learners', '0')
    .option('--json <file>', 'write the scan and summaries as JSON')
    .action(async (files: string[], o: SfOptOptions) => {
      checkOutputFile(o.out);
      if (o.json) checkOutputFile(o.json, '--json');
      if (o.plot) checkOutputFolder(o.plot, '--plot');
      const grid = parseGrid(o.sfGrid);
      const mode = parseMode(o.mode);
      const seed = Number(o.seed);
      if (!Number.isInteger(seed)) throw new OptionError(`--seed must be an integer, got '${o.seed}'`, { field: 'seed' });
      const maxEr = Number(o.maxEr);
      if (!(maxEr > 0)) throw new OptionError(`--max-er must be a positive number, got '${o.maxEr}'`, { field: 'max-er' });
      const rows: Array<Array<string | number>> = [];
      const curves: Array<{ name: string; kind: string; curve: Array<{ sf: number; Er: number }> }> = [];
      const loo: LooInput[] = [];
      const summary: Array<Record<string, unknown>> = [];
      console.log('structure     A/B/X           Er(sf=0.74)  sf_opt   Er rises with sf');
      for (const file of files) {
        const { structure, species, ions, params } = load(file);
        const name = String(structure.properties.name ?? basename(file).replace(/\.[^.]+$/, ''));
        const desc = (() => {
          try {
            return abDescriptors(structure, species, params);
          } catch (e) {
            throw (e as OptionError).at ? (e as OptionError).at({ file }) : e;
          }
        })();
        const scan = scanSf(structure, ions, grid, { mode });
        const er74 = scan.erDefault ?? latticeError(relax(structure, ions, { sf: 0.74, mode }).structure, structure);
        const unbound = scan.points.filter((p) => p.unbound);
        const note = unbound.length ? `   (no minimum for sf ≥ ${Math.min(...unbound.map((p) => p.sf))}: left out)` : '';
        console.log(`${name.padEnd(12)}  ${`${desc.A}/${desc.B}/${desc.X}`.padEnd(14)}  ${pct(er74).padStart(10)}  ${scan.sfOpt === null ? 'n/a (not bracketed)' : scan.sfOpt.toFixed(4)}   ${scan.monotonic ? 'yes' : 'NO'}${note}`);
        rows.push(...learningRows(name, desc, scan, maxEr));
        curves.push({ name, kind: structureKind(species, desc), curve: scan.curve });
        summary.push({ name, file, A: desc.A, B: desc.B, descriptors: Object.fromEntries(DESCRIPTOR_NAMES.slice(1).map((n, k) => [n, desc.values[k]])), erAt074: er74, sfOpt: scan.sfOpt, monotonic: scan.monotonic, curve: scan.curve, points: scan.points });
        const kept = scan.points.filter((p) => !p.unbound && Math.abs(p.Er) <= maxEr);
        loo.push({ name, reference: structure, ions, X: kept.map((p) => [p.Er, ...desc.values]), y: kept.map((p) => p.sf), descriptors: desc.values });
      }
      const csv = [`# SoftBV learning table (seed 004): ${files.length} structures × ${grid.length} sf × 2 strains, |Er| ≤ ${maxEr}; celt learn --data ${basename(o.out)} --target sf --group structure`, LEARNING_HEADER.join(','), ...rows.map((r) => r.map((v) => (typeof v === 'number' ? +v.toPrecision(8) : v)).join(','))];
      writeFileSync(o.out, csv.join('\n') + '\n');
      console.log(`wrote ${o.out} (${rows.length} rows)`);
      const out: Record<string, unknown> = { grid, mode, structures: summary };
      if (o.plot) {
        const p = await writePlot(erCurvePlotSpec(curves), join(o.plot, 'softbv-er-vs-sf'));
        console.log(`wrote ${p.png}`);
      }
      if (o.table2) {
        if (loo.length < 3) throw new OptionError('--table2 needs at least 3 structures (each is predicted by a model trained on the others)', { field: 'table2' });
        const looRows = leaveOneOut(loo, TABLE2_MODELS, { seed, mode });
        console.log('\nLeave-one-structure-out (seed 004 Table 2): sf and Er per structure (strains 0.9 / 1.1)');
        for (const r of looRows) console.log(`  ${r.name.padEnd(12)} ${r.model.padEnd(16)} sf = ${r.sf.map((x) => (Number.isFinite(x) ? x.toFixed(4) : 'n/a')).join(' / ')}  Er = ${r.Er.map((e, k) => (Number.isFinite(e) ? pct(e) : Number.isFinite(r.sf[k]!) && r.sf[k]! > 0 ? 'no minimum' : 'no valid sf')).join(' / ')}`);
        const t2 = table2Summary(looRows);
        console.log(`\n${'model'.padEnd(18)} MAE(Er)   STD(Er)   n   failed (no valid sf, or no minimum at it)`);
        for (const t of t2) console.log(`${t.model.padEnd(18)} ${t.mae.toFixed(4)}    ${t.std.toFixed(4)}    ${String(t.n).padEnd(3)} ${t.failed}`);
        out.table2 = { rows: looRows, summary: t2 };
      }
      if (o.json) writeFileSync(o.json, JSON.stringify(out, null, 1));
    });
}

export function register(program: Command): void {
  const sb = program.command('softbv').description('soft bond valence (SoftBV) force field: BVS/GII, relaxation at a screening factor, sf_opt and its learning table (seed 004)');
  registerGii(sb);
  registerRelax(sb);
  registerSfOpt(sb);
}

/**
 * `celt sqs`: special quasirandom structure at a target composition — the labeling of a small
 * supercell whose correlations best match the random alloy's (src/generate/sqs.ts).
 */
import { checkOutputFolder } from '../../core/files.ts';
import { integerOption } from '../options.ts';
import { mkdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import type { Command } from 'commander';
import { OptionError, } from '../../core/errors.ts';
import { findSqs, type SqsMode, type SqsOptions } from '../../generate/sqs.ts';
import { parseSupercell } from '../../structure/supercell.ts';
import { parseSpeciesValues } from '../../structure/species.ts';
import { formatStructure } from '../../structure/io/read.ts';
import { structureToPymatgen } from '../../structure/io/pymatgen.ts';
import { groupedBySpecies } from './enumerate.ts';
import { addSpaceOptions, spaceFromOptions, type SpaceCliOptions } from './space.ts';

interface SqsCliOptions extends SpaceCliOptions {
  composition: string;
  maxSize?: string;
  supercell?: string;
  seed: string;
  steps: string;
  mode: string;
  omega?: string;
  weights?: string;
  exhaustiveLimit: string;
  out?: string;
  json?: boolean;
}

function parseWeights(text: string): Map<number, number> {
  const out = new Map<number, number>();
  for (const part of text.split(',').map((p) => p.trim()).filter(Boolean)) {
    const m = /^(\d+)\s*=\s*(\S+)$/.exec(part);
    if (!m || !Number.isFinite(Number(m[2]))) throw new OptionError(`cannot read weight '${part}' (expected ORBIT_ID=weight, e.g. 2=0.5)`, { field: 'weights' });
    out.set(Number(m[1]), Number(m[2]));
  }
  return out;
}

const HELP = `
Objective (default "sum"): Σ over every non-constant correlation function within the cutoffs
of |ρ(structure) − ρ(random alloy)| in the chosen basis (default sinusoid: ±1 for binaries),
optionally weighted per orbit (--weights 2=2,5=0.5, orbit ids as \`celt space\` prints them).
--mode atat ranks by the longest pair distance up to which all pair correlations match
exactly, then by the sum (score = −ω·L + sum, ω = --omega, default 1000 per Å).
Candidates: every symmetry-distinct supercell of 1…--max-size prim cells whose site counts
hold the composition exactly (or the one --supercell); cells with at most --exhaustive-limit
labelings are searched exhaustively, larger ones by simulated annealing (--steps swaps each).`;

export function register(program: Command): void {
  addSpaceOptions(program.command('sqs').description('special quasirandom structure: the small cell whose correlations best match the random alloy'))
    .requiredOption('--composition <list>', 'target fractions per sublattice, SPECIES=fraction,… (e.g. Au=0.5,Cu=0.5)')
    .option('--max-size <n>', 'largest supercell in primitive cells (default 8)')
    .option('--supercell <rows>', 'search only this supercell, rows in prim coordinates, e.g. "2 0 0,0 2 0,0 0 2"')
    .option('--seed <n>', 'random seed for the annealing', '0')
    .option('--steps <n>', 'annealing swaps per supercell', '20000')
    .option('--mode <m>', 'objective: sum | atat', 'sum')
    .option('--omega <w>', 'weight of the matched pair length in --mode atat (per Å)')
    .option('--weights <list>', 'per-orbit weights ORBIT_ID=w,…')
    .option('--exhaustive-limit <n>', 'search a supercell exhaustively when it has at most this many labelings', '65536')
    .option('--out <dir>', 'write sqs.json (pymatgen) and POSCAR here')
    .option('--json', 'print the result as JSON')
    .addHelpText('after', HELP)
    .action((o: SqsCliOptions) => {
      if (o.out) checkOutputFolder(o.out);
      if (o.maxSize !== undefined && o.supercell !== undefined) throw new OptionError('give --max-size or --supercell, not both', { field: 'supercell' });
      if (o.mode !== 'sum' && o.mode !== 'atat') throw new OptionError(`--mode must be sum or atat, got '${o.mode}'`, { field: 'mode' });
      const opts: SqsOptions = {
        composition: parseSpeciesValues(o.composition, 'composition'),
        seed: integerOption('seed', o.seed, 0),
        steps: integerOption('steps', o.steps, 0),
        mode: o.mode as SqsMode,
        exhaustiveLimit: integerOption('exhaustive-limit', o.exhaustiveLimit, 0),
      };
      if (o.maxSize !== undefined) opts.maxSize = integerOption('max-size', o.maxSize, 1);
      if (o.supercell !== undefined) opts.supercells = [parseSupercell(o.supercell)];
      if (o.omega !== undefined) {
        opts.omega = Number(o.omega);
        if (!(Number.isFinite(opts.omega) && opts.omega >= 0)) throw new OptionError(`--omega must be a number ≥ 0, got '${o.omega}'`, { field: 'omega' });
      }
      if (o.weights) opts.weights = parseWeights(o.weights);
      const space = spaceFromOptions(o);
      const t0 = performance.now();
      const r = findSqs(space, opts);
      const seconds = (performance.now() - t0) / 1000;
      if (o.out) {
        mkdirSync(o.out, { recursive: true });
        writeFileSync(join(o.out, 'sqs.json'), formatStructure(r.structure, 'json'));
        writeFileSync(join(o.out, 'POSCAR'), formatStructure(groupedBySpecies(r.structure), 'poscar'));
      }
      const result = {
        correlations: Array.from(r.correlations),
        target: Array.from(r.target),
        mismatch: r.mismatch,
        objective: r.objective,
        matchedPairDiameter: r.matchedPairDiameter,
        perOrbit: r.perOrbit,
        supercell: r.hnf,
        size: r.size,
        method: r.method,
        candidates: r.candidates,
        seconds: +seconds.toFixed(3),
        structure: structureToPymatgen(r.structure),
      };
      if (o.json) {
        process.stdout.write(JSON.stringify(result, null, 1) + '\n');
        return;
      }
      const lines = [
        `SQS ${r.structure.formula()} in supercell ${JSON.stringify(r.hnf)} (${r.size} prim cells, ${r.structure.numSites} atoms), ${r.method}, best of ${r.candidates} supercells, ${seconds.toFixed(2)} s`,
        `mismatch Σ|Δρ| = ${r.mismatch.toPrecision(6)}${o.mode === 'atat' ? `; perfectly matched pairs up to ${r.matchedPairDiameter.toFixed(3)} Å; objective ${r.objective.toPrecision(6)}` : ''}`,
        '   orbit  size  diameter/Å  |Δρ|',
        ...r.perOrbit.map((p) => `${String(p.id).padStart(8)}${String(p.size).padStart(6)}${p.diameter.toFixed(4).padStart(12)}  ${p.mismatch.toFixed(6)}`),
      ];
      if (o.out) lines.push(`wrote ${join(o.out, 'sqs.json')} and ${join(o.out, 'POSCAR')}`);
      process.stdout.write(lines.join('\n') + '\n');
    });
}

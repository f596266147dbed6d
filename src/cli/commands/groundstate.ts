/** `celt groundstate`: exact periodic ground state of a saved model in one supercell (MILP, HiGHS). */
import { checkOutputFolder } from '../../core/files.ts';
import { mkdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import type { Command } from 'commander';
import { OptionError } from '../../core/errors.ts';
import { DEFAULT_MAX_PRODUCTS, groundState, type GroundStateResult } from '../../generate/groundstate.ts';
import { countsFromFractions, latticeSpeciesValues } from '../../generate/options.ts';
import { ClusterExpansion } from '../../model/cluster-expansion.ts';
import { structureToPymatgen } from '../../structure/io/pymatgen.ts';
import { writePoscar } from '../../structure/io/poscar.ts';
import { checkScMatrix, parseSupercell } from '../../structure/supercell.ts';
import { positiveNumber } from '../options.ts';

interface GroundStateCliOptions {
  model: string;
  supercell: string;
  composition?: string;
  mu?: string;
  timeLimit: string;
  maxProducts: string;
  seed: string;
  out?: string;
  json?: boolean;
}

const HELP = `
Minimizes the model's energy (eV per primitive cell) over every labeling of the supercell,
or E − Σ μ_s N_s with --mu (μ in eV per atom, one per species across sublattices). Charge
balance is always enforced when the lattice has charged species.
--composition SPECIES=f fixes f × (sites of each sublattice allowing SPECIES); the count must
be an integer in this supercell. Status: optimal (proven, gap ~0), time-limit (best found,
with HiGHS's proven gap) or heuristic (MILP above --max-products: annealing only, no bound).`;

export function register(program: Command): void {
  program
    .command('groundstate')
    .description('exact ground state of a cluster expansion in one supercell (MILP with HiGHS; annealing above the size limit)')
    .requiredOption('--model <file>', 'model.json written by `celt fit` / `celt run`')
    .requiredOption('--supercell <matrix>', 'supercell matrix "a b c,d e f,g h i" (rows, in prim lattice vectors), "a b c" (diagonal) or N for N·I')
    .option('--composition <list>', 'fixed composition, SPECIES=fraction of its sublattice, comma-separated')
    .option('--mu <list>', 'chemical potentials SPECIES=eV per atom, comma-separated')
    .option('--time-limit <s>', 'seconds for the whole search', '60')
    .option('--max-products <n>', 'largest MILP (product variables) to attempt; above it, simulated annealing only', String(DEFAULT_MAX_PRODUCTS))
    .option('--seed <n>', 'seed of the annealing warm start', '0')
    .option('--out <dir>', 'write the structure as groundstate.json (pymatgen) and POSCAR')
    .option('--json', 'print a JSON summary')
    .addHelpText('after', HELP)
    .action(async (o: GroundStateCliOptions) => {
      if (o.out) checkOutputFolder(o.out);
      const timeLimit = positiveNumber('time-limit', o.timeLimit);
      const maxProducts = Number(o.maxProducts);
      if (!(Number.isInteger(maxProducts) && maxProducts >= 0)) throw new OptionError(`--max-products must be a non-negative integer, got '${o.maxProducts}'`, { field: 'max-products' });
      const seed = Number(o.seed);
      if (!Number.isInteger(seed)) throw new OptionError(`--seed must be an integer, got '${o.seed}'`, { field: 'seed' });
      const scMatrix = parseSupercell(o.supercell);
      const nPrims = checkScMatrix(scMatrix);
      const model = ClusterExpansion.load(o.model);
      const counts = o.composition ? countsFromFractions(latticeSpeciesValues(o.composition, model.space, 'composition'), model.space, nPrims) : undefined;
      const mu = o.mu ? latticeSpeciesValues(o.mu, model.space, 'mu') : undefined;
      const r = await groundState(model, { scMatrix, timeLimit, maxProducts, seed, ...(counts ? { counts } : {}), ...(mu ? { mu } : {}) });
      if (o.out) writeOutputs(o.out, r);
      const summary = {
        energy: r.energy, objective: r.objective, lowerBound: r.lowerBound, composition: r.composition, status: r.status, gap: r.gap,
        method: r.method, nPrims: r.nPrims, supercell: scMatrix, size: r.size, seconds: r.seconds, ...(r.note ? { note: r.note } : {}),
        structure: structureToPymatgen(r.structure),
      };
      if (o.json) process.stdout.write(JSON.stringify(summary, null, 1) + '\n');
      else process.stdout.write(formatText(r));
      if (r.note) process.stderr.write(`celt: ${r.note}\n`);
    });
}

function writeOutputs(dir: string, r: GroundStateResult): void {
  mkdirSync(dir, { recursive: true });
  writeFileSync(join(dir, 'groundstate.json'), JSON.stringify(structureToPymatgen(r.structure), null, 1) + '\n');
  writeFileSync(join(dir, 'POSCAR'), writePoscar(r.structure, `celt groundstate E = ${r.energy} eV/prim (${r.status})`));
}

function formatText(r: GroundStateResult): string {
  const comp = Object.entries(r.composition).map(([k, n]) => `${k}:${n}`).join(' ');
  return [
    `status       ${r.status} (${r.method}, ${r.seconds.toFixed(2)} s)`,
    `energy       ${r.energy.toFixed(8)} eV per primitive cell`,
    `objective    ${r.objective.toFixed(8)} eV per primitive cell${r.lowerBound !== null ? `, proven lower bound ${r.lowerBound.toFixed(8)}, gap ${r.gap?.toExponential(2)}` : ', no bound (heuristic)'}`,
    `composition  ${comp} in ${r.nPrims} primitive cells`,
    `MILP size    ${r.size.binaries} binaries, ${r.size.products} products, ${r.size.rows} rows`,
    `occupancy    ${r.occupancy.join(' ')}`,
    '',
  ].join('\n');
}

/**
 * `celt space`: build the cluster space of a disordered primitive cell and print its orbit
 * table (or JSON with --json). Also exports the option set and builder `celt featurize` reuses.
 */
import type { Command } from 'commander';
import { CeltError, OptionError } from '../../core/errors.ts';
import { ClusterSpace } from '../../space/cluster-space.ts';
import { parseBasisName } from '../../space/basis.ts';
import { parseCutoffs } from '../../space/cutoffs.ts';
import { readStructureFile } from '../../structure/io/read.ts';
import { symprecOption } from '../options.ts';

export interface SpaceCliOptions {
  prim: string;
  cutoffs: string;
  basis: string;
  orthonormal?: boolean;
  measure: string;
  ewald?: boolean;
  symprec?: string;
}

export function addSpaceOptions(cmd: Command): Command {
  return cmd
    .requiredOption('--prim <file>', 'disordered primitive cell (pymatgen JSON, CIF, POSCAR, extxyz)')
    .requiredOption('--cutoffs <list>', 'cluster diameter cutoffs in Å per size, e.g. 2:6,3:4,4:2')
    .option('--basis <name>', 'site basis: sinusoid | indicator | chebyshev | polynomial | legendre', 'sinusoid')
    .option('--orthonormal', 'orthonormalize the site bases')
    .option('--measure <m>', 'measure for --orthonormal: uniform | concentration', 'uniform')
    .option('--ewald', 'append the Ewald electrostatic energy (eV/prim) as the last feature')
    .option('--symprec <x>', 'symmetry tolerance (Å)');
}

export function spaceFromOptions(o: SpaceCliOptions): ClusterSpace {
  const cutoffs = parseCutoffs(o.cutoffs);
  const basis = parseBasisName(o.basis);
  if (o.measure !== 'uniform' && o.measure !== 'concentration') throw new OptionError(`--measure must be uniform or concentration, got '${o.measure}'`, { field: 'measure' });
  let symprec: number | undefined;
  if (o.symprec !== undefined) {
    symprec = symprecOption(o.symprec);
  }
  const prim = readStructureFile(o.prim);
  try {
    return ClusterSpace.build(prim, cutoffs, { basis, orthonormal: !!o.orthonormal, measure: o.measure, ewald: !!o.ewald, ...(symprec === undefined ? {} : { symprec }) });
  } catch (e) {
    if (e instanceof CeltError && !(e instanceof OptionError)) throw e.at({ file: o.prim });
    throw e;
  }
}

export function register(program: Command): void {
  addSpaceOptions(program.command('space').description('cluster space of a disordered primitive cell: orbits, multiplicities, correlation functions'))
    .option('--json', 'print JSON {nOrbits, nFunctions, orbits: [...]} instead of a table')
    .action((o: SpaceCliOptions & { json?: boolean }) => {
      const t0 = performance.now();
      const cs = spaceFromOptions(o);
      const ms = performance.now() - t0;
      if (o.json) {
        const s = cs.summary();
        process.stdout.write(JSON.stringify({ nOrbits: s.nOrbits, nFunctions: s.nFunctions, nFeatures: s.nFeatures, basis: s.basis, orthonormal: s.orthonormal, cutoffs: s.cutoffs, spaceGroup: s.spaceGroup, orbits: s.orbits }, null, 1) + '\n');
        return;
      }
      const lines = [
        `space group ${cs.symmetry.hmSymbol} (${cs.symmetry.number}), ${cs.symmetry.operations.length} operations; basis ${cs.basisName}${cs.orthonormal ? ` (orthonormal, ${cs.measure} measure)` : ''}`,
        `sublattices: ${cs.spaces.sublattices.map((s) => `[${s.species.map((x) => x.key).join(' ')}]×${s.sites.length}${s.active ? '' : ' (inactive)'}`).join(', ')}`,
        '',
        '   id  size  diameter/Å  multiplicity  functions',
        `    0     0           -             1          1`,
        ...cs.orbitTable().map((r) => `${String(r.id).padStart(5)}${String(r.size).padStart(6)}${r.diameter.toFixed(4).padStart(12)}${String(r.multiplicity).padStart(14)}${String(r.nFunctions).padStart(11)}`),
        '',
        `${cs.nOrbits} orbits (counting the empty cluster), ${cs.nCorrelations} correlation functions (counting the constant)${cs.ewald ? `, ${cs.nFeatures} features with Ewald` : ''}; built in ${ms.toFixed(0)} ms`,
      ];
      process.stdout.write(lines.join('\n') + '\n');
    });
}

/**
 * `celt hull`: lower convex hull of energy over composition, in any number of components.
 */
import type { Command } from 'commander';
import { CeltError, OptionError } from '../../core/errors.ts';
import { formationEnergies, lowerHull, referenceEnergiesFromPoints } from '../../thermo/hull.ts';
import { hullCoordinates, parseFormula, type EndMember } from '../../thermo/composition.ts';
import { readEnergyFile } from '../../thermo/energy-file.ts';
import { highsLP } from '../../thermo/lp-highs.ts';

interface HullCliOptions {
  data: string;
  components?: string;
  endMembers?: string;
  refEnergies?: string;
  tol: string;
  lp: string;
  json?: boolean;
}

const HELP = `
Input (--data): a JSON list of {"composition": {"Li": 2, "Mn": 2, "O": 4} or "Li2Mn2O4",
"energy": <total eV of that composition>, "id": <optional label>}. pymatgen ComputedEntry /
ComputedStructureEntry lists work as they are (energy + correction; species such as "Mn3+"
count as their element).

Coordinates: by default the components are the elements present and energies are per atom
(eV/atom). With --end-members (e.g. "Li2MnO3,LiMnO2,MnO2") compositions are written as
non-negative mixtures of those compounds and energies are per end-member formula unit.
Formation energies are relative to --ref-energies (one per component, same order, same unit),
or else to the lowest-energy entry of each pure component when the data have one.

Output: the ground states (hull vertices) and, per entry, formation energy, energy above the
hull (meV per atom / per formula unit) and the hull phases it would decompose into.
Points within --tol of the hull that are not vertices (on a facet, or duplicates) have
e_above_hull 0 but are not ground states.`;

export function register(program: Command): void {
  program
    .command('hull')
    .description('lower convex hull of energy vs composition (any number of components): ground states, energy above hull, decompositions')
    .requiredOption('--data <file>', 'JSON list of {composition, energy (total, eV), id?} entries')
    .option('--components <list>', 'comma-separated elements to use as components (default: all elements present)')
    .option('--end-members <list>', 'comma-separated end-member formulas (e.g. CoO2,LiCoO2) instead of elements')
    .option('--ref-energies <list>', 'comma-separated reference energies of the components, for formation energies')
    .option('--tol <eV>', 'energy tolerance for being on the hull', '1e-6')
    .option('--lp <solver>', 'LP solver: simplex (built in) or highs', 'simplex')
    .option('--json', 'print JSON instead of a table')
    .addHelpText('after', HELP)
    .action(async (o: HullCliOptions) => {
      const tol = Number(o.tol);
      if (!(tol >= 0) || !Number.isFinite(tol)) throw new OptionError(`--tol must be a non-negative number, got '${o.tol}'`, { field: 'tol' });
      if (o.lp !== 'simplex' && o.lp !== 'highs') throw new OptionError(`--lp must be simplex or highs, got '${o.lp}'`, { field: 'lp' });
      if (o.components && o.endMembers) throw new OptionError('give --components or --end-members, not both', { field: 'end-members' });
      const entries = readEnergyFile(o.data);
      const endMembers: EndMember[] | undefined = o.endMembers ? splitList(o.endMembers).map((f) => ({ name: f, composition: parseFormula(f) })) : undefined;
      const coordOpts: Parameters<typeof hullCoordinates>[1] = {};
      if (endMembers) coordOpts.endMembers = endMembers;
      if (o.components) coordOpts.components = splitList(o.components);
      const coords = (() => {
        try {
          return hullCoordinates(entries, coordOpts);
        } catch (e) {
          throw e instanceof CeltError ? e.at({ file: o.data }) : e;
        }
      })();
      const lp = o.lp === 'highs' ? await highsLP() : undefined;
      const hull = lowerHull(coords.points, { tol, ...(lp ? { lp } : {}) });
      let refs: Float64Array | null = null;
      let refSource = '';
      if (o.refEnergies) {
        const vals = splitList(o.refEnergies).map(Number);
        if (vals.length !== coords.components.length || vals.some((v) => !Number.isFinite(v))) {
          throw new OptionError(`--ref-energies needs ${coords.components.length} numbers (${coords.components.join(', ')}), got '${o.refEnergies}'`, { field: 'ref-energies' });
        }
        refs = Float64Array.from(vals);
        refSource = 'given';
      } else {
        try {
          refs = referenceEnergiesFromPoints(coords.points, coords.components);
          refSource = 'lowest pure entries';
        } catch {
          refs = null;
        }
      }
      const ef = refs ? formationEnergies(coords.points, refs) : null;
      const unit = endMembers ? 'eV/f.u.' : 'eV/atom';
      const ids = coords.points.map((p, i) => p.id ?? i);
      const rows = coords.points.map((p, i) => ({
        id: ids[i]!,
        x: Array.from(p.x),
        energy: p.e,
        formationEnergy: ef ? ef[i]! : null,
        eAboveHull: hull.eAboveHull[i]!,
        onHull: hull.onHull[i]!,
        groundState: hull.vertices.includes(i),
        decomposition: hull.decomposition[i]!.map((d) => ({ id: ids[d.index]!, fraction: d.fraction })),
      }));
      if (o.json) {
        process.stdout.write(JSON.stringify({
          components: coords.components,
          energyUnit: unit,
          references: refs ? Object.fromEntries(coords.components.map((c, k) => [c, refs![k]!])) : null,
          referenceSource: refs ? refSource : null,
          groundStates: hull.vertices.map((i) => ids[i]),
          entries: rows,
        }, null, 1) + '\n');
        return;
      }
      const out: string[] = [];
      out.push(`components: ${coords.components.join(', ')}; energies in ${unit}; ${entries.length} entries`);
      if (refs) out.push(`references (${refSource}): ${coords.components.map((c, k) => `${c} ${refs![k]!.toFixed(4)}`).join(', ')}`);
      else out.push('no formation energies: no pure-component entry for every component (give --ref-energies)');
      const w = Math.max(9, ...coords.components.map((c) => c.length + 4));
      const xHead = coords.components.map((c) => `x(${c})`.padStart(w)).join('');
      const fx = (v: number, d = 4) => (Math.abs(v) < 0.5 * 10 ** -d ? 0 : v).toFixed(d);
      out.push('', `ground states (${hull.vertices.length}):`, `  ${'id'.padEnd(14)}${xHead}${'E'.padStart(12)}${'E_f'.padStart(11)}`);
      const sortedGs = [...hull.vertices].sort((a, b) => compareX(coords.points[a]!.x, coords.points[b]!.x));
      for (const i of sortedGs) {
        const r = rows[i]!;
        out.push(`  ${String(r.id).padEnd(14)}${r.x.map((v) => fx(v).padStart(w)).join('')}${fx(r.energy).padStart(12)}${(r.formationEnergy === null ? '—' : fx(r.formationEnergy)).padStart(11)}`);
      }
      out.push('', 'entries:', `  ${'id'.padEnd(14)}${xHead}${'E_f'.padStart(11)}${'E_hull/meV'.padStart(12)}  decomposition`);
      for (const r of rows) {
        const dec = r.groundState ? '(ground state)' : r.decomposition.map((d) => `${+d.fraction.toFixed(4)} ${d.id}`).join(' + ');
        out.push(`  ${String(r.id).padEnd(14)}${r.x.map((v) => fx(v).padStart(w)).join('')}${(r.formationEnergy === null ? '—' : fx(r.formationEnergy)).padStart(11)}${(r.eAboveHull * 1000).toFixed(2).padStart(12)}  ${dec}`);
      }
      process.stdout.write(out.join('\n') + '\n');
    });
}

function splitList(s: string): string[] {
  return s.split(',').map((t) => t.trim()).filter((t) => t.length > 0);
}

function compareX(a: ArrayLike<number>, b: ArrayLike<number>): number {
  for (let k = a.length - 1; k >= 0; k--) if (a[k] !== b[k]) return a[k]! - b[k]!;
  return 0;
}

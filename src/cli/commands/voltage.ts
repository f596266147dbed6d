/**
 * `celt voltage`: average intercalation voltages between adjacent ground states (seed 000 Eq. 11).
 */
import type { Command } from 'commander';
import { OptionError } from '../../core/errors.ts';
import { CeltError } from '../../core/errors.ts';
import { formatComposition, parseFormula } from '../../thermo/composition.ts';
import { readEnergyFile } from '../../thermo/energy-file.ts';
import { voltagePointsFromEntries, voltageProfile } from '../../thermo/voltage.ts';
import { Species } from '../../structure/species.ts';

interface VoltageCliOptions {
  data: string;
  ion: string;
  refEnergy: string;
  host?: string;
  ionCharge: string;
  tol: string;
  json?: boolean;
}

const HELP = `
Input (--data): the same JSON list as 'celt hull' ({composition, energy (total eV), id?}); every
entry must be (ion)_n·(host)_m with one fixed host composition, e.g. Li_x Mn2O4.

x is the ion content per host formula unit (--host, default: the reduced host formula of the
first entry) and E(x) the energy per host formula unit. Only ground states — the lower convex
hull of E(x) — enter. Between adjacent ground states x1 < x2:
  V = −[E(x2) − E(x1) − (x2 − x1)·μ] / ((x2 − x1)·z)
with μ = --ref-energy (eV per ion atom in its reference phase, e.g. bcc Li) and z = --ion-charge.
Voltages are vs the ion's metal (e.g. V vs Li/Li+). A non-increasing staircase in x is what a
convex hull guarantees; the host normalization changes x but not the voltages.`;

export function register(program: Command): void {
  program
    .command('voltage')
    .description('intercalation voltage profile between adjacent ground states (steps in x with average voltages)')
    .requiredOption('--data <file>', 'JSON list of {composition, energy (total, eV), id?} entries')
    .requiredOption('--ion <element>', 'the intercalating element, e.g. Li')
    .requiredOption('--ref-energy <eV>', "the ion's reference energy, eV per atom (e.g. -1.90 for bcc Li)")
    .option('--host <formula>', 'host formula unit that x is counted per (default: reduced host of the first entry)')
    .option('--ion-charge <z>', 'electrons transferred per ion (1 for Li+, 2 for Mg2+)', '1')
    .option('--tol <eV>', 'energy tolerance for ground states', '1e-6')
    .option('--json', 'print JSON instead of a table')
    .addHelpText('after', HELP)
    .action((o: VoltageCliOptions) => {
      const mu = Number(o.refEnergy);
      if (!Number.isFinite(mu)) throw new OptionError(`--ref-energy must be a number, got '${o.refEnergy}'`, { field: 'ref-energy' });
      const z = Number(o.ionCharge);
      if (!(z > 0) || !Number.isFinite(z)) throw new OptionError(`--ion-charge must be a positive number, got '${o.ionCharge}'`, { field: 'ion-charge' });
      const tol = Number(o.tol);
      if (!(tol >= 0) || !Number.isFinite(tol)) throw new OptionError(`--tol must be a non-negative number, got '${o.tol}'`, { field: 'tol' });
      let ion: string;
      try {
        ion = Species.parse(o.ion).element;
      } catch {
        throw new OptionError(`--ion must be an element symbol, got '${o.ion}'`, { field: 'ion' });
      }
      const entries = readEnergyFile(o.data);
      const { points, host } = (() => {
        try {
          return voltagePointsFromEntries(entries, ion, o.host ? parseFormula(o.host) : undefined);
        } catch (e) {
          if (e instanceof CeltError) throw e.at({ file: o.data });
          throw e;
        }
      })();
      const prof = voltageProfile(points, mu, { ionCharge: z, tol });
      const hostName = formatComposition(host);
      if (o.json) {
        process.stdout.write(JSON.stringify({
          ion,
          host: hostName,
          refEnergy: mu,
          ionCharge: z,
          groundStates: prof.groundStates.map((i) => ({ id: points[i]!.id, x: points[i]!.x, energyPerHost: points[i]!.e })),
          steps: prof.steps.map((s) => ({ x1: s.x1, x2: s.x2, voltage: s.voltage, from: points[s.from]!.id, to: points[s.to]!.id })),
          averageVoltage: prof.averageVoltage,
          entries: points.map((p, i) => ({ id: p.id, x: p.x, energyPerHost: p.e, eAboveHull: prof.eAboveHull[i] })),
        }, null, 1) + '\n');
        return;
      }
      const out: string[] = [];
      out.push(`${ion}_x ${hostName}: x = ${ion} per ${hostName}, energies in eV per ${hostName}; μ_${ion} = ${mu} eV; z = ${z}`);
      out.push('', `ground states (${prof.groundStates.length}):`);
      for (const i of prof.groundStates) out.push(`  x = ${points[i]!.x.toFixed(4).padStart(8)}   E = ${points[i]!.e.toFixed(4).padStart(12)}   ${points[i]!.id}`);
      out.push('', 'voltage steps:');
      for (const s of prof.steps) out.push(`  ${s.x1.toFixed(4).padStart(8)} → ${s.x2.toFixed(4).padEnd(8)}  ${s.voltage.toFixed(4).padStart(8)} V`);
      if (prof.steps.length) out.push(`  average over ${prof.steps[0]!.x1} → ${prof.steps[prof.steps.length - 1]!.x2}: ${prof.averageVoltage.toFixed(4)} V`);
      const off = points.map((p, i) => [p, prof.eAboveHull[i]!] as const).filter(([, e]) => e > tol);
      if (off.length) out.push('', `${off.length} entries above the hull (not in the profile): ` + off.map(([p, e]) => `${p.id} (+${(e * 1000).toFixed(1)} meV/f.u.)`).join(', '));
      process.stdout.write(out.join('\n') + '\n');
    });
}

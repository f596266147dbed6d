/**
 * `celt run`'s optional last stage: the config's `mc` block samples the fitted model with the
 * same code as `celt mc` (src/mc), writes OUTPUT/mc/ as `celt mc --out` does, and hands the
 * report a section with the thermodynamics per condition. Option errors name `mc.*` keys.
 */
import { join } from 'node:path';
import { OptionError } from '../core/errors.ts';
import { parseComposition } from '../mc/init.ts';
import { type McOptions, type McSummary, runMonteCarlo } from '../mc/run.ts';
import type { ClusterExpansion } from '../model/cluster-expansion.ts';
import { writeMcOutput } from '../report/mc.ts';
import type { ReportSection } from '../report/report.ts';
import { Species } from '../structure/species.ts';
import { parseSupercell } from '../structure/supercell.ts';
import type { CeltConfig, McConfig } from './config.ts';

/** The config block as the sampler's options (species keys normalized, fields renamed mc.*). */
export function mcOptions(m: McConfig, file?: string): McOptions {
  return inConfig(file, () => {
    const opts: McOptions = {
      supercell: parseSupercell(String(m.supercell), 'supercell'),
      ensemble: m.ensemble,
      T: m.T,
      mu: m.mu.map((row) => Object.fromEntries(Object.entries(row).map(([k, v]) => [Species.parse(k).key, v]))),
      steps: m.steps,
      warmup: m.warmup,
      thin: m.thin,
      seed: m.seed,
      path: m.path,
    };
    if (m.composition === undefined) throw new OptionError('the starting composition is required, e.g. "Li+=0.5,Mn3+@1=0.5"', { field: 'composition' });
    opts.init = { composition: parseComposition(m.composition) };
    return opts;
  });
}

/** Run a function whose option errors should read as errors in the config's mc block. */
function inConfig<T>(file: string | undefined, f: () => T): T {
  try {
    return f();
  } catch (e) {
    if (e instanceof OptionError) {
      e.location.field = `mc.${e.location.field ?? ''}`.replace(/\.$/, '');
      throw e.at({ file });
    }
    throw e;
  }
}

/** Sample, write OUTPUT/mc/, and return the summary (undefined when the config has no mc block). */
export async function sampleModel(cfg: CeltConfig, model: ClusterExpansion, onProgress: (done: number, total: number) => void): Promise<McSummary | undefined> {
  if (!cfg.mc) return undefined;
  const opts = mcOptions(cfg.mc, cfg.file);
  const result = await inConfig(cfg.file, () => runMonteCarlo(model, { ...opts, onProgress }));
  await writeMcOutput(join(cfg.output, 'mc'), result);
  return result.summary;
}

/** The report's Monte Carlo section: one row per condition. */
export function mcSection(s: McSummary): ReportSection {
  const f = (x: number | null | undefined, d = 4) => (x === null || x === undefined ? '—' : x.toFixed(d));
  return {
    id: 'monte-carlo',
    title: 'Monte Carlo',
    text: [`${s.conditions[0]?.ensemble ?? ''} sampling of the fitted model on a ${s.nSites}-site supercell (${s.nPrims} primitive cells); energies in eV per primitive cell, heat capacity in k_B per primitive cell. Every chain, its trace, the lowest-energy structures and plots are in mc/.`],
    table: {
      columns: ['T (K)', 'μ', 'E mean', '± stderr', 'C', 'acceptance', 'lowest E'],
      rows: s.conditions.map((c) => [c.T, Object.entries(c.mu).map(([k, v]) => `${k} ${v}`).join(', ') || '—', f(c.energy?.mean), f(c.energy?.stderr, 5), f(c.heatCapacity, 3), f(c.acceptance, 3), f(c.lowestEnergy)]),
    },
  };
}

/**
 * The Sample panel's engine: canonical (or semigrand) Monte Carlo on the fitted model with
 * src/mc's runMonteCarlo — the code behind `celt mc`. For a live trace the run is cut into
 * chunks, each continuing from the previous chunk's final configuration with its own seed
 * (seed + chunk), and the energy trace is posted after each; the chain is therefore the
 * CLI's chain only for a single chunk (chunks = 1 gives exactly `celt mc --seed S`).
 */
import { OptionError } from '../../src/core/errors.ts';
import { parseComposition, structureOf } from '../../src/mc/init.ts';
import { parseMu, runMonteCarlo, type ConditionSummary, type McResult } from '../../src/mc/run.ts';
import { parseSupercell } from '../../src/structure/supercell.ts';
import { fittedModel, structureSummary } from './engine.ts';

export interface SampleRequest {
  supercell: string;
  ensemble: 'canonical' | 'semigrand';
  T: number;
  composition: string;
  mu?: string;
  steps: number;
  warmup: number;
  seed: number;
  chunks: number;
}

export async function sample(r: SampleRequest, progress: (label: string, done: number, total: number, extra?: unknown) => void) {
  const model = fittedModel();
  const chunks = Math.max(1, Math.min(100, Math.floor(r.chunks)));
  if (!(Number.isInteger(r.steps) && r.steps >= chunks)) throw new OptionError(`steps must be an integer ≥ the number of chunks (${chunks})`, { field: 'steps' });
  const supercell = parseSupercell(r.supercell, 'supercell');
  const base = {
    supercell,
    ensemble: r.ensemble,
    T: [r.T],
    ...(r.ensemble === 'semigrand' ? { mu: [parseMu(r.mu ?? '')] } : {}),
    steps: Math.floor(r.steps / chunks),
  };
  let codes: Int32Array | undefined;
  const trace: Array<{ step: number; energy: number }> = [];
  let last: ConditionSummary | undefined;
  let lowest = Infinity;
  let layout: McResult['layout'] | undefined;
  const t0 = performance.now();
  for (let k = 0; k < chunks; k++) {
    const res = await runMonteCarlo(model, {
      ...base,
      warmup: k === 0 ? r.warmup : 0,
      seed: r.seed + k,
      init: codes ? { codes } : { composition: parseComposition(r.composition) },
    });
    const d = res.details[0]!;
    const offset = r.warmup + k * base.steps;
    d.trace.step.forEach((s, i) => trace.push({ step: offset + s, energy: d.trace.energy[i]! }));
    codes = d.finalCodes;
    layout = res.layout;
    last = res.summary.conditions[0]!;
    lowest = Math.min(lowest, last.lowestEnergy);
    progress('Monte Carlo', k + 1, chunks, { trace: trace.slice(), energy: last.energy, acceptance: last.acceptance });
  }
  return {
    trace,
    acceptance: last!.acceptance,
    energy: last!.energy,
    composition: last!.composition,
    lowestEnergy: lowest,
    nSites: last!.nSites,
    seconds: (performance.now() - t0) / 1000,
    final: structureSummary(structureOf(layout!, codes!)),
  };
}

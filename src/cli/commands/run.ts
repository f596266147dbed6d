/** `celt run [CONFIG]`: the whole workflow from DFT files to a saved model and an HTML report. */
import type { Command } from 'commander';
import { defaultConfig, loadConfig } from '../../workflow/config.ts';
import { consoleProgress } from '../../core/progress.ts';
import { runWorkflow, type RunSummary } from '../../workflow/run.ts';

export function formatSummary(s: RunSummary): string {
  const f = (x: number | undefined, d = 4) => (x === undefined ? 'n/a' : x.toFixed(d));
  const params = Object.entries(s.params).map(([k, v]) => `${k}=${typeof v === 'number' ? v.toPrecision(3) : String(v)}`).join(', ');
  const lines = [
    `settings    ${s.settings}`,
    `entries     ${s.nEntries} read, ${s.nMapped} mapped, ${s.nSkipped} skipped`,
    `space       ${s.nOrbits} orbits, ${s.nFeatures} features`,
    `fit         ${s.method}${params ? ` (${params})` : ''}: ${s.nNonzero} nonzero ECIs`,
    `errors      train RMSE ${f(s.trainRmse)} eV/prim, CV RMSE ${f(s.cvRmse)} eV/prim`,
  ];
  if (s.groundStates) lines.push(`hull        ${s.groundStates.matched} DFT ground states reproduced, ${s.groundStates.missing} missing, ${s.groundStates.spurious} spurious`);
  lines.push(`round       ${s.round}: ${s.convergence}`);
  lines.push(`model       ${s.modelFile}`, `report      ${s.reportFile}`, `time        ${s.seconds.toFixed(1)} s`);
  return lines.join('\n') + '\n';
}

export function register(program: Command): void {
  program
    .command('run')
    .description('map → featurize → CV search → fit → save model → report (no CONFIG: the embedded lmo_drx demo)')
    .argument('[config]', 'project config (celt.json); see `celt init`')
    .option('--out <dir>', 'output folder (overrides the config)')
    .option('--quiet', 'no progress output on stderr')
    .action(async (configPath: string | undefined, opts: { out?: string; quiet?: boolean }) => {
      const cfg = configPath ? loadConfig(configPath) : defaultConfig();
      if (opts.out) cfg.output = opts.out;
      const summary = await runWorkflow(cfg, consoleProgress({ quiet: opts.quiet }));
      process.stdout.write(formatSummary(summary));
    });
}

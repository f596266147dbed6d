/**
 * Every CLI command module, keyed by the command it registers (a module exports
 * register(program)); main.ts loads only the invoked one. Add a line per new command.
 */
import type { Command } from 'commander';

type Registrar = (program: Command) => void;

export const commandModules: Record<string, () => Promise<{ register: Registrar }>> = {
  init: () => import('./init.ts'),
  run: () => import('./run.ts'),
  predict: () => import('./predict.ts'),
  learn: () => import('./learn.ts'),
  charges: () => import('./charges.ts'),
  structure: () => import('./structure.ts'),
  map: () => import('./map.ts'),
  space: () => import('./space.ts'),
  featurize: () => import('./featurize.ts'),
  hull: () => import('./hull.ts'),
  voltage: () => import('./voltage.ts'),
  fit: () => import('./fit.ts'),
  search: () => import('./search.ts'),
  methods: () => import('./methods.ts'),
  'sparsity-study': () => import('./sparsity-study.ts'),
  enumerate: () => import('./enumerate.ts'),
  sqs: () => import('./sqs.ts'),
  fce: () => import('./fce.ts'),
  mc: () => import('./mc.ts'),
  groundstate: () => import('./groundstate.ts'),
  softbv: () => import('./softbv.ts'),
  collect: () => import('./collect.ts'),
  'exec-task': () => import('./exec-task.ts'),
  propose: () => import('./propose.ts'),
  'simulate-loop': () => import('./simulate-loop.ts'),
};

/**
 * Which command modules an invocation needs: the named subcommand's alone (each module pulls
 * in its own stage — spglib, HiGHS, Vega load only there), none for a bare --version, all
 * for help and unknown names (the listing and commander's suggestions need every command).
 */
export function modulesFor(argv: string[]): string[] {
  const name = argv.find((a) => !a.startsWith('-'));
  if (name !== undefined && Object.hasOwn(commandModules, name)) return [name];
  if (name === undefined && argv.length > 0 && argv.every((a) => a === '--version' || a === '-V')) return [];
  return Object.keys(commandModules);
}

/** Every CLI command module; each exports register(program). Add a line per new command. */
import type { Command } from 'commander';

type Registrar = (program: Command) => void;

export const commandModules: Array<() => Promise<{ register: Registrar }>> = [
  () => import('./init.ts'),
  () => import('./run.ts'),
  () => import('./predict.ts'),
  () => import('./learn.ts'),
  () => import('./charges.ts'),
  () => import('./structure.ts'),
  () => import('./map.ts'),
  () => import('./space.ts'),
  () => import('./featurize.ts'),
  () => import('./hull.ts'),
  () => import('./voltage.ts'),
  () => import('./fit.ts'),
  () => import('./search.ts'),
  () => import('./methods.ts'),
  () => import('./sparsity-study.ts'),
  () => import('./softbv.ts'),
];

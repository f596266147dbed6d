/** Every CLI command module; each exports register(program). Add a line per new command. */
import type { Command } from 'commander';

type Registrar = (program: Command) => void;

export const commandModules: Array<() => Promise<{ register: Registrar }>> = [
];

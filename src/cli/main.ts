/**
 * The `celt` command. Each subcommand lives in its own module under ./commands; user errors
 * (CeltError) print one line naming the file/entry/field and exit 1, never a stack trace.
 */
import { Command, CommanderError } from 'commander';
import { CeltError } from '../core/errors.ts';
import { commandModules, modulesFor } from './commands/index.ts';

export async function buildProgram(argv: string[] = process.argv.slice(2)): Promise<Command> {
  const program = new Command();
  program
    .name('celt')
    .description('Lattice cluster expansions: structures, cluster spaces, ECI fitting, hulls, voltages')
    .version('0.1.0')
    .showHelpAfterError()
    .exitOverride();
  for (const name of modulesFor(argv)) (await commandModules[name]!()).register(program);
  return program;
}

export function reportError(err: unknown): number {
  if (err instanceof CommanderError) return err.exitCode;
  if (err instanceof CeltError) {
    process.stderr.write(`celt: ${err.describe()}\n`);
    return 1;
  }
  const e = err as NodeJS.ErrnoException;
  if (e && e.code === 'ENOENT' && e.path) {
    process.stderr.write(`celt: file not found: ${e.path}\n`);
    return 1;
  }
  process.stderr.write(`celt: internal error: ${e?.stack ?? String(err)}\n`);
  return 2;
}

async function main(): Promise<void> {
  try {
    const program = await buildProgram();
    await program.parseAsync(process.argv);
  } catch (err) {
    process.exitCode = reportError(err);
  }
}

await main();

/**
 * The `celt` command. Each subcommand lives in its own module under ./commands; user errors
 * (CeltError) print one line naming the file/entry/field and exit 1, never a stack trace.
 */
import { readFileSync } from 'node:fs';
import { Command, CommanderError } from 'commander';
import { CeltError } from '../core/errors.ts';
import { commandModules, modulesFor } from './commands/index.ts';

/** The version in package.json (one place to bump). */
function packageVersion(): string {
  return (JSON.parse(readFileSync(new URL('../../package.json', import.meta.url), 'utf8')) as { version: string }).version;
}

export async function buildProgram(argv: string[] = process.argv.slice(2)): Promise<Command> {
  const program = new Command();
  program
    .name('celt')
    .description('Lattice cluster expansions: structures, cluster spaces, ECI fitting, hulls, voltages')
    .version(packageVersion())
    .showHelpAfterError()
    .exitOverride();
  for (const name of modulesFor(argv)) (await commandModules[name]!()).register(program);
  return program;
}

/** File-system failures a user causes (a wrong path), reported as one line naming the path. */
const IO_ERRORS: Record<string, string> = {
  ENOENT: 'file not found',
  EISDIR: 'is a directory, not a file',
  ENOTDIR: 'a part of the path is not a directory',
  EACCES: 'permission denied',
  EPERM: 'operation not permitted',
  EROFS: 'read-only file system',
  ENOSPC: 'no space left on device',
  EEXIST: 'already exists (a file where a folder is needed?)',
};

export function reportError(err: unknown): number {
  if (err instanceof CommanderError) return err.exitCode;
  if (err instanceof CeltError) {
    process.stderr.write(`celt: ${err.describe()}\n`);
    return 1;
  }
  const e = err as NodeJS.ErrnoException;
  const ioProblem = e?.code ? IO_ERRORS[e.code] : undefined;
  if (ioProblem && e.path) {
    process.stderr.write(`celt: ${e.path}: ${ioProblem}\n`);
    return 1;
  }
  process.stderr.write(`celt: internal error: ${e?.stack ?? String(err)}\n`);
  return 2;
}

async function main(): Promise<void> {
  // `celt … | head` closes the pipe early: that is the reader's choice, not an error.
  process.stdout.on('error', (e: NodeJS.ErrnoException) => {
    if (e.code === 'EPIPE') process.exit(0);
    throw e;
  });
  try {
    const program = await buildProgram();
    await program.parseAsync(process.argv);
  } catch (err) {
    process.exitCode = reportError(err);
  }
}

await main();

/** Shared by the SLURM-without-a-cluster tests: the fixture MC grid and a celt runner. */
import { spawnSync } from 'node:child_process';
import { existsSync, mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';

export const FIX = fileURLToPath(new URL('../fixtures/exec/', import.meta.url));
export const MAIN = fileURLToPath(new URL('../../src/cli/main.ts', import.meta.url));
export const BIN = fileURLToPath(new URL('../../bin/celt.js', import.meta.url));
export const tmp = () => mkdtempSync(join(tmpdir(), 'celt-slurm-unit-'));
export const MC = ['mc', '--model', join(FIX, 'lno-model.json'), '--supercell', '2', '--ensemble', 'charge-neutral', '--T', '3000,6000,9000', '--mu', 'Li+=-5.5', '--composition', 'Li+=0.5,Ni4+=0.5', '--steps', '500', '--seed', '1', '--no-plots'];
/** PATH without any directory that holds sbatch, plus `extra` first. */
export const pathWithout = (extra?: string) => [extra, ...(process.env.PATH ?? '').split(':').filter((d) => d && !existsSync(join(d, 'sbatch')))].filter(Boolean).join(':');
export const celt = (args: string[], env: Record<string, string> = {}) => spawnSync(process.execPath, ['--import', 'tsx', MAIN, ...args], { encoding: 'utf8', env: { ...process.env, CELT_NO_PROGRESS: '1', ...env } });

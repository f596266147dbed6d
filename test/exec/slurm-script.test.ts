/**
 * The SLURM executor without a cluster: the job script a dry run prints for given options
 * (each directive as sbatch's documentation spells it), --array ranges, and refusals in one
 * line before any file is written (no sbatch on PATH, bad --time/--mem/--partition/--node).
 * The real-SLURM run is scripts/test-slurm.mjs.
 */
import assert from 'node:assert/strict';
import { existsSync, readdirSync, readFileSync, } from 'node:fs';
import { join } from 'node:path';
import { test } from 'node:test';
import { arraySpec, checkSlurmOptions } from '../../src/exec/slurm.ts';
import { BIN, celt, MC, pathWithout, tmp } from './cli-helpers.ts';


test('--array ranges: runs compressed, throttle appended', () => {
  assert.equal(arraySpec([0, 1, 2, 3]), '0-3');
  assert.equal(arraySpec([9, 3, 0, 1, 7, 8, 5], 4), '0-1,3,5,7-9%4');
  assert.equal(arraySpec([6]), '6');
});

test('dry run: the job script for given options, written next to the grid, nothing submitted', () => {
  const out = join(tmp(), 'mc');
  const r = celt([...MC, '--out', out, '--executor', 'slurm', '--dry-run', '--chunk-size', '2', '--array-throttle', '3', '--time', '1:30:00', '--mem', '2G', '--partition', 'short', '--account', 'proj-1', '--node', process.execPath], { PATH: pathWithout() });
  assert.equal(r.status, 0, r.stderr);
  const dir = `${out}.grid`;
  const lines = r.stdout.trimEnd().split('\n');
  const manifest = JSON.parse(readFileSync(join(dir, 'grid.json'), 'utf8'));
  assert.deepEqual(lines.filter((l) => l.startsWith('#SBATCH')), [
    `#SBATCH --job-name=celt-mc-${manifest.identity.slice(0, 8)}`,
    '#SBATCH --array=0-1%3', // 3 tasks, 2 per index → indices 0 and 1
    `#SBATCH --output=${dir}/logs/%A_%a.out`,
    '#SBATCH --ntasks=1',
    '#SBATCH --cpus-per-task=1',
    '#SBATCH --time=1:30:00',
    '#SBATCH --mem=2G',
    '#SBATCH --partition=short',
    '#SBATCH --account=proj-1',
  ]);
  assert.equal(lines[0], '#!/bin/bash');
  assert.equal(lines.at(-1), `exec '${process.execPath}' '${BIN}' exec-task '${dir}' --chunk "$SLURM_ARRAY_TASK_ID"`);
  assert.equal(readFileSync(join(dir, 'slurm', 'job.sh'), 'utf8'), r.stdout);
  assert.equal(manifest.tasks.length, 3);
  assert.equal(manifest.chunkSize, 2);
  assert.ok(!existsSync(join(dir, 'slurm', 'submissions.json')));
  assert.ok(!existsSync(out), 'no merged output yet');
});

test('bad input is refused in one line with exit code 1 before anything is written', () => {
  const base = tmp();
  const cases: [string[], RegExp, Record<string, string>][] = [
    [['--executor', 'slurm'], /sbatch is not on PATH/, { PATH: pathWithout() }],
    [['--executor', 'slurm', '--dry-run', '--time', '90 minutes'], /--time '90 minutes' is not a SLURM time/, {}],
    [['--executor', 'slurm', '--dry-run', '--mem', '2GB'], /--mem '2GB'/, {}],
    [['--executor', 'slurm', '--dry-run', '--partition', 'a b'], /--partition/, {}],
    [['--executor', 'slurm', '--dry-run', '--node', '/no/such/node'], /--node \/no\/such\/node/, {}],
    [['--executor', 'pbs'], /--executor must be local or slurm/, {}],
    [['--time', '10'], /--time needs --executor/, {}],
    [['--executor', 'slurm', '--dry-run', '--ensemble', 'anneal', '--T', '3000,300'], /one walk, not a grid/, {}],
  ];
  cases.forEach(([args, re, env], k) => {
    const out = join(base, `o${k}`);
    const r = celt([...MC, '--out', out, ...args], env);
    assert.equal(r.status, 1, `${args.join(' ')}: ${r.stderr}`);
    assert.equal(r.stderr.trim().split('\n').length, 1, r.stderr);
    assert.match(r.stderr, re);
    assert.deepEqual(readdirSync(base).filter((f) => f.startsWith(`o${k}`)), [], `${args.join(' ')} wrote nothing`);
  });
  assert.throws(() => checkSlurmOptions({ throttle: 0 }), /--array-throttle/);
});


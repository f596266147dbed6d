/**
 * The output folder of `celt run`: nothing lost, nothing mixed (issue 19 item 18).
 *
 * Algorithm:
 *  1. Before any work the folder is checked: it must be a folder (or creatable) and writable.
 *  2. The run writes every file into a hidden staging folder inside it (`.celt-staging-PID`),
 *     so an interrupted run leaves the previous results untouched.
 *  3. At the end, in one synchronous step (no JavaScript signal handler can run in between): the
 *     old manifest, then the old run's files, move into `.celt-old-PID`; the new files move in by
 *     rename (same file system, so each is atomic); `manifest.json` is written last (temporary
 *     name, then rename); the old copies are deleted.
 * A folder whose manifest.json is present is therefore complete and of one run: the manifest
 * lists every file with its size and SHA-256. Staging folders left by a killed process
 * (SIGKILL, power loss) are removed by the next run into the same folder.
 */
import { createHash } from 'node:crypto';
import { accessSync, constants, existsSync, mkdirSync, readdirSync, readFileSync, renameSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { join, relative } from 'node:path';
import { InputError } from '../core/errors.ts';
import { makeFolders } from '../core/files.ts';

export const MANIFEST = 'manifest.json';
/** Names a run of any celt version may have written at the top of its folder. */
const RUN_FILES = ['model.json', 'training-set.json', 'report.html', 'summary.json', 'figures', 'mc', 'orbits.csv', 'skipped.csv'];
const STAGING = '.celt-staging-';
const OLD = '.celt-old-';

export interface ManifestFile {
  path: string;
  bytes: number;
  sha256: string;
}

export interface Manifest {
  format: 'celt-run-manifest';
  version: 1;
  created: string;
  files: ManifestFile[];
}

export interface OutputStaging {
  /** The final folder. */
  dir: string;
  /** Where the run writes; moved into `dir` by commitOutput. */
  staging: string;
  /** Remove the staging folder (the run failed or was interrupted). */
  discard: () => void;
}

function fsMessage(e: unknown): string {
  const code = (e as NodeJS.ErrnoException).code;
  return code === 'EACCES' || code === 'EPERM' ? 'permission denied' : code === 'EROFS' ? 'read-only file system' : code === 'ENOTDIR' ? 'a part of the path is not a folder' : ((e as Error).message ?? String(e));
}

/** Whether a process id is alive (a staging folder of a live run is not ours to delete). */
function alive(pid: number): boolean {
  try {
    process.kill(pid, 0);
    return true;
  } catch (e) {
    return (e as NodeJS.ErrnoException).code === 'EPERM';
  }
}

/** Step 1 and 2: check the folder, clear stale staging folders, make this run's staging folder. */
export function prepareOutput(dir: string): OutputStaging {
  const where = { file: dir, field: 'output' };
  if (existsSync(dir) && !statSync(dir).isDirectory()) throw new InputError('the output path exists and is not a folder', where);
  try {
    makeFolders(dir);
    accessSync(dir, constants.W_OK);
  } catch (e) {
    throw new InputError(`cannot write the output folder: ${fsMessage(e)}`, where);
  }
  for (const name of readdirSync(dir)) {
    const m = new RegExp(`^(?:${STAGING}|${OLD})(\\d+)$`).exec(name);
    if (m && !alive(Number(m[1]))) rmSync(join(dir, name), { recursive: true, force: true });
  }
  const staging = join(dir, `${STAGING}${process.pid}`);
  rmSync(staging, { recursive: true, force: true });
  try {
    mkdirSync(staging);
  } catch (e) {
    throw new InputError(`cannot write the output folder: ${fsMessage(e)}`, where);
  }
  return { dir, staging, discard: () => rmSync(staging, { recursive: true, force: true }) };
}

function listFiles(root: string, sub = ''): string[] {
  return readdirSync(join(root, sub), { withFileTypes: true }).flatMap((d) => (d.isDirectory() ? listFiles(root, join(sub, d.name)) : [join(sub, d.name)]));
}

function describe(root: string, path: string): ManifestFile {
  const bytes = readFileSync(join(root, path));
  return { path: path.split('\\').join('/'), bytes: bytes.length, sha256: createHash('sha256').update(bytes).digest('hex') };
}

/** The manifest of a folder, or undefined when it has none (incomplete, or an older celt). */
export function readManifest(dir: string): Manifest | undefined {
  const p = join(dir, MANIFEST);
  if (!existsSync(p)) return undefined;
  try {
    return JSON.parse(readFileSync(p, 'utf8')) as Manifest;
  } catch {
    return undefined;
  }
}

/** Whether every file the manifest lists is present with its recorded size and hash. */
export function verifyManifest(dir: string): boolean {
  const m = readManifest(dir);
  return !!m && m.files.every((f) => existsSync(join(dir, f.path)) && describe(dir, f.path).sha256 === f.sha256);
}

/** Step 3: swap the staged run in; returns the manifest written. */
export function commitOutput(out: OutputStaging): Manifest {
  const files = listFiles(out.staging).sort();
  const manifest: Manifest = { format: 'celt-run-manifest', version: 1, created: new Date().toISOString(), files: files.map((f) => describe(out.staging, f)) };
  const fresh = readdirSync(out.staging);
  const previous = readManifest(out.dir)?.files.map((f) => f.path.split('/')[0]!) ?? [];
  const replaced = [...new Set([MANIFEST, ...previous, ...RUN_FILES, ...fresh])].filter((n) => existsSync(join(out.dir, n)));
  const old = join(out.dir, `${OLD}${process.pid}`);
  mkdirSync(old, { recursive: true });
  // From here to the manifest's rename everything is synchronous: a SIGINT handler cannot run
  // in between, so an interrupt lands before (old folder complete) or after (new one complete).
  for (const n of replaced) renameSync(join(out.dir, n), join(old, n));
  for (const n of fresh) renameSync(join(out.staging, n), join(out.dir, n));
  const tmp = join(out.dir, `.${MANIFEST}.${process.pid}.tmp`);
  writeFileSync(tmp, JSON.stringify(manifest, null, 1));
  renameSync(tmp, join(out.dir, MANIFEST));
  rmSync(old, { recursive: true, force: true });
  out.discard();
  return manifest;
}

/** A path in the staging folder as it will be after the commit. */
export function finalPath(out: OutputStaging, stagedPath: string): string {
  return join(out.dir, relative(out.staging, stagedPath));
}

/**
 * The project config `celt.json`: what `celt run` needs to go from DFT files to a judged
 * cluster expansion. Plain JSON (so any tool can read and write it); a key starting with "_"
 * is a comment anywhere in the file, which is how `celt init` documents each section.
 *
 * Only `prim` and `data` are required in a user config: every other key has the default the
 * embedded lmo_drx demo uses. Relative paths resolve against the config file's folder.
 * Keys, types, defaults and meanings are defined once, in config-schema.ts.
 */
import { existsSync } from 'node:fs';
import { dirname, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { InputError, OptionError } from '../core/errors.ts';
import { readJsonFile } from '../core/files.ts';
import { parseGrid } from '../fit/selection/search.ts';
import { type CvSpec, parseCv } from '../fit/selection/splits.ts';
import { validateCutoffs } from '../space/cutoffs.ts';
import { CONFIG_SCHEMA, CONVERGENCE, DEFAULT_GRID, DEFAULT_METHOD, FIT, MAPPING, MC, parseRawConfig, type RawConfig, SPACE, THERMO, documentedKeys, sectionComment } from './config-schema.ts';

export type { CvSpec };

export type SpaceConfig = Omit<RawConfig['space'], 'cutoffs'> & {
  /** Cluster size (2 = pairs, …) → maximum site–site distance in Å. */
  cutoffs: Record<number, number>;
};
export type MappingConfig = RawConfig['mapping'];
export type ThermoConfig = RawConfig['thermo'];
/** The optional Monte Carlo block; absent = no sampling. */
export type McConfig = NonNullable<RawConfig['mc']>;
export type ConvergenceConfig = RawConfig['convergence'];
export type FitConfig = Omit<RawConfig['fit'], 'grid' | 'cv'> & {
  /** Hyperparameter name → values to search (expanded from "lo:hi:n:log" specs). */
  grid: Record<string, number[]>;
  cv: CvSpec;
};

export interface CeltConfig {
  /** The config file, or undefined for the built-in defaults. */
  file?: string;
  prim: string;
  data: string[];
  space: SpaceConfig;
  mapping: MappingConfig;
  fit: FitConfig;
  thermo: ThermoConfig;
  mc?: McConfig;
  convergence: ConvergenceConfig;
  output: string;
}

/** The repository's embedded data folder (data/ beside src/). */
export const DATA_DIR = resolve(dirname(fileURLToPath(import.meta.url)), '../../data');

/** Expand one grid entry with the search module's syntax ("lo:hi:n[:log|lin]", log by default, or a list). */
export function parseGridSpec(spec: string | number[], field: string, file?: string): number[] {
  if (Array.isArray(spec)) return [...spec];
  try {
    return parseGrid(`${field.split('.').at(-1)}=${spec}`).values;
  } catch (e) {
    if (e instanceof OptionError) throw new OptionError(`${e.message} (e.g. "1e-6:1e-1:11:log")`, { file, field });
    throw e;
  }
}

export function parseCvSpec(text: string, file?: string): CvSpec {
  try {
    return parseCv(text);
  } catch (e) {
    if (e instanceof OptionError) throw new OptionError(e.message.replace('--cv', 'fit.cv'), { file, field: 'fit.cv' });
    throw e;
  }
}

export function cvToText(cv: CvSpec): string {
  return cv.kind === 'kfold' ? `kfold:${cv.k}${cv.ordered ? ':ordered' : ''}` : cv.kind === 'shuffle' ? `shuffle:${cv.n}:${cv.testFraction}` : 'loo';
}

/**
 * Turn a raw JSON object into a checked config. `baseDir` anchors relative paths; `file` is
 * named in errors. Defaults fill every optional key.
 */
export function configFromObject(raw: unknown, baseDir: string, file?: string, requireData = true): CeltConfig {
  const r = parseRawConfig(raw, file);
  if (requireData) {
    for (const key of ['prim', 'data'] as const) {
      if (r[key] === undefined) {
        throw new OptionError(`missing required key '${key}' (${key === 'prim' ? 'the primitive cell file' : 'a list of DFT entry files'}); run \`celt init\` for a template`, { file, field: key });
      }
    }
  }
  const abs = (p: string) => resolve(baseDir, p);
  const gridRaw = r.fit.grid ?? (r.fit.method !== DEFAULT_METHOD ? {} : DEFAULT_GRID);
  const grid: Record<string, number[]> = {};
  for (const [k, val] of Object.entries(gridRaw)) grid[k] = parseGridSpec(val, `fit.grid.${k}`, file);
  const cutoffs: Record<number, number> = {};
  for (const [k, val] of Object.entries(r.space.cutoffs)) cutoffs[Number(k)] = val;
  try {
    validateCutoffs(Object.entries(cutoffs).map(([k, val]) => [Number(k), val]));
  } catch (e) {
    if (e instanceof OptionError) {
      e.location.field = 'space.cutoffs';
      throw e.at({ file });
    }
    throw e;
  }
  if (r.mc && r.mc.supercell === undefined) throw new OptionError("the mc block needs 'supercell' (N or \"a b c,d e f,g h i\")", { file, field: 'mc.supercell' });
  return {
    ...(r.mc ? { mc: r.mc } : {}),
    file,
    prim: abs(r.prim ?? resolve(DATA_DIR, 'lmo_drx/prim.json')),
    data: (r.data ?? [resolve(DATA_DIR, 'lmo_drx/entries.json.gz')]).map(abs),
    space: { ...r.space, cutoffs },
    mapping: r.mapping,
    fit: { method: r.fit.method, params: r.fit.params, grid, cv: parseCvSpec(r.fit.cv, file), seed: r.fit.seed, learningCurve: r.fit.learningCurve, learningCurveRepeats: r.fit.learningCurveRepeats, groupDuplicates: r.fit.groupDuplicates },
    thermo: r.thermo,
    convergence: r.convergence,
    output: abs(r.output),
  };
}

/** The built-in demo: the embedded lmo_drx dataset, output in ./celt-out. */
export function defaultConfig(cwd = process.cwd()): CeltConfig {
  return configFromObject({}, cwd, undefined, false);
}

export function loadConfig(path: string): CeltConfig {
  const file = resolve(path);
  if (!existsSync(file)) throw new InputError(`config file not found (create one with \`celt init --out ${path}\`)`, { file: path });
  // the shared reader: line numbers, NaN literals named, directories and gzip handled, nesting bounded
  const raw = readJsonFile(file);
  return configFromObject(raw, dirname(file), path);
}

/** Check that every input file exists before any work starts (fail in a second, not after a minute). */
export function checkInputFiles(cfg: CeltConfig): void {
  const where = cfg.file;
  if (!existsSync(cfg.prim)) throw new InputError(`primitive cell file not found: ${cfg.prim}`, { file: where, field: 'prim' });
  cfg.data.forEach((p, i) => {
    if (!existsSync(p)) throw new InputError(`data file not found: ${p}`, { file: where, field: `data[${i}]` });
  });
}

/** Defaults of one section, from the schema. */
function sectionDefaults(schema: typeof SPACE | typeof MAPPING | typeof FIT | typeof THERMO | typeof MC | typeof CONVERGENCE): Record<string, unknown> {
  return Object.fromEntries(documentedKeys(schema).map((k) => [k.path, k.path === 'grid' ? DEFAULT_GRID : k.default]));
}

/** The documented template `celt init` writes, generated from the schema. */
export function configTemplate(): Record<string, unknown> {
  const top = Object.fromEntries(documentedKeys(CONFIG_SCHEMA).filter((k) => !k.path.includes('.')).map((k) => [k.path, k]));
  return {
    _comment: sectionComment(CONFIG_SCHEMA),
    prim: 'prim.json',
    _prim: top.prim!.doc.meaning,
    data: ['entries.json'],
    _data: top.data!.doc.meaning,
    space: { _comment: sectionComment(SPACE), ...sectionDefaults(SPACE) },
    mapping: { _comment: sectionComment(MAPPING), ...sectionDefaults(MAPPING) },
    fit: { _comment: sectionComment(FIT), ...sectionDefaults(FIT) },
    thermo: { _comment: sectionComment(THERMO), ...sectionDefaults(THERMO) },
    // a comment key: renaming it to "mc" turns sampling on
    _mc: { _comment: sectionComment(MC), ...sectionDefaults(MC), supercell: 4, composition: 'Li+=0.5' },
    convergence: { _comment: sectionComment(CONVERGENCE), ...sectionDefaults(CONVERGENCE) },
    output: top.output!.default,
    _output: 'Folder for model.json, report.html, figures and tables.',
  };
}

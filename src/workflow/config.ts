/**
 * The project config `celt.json`: what `celt run` needs to go from DFT files to a judged
 * cluster expansion. Plain JSON (so any tool can read and write it); a key starting with "_"
 * is a comment anywhere in the file, which is how `celt init` documents each section.
 *
 * Only `prim` and `data` are required in a user config: every other key has the default the
 * embedded lmo_drx demo uses. Relative paths resolve against the config file's folder.
 */
import { readFileSync, existsSync } from 'node:fs';
import { dirname, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { InputError, OptionError, ParseError } from '../core/errors.ts';
import { BASIS_NAMES, type BasisName } from '../space/basis.ts';
import { validateCutoffs } from '../space/cutoffs.ts';
import { parseCv, type CvSpec } from '../fit/selection/splits.ts';
import { parseGrid } from '../fit/selection/search.ts';
import { check, type Node } from './schema.ts';

export type { CvSpec };


export interface SpaceConfig {
  /** Cluster size (2 = pairs, …) → maximum site–site distance in Å. */
  cutoffs: Record<number, number>;
  basis: BasisName;
  orthonormal: boolean;
  /** Measure the basis is orthonormal under: uniform, or the prim's site concentrations. */
  measure: 'uniform' | 'concentration';
  ewald: boolean;
}

export interface MappingConfig {
  ltol: number;
  stol: number;
  angleTol: number;
  /** Species whose count fixes the supercell size ("O2-"), "num_sites", "volume", or a number of prim cells. */
  supercellSize: string | number;
  /** "standard" (StructureMatcher-like) or "anion-framework" (seed 001: anions first, cations by cage). */
  mode: 'standard' | 'anion-framework';
}

export interface FitConfig {
  method: string;
  /** Fixed method parameters; checked by the method registry when the estimator is made. */
  params: Record<string, unknown>;
  /** Hyperparameter name → values to search (expanded from "lo:hi:n:log" specs). */
  grid: Record<string, number[]>;
  cv: CvSpec;
  seed: number;
  learningCurve: boolean;
}

export interface ThermoConfig {
  /** Compositions (formulas) spanning the formation-energy simplex; null = chosen from the data. */
  endMembers: string[] | null;
  /** Intercalating species for the voltage profile (e.g. "Li"); null = no voltage. */
  ion: string | null;
  /** Energy per atom of the ion's reference (metal), eV; required for a voltage profile. */
  ionRefEnergy: number | null;
}

export interface CeltConfig {
  /** The config file, or undefined for the built-in defaults. */
  file?: string;
  prim: string;
  data: string[];
  space: SpaceConfig;
  mapping: MappingConfig;
  fit: FitConfig;
  thermo: ThermoConfig;
  output: string;
}

/** The repository's embedded data folder (data/ beside src/). */
export const DATA_DIR = resolve(dirname(fileURLToPath(import.meta.url)), '../../data');

const num = (doc: string, extra: Partial<{ min: number; gt: number; max: number }> = {}): Node => ({ kind: 'number', doc, ...extra });

export const CONFIG_SCHEMA: Node = {
  kind: 'object',
  doc: 'celt project config',
  fields: {
    prim: { kind: 'string', doc: 'pymatgen Structure JSON of the disordered primitive cell (partial occupancies = allowed species)' },
    data: { kind: 'array', minItems: 1, of: { kind: 'string', doc: 'file' }, doc: 'DFT entry files (pymatgen ComputedStructureEntry lists; .gz allowed)' },
    space: {
      kind: 'object',
      doc: 'cluster space',
      fields: {
        cutoffs: { kind: 'record', key: /^[2-9]$/, keyDoc: 'a cluster size 2…9', of: num('Å', { gt: 0 }), doc: 'cluster size → max site distance (Å)' },
        basis: { kind: 'string', choices: BASIS_NAMES, doc: 'site basis' },
        orthonormal: { kind: 'boolean', doc: 'orthonormalize the site basis' },
        measure: { kind: 'string', choices: ['uniform', 'concentration'], doc: 'measure for orthonormalization' },
        ewald: { kind: 'boolean', doc: 'add the Ewald electrostatic energy as a feature' },
      },
    },
    mapping: {
      kind: 'object',
      doc: 'structure → lattice mapping',
      fields: {
        ltol: num('fractional length tolerance', { gt: 0 }),
        stol: num('site tolerance (normalized)', { gt: 0 }),
        angleTol: num('angle tolerance, degrees', { gt: 0 }),
        supercellSize: { kind: 'oneOf', options: [{ kind: 'string', doc: 'species key, num_sites or volume' }, { kind: 'integer', min: 1, doc: 'prim cells' }], doc: 'supercell size' },
        mode: { kind: 'string', choices: ['standard', 'anion-framework'], doc: 'mapping algorithm' },
      },
    },
    fit: {
      kind: 'object',
      doc: 'regression',
      fields: {
        method: { kind: 'string', doc: 'fitting method (celt methods)' },
        params: { kind: 'record', of: { kind: 'any', doc: 'value' }, doc: 'fixed method parameters' },
        grid: {
          kind: 'record',
          of: { kind: 'oneOf', options: [{ kind: 'string', doc: 'lo:hi:n[:log]' }, { kind: 'array', minItems: 1, of: num('value'), doc: 'values' }], doc: 'grid' },
          doc: 'hyperparameter grid',
        },
        cv: { kind: 'string', doc: 'kfold:K | shuffle:N:TEST_FRACTION | loo' },
        seed: { kind: 'integer', min: 0, doc: 'random seed for CV splits' },
        learningCurve: { kind: 'boolean', doc: 'compute a learning curve for the report' },
      },
    },
    thermo: {
      kind: 'object',
      doc: 'hull and voltage',
      fields: {
        endMembers: { kind: 'nullable', of: { kind: 'array', minItems: 2, of: { kind: 'string', doc: 'formula' }, doc: 'end members' } },
        ion: { kind: 'nullable', of: { kind: 'string', doc: 'element' } },
        ionRefEnergy: { kind: 'nullable', of: num('eV/atom') },
      },
    },
    output: { kind: 'string', doc: 'output folder' },
  },
};

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
  return cv.kind === 'kfold' ? `kfold:${cv.k}` : cv.kind === 'shuffle' ? `shuffle:${cv.n}:${cv.testFraction}` : 'loo';
}

/** Defaults shared by the built-in demo and by user configs that leave a key out. */
export const DEFAULTS = {
  space: { cutoffs: { 2: 6, 3: 4, 4: 2 }, basis: 'sinusoid', orthonormal: false, measure: 'uniform', ewald: true } as SpaceConfig,
  mapping: { ltol: 0.15, stol: 0.2, angleTol: 15, supercellSize: 'O2-', mode: 'standard' } as MappingConfig,
  fit: { method: 'lasso', params: {}, grid: { alpha: '1e-6:1e-1:11:log' }, cv: 'kfold:5', seed: 0, learningCurve: true },
  thermo: { endMembers: null, ion: null, ionRefEnergy: null } as ThermoConfig,
  output: 'celt-out',
};

// biome-ignore lint/suspicious/noExplicitAny: raw JSON walked key by key; every value is checked by the schema first
type Raw = Record<string, any>;

/**
 * Turn a raw JSON object into a checked config. `baseDir` anchors relative paths; `file` is
 * named in errors. Defaults fill every optional key.
 */
export function configFromObject(raw: unknown, baseDir: string, file?: string, requireData = true): CeltConfig {
  check(CONFIG_SCHEMA, raw, '', file);
  const r = raw as Raw;
  if (requireData) {
    for (const key of ['prim', 'data']) {
      if (r[key] === undefined) {
        throw new OptionError(`missing required key '${key}' (${key === 'prim' ? 'the primitive cell file' : 'a list of DFT entry files'}); run \`celt init\` for a template`, { file, field: key });
      }
    }
  }
  const abs = (p: string) => resolve(baseDir, p);
  const fitRaw: Raw = { ...DEFAULTS.fit, ...(r.fit ?? {}) };
  const gridRaw: Record<string, string | number[]> = r.fit?.grid ?? (r.fit?.method && r.fit.method !== DEFAULTS.fit.method ? {} : DEFAULTS.fit.grid);
  const grid: Record<string, number[]> = {};
  for (const [k, v] of Object.entries(gridRaw)) {
    if (k.startsWith('_')) continue;
    grid[k] = parseGridSpec(v, `fit.grid.${k}`, file);
  }
  const cutoffsRaw: Record<string, number> = r.space?.cutoffs ?? DEFAULTS.space.cutoffs;
  const cutoffs: Record<number, number> = {};
  for (const [k, v] of Object.entries(cutoffsRaw)) if (!k.startsWith('_')) cutoffs[Number(k)] = v;
  try {
    validateCutoffs(Object.entries(cutoffs).map(([k, v]) => [Number(k), v]));
  } catch (e) {
    if (e instanceof OptionError) {
      e.location.field = 'space.cutoffs';
      throw e.at({ file });
    }
    throw e;
  }
  const strip = (o: Raw | undefined): Raw => Object.fromEntries(Object.entries(o ?? {}).filter(([k]) => !k.startsWith('_')));
  return {
    file,
    prim: abs(r.prim ?? resolve(DATA_DIR, 'lmo_drx/prim.json')),
    data: (r.data ?? [resolve(DATA_DIR, 'lmo_drx/entries.json.gz')]).map(abs),
    space: { ...DEFAULTS.space, ...strip(r.space), cutoffs },
    mapping: { ...DEFAULTS.mapping, ...strip(r.mapping) },
    fit: {
      method: fitRaw.method,
      params: strip(fitRaw.params),
      grid,
      cv: parseCvSpec(fitRaw.cv, file),
      seed: fitRaw.seed,
      learningCurve: fitRaw.learningCurve,
    },
    thermo: { ...DEFAULTS.thermo, ...strip(r.thermo) },
    output: abs(r.output ?? DEFAULTS.output),
  };
}

/** The built-in demo: the embedded lmo_drx dataset, output in ./celt-out. */
export function defaultConfig(cwd = process.cwd()): CeltConfig {
  return configFromObject({}, cwd, undefined, false);
}

export function loadConfig(path: string): CeltConfig {
  const file = resolve(path);
  if (!existsSync(file)) throw new InputError(`config file not found (create one with \`celt init --out ${path}\`)`, { file: path });
  let raw: unknown;
  try {
    raw = JSON.parse(readFileSync(file, 'utf8'));
  } catch (e) {
    throw new ParseError(`not valid JSON: ${(e as Error).message}`, { file: path });
  }
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

/** The documented template `celt init` writes. */
export function configTemplate(): Record<string, unknown> {
  return {
    _comment: 'celt project config. Keys starting with "_" are comments. Relative paths are relative to this file. Only prim and data are required; other keys show their defaults.',
    prim: 'prim.json',
    _prim: 'pymatgen Structure JSON of the disordered primitive cell: each site lists its allowed species as partial occupancies (occupancies summing to < 1 allow a vacancy).',
    data: ['entries.json'],
    _data: 'DFT results: files holding a list of pymatgen ComputedStructureEntry dicts (total energy per cell, eV). Gzipped files (.gz) are read directly.',
    space: {
      _comment: 'Cluster space. cutoffs: cluster size -> largest site-site distance in Angstrom. basis: sinusoid | indicator | chebyshev | polynomial | legendre. orthonormal + measure (uniform | concentration = the prim occupancies): orthonormalize the site basis. ewald: add the electrostatic energy as a feature (ionic systems; needs oxidation states).',
      ...DEFAULTS.space,
    },
    mapping: {
      _comment: 'Mapping relaxed structures onto the lattice. ltol/stol/angleTol as in pymatgen StructureMatcher (angleTol in degrees). supercellSize: species whose count fixes the supercell size (e.g. "O2-"), "num_sites", "volume", or a fixed number of primitive cells. mode: "standard" (StructureMatcher-like) or "anion-framework" (match the anion sublattice, then place cations by their anion cages; maps more distorted ionic structures).',
      ...DEFAULTS.mapping,
    },
    fit: {
      _comment: 'Regression. method: see `celt methods`. params: fixed method parameters. grid: parameter -> "lo:hi:n:log" (log-spaced), "lo:hi:n:lin" (linear) or a list of values; the value with the lowest CV RMSE is used. cv: "kfold:5", "shuffle:50:0.2" (50 random 80/20 splits) or "loo". seed makes the splits reproducible.',
      ...DEFAULTS.fit,
    },
    thermo: {
      _comment: 'Convex hull and voltage. endMembers: formulas spanning the composition space (null = chosen from the data). ion + ionRefEnergy (eV/atom of the metal) enable the voltage profile.',
      ...DEFAULTS.thermo,
    },
    output: DEFAULTS.output,
    _output: 'Folder for model.json, report.html, figures and tables.',
  };
}

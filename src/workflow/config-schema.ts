/**
 * The one definition of the project config `celt.json`: every key's type, range, default and
 * meaning lives here (valibot), and everything else is derived from it — the TypeScript types
 * (RawConfig and the section types in config.ts), the defaults, the `celt init` template and
 * the config table in src/workflow/README.md (`npm run docs:config`).
 *
 * Errors: the first problem becomes one OptionError naming the key path (`fit.grid.alpha`) and
 * the file. A key starting with "_" is a comment at any depth and is removed before checking.
 */
import * as v from 'valibot';
import { OptionError } from '../core/errors.ts';
import { BASIS_NAMES } from '../space/basis.ts';

/** What the README table shows for a key: its type in words and what it means. */
export interface KeyDoc {
  type: string;
  meaning: string;
  /** Shown instead of the default value (e.g. for defaults that depend on other keys). */
  defaultText?: string;
}

/** A documented key with a default: `schema` checks a value, `value` is used when the key is absent. */
function key<const S extends v.GenericSchema, const D extends v.InferInput<S>>(schema: S, value: D, doc: KeyDoc) {
  return v.optional(v.pipe(schema, v.metadata({ doc })), value);
}

/** A documented key without a default (required, or resolved later from other keys). */
function bare<const S extends v.GenericSchema>(schema: S, doc: KeyDoc) {
  return v.optional(v.pipe(schema, v.metadata({ doc })));
}

/** A config section: unknown keys are errors that list the known ones; `comment` documents it in the template. */
function section<const E extends v.ObjectEntries>(entries: E, comment: string) {
  const known = Object.keys(entries).join(', ');
  const obj = v.strictObject(entries, (issue) => {
    // the parent path is not known yet here (issues get their path while bubbling up): parseRawConfig adds it
    if (issue.expected === 'never') return `unknown key '${String(issue.input)}'; known keys: ${known}`;
    return `expected an object, got ${typeName(issue.input)}`;
  });
  return v.pipe(obj, v.metadata({ comment }));
}

const positive = (doc: KeyDoc, value: number) => key(v.pipe(v.number(), v.gtValue(0)), value, doc);

export const SPACE = section(
  {
    cutoffs: key(
      v.record(v.pipe(v.string(), v.regex(/^[2-9]$/, (i) => `bad key '${String(i.input)}': expected a cluster size 2…9`)), v.pipe(v.number(), v.gtValue(0))),
      { 2: 6, 3: 4, 4: 2 },
      { type: '{size: Å}', meaning: 'largest site–site distance per cluster size; sizes 2, 3, … without gaps, non-increasing.' },
    ),
    basis: key(v.picklist(BASIS_NAMES), 'sinusoid', { type: 'text', meaning: '`sinusoid`, `indicator`, `chebyshev`, `polynomial`, `legendre`.' }),
    orthonormal: key(v.boolean(), false, { type: 'bool', meaning: 'orthonormalize the site basis.' }),
    measure: key(v.picklist(['uniform', 'concentration']), 'uniform', { type: 'text', meaning: "measure for orthonormalization: `uniform` or `concentration` (the prim's occupancies)." }),
    ewald: key(v.boolean(), true, { type: 'bool', meaning: 'add the Ewald electrostatic energy (formal charges) as one more feature.' }),
  },
  'Cluster space. cutoffs: cluster size -> largest site-site distance in Angstrom. basis: sinusoid | indicator | chebyshev | polynomial | legendre. orthonormal + measure (uniform | concentration = the prim occupancies): orthonormalize the site basis. ewald: add the electrostatic energy as a feature (ionic systems; needs oxidation states).',
);

export const MAPPING = section(
  {
    ltol: positive({ type: 'number', meaning: 'StructureMatcher-style fractional length tolerance.' }, 0.15),
    stol: positive({ type: 'number', meaning: 'StructureMatcher-style site tolerance (normalized by (V/N)^⅓).' }, 0.2),
    angleTol: positive({ type: 'number', meaning: 'StructureMatcher-style angle tolerance, degrees.' }, 15),
    supercellSize: key(
      v.union([v.string(), v.pipe(v.number(), v.integer(), v.minValue(1))], (i) => `expected text or an integer ≥ 1, got ${typeName(i.input)}`),
      'O2-',
      { type: 'text or integer', meaning: 'species whose count fixes the supercell size (a shared site counts its species together: `"O2-,F-"`), `"num_sites"`, `"volume"`, or a number of prim cells.' },
    ),
    mode: key(v.picklist(['standard', 'anion-framework']), 'standard', { type: 'text', meaning: '`standard` (StructureMatcher-like) or `anion-framework` (seed 001: anions first, cations by their anion cages).' }),
  },
  'Mapping relaxed structures onto the lattice. ltol/stol/angleTol as in pymatgen StructureMatcher (angleTol in degrees). supercellSize: species whose count fixes the supercell size (e.g. "O2-"; a mixed anion site: "O2-,F-"), "num_sites", "volume", or a fixed number of primitive cells. mode: "standard" (StructureMatcher-like) or "anion-framework" (match the anion sublattice, then place cations by their anion cages; maps more distorted ionic structures).',
);

/** The default search of the default method (a different method gets no default grid). */
export const DEFAULT_METHOD = 'lasso';
export const DEFAULT_GRID = { alpha: '1e-6:1e-1:11:log' };

export const FIT = section(
  {
    method: key(v.string(), DEFAULT_METHOD, { type: 'text', meaning: 'any registered method (`celt methods`).' }),
    params: key(v.record(v.string(), v.unknown()), {}, { type: 'object', meaning: "fixed method parameters, checked against the method's spec." }),
    grid: bare(v.record(v.string(), v.union([v.string(), v.pipe(v.array(v.number()), v.minLength(1))], (i) => `expected text or a list of numbers, got ${typeName(i.input)}`)), {
      type: '{param: spec}',
      meaning: 'searched parameters: `"lo:hi:n:log"`, `"lo:hi:n:lin"` or a list; Cartesian product; lowest CV RMSE wins. Default grid only applies to the default method.',
      defaultText: `\`${JSON.stringify(DEFAULT_GRID)}\``,
    }),
    cv: key(v.string(), 'kfold:5', { type: 'text', meaning: '`kfold:K`, `shuffle:N:TEST_FRACTION` (seed 001 uses `shuffle:50:0.2`), `loo`.' }),
    seed: key(v.pipe(v.number(), v.integer(), v.minValue(0)), 0, { type: 'integer', meaning: 'seeds the CV splits and the learning-curve subsets.' }),
    learningCurve: key(v.boolean(), true, { type: 'bool', meaning: 'compute the learning curve for the report.' }),
    learningCurveRepeats: key(v.pipe(v.number(), v.integer(), v.minValue(1), v.maxValue(1000)), 20, { type: 'integer', meaning: 'random held-out sets per learning-curve size (median and spread over them).' }),
    groupDuplicates: key(v.boolean(), true, {
      type: 'bool',
      meaning: 'entries with identical correlation vectors stay on one side of every CV split and learning-curve split (a twin in training makes the CV optimistic); false gives plain splits.',
    }),
  },
  'Regression. method: see `celt methods`. params: fixed method parameters. grid: parameter -> "lo:hi:n:log" (log-spaced), "lo:hi:n:lin" (linear) or a list of values; the value with the lowest CV RMSE is used. cv: "kfold:5", "shuffle:50:0.2" (50 random 80/20 splits) or "loo". seed makes the splits reproducible.',
);

export const THERMO = section(
  {
    endMembers: key(v.nullable(v.pipe(v.array(v.string()), v.minLength(2))), null, { type: 'list of formulas or null', meaning: 'composition axes of the hull (e.g. `["Li2O", "MnO", "MnO2"]`); null = the elements (energies per atom).' }),
    ion: key(v.nullable(v.string()), null, { type: 'text or null', meaning: 'intercalating element for the voltage profile (only when every structure is host + ion).' }),
    ionRefEnergy: key(v.nullable(v.number()), null, { type: 'number or null', meaning: "the ion's reference energy (eV/atom) for the voltage profile." }),
  },
  'Convex hull and voltage. endMembers: formulas spanning the composition space (null = chosen from the data). ion + ionRefEnergy (eV/atom of the metal) enable the voltage profile.',
);

const count = (min: number, value: number, doc: KeyDoc) => key(v.pipe(v.number(), v.integer(), v.minValue(min)), value, doc);

export const MC = section(
  {
    supercell: bare(v.union([v.string(), v.pipe(v.number(), v.integer(), v.minValue(1))], (i) => `expected text or an integer ≥ 1, got ${typeName(i.input)}`), {
      type: 'text or integer',
      meaning: 'Monte Carlo supercell: N (= N·I) or `"a b c,d e f,g h i"` (rows in prim units); required in the block.',
    }),
    ensemble: key(v.picklist(['canonical', 'semigrand', 'charge-neutral', 'anneal']), 'canonical', { type: 'text', meaning: '`canonical`, `semigrand`, `charge-neutral` (ionic systems with Ewald) or `anneal` (Wang–Landau: `celt mc`).' }),
    T: key(v.pipe(v.array(v.pipe(v.number(), v.gtValue(0))), v.minLength(1)), [300, 600, 900, 1200], { type: 'list of K', meaning: 'temperatures, one chain each (anneal: the schedule ends at the last).' }),
    mu: key(v.array(v.record(v.string(), v.number())), [], { type: 'list of {species: eV}', meaning: 'chemical-potential conditions for the semigrand ensembles (eV per atom; one μ per species).' }),
    composition: bare(v.string(), { type: 'text', meaning: 'starting composition `SPECIES[@k]=fraction,…` (random arrangement, charge-balanced where needed); required in the block.' }),
    steps: count(1, 100_000, { type: 'integer', meaning: 'production steps per condition (one step = one proposed move).' }),
    warmup: count(0, 10_000, { type: 'integer', meaning: 'steps discarded before sampling (equilibration is also detected).' }),
    thin: count(1, 100, { type: 'integer', meaning: 'sample every this many steps.' }),
    seed: count(0, 0, { type: 'integer', meaning: 'seed of every chain (same seed, same result with any number of threads).' }),
    path: key(v.boolean(), false, { type: 'bool', meaning: 'run the conditions as one path (each starts from the previous final state: heating, cooling, μ scans).' }),
  },
  'Optional: sample the fitted model by Monte Carlo (what `celt mc` does) and write it to OUTPUT/mc/. Remove the leading underscore of "_mc" to enable. supercell: N or "a b c,d e f,g h i"; ensemble: canonical | semigrand | charge-neutral | anneal; T in K; mu: list of {species: eV}; composition: starting composition, e.g. "Li+=0.5,Mn3+@1=0.5".',
);

export const CONVERGENCE = section(
  {
    maxCvRmse: key(v.nullable(v.pipe(v.number(), v.gtValue(0))), null, { type: 'number or null', meaning: 'largest acceptable CV RMSE, eV per prim cell (null: not checked).' }),
    maxCvChange: key(v.pipe(v.number(), v.minValue(0)), 0.1, { type: 'number', meaning: 'largest relative change of the CV RMSE from the previous round ("stable").' }),
    maxEciChange: key(v.pipe(v.number(), v.minValue(0)), 0.1, { type: 'number', meaning: 'largest ECI change ‖J_k − J_{k−1}‖/‖J_k‖ from the previous round.' }),
    groundStates: key(v.boolean(), true, { type: 'bool', meaning: 'require every DFT ground state reproduced and none spurious.' }),
    minRounds: key(v.pipe(v.number(), v.integer(), v.minValue(1)), 2, { type: 'integer', meaning: 'rounds needed before convergence can be declared.' }),
  },
  'Convergence over rounds (OUTPUT/rounds.json records which entries came in which run). The report\'s Convergence section says converged when every criterion holds: CV RMSE below maxCvRmse (eV/prim; null = not checked) and within maxCvChange of the previous round, ECI change below maxEciChange, DFT ground states reproduced (groundStates), at least minRounds rounds.',
);

export const CONFIG_SCHEMA = section(
  {
    prim: bare(v.string(), { type: 'path', meaning: 'pymatgen `Structure` JSON of the disordered primitive cell (partial occupancies = allowed species; a sum < 1 allows a vacancy). CIF/POSCAR also read; `.gz` allowed.' }),
    data: bare(v.pipe(v.array(v.string()), v.minLength(1)), { type: 'list of paths', meaning: 'DFT entries: lists of pymatgen `ComputedStructureEntry` dicts (total energy per cell, eV); `.gz` allowed.' }),
    space: v.optional(SPACE, {}),
    mapping: v.optional(MAPPING, {}),
    fit: v.optional(FIT, {}),
    thermo: v.optional(THERMO, {}),
    mc: v.optional(MC),
    convergence: v.optional(CONVERGENCE, {}),
    output: key(v.string(), 'celt-out', { type: 'path', meaning: 'output folder.' }),
  },
  'celt project config. Keys starting with "_" are comments. Relative paths are relative to this file. Only prim and data are required; other keys show their defaults.',
);

/** The checked config as JSON gives it, defaults filled (paths, grid and cv not yet resolved). */
export type RawConfig = v.InferOutput<typeof CONFIG_SCHEMA>;

export function typeName(x: unknown): string {
  if (x === null) return 'null';
  if (Array.isArray(x)) return 'a list';
  return typeof x === 'string' ? `text "${x}"` : typeof x === 'object' ? 'an object' : `${typeof x} ${String(x)}`;
}

/** Messages for the issues no schema above words itself. */
function describeIssue(issue: v.BaseIssue<unknown>): string {
  const got = typeName(issue.input);
  const req = (issue as { requirement?: unknown }).requirement;
  switch (issue.type) {
    case 'number':
      return `expected a number, got ${got}`;
    case 'integer':
      return `expected an integer, got ${String(issue.input)}`;
    case 'min_value':
      return `must be ≥ ${String(req)}, got ${String(issue.input)}`;
    case 'gt_value':
      return `must be > ${String(req)}, got ${String(issue.input)}`;
    case 'boolean':
      return `expected true or false, got ${got}`;
    case 'string':
      return `expected text, got ${got}`;
    case 'picklist':
      // issue.expected reads ("a" | "b")
      return `expected one of ${issue.expected?.replace(/^\(|\)$/g, '').split(' | ').join(', ')}, got ${got}`;
    case 'array':
      return `expected a list, got ${got}`;
    case 'min_length':
      return `needs at least ${String(req)} item(s)`;
    case 'record':
    case 'strict_object':
      return `expected an object, got ${got}`;
    default:
      return `${issue.message} (got ${got})`;
  }
}

function keyPath(issue: v.BaseIssue<unknown>): string {
  let out = '';
  for (const item of issue.path ?? []) out += typeof item.key === 'number' ? `[${item.key}]` : out ? `.${String(item.key)}` : String(item.key);
  return out;
}

/** Remove "_" comment keys at any depth (inside objects; values of other types are kept). */
function stripComments(x: unknown): unknown {
  if (Array.isArray(x)) return x.map(stripComments);
  if (x === null || typeof x !== 'object') return x;
  return Object.fromEntries(Object.entries(x).filter(([k]) => !k.startsWith('_')).map(([k, val]) => [k, stripComments(val)]));
}

/** Check a raw JSON config and fill its defaults; the first problem is an OptionError naming its key path. */
export function parseRawConfig(raw: unknown, file?: string): RawConfig {
  const r = v.safeParse(CONFIG_SCHEMA, stripComments(raw), { abortEarly: true, message: describeIssue });
  if (r.success) return r.output;
  const issue = r.issues[0];
  const path = keyPath(issue);
  let message = issue.message;
  if (issue.type === 'strict_object' && issue.expected === 'never' && path.includes('.')) {
    message = message.replace(/^(unknown key '[^']*')/, `$1 in '${path.slice(0, path.lastIndexOf('.'))}'`);
  }
  throw new OptionError(message, { file, field: path || '(top level)' });
}

/** Each documented key of a section with its default, in schema order (for the template and the README table). */
export function documentedKeys(schema: v.GenericSchema, prefix = ''): Array<{ path: string; doc: KeyDoc; default: unknown }> {
  const obj = unwrap(schema) as { entries?: Record<string, v.GenericSchema> };
  const out: Array<{ path: string; doc: KeyDoc; default: unknown }> = [];
  for (const [name, entry] of Object.entries(obj.entries ?? {})) {
    const path = prefix ? `${prefix}.${name}` : name;
    const doc = v.getMetadata(unwrap(entry) as v.GenericSchema).doc as KeyDoc | undefined;
    if (doc) out.push({ path, doc, default: v.getDefault(entry as v.OptionalSchema<v.GenericSchema, unknown>) });
    else out.push(...documentedKeys(entry, path));
  }
  return out;
}

/** The schema under optional() wrappers (pipes keep their metadata). */
function unwrap(s: unknown): unknown {
  let cur = s as { type?: string; wrapped?: unknown; pipe?: unknown[] };
  while (cur.type === 'optional' && cur.wrapped) cur = cur.wrapped as typeof cur;
  if (cur.pipe) return { ...(cur.pipe[0] as object), pipe: cur.pipe };
  return cur;
}

/** The template comment of a section schema (its `section(…, comment)`). */
export function sectionComment(schema: v.GenericSchema): string {
  return (v.getMetadata(unwrap(schema) as v.GenericSchema).comment as string | undefined) ?? '';
}

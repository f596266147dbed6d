/**
 * Loading a regression problem (feature matrix X, targets y, optional groups, hierarchy and
 * sample weights) from the files `celt fit` / `celt search` accept:
 *
 * - a celt TrainingSet JSON: `{ featureNames, groups?, hierarchy?, X, energy, weights? }`;
 * - a plain JSON: `{ "X": [[…]], "y": […], "groups"?, "weights"?, "featureNames"? }`;
 * - a CSV with a header row: the target is the column named `y` (else `energy`, else the last
 *   column); a column named `weight` (or `weights`) holds sample weights;
 * - a pair of NumPy files `X.npy,y.npy` (2-D X, 1-D y).
 *
 * Conventions (documented choices):
 * - Constant first column. CE feature vectors start with the empty-cluster correlation (all 1).
 *   When the first column is exactly constant it is removed and the fit uses an intercept
 *   instead; `constantColumn` records its name and value so the intercept can be mapped back to
 *   that column's ECI (ECI₀ = intercept / value). Fitting the column as a penalized feature
 *   would shrink the mean energy, which no CE user wants. With `fit_intercept=false` the
 *   column stays a feature (`keepConstantFirst`), so the constant is still fitted.
 * - Other constant columns carry no information once an intercept is fitted. The default
 *   (`onConstant: 'warn'`) keeps them (every method gives them a zero coefficient after
 *   centering, or the minimum-norm share) and lists them in `warnings`; `'error'` rejects the
 *   file, `'drop'` removes them (and records which).
 * - NaN/Inf anywhere, ragged rows, X/y length mismatch, no samples or no features: InputError
 *   naming the file and field.
 */
import { readFileBytes, readTextFile } from '../core/files.ts';
import { InputError, ParseError } from '../core/errors.ts';
import { Mat } from '../core/matrix.ts';
import { parseNpy } from './npy.ts';
import { parseCsv, parseDecimal } from './table.ts';

export interface Dataset {
  X: Mat;
  y: Float64Array;
  featureNames: string[];
  groups?: Int32Array;
  hierarchy?: Array<[number, number]>;
  weights?: Float64Array;
  /** Where it came from (file name(s)), for error messages and reports. */
  source: string;
  /** The removed constant first column (see module doc), if any. */
  constantColumn?: { name: string; value: number };
  /** Constant columns dropped by onConstant: 'drop' (names). */
  droppedColumns: string[];
  warnings: string[];
}

export interface LoadOptions {
  onConstant?: 'warn' | 'error' | 'drop';
  /**
   * Keep a constant first column as an ordinary feature instead of removing it: what a fit
   * without an intercept needs (smol users fit `fit_intercept=False` on Π with its constant
   * column), else it would fit no constant at all.
   */
  keepConstantFirst?: boolean;
}

export function loadDataset(spec: string, opts: LoadOptions = {}): Dataset {
  const parts = spec.split(',').map((s) => s.trim()).filter(Boolean);
  let raw: RawData;
  // The format is told by the name without a trailing .gz: any file may be gzip-compressed.
  const ext = (p: string) => p.toLowerCase().replace(/\.gz$/, '').split('.').pop();
  if (parts.length === 2 && parts.every((p) => ext(p) === 'npy')) raw = readNpyPair(parts[0]!, parts[1]!);
  else if (parts.length !== 1) throw new InputError(`--data takes one file or two .npy files 'X.npy,y.npy', got '${spec}'`, { field: 'data' });
  else if (ext(spec) === 'npy') throw new InputError(`a .npy X needs its targets too: --data X.npy,y.npy`, { file: spec });
  else if (ext(spec) === 'csv') raw = readRegressionCsv(spec);
  else raw = readJsonData(spec);
  return finishDataset(raw, opts);
}

/** Build a Dataset from in-memory arrays with the same validation as files. */
export function datasetFromArrays(X: number[][] | Mat, y: ArrayLike<number>, extra: Partial<RawData> = {}, opts: LoadOptions = {}): Dataset {
  const source = extra.source ?? '<arrays>';
  const mat = X instanceof Mat ? X : matFromRows(X, source, 'X');
  return finishDataset({ source, X: mat, y: Float64Array.from(y), ...extra, trainingSet: extra.trainingSet ?? false } as RawData, opts);
}

interface RawData {
  source: string;
  X: Mat;
  y: Float64Array;
  featureNames?: string[];
  groups?: Int32Array;
  hierarchy?: Array<[number, number]>;
  weights?: Float64Array;
  trainingSet: boolean;
}

function readNpyPair(xFile: string, yFile: string): RawData {
  const xa = parseNpy(readFileBytes(xFile), xFile);
  const ya = parseNpy(readFileBytes(yFile), yFile);
  if (xa.shape.length !== 2) throw new InputError(`X must be 2-D, got shape (${xa.shape.join(', ')})`, { file: xFile });
  const yLen = ya.shape.length === 1 ? ya.shape[0]! : ya.shape.length === 2 && ya.shape[1] === 1 ? ya.shape[0]! : -1;
  if (yLen < 0) throw new InputError(`y must be 1-D, got shape (${ya.shape.join(', ')})`, { file: yFile });
  return { source: `${xFile},${yFile}`, X: new Mat(xa.shape[0]!, xa.shape[1]!, xa.data), y: ya.data, trainingSet: false };
}

function matFromRows(rows: unknown, file: string, field: string): Mat {
  if (!Array.isArray(rows)) throw new InputError(`'${field}' must be an array of rows`, { file, field });
  const n = rows.length;
  const p = n && Array.isArray(rows[0]) ? (rows[0] as unknown[]).length : 0;
  const m = new Mat(n, p);
  for (let i = 0; i < n; i++) {
    const r = rows[i];
    if (!Array.isArray(r)) throw new InputError(`row ${i} is not an array`, { file, field, entry: i });
    if (r.length !== p) throw new InputError(`row ${i} has ${r.length} values, expected ${p} (shape mismatch)`, { file, field, entry: i });
    for (let j = 0; j < p; j++) {
      const v = r[j];
      if (typeof v !== 'number') throw new InputError(`row ${i}, column ${j}: expected a number, got ${JSON.stringify(v)}`, { file, field, entry: i });
      m.data[i * p + j] = v;
    }
  }
  return m;
}

function numberArray(v: unknown, file: string, field: string): Float64Array {
  if (!Array.isArray(v)) throw new InputError(`'${field}' must be an array of numbers`, { file, field });
  const out = new Float64Array(v.length);
  v.forEach((x, i) => {
    // JSON cannot carry NaN/Infinity; null is what json.dumps-with-allow_nan writers emit for them.
    if (typeof x !== 'number') throw new InputError(`entry ${i}: expected a number, got ${JSON.stringify(x)}`, { file, field, entry: i });
    out[i] = x;
  });
  return out;
}

function readJsonData(file: string): RawData {
  let obj: Record<string, unknown>;
  const text = readTextFile(file);
  try {
    // Python's json.dump writes NaN/Infinity literals; turn them into strings so they are reported, not a parse crash.
    obj = JSON.parse(text.replace(/(?<=[\s,[:])(-?Infinity|NaN)(?=[\s,\]}])/g, '"$1"')) as Record<string, unknown>;
  } catch (e) {
    throw new ParseError(`invalid JSON: ${(e as Error).message}`, { file });
  }
  if (!obj || typeof obj !== 'object' || Array.isArray(obj)) throw new InputError('expected a JSON object with X and y (or energy)', { file });
  // a file that says what it is must say celt's training set, of a version this celt wrote
  if (obj.format !== undefined && obj.format !== 'celt-training-set') throw new InputError(`not a celt training set (format is ${JSON.stringify(obj.format)}); give a TrainingSet from celt featurize, {"X", "y"} JSON, CSV or .npy`, { file, field: 'format' });
  if (obj.format !== undefined && !(Number.isInteger(obj.version) && (obj.version as number) >= 1 && (obj.version as number) <= 2)) throw new InputError(`training-set format version ${JSON.stringify(obj.version ?? null)} is not one this celt reads (1 or 2); featurize again with this celt`, { file, field: 'version' });
  const isTs = obj.energy !== undefined && obj.y === undefined;
  const yField = isTs ? 'energy' : 'y';
  if (obj.X === undefined) throw new InputError(`missing field 'X'`, { file, field: 'X' });
  if (obj[yField] === undefined) throw new InputError(`missing field 'y' (or 'energy' for a TrainingSet)`, { file, field: 'y' });
  const X = matFromRows(obj.X, file, 'X');
  const y = numberArray(obj[yField], file, yField);
  const raw: RawData = { source: file, X, y, trainingSet: isTs };
  if (obj.weights !== undefined && obj.weights !== null) raw.weights = numberArray(obj.weights, file, 'weights');
  if (obj.featureNames !== undefined) {
    if (!Array.isArray(obj.featureNames) || obj.featureNames.some((s) => typeof s !== 'string')) throw new InputError(`'featureNames' must be an array of strings`, { file, field: 'featureNames' });
    raw.featureNames = obj.featureNames as string[];
  }
  if (obj.groups !== undefined && obj.groups !== null) {
    const g = numberArray(obj.groups, file, 'groups');
    if (g.some((v) => !Number.isInteger(v) || v < 0)) throw new InputError(`'groups' must hold non-negative integer group ids`, { file, field: 'groups' });
    raw.groups = Int32Array.from(g);
  }
  if (obj.hierarchy !== undefined && obj.hierarchy !== null) {
    if (!Array.isArray(obj.hierarchy)) throw new InputError(`'hierarchy' must be a list of [child, parent] pairs`, { file, field: 'hierarchy' });
    raw.hierarchy = obj.hierarchy.map((pair, k) => {
      if (!Array.isArray(pair) || pair.length !== 2 || !pair.every((v) => Number.isInteger(v) && v >= 0)) {
        throw new InputError(`hierarchy entry ${k} must be [child, parent] column indices`, { file, field: 'hierarchy', entry: k });
      }
      return [pair[0], pair[1]] as [number, number];
    });
  }
  return raw;
}

function readRegressionCsv(file: string): RawData {
  const text = readTextFile(file);
  if (!text.split(/\r?\n/).some((l) => l.trim() !== '' && !l.trim().startsWith('#'))) throw new InputError('CSV file is empty', { file });
  const { header, rows, lines } = parseCsv(text, file);
  if (header.some((h) => Number.isFinite(Number(h)))) throw new InputError(`CSV needs a header row of column names; first row is '${header.join(',')}'`, { file, line: 1 });
  const lower = header.map((h) => h.toLowerCase());
  let yCol = lower.indexOf('y');
  if (yCol < 0) yCol = lower.indexOf('energy');
  if (yCol < 0) yCol = header.length - 1;
  let wCol = lower.indexOf('weight');
  if (wCol < 0) wCol = lower.indexOf('weights');
  const featCols = header.map((_, j) => j).filter((j) => j !== yCol && j !== wCol);
  const n = rows.length;
  const X = new Mat(n, featCols.length);
  const y = new Float64Array(n);
  const w = wCol >= 0 ? new Float64Array(n) : undefined;
  for (let i = 0; i < n; i++) {
    const cells = rows[i]!;
    // Non-finite values are read here and rejected with their position by finishDataset.
    const num = (j: number) => {
      const t = cells[j]!;
      const v = /^[+-]?(nan|inf|infinity)$/i.test(t) ? (t.toLowerCase().includes('nan') ? NaN : t.startsWith('-') ? -Infinity : Infinity) : parseDecimal(t);
      if (Number.isNaN(v) && !/nan/i.test(t)) throw new InputError(`column '${header[j]}': '${t}' is not a number`, { file, line: lines[i], field: header[j] });
      return v;
    };
    featCols.forEach((j, k) => (X.data[i * featCols.length + k] = num(j)));
    y[i] = num(yCol);
    if (w) w[i] = num(wCol);
  }
  return { source: file, X, y, weights: w, featureNames: featCols.map((j) => header[j]!), trainingSet: false };
}

/** Largest |value| accepted: its square times a few thousand rows stays far inside a double. */
const MAX_MAGNITUDE = 1e100;

function finishDataset(raw: RawData, opts: LoadOptions): Dataset {
  const file = raw.source;
  let { X } = raw;
  const { y } = raw;
  const warnings: string[] = [];
  if (X.rows === 0 || y.length === 0) throw new InputError('no samples (empty data)', { file });
  if (X.cols === 0) throw new InputError('no feature columns', { file, field: 'X' });
  if (X.rows !== y.length) throw new InputError(`shape mismatch: X has ${X.rows} rows but there are ${y.length} targets`, { file });
  if (X.rows < 2) throw new InputError(`only ${X.rows} sample: a fit needs at least 2`, { file });
  for (let k = 0; k < X.data.length; k++) {
    if (!Number.isFinite(X.data[k])) {
      throw new InputError(`X has a non-finite value (${X.data[k]}) at row ${Math.floor(k / X.cols)}, column ${k % X.cols}`, { file, field: 'X', entry: Math.floor(k / X.cols) });
    }
    if (Math.abs(X.data[k]!) > MAX_MAGNITUDE) throw new InputError(`X has ${X.data[k]} at row ${Math.floor(k / X.cols)}, column ${k % X.cols}: past ±${MAX_MAGNITUDE}, where squares and XᵀX overflow`, { file, field: 'X', entry: Math.floor(k / X.cols) });
  }
  for (let i = 0; i < y.length; i++) {
    if (!Number.isFinite(y[i])) throw new InputError(`target has a non-finite value (${y[i]}) at row ${i}`, { file, field: 'y', entry: i });
    if (Math.abs(y[i]!) > MAX_MAGNITUDE) throw new InputError(`target ${y[i]} at row ${i} is past ±${MAX_MAGNITUDE}, where squared errors overflow`, { file, field: 'y', entry: i });
  }
  if (raw.weights) {
    if (raw.weights.length !== X.rows) throw new InputError(`shape mismatch: ${raw.weights.length} weights for ${X.rows} samples`, { file, field: 'weights' });
    for (let i = 0; i < raw.weights.length; i++) {
      if (!(raw.weights[i]! >= 0) || !Number.isFinite(raw.weights[i])) throw new InputError(`weight ${i} is ${raw.weights[i]}; weights must be finite and ≥ 0`, { file, field: 'weights', entry: i });
    }
    if (!raw.weights.some((v) => v > 0)) throw new InputError('all sample weights are zero', { file, field: 'weights' });
  }
  let names = raw.featureNames ?? Array.from({ length: X.cols }, (_, j) => `x${j}`);
  if (names.length !== X.cols) throw new InputError(`shape mismatch: ${names.length} feature names for ${X.cols} columns`, { file, field: 'featureNames' });
  let groups = raw.groups;
  if (groups && groups.length !== X.cols) throw new InputError(`shape mismatch: ${groups.length} group ids for ${X.cols} columns`, { file, field: 'groups' });
  let hierarchy = raw.hierarchy;
  hierarchy?.forEach(([c, p], k) => {
    if (c >= X.cols || p >= X.cols) throw new InputError(`hierarchy entry ${k} refers to column ${Math.max(c, p)} of ${X.cols}`, { file, field: 'hierarchy', entry: k });
  });

  const isConst = (j: number) => {
    const v0 = X.data[j]!;
    for (let i = 1; i < X.rows; i++) if (X.data[i * X.cols + j] !== v0) return false;
    return true;
  };
  let keep = Array.from({ length: X.cols }, (_, j) => j);
  let constantColumn: Dataset['constantColumn'];
  if (X.rows > 1 && isConst(0) && X.cols > 1 && opts.keepConstantFirst) {
    warnings.push(`fit_intercept is false: the constant first column '${names[0]}' is kept as a feature (its coefficient is the constant term)`);
  } else if (X.rows > 1 && isConst(0) && X.cols > 1) {
    constantColumn = { name: names[0]!, value: X.data[0]! };
    if (constantColumn.value === 0) warnings.push(`first column '${names[0]}' is identically 0; removed`);
    keep = keep.slice(1);
  }
  const dropped: string[] = [];
  const constCols = X.rows > 1 ? keep.filter((j) => isConst(j) && !(j === 0 && opts.keepConstantFirst)) : [];
  if (constCols.length) {
    const list = constCols.map((j) => `'${names[j]}'`).join(', ');
    const policy = opts.onConstant ?? 'warn';
    if (policy === 'error') throw new InputError(`constant feature column(s) ${list}: they cannot be fitted alongside an intercept`, { file, field: 'X' });
    if (policy === 'drop') {
      keep = keep.filter((j) => !constCols.includes(j));
      dropped.push(...constCols.map((j) => names[j]!));
      warnings.push(`dropped constant column(s) ${list}`);
    } else warnings.push(`constant column(s) ${list} carry no information with an intercept; their coefficients are 0`);
  }
  if (keep.length === 0) throw new InputError('no non-constant feature columns left', { file, field: 'X' });
  if (keep.length !== X.cols) {
    const map = new Int32Array(X.cols).fill(-1);
    keep.forEach((j, k) => (map[j] = k));
    X = X.selectCols(keep);
    names = keep.map((j) => names[j]!);
    if (groups) groups = Int32Array.from(keep, (j) => groups![j]!);
    if (hierarchy) hierarchy = hierarchy.filter(([c, p]) => map[c]! >= 0 && map[p]! >= 0).map(([c, p]) => [map[c]!, map[p]!] as [number, number]);
  }
  const ds: Dataset = { X, y, featureNames: names, source: file, droppedColumns: dropped, warnings };
  if (groups) ds.groups = groups;
  if (hierarchy) ds.hierarchy = hierarchy;
  if (raw.weights) ds.weights = raw.weights;
  if (constantColumn) ds.constantColumn = constantColumn;
  return ds;
}

/**
 * What a fitting method or learner declares (name, kind, snake_case parameters with types,
 * defaults and ranges, factory) and how raw parameters are checked against it — the one place
 * parameters are validated. Method modules call `registerMethod` when they load; everyone else
 * uses a filled registry: fit/registry.ts (every linear method) or learn/registry.ts (that plus
 * the learners of src/learn, which register into this same table; fit never imports learn).
 */
import { OptionError } from '../core/errors.ts';
import type { BaseEstimator, Estimator, ParamValue, Params } from './estimator.ts';

export interface ParamSpec {
  type: 'number' | 'integer' | 'boolean' | 'string' | 'numbers';
  default?: ParamValue;
  min?: number;
  max?: number;
  /** Exclusive lower bound (e.g. alpha > 0). */
  gt?: number;
  choices?: string[];
  description: string;
}

/** Data-derived structure some methods need (group lasso, hierarchy-constrained ℓ0). */
export interface FitContext {
  /** Group (orbit) id per feature column. */
  groups?: Int32Array;
  /** [child, parent] feature-index pairs: child may be nonzero only if parent is. */
  hierarchy?: Array<[number, number]>;
  featureNames?: string[];
  /** Seed of a randomized model (learners' optimizer restarts, MLP initial weights). */
  seed?: number;
}

/**
 * 'linear': an ECI fitting method (src/fit, creates an Estimator); 'regression' /
 * 'classification': a nonlinear learner of src/learn (creates a BaseEstimator).
 */
export type MethodKind = 'linear' | 'regression' | 'classification';

// biome-ignore lint/suspicious/noExplicitAny: the table holds regressors and label classifiers alike
export type AnyEstimator = BaseEstimator<any, any>;

export interface MethodSpec<E extends AnyEstimator = Estimator> {
  name: string;
  /** Omitted = 'linear'. */
  kind?: MethodKind;
  summary: string;
  params: Record<string, ParamSpec>;
  create(params: Params, context: FitContext): E;
  /** Async set-up the method's (synchronous) fit needs, e.g. loading a WebAssembly solver; awaited by prepareMethod. */
  prepare?: () => Promise<void>;
}

const METHODS = new Map<string, MethodSpec<AnyEstimator>>();

export function registerMethod<E extends AnyEstimator>(spec: MethodSpec<E>): void {
  if (METHODS.has(spec.name)) throw new Error(`method '${spec.name}' registered twice`);
  METHODS.set(spec.name, spec);
}

export function kindOf(spec: MethodSpec<AnyEstimator>): MethodKind {
  return spec.kind ?? 'linear';
}

/** The table as filled so far: for the filled registries only (they import every method first). */
export function methodTable(): ReadonlyMap<string, MethodSpec<AnyEstimator>> {
  return METHODS;
}

/** Parse a CLI string ("1e-4", "true", "1,2,3") or pass through a typed value, then check it. */
export function coerceParam(method: string, key: string, spec: ParamSpec, raw: unknown): ParamValue {
  const field = `${method}.${key}`;
  let v: ParamValue;
  switch (spec.type) {
    case 'number':
    case 'integer': {
      const x = typeof raw === 'number' ? raw : typeof raw === 'string' && raw.trim() !== '' ? Number(raw) : NaN;
      if (!Number.isFinite(x)) throw new OptionError(`expected a number, got '${String(raw)}'`, { field });
      if (spec.type === 'integer' && !Number.isInteger(x)) throw new OptionError(`expected an integer, got ${x}`, { field });
      if (spec.min !== undefined && x < spec.min) throw new OptionError(`must be ≥ ${spec.min}, got ${x}`, { field });
      if (spec.max !== undefined && x > spec.max) throw new OptionError(`must be ≤ ${spec.max}, got ${x}`, { field });
      if (spec.gt !== undefined && !(x > spec.gt)) throw new OptionError(`must be > ${spec.gt}, got ${x}`, { field });
      v = x;
      break;
    }
    case 'boolean':
      if (typeof raw === 'boolean') v = raw;
      else if (raw === 'true' || raw === '1') v = true;
      else if (raw === 'false' || raw === '0') v = false;
      else throw new OptionError(`expected true or false, got '${String(raw)}'`, { field });
      break;
    case 'string':
      if (typeof raw !== 'string') throw new OptionError(`expected text, got '${String(raw)}'`, { field });
      if (spec.choices && !spec.choices.includes(raw)) throw new OptionError(`must be one of ${spec.choices.join(', ')}, got '${raw}'`, { field });
      v = raw;
      break;
    case 'numbers': {
      const arr = Array.isArray(raw) ? raw : typeof raw === 'string' ? raw.split(',').map((t) => Number(t)) : [NaN];
      if (arr.some((x) => typeof x !== 'number' || !Number.isFinite(x))) throw new OptionError(`expected comma-separated numbers, got '${String(raw)}'`, { field });
      v = arr as number[];
      break;
    }
  }
  return v;
}

/**
 * Validate raw parameters against a parameter spec, fill defaults, reject unknown names.
 * `kind` names the thing in messages ("method", "model"): the learners reuse this too.
 */
export function resolveParamsWith(kind: string, name: string, specs: Record<string, ParamSpec>, raw: Record<string, unknown>): Params {
  const out: Params = {};
  for (const key of Object.keys(raw)) {
    if (!(key in specs)) {
      throw new OptionError(`unknown parameter '${key}' for ${kind} '${name}'; known: ${Object.keys(specs).join(', ') || '(none)'}`, { field: key });
    }
  }
  for (const [key, ps] of Object.entries(specs)) {
    if (raw[key] !== undefined) out[key] = coerceParam(name, key, ps, raw[key]);
    else if (ps.default !== undefined) out[key] = ps.default;
  }
  return out;
}

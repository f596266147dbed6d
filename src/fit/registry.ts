/**
 * The method registry, filled: importing this module loads every fitting method (each
 * registers its spec on load), so createEstimator/getMethod/listMethods can never see an empty
 * table. The CLI, model selection, learners and the workflow create estimators only through
 * here, so parameter validation and "unknown method" errors live in one place.
 * Add a method: write fit/methods/NAME.ts calling registerMethod, add one import below.
 */
import { OptionError } from '../core/errors.ts';
import type { Estimator, Params } from './estimator.ts';
import { type AnyEstimator, type FitContext, type MethodKind, type MethodSpec, kindOf, methodTable, resolveParamsWith } from './method-spec.ts';
import './methods/ridge.ts';
import './methods/lasso.ts';
import './l0/estimators.ts';
import './methods/bayesian.ts';
import './methods/group-lasso.ts';
import './methods/constrained.ts';
import './methods/greedy.ts';
import './methods/huber.ts';

// The spec types, for callers that use the registry; method modules import method-spec.ts
// directly, so no method module depends on this file at load time.
export type { FitContext, MethodSpec, ParamSpec } from './method-spec.ts';

/**
 * Await the async set-up of a method before fitting with it (HiGHS for 'constrained'); a no-op
 * for the rest and for unknown names (createEstimator reports those). Every entry point that
 * fits a user-chosen method calls this once: CLI commands, the workflow, worker threads.
 */
export async function prepareMethod(name: string): Promise<void> {
  await methodTable().get(name)?.prepare?.();
}

/** Registered specs of the given kinds (default: the linear ECI methods), sorted by name. */
export function listMethods(kinds: MethodKind[] = ['linear']): MethodSpec<AnyEstimator>[] {
  return [...methodTable().values()].filter((s) => kinds.includes(kindOf(s))).sort((a, b) => a.name.localeCompare(b.name));
}

/** Any registered spec (a learner only once learn/registry.ts is loaded); `kinds` restricts it. */
export function getSpec(name: string, kinds: MethodKind[], noun = 'method'): MethodSpec<AnyEstimator> {
  const spec = methodTable().get(name);
  if (!spec || !kinds.includes(kindOf(spec))) {
    const known = listMethods(kinds).map((s) => s.name);
    throw new OptionError(`unknown ${noun} '${name}'; known ${noun}s: ${known.join(', ')}`, { field: noun });
  }
  return spec;
}

/** A linear ECI fitting method (creates an Estimator with coef/intercept). */
export function getMethod(name: string): MethodSpec {
  return getSpec(name, ['linear']) as MethodSpec;
}

export function resolveParams(name: string, raw: Record<string, unknown>): Params {
  return resolveParamsWith('method', name, getMethod(name).params, raw);
}

export function createEstimator(name: string, raw: Record<string, unknown> = {}, context: FitContext = {}): Estimator {
  return getMethod(name).create(resolveParams(name, raw), context);
}

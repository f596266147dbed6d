/**
 * The method registry, filled: importing this module loads every fitting method (each
 * registers its spec on load), so createEstimator/getMethod/listMethods can never see an empty
 * table. The CLI, model selection, learners and the workflow create estimators only through
 * here, so parameter validation and "unknown method" errors live in one place.
 * Add a method: write fit/methods/NAME.ts calling registerMethod, add one import below.
 */
import { OptionError } from '../core/errors.ts';
import type { Estimator, Params } from './estimator.ts';
import { type FitContext, type MethodSpec, methodTable, resolveParamsWith } from './method-spec.ts';
import './methods/ridge.ts';
import './methods/lasso.ts';
import './l0/estimators.ts';
import './methods/bayesian.ts';
import './methods/group-lasso.ts';
import './methods/constrained.ts';
import './methods/greedy.ts';
import './methods/huber.ts';

// l0/estimators.ts imports registerMethod and the spec types from here (its import predates the
// split); re-exported bindings resolve to method-spec.ts, which is evaluated first.
export { type FitContext, type MethodSpec, type ParamSpec, registerMethod } from './method-spec.ts';

export function listMethods(): MethodSpec[] {
  return [...methodTable().values()].sort((a, b) => a.name.localeCompare(b.name));
}

export function getMethod(name: string): MethodSpec {
  const spec = methodTable().get(name);
  if (!spec) throw new OptionError(`unknown method '${name}'; known methods: ${[...methodTable().keys()].sort().join(', ')}`, { field: 'method' });
  return spec;
}

export function resolveParams(name: string, raw: Record<string, unknown>): Params {
  return resolveParamsWith('method', name, getMethod(name).params, raw);
}

export function createEstimator(name: string, raw: Record<string, unknown> = {}, context: FitContext = {}): Estimator {
  return getMethod(name).create(resolveParams(name, raw), context);
}

/** Estimator ⇄ JSON: a saved model is re-created through the registry (validated params) with its coefficients. */
import { InputError } from '../core/errors.ts';
import type { Estimator, EstimatorJSON } from './estimator.ts';
import { createEstimator } from './registry.ts';

export function estimatorFromJSON(json: EstimatorJSON, where = '<model>'): Estimator {
  if (!json || typeof json.method !== 'string') throw new InputError(`model JSON needs a 'method'`, { file: where, field: 'method' });
  if (!Array.isArray(json.coef) || json.coef.some((c) => typeof c !== 'number' || !Number.isFinite(c))) throw new InputError(`'coef' must be an array of finite numbers`, { file: where, field: 'coef' });
  if (typeof json.intercept !== 'number' || !Number.isFinite(json.intercept)) throw new InputError(`'intercept' must be a finite number`, { file: where, field: 'intercept' });
  const est = createEstimator(json.method, json.params ?? {});
  est.coef = Float64Array.from(json.coef);
  est.intercept = json.intercept;
  est.info = { ...(json.info ?? {}), loadedFrom: where };
  return est;
}

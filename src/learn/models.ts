/**
 * Names, parameters and factories of the src/learn models, for `celt learn` and scripts.
 * Parameter validation reuses the fit registry's coercion so `--param k=v` behaves the same
 * for `celt fit` and `celt learn`.
 */
import { OptionError } from '../core/errors.ts';
import type { Params } from '../fit/estimator.ts';
import { resolveParamsWith, type ParamSpec } from '../fit/method-spec.ts';
import { GprRegressor } from './gpr-regressor.ts';
import { GprNn } from './gprnn.ts';
import { LinearRegression } from './linear.ts';
import { LogisticRegression, type Penalty } from './logistic.ts';
import { Mlp } from './mlp.ts';
import type { Regressor } from './regressor.ts';

interface LearnModelSpec {
  kind: 'regression' | 'classification';
  summary: string;
  params: Record<string, ParamSpec>;
}

const gprNnParams: Record<string, ParamSpec> = {
  lengthScale: { type: 'number', default: 1, gt: 0, description: 'RBF length scale l (unit-cube coordinates); start value if optimize' },
  noise: { type: 'number', default: 0.01, gt: 0, description: 'σ² on the diagonal (standardized target); start value if optimize' },
  optimize: { type: 'boolean', default: true, description: 'choose l and σ² by maximum marginal likelihood' },
  restarts: { type: 'integer', default: 0, min: 0, description: 'extra seeded optimizer starts' },
};

export const LEARN_MODELS: Record<string, LearnModelSpec> = {
  linear: { kind: 'regression', summary: 'multiple linear regression with intercept (least squares)', params: {} },
  mlp: {
    kind: 'regression',
    summary: 'one hidden layer of tanh neurons, Levenberg–Marquardt on the SSE',
    params: {
      neurons: { type: 'integer', default: 2, min: 1, description: 'hidden neurons' },
      epochs: { type: 'integer', default: 200, min: 1, description: 'maximum LM iterations' },
      mu: { type: 'number', default: 1e-3, gt: 0, description: 'initial LM damping' },
      decay: { type: 'number', default: 0, min: 0, description: 'L2 weight decay (0 = plain SSE as trainlm)' },
    },
  },
  gpr: {
    kind: 'regression',
    summary: 'Gaussian process regression, standardized inputs, ML-II hyperparameters',
    params: {
      kernel: { type: 'string', default: 'constant*ard:rbf+white', description: "kernel formula, e.g. 'constant*matern52+white'" },
      restarts: { type: 'integer', default: 2, min: 0, description: 'extra seeded optimizer starts' },
      alpha: { type: 'number', default: 1e-10, min: 0, description: 'value added to the kernel diagonal' },
    },
  },
  'additive-gpr': { kind: 'regression', summary: 'first-order additive GPR on unit-cube features (GPR-NN with W = I)', params: gprNnParams },
  'gpr-nn': {
    kind: 'regression',
    summary: 'GPR-NN (seed 004 Eq. 10): additive GPR in Sobol-rotated coordinates y = Wx',
    params: {
      ...gprNnParams,
      neurons: { type: 'integer', default: 0, min: 0, description: 'neurons N ≥ D (0 = 2D)' },
      refine: { type: 'integer', default: 0, min: 0, description: 'greedy Monte Carlo refinement steps of W' },
      refineStep: { type: 'number', default: 0.1, gt: 0, description: 'Gaussian perturbation size for refinement' },
    },
  },
  logistic: {
    kind: 'classification',
    summary: 'logistic regression (binary/multinomial), L2/L1/elastic net',
    params: {
      C: { type: 'number', default: 1, gt: 0, description: 'inverse regularization strength (scikit-learn C)' },
      penalty: { type: 'string', default: 'l2', choices: ['l2', 'l1', 'elasticnet', 'none'], description: 'penalty' },
      l1Ratio: { type: 'number', default: 0.5, min: 0, max: 1, description: 'elastic-net mixing' },
      classWeight: { type: 'string', default: 'none', description: "'none', 'balanced' or 'label:w,label:w'" },
      standardize: { type: 'boolean', default: true, description: 'standardize features (coefficients = importances)' },
    },
  },
};

export function learnModelSpec(name: string): LearnModelSpec {
  const spec = LEARN_MODELS[name];
  if (!spec) throw new OptionError(`unknown model '${name}'; known models: ${Object.keys(LEARN_MODELS).join(', ')}`, { field: 'model' });
  return spec;
}

export function resolveLearnParams(name: string, raw: Record<string, unknown>): Params {
  return resolveParamsWith('model', name, learnModelSpec(name).params, raw);
}

export function createRegressor(name: string, p: Params, seed: number, nFeatures: number): Regressor {
  switch (name) {
    case 'linear':
      return new LinearRegression();
    case 'mlp':
      return new Mlp({ neurons: p.neurons as number, epochs: p.epochs as number, mu: p.mu as number, decay: p.decay as number, seed });
    case 'gpr':
      return new GprRegressor({ kernel: p.kernel as string, restarts: p.restarts as number, alpha: p.alpha as number, seed });
    case 'additive-gpr':
    case 'gpr-nn': {
      const neurons = name === 'additive-gpr' ? nFeatures : (p.neurons as number) || 2 * nFeatures;
      return new GprNn(
        {
          neurons,
          lengthScale: p.lengthScale as number,
          noise: p.noise as number,
          optimize: p.optimize as boolean,
          restarts: p.restarts as number,
          refine: (p.refine as number | undefined) ?? 0,
          refineStep: (p.refineStep as number | undefined) ?? 0.1,
          seed,
        },
        name,
      );
    }
    default:
      throw new OptionError(`model '${name}' is not a regression model`, { field: 'model' });
  }
}

export function createClassifier(p: Params): LogisticRegression {
  const cw = String(p.classWeight ?? 'none');
  let classWeight: 'balanced' | Record<string, number> | null = null;
  if (cw === 'balanced') classWeight = 'balanced';
  else if (cw !== 'none') {
    classWeight = {};
    for (const part of cw.split(',')) {
      const [label, w] = part.split(':');
      const v = Number(w);
      if (!label || !Number.isFinite(v)) throw new OptionError(`class weights must look like 'label:weight,label:weight', got '${cw}'`, { field: 'classWeight' });
      classWeight[label.trim()] = v;
    }
  }
  return new LogisticRegression({
    C: p.C as number,
    penalty: p.penalty as Penalty,
    l1Ratio: p.l1Ratio as number,
    classWeight,
    standardize: p.standardize as boolean,
  });
}

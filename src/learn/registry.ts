/**
 * The learners of src/learn registered into fit's one method table (fit/method-spec.ts), so
 * `celt learn --param k=v` is checked by the same code as `celt fit --param`, with snake_case
 * names. Importing this module loads fit's registry first (every linear method) and then adds
 * the learners, so anything that needs a learner imports this filled entry point; fit itself
 * never imports learn.
 */
import { OptionError } from '../core/errors.ts';
import type { BaseEstimator, Params } from '../fit/estimator.ts';
import { type AnyEstimator, type MethodKind, type MethodSpec, type ParamSpec, kindOf, registerMethod, resolveParamsWith } from '../fit/method-spec.ts';
import { getSpec } from '../fit/registry.ts';
import { GprRegressor } from './gpr-regressor.ts';
import { GprNn } from './gprnn.ts';
import { LinearRegression } from './linear.ts';
import { LogisticRegression, type Penalty } from './logistic.ts';
import { Mlp } from './mlp.ts';

const LEARNER_KINDS: MethodKind[] = ['regression', 'classification'];

const gprNnParams: Record<string, ParamSpec> = {
  length_scale: { type: 'number', default: 1, gt: 0, description: 'RBF length scale l (unit-cube coordinates); start value if optimize' },
  noise: { type: 'number', default: 0.01, gt: 0, description: 'σ² on the diagonal (standardized target); start value if optimize' },
  optimize: { type: 'boolean', default: true, description: 'choose l and σ² by maximum marginal likelihood' },
  restarts: { type: 'integer', default: 0, min: 0, description: 'extra seeded optimizer starts' },
};

function gprNn(name: 'additive-gpr' | 'gpr-nn', p: Params, seed: number): GprNn {
  return new GprNn(
    {
      // additive GPR: N = D (GprNn's default); GPR-NN: 0 = 2D, resolved at fit time
      ...(name === 'gpr-nn' ? { neurons: p.neurons as number } : {}),
      lengthScale: p.length_scale as number,
      noise: p.noise as number,
      optimize: p.optimize as boolean,
      restarts: p.restarts as number,
      refine: (p.refine as number | undefined) ?? 0,
      refineStep: (p.refine_step as number | undefined) ?? 0.1,
      seed,
    },
    name,
  );
}

/** 'none' | 'balanced' | 'label:w,label:w' → LogisticRegression's class weights. */
function parseClassWeight(cw: string): 'balanced' | Record<string, number> | null {
  if (cw === 'none') return null;
  if (cw === 'balanced') return 'balanced';
  const out: Record<string, number> = {};
  for (const part of cw.split(',')) {
    const [label, w] = part.split(':');
    const v = Number(w);
    if (!label || !Number.isFinite(v)) throw new OptionError(`class weights must look like 'label:weight,label:weight', got '${cw}'`, { field: 'class_weight' });
    out[label.trim()] = v;
  }
  return out;
}

registerMethod({
  name: 'linear',
  kind: 'regression',
  summary: 'multiple linear regression with intercept (least squares)',
  params: {},
  create: () => new LinearRegression(),
});

registerMethod({
  name: 'mlp',
  kind: 'regression',
  summary: 'one hidden layer of tanh neurons, Levenberg–Marquardt on the SSE',
  params: {
    neurons: { type: 'integer', default: 2, min: 1, description: 'hidden neurons' },
    epochs: { type: 'integer', default: 200, min: 1, description: 'maximum LM iterations' },
    mu: { type: 'number', default: 1e-3, gt: 0, description: 'initial LM damping' },
    decay: { type: 'number', default: 0, min: 0, description: 'L2 weight decay (0 = plain SSE as trainlm)' },
  },
  create: (p, ctx) => new Mlp({ neurons: p.neurons as number, epochs: p.epochs as number, mu: p.mu as number, decay: p.decay as number, seed: ctx.seed ?? 0 }),
});

registerMethod({
  name: 'gpr',
  kind: 'regression',
  summary: 'Gaussian process regression, standardized inputs, ML-II hyperparameters',
  params: {
    kernel: { type: 'string', default: 'constant*ard:rbf+white', description: "kernel formula, e.g. 'constant*matern52+white'" },
    restarts: { type: 'integer', default: 2, min: 0, description: 'extra seeded optimizer starts' },
    alpha: { type: 'number', default: 1e-10, min: 0, description: 'value added to the kernel diagonal' },
  },
  create: (p, ctx) => new GprRegressor({ kernel: p.kernel as string, restarts: p.restarts as number, alpha: p.alpha as number, seed: ctx.seed ?? 0 }),
});

registerMethod({
  name: 'additive-gpr',
  kind: 'regression',
  summary: 'first-order additive GPR on unit-cube features (GPR-NN with W = I)',
  params: gprNnParams,
  create: (p, ctx) => gprNn('additive-gpr', p, ctx.seed ?? 0),
});

registerMethod({
  name: 'gpr-nn',
  kind: 'regression',
  summary: 'GPR-NN (seed 004 Eq. 10): additive GPR in Sobol-rotated coordinates y = Wx',
  params: {
    ...gprNnParams,
    neurons: { type: 'integer', default: 0, min: 0, description: 'neurons N ≥ D (0 = 2D)' },
    refine: { type: 'integer', default: 0, min: 0, description: 'greedy Monte Carlo refinement steps of W' },
    refine_step: { type: 'number', default: 0.1, gt: 0, description: 'Gaussian perturbation size for refinement' },
  },
  create: (p, ctx) => gprNn('gpr-nn', p, ctx.seed ?? 0),
});

registerMethod({
  name: 'logistic',
  kind: 'classification',
  summary: 'logistic regression (binary/multinomial), L2/L1/elastic net',
  params: {
    C: { type: 'number', default: 1, gt: 0, description: 'inverse regularization strength (scikit-learn C)' },
    penalty: { type: 'string', default: 'l2', choices: ['l2', 'l1', 'elasticnet', 'none'], description: 'penalty' },
    l1_ratio: { type: 'number', default: 0.5, min: 0, max: 1, description: 'elastic-net mixing' },
    class_weight: { type: 'string', default: 'none', description: "'none', 'balanced' or 'label:w,label:w'" },
    standardize: { type: 'boolean', default: true, description: 'standardize features (coefficients = importances)' },
  },
  create: (p) => createClassifier(p),
});

/** A learner's spec (unknown names and linear ECI methods are refused, naming the learners). */
export function learnerSpec(name: string): MethodSpec<AnyEstimator> {
  return getSpec(name, LEARNER_KINDS, 'model');
}

/** Raw parameters (CLI text or typed values) checked against the learner's spec, defaults filled. */
export function resolveLearnParams(name: string, raw: Record<string, unknown>): Params {
  return resolveParamsWith('model', name, learnerSpec(name).params, raw);
}

/** A regression learner from resolved parameters; `seed` drives its randomized parts. */
export function createRegressor(name: string, params: Params, seed: number): BaseEstimator {
  const spec = learnerSpec(name);
  if (kindOf(spec) !== 'regression') throw new OptionError(`model '${name}' is not a regression model`, { field: 'model' });
  return spec.create(params, { seed });
}

/** The logistic classifier (the one classification learner) from parameters resolved by resolveLearnParams('logistic', …). */
export function createClassifier(p: Params): LogisticRegression {
  return new LogisticRegression({
    C: p.C as number,
    penalty: p.penalty as Penalty,
    l1Ratio: p.l1_ratio as number,
    classWeight: parseClassWeight(String(p.class_weight)),
    standardize: p.standardize as boolean,
  });
}

/**
 * Kernels from plain data: a JSON tree ({type: 'sum', terms}, {type: 'product', factors},
 * {type: 'rbf'|'matern12'|'matern32'|'matern52', ls, dims?}, {type: 'constant', value},
 * {type: 'white', noise}) or a short formula for the CLI such as
 * "constant*matern52+white" (products bind tighter than sums; `ard:` prefix on a
 * stationary kernel gives one length scale per feature).
 */
import { OptionError } from '../core/errors.ts';
import { AdditiveRBF, Constant, Stationary, White, product, sum, type Kernel, type StationaryType } from './kernels.ts';

const STATIONARY = ['rbf', 'matern12', 'matern32', 'matern52'];

export function kernelFromSpec(spec: unknown, path = 'kernel'): Kernel {
  if (typeof spec !== 'object' || spec === null) throw new OptionError('kernel spec must be an object', { field: path });
  const s = spec as Record<string, unknown>;
  const t = s.type;
  if (t === 'sum' || t === 'product') {
    const parts = (t === 'sum' ? s.terms : s.factors) as unknown;
    if (!Array.isArray(parts) || parts.length === 0) throw new OptionError(`${t} needs a non-empty list`, { field: path });
    const ks = parts.map((p, i) => kernelFromSpec(p, `${path}.${t === 'sum' ? 'terms' : 'factors'}[${i}]`));
    return t === 'sum' ? sum(...ks) : product(...ks);
  }
  const fixed = s.fixed === true ? 'fixed' : undefined;
  if (typeof t === 'string' && STATIONARY.includes(t)) {
    const ls = s.ls ?? 1;
    const dims = Array.isArray(s.dims) ? (s.dims as number[]) : null;
    return new Stationary(t as StationaryType, ls as number | number[], fixed ?? [1e-5, 1e5], dims);
  }
  if (t === 'constant') return new Constant(typeof s.value === 'number' ? s.value : 1, fixed ?? [1e-5, 1e5]);
  if (t === 'white') return new White(typeof s.noise === 'number' ? s.noise : 1, fixed ?? [1e-5, 1e5]);
  if (t === 'additive-rbf') return new AdditiveRBF(typeof s.ls === 'number' ? s.ls : 1, fixed ?? [1e-3, 1e3]);
  throw new OptionError(`unknown kernel type '${String(t)}'`, { field: path });
}

/** "constant*ard:matern52+white" → kernel for `nFeatures` inputs (all hyperparameters start at 1, noise at 0.1). */
export function kernelFromFormula(formula: string, nFeatures: number): Kernel {
  const terms = formula.split('+').map((t) => t.trim());
  if (terms.some((t) => !t)) throw new OptionError(`bad kernel formula '${formula}'`, { field: 'kernel' });
  return sum(
    ...terms.map((term) =>
      product(
        ...term.split('*').map((raw) => {
          const f = raw.trim().toLowerCase();
          const ard = f.startsWith('ard:');
          const name = ard ? f.slice(4) : f;
          if (STATIONARY.includes(name)) return new Stationary(name as StationaryType, ard ? new Float64Array(nFeatures).fill(1) : 1);
          if (ard) throw new OptionError(`'ard:' applies to rbf/matern kernels, not '${name}'`, { field: 'kernel' });
          if (name === 'constant' || name === 'c') return new Constant(1);
          if (name === 'white' || name === 'noise') return new White(0.1);
          throw new OptionError(`unknown kernel '${name}' in '${formula}'; use rbf, matern12, matern32, matern52, constant, white`, { field: 'kernel' });
        }),
      ),
    ),
  );
}

/**
 * Dense closed-form fits — celt vs scikit-learn per fit, paired in one invocation:
 * BayesianRidge, ARDRegression and Ridge on the lmo_drx training matrix (238 × 386 after the
 * constant column becomes the intercept).
 *
 *   npx celt featurize --prim data/lmo_drx/prim.json --data data/lmo_drx/entries.json.gz \
 *     --cutoffs 2:6,3:4,4:2 --ewald --supercell-size O2- --out /tmp/speed/train.json
 *   npx tsx bench/dense.ts [--train /tmp/speed/train.json] [--reps 5] [--methods bayesian-ridge,ard,ridge]
 *
 * Repetitions alternate celt (in this process) and scikit-learn (one /usr/bin/python3 process
 * per repetition that loads the same X, y from .npy and times the fit alone, imports excluded),
 * so machine load from other jobs hits both sides alike; medians and their ratio are printed.
 * Without python3 + sklearn only celt's times are printed. The max relative coefficient
 * difference to sklearn is printed as a check that speed did not change the numbers.
 */
import { execFileSync } from 'node:child_process';
import { existsSync, mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { loadDataset } from '../src/data/matrix-io.ts';
import { encodeNpy } from '../src/data/npy.ts';
import { createEstimator } from '../src/fit/registry.ts';

const PY = '/usr/bin/python3';
const SK: Record<string, string> = {
  'bayesian-ridge': 'BayesianRidge()',
  ard: 'ARDRegression()',
  ridge: 'Ridge(alpha=1.0)',
};
const SCRIPT = `import sys, time, json, numpy as np, warnings; warnings.filterwarnings('ignore')
from sklearn.linear_model import BayesianRidge, ARDRegression, Ridge
X = np.load(sys.argv[1]); y = np.load(sys.argv[2]); m = eval(sys.argv[3])
t = time.perf_counter(); c = time.process_time(); m.fit(X, y); dt = time.perf_counter() - t; dc = time.process_time() - c
print(json.dumps({"seconds": dt, "cpu": dc, "coef": m.coef_.tolist(), "intercept": float(m.intercept_)}))`;

export function hasSklearn(): boolean {
  if (!existsSync(PY)) return false;
  try {
    execFileSync(PY, ['-c', 'import sklearn'], { stdio: 'ignore' });
    return true;
  } catch {
    return false;
  }
}

export function median(a: number[]): number {
  const s = [...a].sort((x, y) => x - y);
  const m = s.length >> 1;
  return s.length % 2 ? s[m]! : (s[m - 1]! + s[m]!) / 2;
}

function main(): void {
  const args = process.argv.slice(2);
  const get = (k: string) => {
    const i = args.indexOf(k);
    return i >= 0 ? args[i + 1] : undefined;
  };
  const train = get('--train') ?? '/tmp/speed/train.json';
  const reps = Number(get('--reps') ?? 5);
  const methods = (get('--methods') ?? 'bayesian-ridge,ard,ridge').split(',');
  const ds = loadDataset(train);
  const { X, y } = ds;
  const sk = hasSklearn();
  const dir = mkdtempSync(join(tmpdir(), 'celt-dense-'));
  const xf = join(dir, 'X.npy'), yf = join(dir, 'y.npy');
  writeFileSync(xf, encodeNpy([X.rows, X.cols], X.data));
  writeFileSync(yf, encodeNpy([y.length], y));
  console.log(`${train}: X ${X.rows} × ${X.cols}; ${reps} alternating repetitions; ${sk ? 'scikit-learn measured in the same run' : 'no python3+sklearn: celt only'}`);
  for (const m of methods) {
    const tc: number[] = [], ts: number[] = [], cc: number[] = [], cs: number[] = [];
    let coef: Float64Array = new Float64Array(0), skCoef: number[] = [];
    let info = '';
    for (let r = 0; r < reps; r++) {
      const est = createEstimator(m, {});
      const t0 = performance.now(), c0 = process.cpuUsage();
      est.fit(X, y);
      tc.push((performance.now() - t0) / 1000);
      const dc = process.cpuUsage(c0);
      cc.push((dc.user + dc.system) / 1e6);
      coef = est.coef;
      info = `iterations ${est.info.iterations ?? '-'}, converged ${est.info.converged ?? '-'}`;
      if (sk) {
        const out = JSON.parse(execFileSync(PY, ['-c', SCRIPT, xf, yf, SK[m]!], { encoding: 'utf8' }));
        ts.push(out.seconds);
        cs.push(out.cpu);
        skCoef = out.coef;
      }
    }
    const mc = median(tc);
    let line = `${m.padEnd(15)} celt ${(mc * 1000).toFixed(1)} ms wall / ${(median(cc) * 1000).toFixed(1)} ms CPU (median of ${reps}; ${info})`;
    if (sk) {
      const ms = median(ts);
      let num = 0, den = 0;
      for (let j = 0; j < coef.length; j++) {
        num = Math.max(num, Math.abs(coef[j]! - skCoef[j]!));
        den = Math.max(den, Math.abs(skCoef[j]!));
      }
      line += `  sklearn ${(ms * 1000).toFixed(1)} ms wall / ${(median(cs) * 1000).toFixed(1)} ms CPU → wall ratio celt/sklearn ${(mc / ms).toFixed(2)}×; max|Δcoef|/max|coef| ${(num / den).toExponential(1)}`;
    }
    console.log(line);
  }
}

if (process.argv[1]?.endsWith('dense.ts')) main();

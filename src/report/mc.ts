/**
 * Output of a Monte Carlo run (`celt mc --out DIR`): summary.json, the thinned trace as CSV,
 * the lowest-energy structure of every condition (pymatgen JSON + POSCAR), and index.html
 * with E(T), C(T), composition vs μ and Warren–Cowley SRO plots (Vega-Lite via plot.ts,
 * SVG inlined so the page is one self-contained file).
 */
import { mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { structureOf } from '../mc/init.ts';
import type { McResult } from '../mc/run.ts';
import { structureToPymatgen } from '../structure/io/pymatgen.ts';
import { writePoscar } from '../structure/io/poscar.ts';
import { type VegaLiteSpec, writePlot } from './plot.ts';

const muLabel = (mu: Record<string, number>) => Object.entries(mu).map(([k, v]) => `${k}=${v}`).join(',') || 'none';

function lineSpec(title: string, x: string, y: string, rows: Record<string, unknown>[], color?: string): VegaLiteSpec {
  return {
    $schema: 'https://vega.github.io/schema/vega-lite/v5.json',
    title,
    width: 420,
    height: 260,
    data: { values: rows },
    mark: { type: 'line', point: true },
    encoding: {
      x: { field: x, type: 'quantitative', scale: { zero: false } },
      y: { field: y, type: 'quantitative', scale: { zero: false } },
      ...(color ? { color: { field: color, type: 'nominal' } } : {}),
    },
  };
}

export async function writeMcOutput(dir: string, res: McResult, opts: { plots?: boolean } = {}): Promise<string[]> {
  mkdirSync(dir, { recursive: true });
  const { summary, details, layout } = res;
  const files: string[] = [];
  const put = (name: string, text: string) => {
    writeFileSync(join(dir, name), text);
    files.push(join(dir, name));
  };
  put('summary.json', JSON.stringify(summary, null, 1) + '\n');
  const head = ['condition', 'step', 'energy_per_prim', ...layout.sublattices.flatMap((s) => s.species.map((sp) => `n_${s.index}_${sp}`))];
  const lines = [head.join(',')];
  details.forEach((d, c) => d.trace.step.forEach((st, k) => lines.push([c, st, d.trace.energy[k], ...d.trace.counts[k]!].join(','))));
  put('trace.csv', lines.join('\n') + '\n');
  details.forEach((d, c) => {
    const s = structureOf(layout, d.lowestCodes);
    const cond = summary.conditions[c]!;
    put(`lowest_${c}.json`, JSON.stringify(structureToPymatgen(s)) + '\n');
    put(`lowest_${c}.POSCAR`, writePoscar(s, `celt mc condition ${c}: T=${cond.T} K mu=${muLabel(cond.mu)} E=${cond.lowestEnergy} eV/prim`));
  });
  if (opts.plots !== false) put('index.html', await page(dir, res));
  return files;
}

async function page(dir: string, res: McResult): Promise<string> {
  const conds = res.summary.conditions;
  const rows = conds.map((c) => ({ T: c.T, mu: muLabel(c.mu), E: c.energy?.mean ?? null, C: c.heatCapacity, ...Object.fromEntries(Object.entries(c.composition).map(([k, v]) => [`x_${k}`, v])) }));
  const specs: [string, VegaLiteSpec][] = [];
  if (conds.length > 1 && conds.some((c) => c.energy)) {
    specs.push(['energy', lineSpec('Energy per primitive cell (eV) vs T (K)', 'T', 'E', rows, 'mu')]);
    specs.push(['heat-capacity', lineSpec('Heat capacity (k_B per primitive cell) vs T (K)', 'T', 'C', rows, 'mu')]);
  }
  const muSpecies = [...new Set(conds.flatMap((c) => Object.keys(c.mu)))];
  if (muSpecies.length) {
    const s0 = muSpecies[0]!;
    const comp = conds.flatMap((c) => Object.entries(c.composition).map(([sp, x]) => ({ mu: c.mu[s0] ?? 0, species: sp, x, T: String(c.T) })));
    specs.push(['composition', { ...lineSpec(`Composition (fraction of sublattice) vs μ(${s0}) (eV)`, 'mu', 'x', comp, 'species'), encoding: { x: { field: 'mu', type: 'quantitative' }, y: { field: 'x', type: 'quantitative' }, color: { field: 'species', type: 'nominal' }, strokeDash: { field: 'T', type: 'nominal' } } }]);
  }
  const sro = conds.flatMap((c) => (c.sro ?? []).flatMap((o) => o.alpha.map((a) => ({ T: c.T, pair: `o${o.orbit} ${a.from}-${a.to}`, alpha: a.alpha }))));
  if (sro.length) specs.push(['sro', lineSpec('Warren–Cowley α vs T (K)', 'T', 'alpha', sro, 'pair')]);
  const wl = res.summary.wangLandau;
  if (wl) specs.push(['dos', lineSpec('Wang–Landau ln g(E) vs E (eV per primitive cell)', 'E', 'lnG', wl.lnG.map((g, k) => ({ E: wl.binEnergy[k], lnG: Number.isFinite(g) ? g : null })).filter((r) => r.lnG !== null))]);
  const figs: string[] = [];
  for (const [name, spec] of specs) {
    const { svg } = await writePlot(spec, join(dir, name));
    figs.push(`<figure>${readFileSync(svg, 'utf8')}</figure>`);
  }
  const table = conds
    .map((c, k) => `<tr><td>${k}</td><td>${c.T}</td><td>${muLabel(c.mu)}</td><td>${c.energy ? `${c.energy.mean.toFixed(6)} ± ${c.energy.stderr.toExponential(2)}` : '—'}</td><td>${c.heatCapacity?.toFixed(4) ?? '—'}</td><td>${Object.entries(c.composition).map(([s, x]) => `${s} ${x.toFixed(4)}`).join(', ')}</td><td>${c.acceptance.toFixed(3)}</td><td>${c.lowestEnergy.toFixed(6)}</td></tr>`)
    .join('\n');
  return `<!doctype html><html><head><meta charset="utf-8"><title>celt mc</title><style>body{font-family:sans-serif;margin:2em}td,th{padding:2px 8px;border-bottom:1px solid #ddd}figure{display:inline-block;margin:1em}</style></head><body>
<h1>celt mc — ${res.summary.ensemble}, ${res.summary.nSites} sites (${res.summary.nPrims} primitive cells)</h1>
<table><tr><th>#</th><th>T (K)</th><th>μ (eV)</th><th>E (eV/prim)</th><th>C (k_B/prim)</th><th>composition</th><th>acceptance</th><th>lowest E</th></tr>
${table}</table>
${figs.join('\n')}
</body></html>
`;
}

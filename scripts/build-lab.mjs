// Builds the browser lab (lab/) into dist-lab/: one static folder that works offline from any
// static host — the page, the worker bundle (the celt library itself, shared with the CLI),
// the WebAssembly modules (moyo, HiGHS) and the embedded datasets. No SharedArrayBuffer needed.
//
// Node-only modules the library imports (node:fs, node:zlib, node:path, …) are replaced by the
// small browser adapters in lab/src/shims/ (an in-memory file system, gunzip done by the page
// with DecompressionStream, a one-thread worker pool); the library's sources are not forked.
//   node scripts/build-lab.mjs [--out dist-lab] [--quiet]
import { build } from 'esbuild';
import { copyFileSync, mkdirSync, rmSync, statSync, readdirSync, writeFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { createRequire } from 'node:module';

const root = join(dirname(fileURLToPath(import.meta.url)), '..');
const args = process.argv.slice(2);
const outIdx = args.indexOf('--out');
const out = join(root, outIdx >= 0 ? args[outIdx + 1] : 'dist-lab');
const quiet = args.includes('--quiet');
const require = createRequire(import.meta.url);
const shims = join(root, 'lab/src/shims');

// node:X (and bare X) → the lab's adapter for it.
const SHIMS = {
  fs: 'fs.ts',
  zlib: 'zlib.ts',
  path: 'path.ts',
  url: 'misc.ts',
  module: 'misc.ts',
  os: 'misc.ts',
  worker_threads: 'misc.ts',
  crypto: 'misc.ts',
  'cli-progress': 'progress.ts',
};

const shimPlugin = {
  name: 'celt-node-shims',
  setup(b) {
    b.onResolve({ filter: /^(node:)?(fs|zlib|path|url|module|os|worker_threads|crypto)$|^cli-progress$/ }, (a) => ({ path: join(shims, SHIMS[a.path.replace(/^node:/, '')]) }));
    // Native PNG rasterizer of the CLI's plots: the page renders SVG/canvas through vega-embed instead.
    b.onResolve({ filter: /^@resvg\/resvg-js$/ }, () => ({ path: 'resvg', namespace: 'celt-empty' }));
    b.onLoad({ filter: /.*/, namespace: 'celt-empty' }, () => ({ contents: 'export class Resvg { constructor() { throw new Error("PNG rendering is not available in the browser lab"); } }', loader: 'js' }));
  },
};

const t0 = performance.now();
rmSync(out, { recursive: true, force: true });
mkdirSync(out, { recursive: true });

const common = {
  bundle: true,
  format: 'esm',
  platform: 'browser',
  target: 'chrome110',
  minify: true,
  sourcemap: false,
  legalComments: 'none',
  logLevel: quiet ? 'error' : 'warning',
  plugins: [shimPlugin],
  inject: [join(shims, 'process.ts')],
  define: { 'process.env.NODE_ENV': '"production"', global: 'globalThis' },
};

await build({ ...common, entryPoints: { worker: join(root, 'lab/src/worker.ts') }, outdir: out });
await build({ ...common, entryPoints: { lab: join(root, 'lab/src/main.ts') }, outdir: out, loader: { '.css': 'css' } });

copyFileSync(join(root, 'lab/index.html'), join(out, 'index.html'));
copyFileSync(join(root, 'lab/lab.css'), join(out, 'lab.css'));
// WebAssembly next to the worker bundle (moyo by the in-memory fs, HiGHS by its own loader's URL).
copyFileSync(require.resolve('@spglib/moyo-wasm/moyo_wasm_bg.wasm'), join(out, 'moyo_wasm_bg.wasm'));
copyFileSync(join(dirname(require.resolve('highs')), 'highs.wasm'), join(out, 'highs.wasm'));
for (const name of ['sql-wasm.wasm']) copyFileSync(join(dirname(require.resolve('sql.js')), name), join(out, name));
for (const d of ['lmo_drx', 'lno', 'agpd_fcc']) {
  mkdirSync(join(out, 'data', d), { recursive: true });
  for (const f of ['prim.json', 'entries.json.gz']) copyFileSync(join(root, 'data', d, f), join(out, 'data', d, f));
}
for (const f of ['SMOL_LICENSE.txt', 'SPARSELM_LICENSE.txt']) copyFileSync(join(root, 'data', f), join(out, 'data', f));

// Bundle size, bytes per file (the note in lab/README.md quotes this table).
const sizes = [];
const walk = (dir) => {
  for (const e of readdirSync(dir, { withFileTypes: true })) {
    const p = join(dir, e.name);
    if (e.isDirectory()) walk(p);
    else sizes.push([p.slice(out.length + 1), statSync(p).size]);
  }
};
walk(out);
sizes.sort((a, b) => b[1] - a[1]);
writeFileSync(join(out, 'sizes.json'), JSON.stringify(Object.fromEntries(sizes), null, 1));
if (!quiet) {
  for (const [f, n] of sizes) console.log(`${String(n).padStart(10)}  ${f}`);
  console.log(`${String(sizes.reduce((a, [, n]) => a + n, 0)).padStart(10)}  total (${out}), built in ${((performance.now() - t0) / 1000).toFixed(1)} s`);
}

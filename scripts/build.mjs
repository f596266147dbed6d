// Compiles src/ to JavaScript in dist/ (tsc with rewriteRelativeImportExtensions: the sources
// import `.ts` paths; emitted files import `.js`, one file per module so lazy imports stay
// lazy and import.meta.url-relative paths such as workflow's data/ directory stay valid).
// Writes dist/.stamp first: bin/celt.js runs dist/ only while no source is newer than it.
// `npm ci` runs this as the prepare script; `npm run build` after editing sources.
import { spawnSync } from 'node:child_process';
import { mkdirSync, rmSync, writeFileSync } from 'node:fs';
import { createRequire } from 'node:module';

const root = new URL('../', import.meta.url);
const dist = new URL('dist/', root);
rmSync(dist, { recursive: true, force: true });
mkdirSync(dist);
// Stamp before compiling: a source saved during the build makes dist/ count as stale.
writeFileSync(new URL('.stamp', dist), `${new Date().toISOString()}\n`);
let tsc;
try {
  tsc = createRequire(import.meta.url).resolve('typescript/bin/tsc');
} catch {
  // `npm ci --omit=dev` has no TypeScript: no dist/, and bin/celt.js runs the sources via tsx.
  rmSync(dist, { recursive: true, force: true });
  console.warn('celt build: typescript is not installed (dev dependency); the CLI will run the sources through tsx');
  process.exit(0);
}
const r = spawnSync(process.execPath, [tsc, '-p', new URL('tsconfig.build.json', root).pathname], { stdio: 'inherit' });
if (r.status !== 0) {
  // Leave no half-built dist/ behind: bin/celt.js then runs the sources through tsx.
  rmSync(dist, { recursive: true, force: true });
  process.exit(r.status ?? 1);
}

#!/usr/bin/env node
// Runs the compiled CLI in dist/ (scripts/build.mjs; `npm ci` builds it through the prepare
// script): plain `node` start-up, no TypeScript compile per run. When dist/ is missing or any
// file under src/ is newer than its build stamp (sources edited since `npm run build`), the
// sources run through tsx instead, so the command never executes stale code.
import { readdirSync, statSync } from 'node:fs';

const root = new URL('../', import.meta.url);

function stampTime() {
  try {
    return statSync(new URL('dist/.stamp', root)).mtimeMs;
  } catch {
    return -1;
  }
}

function newestSource(dir) {
  let newest = 0;
  for (const e of readdirSync(dir, { withFileTypes: true })) {
    const p = new URL(e.name + (e.isDirectory() ? '/' : ''), dir);
    newest = Math.max(newest, e.isDirectory() ? newestSource(p) : statSync(p).mtimeMs);
  }
  return newest;
}

const stamp = stampTime();
if (stamp >= 0 && newestSource(new URL('src/', root)) <= stamp) {
  await import(new URL('dist/cli/main.js', root).href);
} else {
  const { register } = await import('tsx/esm/api');
  register();
  await import('../src/cli/main.ts');
}

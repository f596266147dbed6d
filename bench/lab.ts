/**
 * The lab's time to first fit of lmo_drx vs the CLI's time for the same work, alternating
 * runs so both see the same machine load.
 *
 *   npm run build:lab && npx tsx bench/lab.ts [--reps 2]
 *
 * Page: a fresh page in headless Chromium (Debian's), lmo_drx with the defaults (= `npm start`:
 * 40 orbits + Ewald, lasso α over 11 points × 5 folds, learning curve), click Fit → result; the
 * worker's stage timings are read from the page. CLI: `node bin/celt.js run` (dist/ when built,
 * else the sources through tsx), stage timings from its summary.json. Prints both per stage
 * and the ratio page / CLI of the stages from the CV search to the hulls. The CLI runs folds on
 * worker threads (2 on 2 cores); the page on its one Web Worker.
 */
import { spawnSync } from 'node:child_process';
import { mkdtempSync, readFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { chromium } from 'playwright-core';
// @ts-expect-error — a plain .mjs script without types
import { serveLab } from '../scripts/serve-lab.mjs';

const ROOT = new URL('../', import.meta.url).pathname;
const args = process.argv.slice(2);
const reps = Number(args.includes('--reps') ? args[args.indexOf('--reps') + 1] : 2);
const FIT_STAGES = /CV search|final fit|CV predictions|convex hulls/;

type Timings = Array<[string, number]>;
const fitPart = (t: Timings) => t.filter(([k]) => FIT_STAGES.test(k)).reduce((a, [, s]) => a + s, 0);

async function pageRun(url: string): Promise<{ wall: number; timings: Timings }> {
  const browser = await chromium.launch({ executablePath: process.env.CHROMIUM ?? '/usr/bin/chromium', headless: true, args: ['--no-sandbox'] });
  try {
    const page = await browser.newPage();
    await page.goto(url);
    await page.waitForSelector('body[data-ready="1"]', { state: 'attached', timeout: 120_000 });
    const t0 = Date.now();
    await page.click('#btn-fit');
    await page.waitForSelector('body[data-fitted="1"]', { state: 'attached', timeout: 900_000 });
    const wall = (Date.now() - t0) / 1000;
    const timings = JSON.parse((await page.getAttribute('#fit-summary', 'data-timings')) ?? '[]') as Timings;
    return { wall, timings };
  } finally {
    await browser.close();
  }
}

function cliRun(): { wall: number; timings: Timings } {
  const out = join(mkdtempSync(join(tmpdir(), 'celt-bench-lab-')), 'run');
  const t0 = performance.now();
  const r = spawnSync(process.execPath, [join(ROOT, 'bin/celt.js'), 'run', '--out', out], { encoding: 'utf8' });
  const wall = (performance.now() - t0) / 1000;
  if (r.status !== 0) throw new Error(r.stderr);
  return { wall, timings: (JSON.parse(readFileSync(join(out, 'summary.json'), 'utf8')) as { timings: Timings }).timings };
}

const { server, url } = await serveLab(join(ROOT, 'dist-lab'));
try {
  for (let i = 0; i < reps; i++) {
    const c = cliRun();
    const p = await pageRun(url);
    console.log(`rep ${i + 1}: CLI celt run ${c.wall.toFixed(1)} s wall (process start to exit); page click→result ${p.wall.toFixed(1)} s`);
    for (const [k, s] of p.timings) console.log(`  ${k.padEnd(40)} page ${s.toFixed(2).padStart(7)} s   CLI ${(c.timings.find(([n]) => n === k)?.[1] ?? NaN).toFixed(2).padStart(7)} s`);
    console.log(`  CV search → hulls: page ${fitPart(p.timings).toFixed(2)} s, CLI ${fitPart(c.timings).toFixed(2)} s, ratio page/CLI ${(fitPart(p.timings) / fitPart(c.timings)).toFixed(2)}`);
  }
} finally {
  server.close();
}

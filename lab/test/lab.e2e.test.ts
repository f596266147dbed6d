/**
 * The lab end to end in a real browser: Playwright (playwright-core) drives Debian's Chromium
 * (headless, --no-sandbox), which loads the built lab from a 127.0.0.1 static server with
 * every non-local request blocked (and counted: any is a failure).
 *
 * 1. lno with smol's tutorial settings (cutoffs 2:5, 3:4.1, Ewald, supercell size by O2-,
 *    ltol 0.2, stol 0.3, angle 5°): 27 of 31 entries map; an OLS fit; the train RMSE and the
 *    dielectric constant read from the page equal the CLI's (`celt featurize` + `celt fit`,
 *    run here) to 1e-6 relative and smol's published 7.366465 meV/prim and ε = 9.4131.
 * 2. Bad files dropped on the page show the CLI's one-line error next to the file (the CLI is
 *    run on the same bytes), and the page keeps working.
 * 3. lmo_drx with the defaults (= `npm start`): the default lasso search's CV RMSE read from
 *    the page equals `celt run`'s summary.json (run here).
 * Screenshots of every panel go to out/lab/. Timings are printed (time to first fit of lmo_drx
 * in the page vs the CLI's same stages).
 *
 *   npm run test:lab        (builds dist-lab/ first)
 */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { existsSync, mkdirSync, mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { gzipSync } from 'node:zlib';
import { chromium, type Page } from 'playwright-core';
import { DATA_DIR } from '../../test/data-dir.ts';
// @ts-expect-error — a plain .mjs script without types
import { serveLab } from '../../scripts/serve-lab.mjs';

const ROOT = new URL('../../', import.meta.url).pathname;
const MAIN = join(ROOT, 'src/cli/main.ts');
const OUT = join(ROOT, 'out/lab');
const CHROMIUM = process.env.CHROMIUM ?? '/usr/bin/chromium';
// tsx by absolute URL: the bad-file checks run the CLI in a scratch directory, where 'tsx' would not resolve.
const TSX = import.meta.resolve('tsx');
const celt = (args: string[], cwd = ROOT) => spawnSync(process.execPath, ['--import', TSX, MAIN, ...args], { encoding: 'utf8', cwd });
/** smol's lno tutorial settings, as CLI flags (the same as test/cli/lno-smol.test.ts). */
const LNO_FEATURIZE = ['--cutoffs', '2:5,3:4.1', '--ewald', '--supercell-size', 'O2-', '--ltol', '0.2', '--stol', '0.3', '--angle-tol', '5'];
const rel = (a: number, b: number) => Math.abs(a - b) / Math.abs(b);

async function shot(page: Page, tab: string, name: string): Promise<void> {
  await page.click(`#tab-${tab}`);
  await page.waitForTimeout(300);
  await page.screenshot({ path: join(OUT, `${name}.png`), fullPage: true });
}

test('the lab in Chromium reproduces the CLI (lno OLS = smol; lmo_drx lasso search = npm start), offline, bad files reported', { timeout: 900_000 }, async () => {
  assert.ok(existsSync(CHROMIUM), `Chromium not found at ${CHROMIUM} (apt-get install -y chromium)`);
  mkdirSync(OUT, { recursive: true });
  const b = spawnSync(process.execPath, [join(ROOT, 'scripts/build-lab.mjs'), '--quiet'], { encoding: 'utf8' });
  assert.equal(b.status, 0, b.stderr);

  // The CLI's numbers, computed now (not stored): lno featurize + OLS fit, and `celt run` on lmo_drx.
  const tmp = mkdtempSync(join(tmpdir(), 'celt-lab-'));
  const f = celt(['featurize', '--prim', join(DATA_DIR, 'lno/prim.json'), '--data', join(DATA_DIR, 'lno/entries.json.gz'), ...LNO_FEATURIZE, '--out', join(tmp, 'lno.json')]);
  assert.equal(f.status, 0, f.stderr);
  const o = celt(['fit', '--data', join(tmp, 'lno.json'), '--method', 'ols', '--out', join(tmp, 'lno-ols.json')]);
  assert.equal(o.status, 0, o.stderr);
  const ols = JSON.parse(readFileSync(join(tmp, 'lno-ols.json'), 'utf8')) as { coef: number[]; train: { rmse: number } };
  const tCli = performance.now();
  const run = celt(['run', '--out', join(tmp, 'run')]);
  const cliRunSeconds = (performance.now() - tCli) / 1000;
  assert.equal(run.status, 0, run.stderr);
  const summary = JSON.parse(readFileSync(join(tmp, 'run/summary.json'), 'utf8')) as { fit: { cvRmse: number }; timings: Array<[string, number]> };

  const { server, url } = await serveLab(join(ROOT, 'dist-lab'));
  const browser = await chromium.launch({ executablePath: CHROMIUM, headless: true, args: ['--no-sandbox'] });
  const external: string[] = [];
  const pageErrors: string[] = [];
  try {
    const context = await browser.newContext({ viewport: { width: 1400, height: 1000 } });
    // Block everything not served by the local server (workers' requests included).
    await context.route('**/*', (route) => {
      const u = route.request().url();
      if (u.startsWith(url) || u.startsWith('data:') || u.startsWith('blob:')) return route.continue();
      external.push(u);
      return route.abort();
    });
    const page = await context.newPage();
    page.on('pageerror', (e) => pageErrors.push(e.message));
    await page.goto(url);
    await page.waitForSelector('body[data-ready="1"]', { state: 'attached', timeout: 120_000 });
    assert.match((await page.textContent('#prim-sg')) ?? '', /F m -3 m \(225\)/);

    // 1. lno, smol's tutorial settings, OLS.
    await page.selectOption('#dataset', 'lno');
    await page.waitForFunction(() => document.querySelector('#prim-line')?.textContent?.includes('Ni'));
    await page.click('#tab-space');
    await page.fill('#cutoffs', '2:5,3:4.1');
    await page.check('#ewald');
    await page.fill('#supercell-size', 'O2-');
    await page.fill('#ltol', '0.2');
    await page.fill('#stol', '0.3');
    await page.fill('#angle-tol', '5');
    await page.click('#tab-fit');
    await page.selectOption('#method', 'ols');
    await page.fill('#grid', '');
    await page.click('#btn-fit');
    await page.waitForSelector('body[data-fitted="1"]', { state: 'attached', timeout: 300_000 });
    assert.equal(await page.textContent('#mapped-count'), '27');
    assert.equal(await page.textContent('#entry-count'), '31');
    const lno = await page.evaluate(() => ({ ...(document.querySelector('#fit-summary') as HTMLElement).dataset }));
    const rmse = Number(lno.trainRmse), eps = Number(lno.dielectric);
    const cliEps = 1 / ols.coef.at(-1)!;
    assert.ok(rel(rmse, ols.train.rmse) < 1e-6, `page train RMSE ${rmse}, CLI ${ols.train.rmse}`);
    assert.ok(rel(eps, cliEps) < 1e-6, `page ε ${eps}, CLI ${cliEps}`);
    assert.ok(Math.abs(rmse * 1000 - 7.366465) < 5e-6, `page train RMSE ${rmse * 1000} meV/prim, smol 7.366465`);
    assert.ok(Math.abs(eps - 9.4131) < 5e-5, `page ε ${eps}, smol 9.4131`);
    for (const [tab, name] of [['data', '1-data-lno'], ['space', '2-space-lno'], ['fit', '3-fit-lno'], ['judge', '4-judge-lno']]) await shot(page, tab!, name!);
    // The link carries the settings: a new page opened on it has the same form.
    const linked = await context.newPage();
    await linked.goto(page.url());
    await linked.waitForSelector('body[data-ready="1"]', { state: 'attached', timeout: 120_000 });
    assert.deepEqual(
      await Promise.all(['#dataset', '#cutoffs', '#ltol', '#stol', '#angle-tol', '#method'].map((id) => linked.inputValue(id))),
      ['lno', '2:5,3:4.1', '0.2', '0.3', '5', 'ols'],
    );
    await linked.close();
    // Hovering a parity point shows its entry and error.
    await page.click('#tab-judge');
    // the last-drawn point is on top of any it overlaps; the sticky header is above the figure at scroll 0
    await page.evaluate(() => window.scrollTo(0, 0));
    const box = (await page.locator('#fig-parity path[aria-roledescription="point"]').last().boundingBox())!;
    await page.mouse.move(box.x + box.width / 2, box.y + box.height / 2);
    await page.waitForSelector('#vg-tooltip-element.visible', { timeout: 10_000 });
    assert.match((await page.textContent('#vg-tooltip-element')) ?? '', /entry.*CE − DFT/s);
    await page.screenshot({ path: join(OUT, '4b-judge-hover.png') });
    await page.click('#tab-structures');
    await page.selectOption('#structure-pick', { index: 1 });
    await page.waitForFunction(() => !document.querySelector('#structure-legend')?.textContent?.startsWith('primitive'));
    await page.waitForTimeout(500);
    await page.screenshot({ path: join(OUT, '5-structures-lno.png') });
    await page.click('#tab-export');
    const [dl] = await Promise.all([page.waitForEvent('download'), page.click('#exp-model')]);
    const modelPath = join(tmp, 'lab-model.json');
    await dl.saveAs(modelPath);
    // The exported model is loadable by `celt predict` and predicts the DFT structure it was fitted to.
    const pr = celt(['predict', '--model', modelPath, '--data', join(DATA_DIR, 'lno/entries.json.gz'), '--json']);
    assert.equal(pr.status, 0, pr.stderr);
    // report.html: the CLI's report layout (report.ts reportHtml) with every figure embedded as SVG.
    const [rep] = await Promise.all([page.waitForEvent('download', { timeout: 120_000 }), page.click('#exp-report')]);
    await rep.saveAs(join(tmp, 'lab-report.html'));
    const html = readFileSync(join(tmp, 'lab-report.html'), 'utf8');
    for (const id of ['dataset', 'settings', 'space', 'fit', 'parity', 'eci', 'hull', 'voltage']) assert.ok(html.includes(`<section id="${id}">`), `report section ${id}`);
    assert.ok((html.match(/data:image\/svg\+xml;base64,/g) ?? []).length >= 5);
    await shot(page, 'export', '7-export');

    // 2. Bad files: the CLI's one-line error next to the file; the page keeps working.
    const bad: Array<{ name: string; bytes: Buffer; role: 'prim' | 'data'; cli: string[]; upTo?: string }> = [
      { name: 'nan.json', bytes: Buffer.from('{"lattice": {"matrix": [[NaN, 0, 0], [0, 1, 0], [0, 0, 1]]}, "sites": []}'), role: 'prim', cli: ['structure', 'info', 'nan.json'] },
      { name: 'broken.vasp', bytes: Buffer.from('Li\n1.0\n1 0 0\n0 1 0\nzero 0 1\nLi\n1\nDirect\n0 0 0\n'), role: 'prim', cli: ['structure', 'info', 'broken.vasp'] },
      { name: 'notalist.json.gz', bytes: gzipSync('"just a string"'), role: 'data', cli: ['map', '--prim', join(DATA_DIR, 'lno/prim.json'), '--data', 'notalist.json.gz', '--out', 'm.json'] },
      // zlib names the fault, the browser's DecompressionStream does not: the line agrees up to the reason.
      { name: 'corrupt.json.gz', bytes: Buffer.concat([gzipSync('[1, 2, 3]').subarray(0, 12), Buffer.from('garbage')]), role: 'data', cli: ['map', '--prim', join(DATA_DIR, 'lno/prim.json'), '--data', 'corrupt.json.gz', '--out', 'm.json'], upTo: 'corrupt gzip data:' },
    ];
    await page.click('#tab-data');
    for (const f of bad) {
      writeFileSync(join(tmp, f.name), f.bytes);
      const r = celt(f.cli, tmp);
      assert.equal(r.status, 1, `${f.name}: the CLI should refuse it`);
      const cliLine = r.stderr.trim().split('\n').at(-1)!;
      await page.setInputFiles(f.role === 'prim' ? '#file-prim' : '#file-data', { name: f.name, mimeType: 'application/octet-stream', buffer: f.bytes });
      const li = page.locator(`#dropped li[data-file="${f.name}"] span`);
      await page.waitForFunction((n) => document.querySelector(`#dropped li[data-file="${n}"] span`)?.textContent !== 'reading…', f.name);
      assert.equal(await li.getAttribute('class'), 'error');
      const shown = (await li.textContent()) ?? '';
      if (f.upTo) assert.equal(shown.slice(0, shown.indexOf(f.upTo) + f.upTo.length), cliLine.slice(0, cliLine.indexOf(f.upTo) + f.upTo.length), `${f.name}: page vs CLI`);
      else assert.equal(shown, cliLine, `${f.name}: page vs CLI`);
    }
    // Good files dropped: lno's own prim and (gzipped) entries as uploads map as the embedded copy did.
    await page.setInputFiles('#file-prim', join(DATA_DIR, 'lno/prim.json'));
    await page.setInputFiles('#file-data', join(DATA_DIR, 'lno/entries.json.gz'));
    await page.waitForFunction(() => document.querySelector('#dropped li[data-file="entries.json.gz"] span')?.className === 'ok');
    assert.equal(await page.textContent('#dropped li[data-file="entries.json.gz"] span'), '31 entries');
    assert.equal(await page.inputValue('#dataset'), 'upload');
    await page.click('#btn-prepare');
    await page.waitForFunction(() => document.querySelector('#status')?.textContent?.startsWith('space and mapping ready'));
    assert.equal(await page.textContent('#mapped-count'), '27');
    assert.equal(await page.textContent('#skipped td'), 'entries.json.gz');
    await page.screenshot({ path: join(OUT, '1b-data-dropped-files.png'), fullPage: true });

    // 3. lmo_drx with the defaults: the default lasso search, as `npm start`.
    await page.selectOption('#dataset', 'lmo_drx');
    await page.waitForFunction(() => document.querySelector('#prim-line')?.textContent?.includes('Mn'));
    // Cancel: a running fit stops (the worker is replaced), the page stays usable.
    await page.click('#btn-fit');
    await page.waitForFunction(() => /mapping|CV search/.test(document.querySelector('#status')?.textContent ?? ''), undefined, { timeout: 300_000 });
    await page.click('#btn-cancel');
    assert.match((await page.textContent('#status')) ?? '', /cancelled/);
    assert.equal(await page.isEnabled('#btn-fit'), true);
    // Time to first fit: from the click to the result, in a fresh worker (fetch, map, search, fit, hulls).
    const t0 = Date.now();
    await page.click('#btn-fit');
    await page.waitForSelector('body[data-fitted="2"]', { state: 'attached', timeout: 600_000 });
    const pageSeconds = (Date.now() - t0) / 1000;
    const lmo = await page.evaluate(() => ({ ...(document.querySelector('#fit-summary') as HTMLElement).dataset }));
    assert.ok(rel(Number(lmo.cvRmse), summary.fit.cvRmse) < 1e-6, `page CV RMSE ${lmo.cvRmse}, celt run ${summary.fit.cvRmse}`);
    const cliFit = summary.timings.filter(([k]) => /CV search|final fit|CV predictions/.test(k)).reduce((a, [, t]) => a + t, 0);
    console.log(`lmo_drx: page first fit ${pageSeconds.toFixed(1)} s (build + map + search + fit + hulls, click to result), of which fit stages ${Number(lmo.fitSeconds).toFixed(2)} s; CLI fit stages ${cliFit.toFixed(2)} s (celt run ${cliRunSeconds.toFixed(1)} s in all); ratio ${(Number(lmo.fitSeconds) / cliFit).toFixed(2)}`);
    writeFileSync(join(OUT, 'timings.json'), JSON.stringify({ pageFirstFitSeconds: pageSeconds, pageFitStagesSeconds: Number(lmo.fitSeconds), cliFitStagesSeconds: cliFit, cliRunSeconds, pageTimings: JSON.parse(lmo.timings ?? '[]'), cliTimings: summary.timings }, null, 1));
    for (const [tab, name] of [['data', '1-data-lmo'], ['space', '2-space-lmo'], ['fit', '3-fit-lmo'], ['judge', '4-judge-lmo']]) await shot(page, tab!, name!);

    // Sample: a short canonical run on the fitted lmo_drx model, live trace and final cell.
    await page.click('#tab-sample');
    await page.fill('#mc-steps', '20000');
    await page.fill('#mc-warmup', '2000');
    await page.fill('#mc-supercell', '2');
    await page.click('#btn-sample');
    await page.waitForSelector('#mc-done', { timeout: 300_000 });
    await page.waitForTimeout(500);
    await page.screenshot({ path: join(OUT, '6-sample-lmo.png'), fullPage: true });

    assert.deepEqual(pageErrors, []);
    assert.deepEqual(external, [], 'the page made non-local requests');
  } finally {
    await browser.close();
    server.close();
  }
});

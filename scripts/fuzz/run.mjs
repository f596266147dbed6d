// `npm run fuzz`: builds celt once, writes the fuzz corpus (cases.mjs) into a scratch folder and
// runs every case through bin/celt.js, classifying each run:
//   clean      one-line error ("celt: …" or commander's "error: …"), exit 1
//   success    exit 0 where success is right (or acceptable)
//   accepted   exit 0 where a clean error was expected: review by hand (a silently wrong result?)
//   stack      "internal error", a stack trace, or an exit code other than 0/1
//   hang       still running at the timeout
//   memory     heap exhausted, or killed (SIGKILL/SIGABRT) as out of memory
//   unhelpful  exit 1, but the message leaks internals (undefined, NaN, [object …], a JS error name)
//   failed     exit 1 where success was expected (a valid invocation refused)
// Options: --filter <substring of command or label>, --timeout <s> (20), --jobs <n> (2),
// --no-build, --keep (keep the scratch folder), --log <file> (JSON lines per case), --celt <dist/cli/main.js>,
// --reclassify <log>: count the classes of a saved log again with this classifier (no runs).
import { spawn, spawnSync } from 'node:child_process';
import { mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { buildCases } from './cases.mjs';
import { writeFixtures } from './fixtures.mjs';

const ROOT = new URL('../../', import.meta.url).pathname;
// dist/ directly (not bin/celt.js, which falls back to tsx when src/ is newer): the build made
// at the start is what every case runs, even while the sources are being edited
const argv = process.argv.slice(2);
const opt = (name, dflt) => {
  const i = argv.indexOf(name);
  return i >= 0 ? argv[i + 1] : dflt;
};
// --celt <main.js>: run another build (e.g. an older checkout's dist/) on the same corpus, for before/after counts
const CELT = opt('--celt', join(ROOT, 'dist/cli/main.js'));
const TIMEOUT = Number(opt('--timeout', '20')) * 1000;
const JOBS = Number(opt('--jobs', '2'));
const FILTER = opt('--filter', '');
const LOG = opt('--log', '');

// NaN where celt computed it ("got NaN", "= NaN"), not where it names a NaN it found in the input
const UNHELPFUL = /\bundefined\b|(got|is|=) NaN\b|: NaN\b(?! or Infinity literal| literal)|\[object |Cannot read prop|is not a function|is not iterable|unreachable|RuntimeError|TypeError|RangeError|ReferenceError|SyntaxError: Unexpected/;

function classify(c, r) {
  const err = r.stderr;
  if (r.timedOut) return 'hang';
  if (/heap out of memory|Allocation failed|Array buffer allocation failed/i.test(err) || r.signal === 'SIGKILL' || r.signal === 'SIGABRT') return 'memory';
  if (/internal error|\n\s+at .+:\d+:\d+\)?/.test(err) || (r.code !== 0 && r.code !== 1)) return 'stack';
  if (r.code === 0) return c.expect === 'error' ? 'accepted' : 'success';
  const lines = err.trim().split('\n');
  const message = lines.find((l) => /^(celt: |error: )/.test(l)) ?? lines[0] ?? '';
  // the user's own input echoed in quotes ('NaN', 'undefined') is not celt leaking internals
  if (!/^(celt: |error: )/.test(message) || UNHELPFUL.test(message.replace(/'[^']*'/g, "''"))) return 'unhelpful';
  return c.expect === 'ok' ? 'failed' : 'clean';
}

function runCase(c, scratch) {
  const out = join(scratch, 'out', c.id);
  mkdirSync(out, { recursive: true });
  const args = c.args.map((a) => a.replace('@OUT', out));
  return new Promise((resolve) => {
    const t0 = Date.now();
    const child = spawn(process.execPath, ['--max-old-space-size=3072', CELT, ...args], { cwd: out, stdio: ['ignore', 'pipe', 'pipe'], detached: true });
    let stderr = '';
    let stdoutBytes = 0;
    child.stdout.on('data', (d) => (stdoutBytes += d.length));
    child.stderr.on('data', (d) => (stderr += d));
    let timedOut = false;
    const timer = setTimeout(() => {
      timedOut = true;
      try {
        process.kill(-child.pid, 'SIGKILL');
      } catch {}
    }, TIMEOUT);
    child.on('close', (code, signal) => {
      clearTimeout(timer);
      const r = { code, signal: timedOut ? null : signal, stderr, timedOut, ms: Date.now() - t0, stdoutBytes };
      resolve({ ...c, args, class: classify(c, r), code, signal: r.signal, timedOut, ms: r.ms, stderr: stderr.slice(0, 2000) });
    });
  });
}

function reclassify(log) {
  const counts = {};
  for (const line of readFileSync(log, 'utf8').split('\n').filter(Boolean)) {
    const r = JSON.parse(line);
    const cls = classify(r, { code: r.code, signal: r.signal, stderr: r.stderr, timedOut: r.timedOut ?? r.class === 'hang' });
    counts[cls] = (counts[cls] ?? 0) + 1;
    if (!['clean', 'success'].includes(cls)) console.error(`${cls.padEnd(9)} ${r.id} ${r.label}: ${r.stderr.trim().split('\n').slice(-1)[0] ?? ''}`.slice(0, 300));
  }
  console.log(JSON.stringify({ log, counts }, null, 1));
}

async function main() {
  if (opt('--reclassify')) return reclassify(opt('--reclassify'));
  if (!argv.includes('--no-build') && !argv.includes('--celt')) {
    const b = spawnSync(process.execPath, [join(ROOT, 'scripts/build.mjs')], { stdio: 'inherit' });
    if (b.status !== 0) process.exit(b.status ?? 1);
  }
  const scratch = mkdtempSync(join(tmpdir(), 'celt-fuzz-'));
  const base = writeFixtures(scratch, CELT);
  const all = buildCases(scratch, base);
  const cases = FILTER ? all.filter((c) => c.command.includes(FILTER) || c.label.includes(FILTER)) : all;
  const commands = new Set(all.map((c) => c.command.split('-')[0]));
  console.error(`fuzz: ${cases.length} of ${all.length} cases over ${commands.size} commands, ${JOBS} at a time, timeout ${TIMEOUT / 1000} s`);
  const results = [];
  let next = 0;
  const worker = async () => {
    while (next < cases.length) {
      const c = cases[next++];
      const r = await runCase(c, scratch);
      results.push(r);
      if (!['clean', 'success'].includes(r.class)) console.error(`${r.class.padEnd(9)} ${r.id} ${r.label}: ${r.stderr.trim().split('\n').slice(-1)[0] ?? ''}`.slice(0, 300));
    }
  };
  await Promise.all(Array.from({ length: JOBS }, worker));
  results.sort((a, b) => a.id.localeCompare(b.id));
  const counts = {};
  for (const r of results) counts[r.class] = (counts[r.class] ?? 0) + 1;
  if (LOG) writeFileSync(LOG, results.map((r) => JSON.stringify(r)).join('\n') + '\n');
  console.log(JSON.stringify({ cases: results.length, counts }, null, 1));
  if (!argv.includes('--keep')) rmSync(scratch, { recursive: true, force: true });
  else console.error(`scratch folder kept: ${scratch}`);
  const bad = (counts.stack ?? 0) + (counts.hang ?? 0) + (counts.memory ?? 0) + (counts.failed ?? 0);
  process.exit(bad ? 1 : 0);
}

await main();

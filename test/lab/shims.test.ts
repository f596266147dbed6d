/**
 * The browser lab's adapters for Node modules (lab/src/shims/), checked against Node's own
 * modules on the calls the library makes, and the shareable session (URL hash) round trip.
 * The lab's end-to-end test in Chromium is lab/test/lab.e2e.test.ts (`npm run test:lab`).
 */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import * as nodePath from 'node:path';
import * as shimPath from '../../lab/src/shims/path.ts';
import { existsSync, getFile, putFile, readFileSync, readdirSync, statSync, writeFileSync } from '../../lab/src/shims/fs.ts';
import { decodeSession, defaultSession, encodeSession, sessionAsConfig } from '../../lab/src/session.ts';
import { configFromObject } from '../../src/workflow/config.ts';

test('path shim agrees with node:path (POSIX) on the library’s calls', () => {
  const cases = ['/a/b/c.json', 'a/b/../c.json.gz', '/data/lno/prim.json', 'x', '/x/', './y/z.cif', '/a/./b//c', '../up/one'];
  for (const p of cases) {
    assert.equal(shimPath.dirname(p), nodePath.posix.dirname(p), `dirname ${p}`);
    assert.equal(shimPath.basename(p), nodePath.posix.basename(p), `basename ${p}`);
    assert.equal(shimPath.extname(p), nodePath.posix.extname(p), `extname ${p}`);
    assert.equal(shimPath.isAbsolute(p), nodePath.posix.isAbsolute(p), `isAbsolute ${p}`);
    assert.equal(shimPath.resolve('/', p), nodePath.posix.resolve('/', p), `resolve ${p}`);
    assert.equal(shimPath.join('/out', p), nodePath.posix.join('/out', p), `join ${p}`);
  }
  assert.equal(shimPath.relative('/a/b', '/a/c/d'), nodePath.posix.relative('/a/b', '/a/c/d'));
  assert.equal(shimPath.relative('/', '/data/x.json'), nodePath.posix.relative('/', '/data/x.json'));
});

test('in-memory fs shim: files by absolute or root-relative path, Buffer-like toString, directories', () => {
  putFile('/data/t/prim.json', '{"a": "é"}');
  assert.ok(existsSync('data/t/prim.json') && existsSync('/data/t') && !existsSync('/data/none'));
  assert.equal(statSync('/data/t').isDirectory(), true);
  assert.equal(statSync('/data/t/prim.json').isDirectory(), false);
  const b = readFileSync('/data/t/prim.json');
  assert.equal(typeof b === 'string' ? b : b.toString('utf8'), '{"a": "é"}');
  assert.equal(readFileSync('/data/t/prim.json', 'utf8'), '{"a": "é"}');
  assert.throws(() => readFileSync('/nope.json'), /ENOENT/);
  writeFileSync('/out/model.json', 'x');
  assert.deepEqual([...getFile('out/model.json')!], [120]);
  assert.deepEqual(readdirSync('/data'), ['t']);
});

test('a session survives the URL hash and is a valid celt run config', () => {
  for (const d of ['lmo_drx', 'lno', 'agpd_fcc'] as const) {
    const s = defaultSession(d);
    s.fit.params = { alpha: '1e-3' };
    assert.deepEqual(decodeSession(`#s=${encodeSession(s)}`), s);
    const cfg = configFromObject(sessionAsConfig(s), '/repo', 'session.json');
    assert.equal(cfg.prim, `/repo/data/${d}/prim.json`);
  }
  // the lab's lmo_drx defaults are `celt run`'s defaults (what `npm start` fits)
  const dflt = configFromObject({}, '/repo', undefined, false);
  const lab = configFromObject(sessionAsConfig(defaultSession('lmo_drx')), '/repo', 'session.json');
  const settings = (c: typeof lab) => ({ space: c.space, mapping: c.mapping, fit: c.fit, thermo: c.thermo, mc: c.mc });
  assert.deepEqual(settings(lab), settings(dflt));
  assert.equal(decodeSession('#s=not-base64!'), undefined);
});

// A tiny static server for the built lab (dist-lab/) on 127.0.0.1 — what `npm run lab` runs
// after building, and what the end-to-end test serves the page with. Any static host works the
// same way: the lab needs no special headers (no cross-origin isolation, no SharedArrayBuffer).
//   node scripts/serve-lab.mjs [--port 8765] [--dir dist-lab]
import { createServer } from 'node:http';
import { readFile, stat } from 'node:fs/promises';
import { extname, join, normalize, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';

const TYPES = { '.html': 'text/html; charset=utf-8', '.js': 'text/javascript; charset=utf-8', '.css': 'text/css; charset=utf-8', '.json': 'application/json', '.wasm': 'application/wasm', '.txt': 'text/plain; charset=utf-8', '.gz': 'application/octet-stream' };

/** Serve `dir` on 127.0.0.1:`port` (0 = any free port); resolves to the server and its base URL. */
export function serveLab(dir, port = 0) {
  const root = resolve(dir);
  const server = createServer(async (req, res) => {
    try {
      const url = new URL(req.url ?? '/', 'http://127.0.0.1');
      let path = normalize(join(root, decodeURIComponent(url.pathname)));
      if (!path.startsWith(root)) throw new Error('outside');
      if ((await stat(path)).isDirectory()) path = join(path, 'index.html');
      const body = await readFile(path);
      res.writeHead(200, { 'content-type': TYPES[extname(path)] ?? 'application/octet-stream', 'content-length': body.length, 'cache-control': 'no-cache' });
      res.end(body);
    } catch {
      res.writeHead(404, { 'content-type': 'text/plain' });
      res.end('not found');
    }
  });
  return new Promise((ok, fail) => {
    server.once('error', fail);
    server.listen(port, '127.0.0.1', () => ok({ server, url: `http://127.0.0.1:${server.address().port}/` }));
  });
}

if (process.argv[1] && resolve(process.argv[1]) === fileURLToPath(import.meta.url)) {
  const args = process.argv.slice(2);
  const opt = (name, dflt) => (args.includes(name) ? args[args.indexOf(name) + 1] : dflt);
  const dir = opt('--dir', join(fileURLToPath(new URL('..', import.meta.url)), 'dist-lab'));
  const { url } = await serveLab(dir, Number(opt('--port', '8765')));
  console.log(`celt lab: ${url}  (serving ${dir}; Ctrl-C to stop)`);
}

/**
 * The lab's Web Worker: owns the celt library (and its WebAssembly: moyo for symmetry, HiGHS
 * for LPs) so the page stays responsive; cancelling a run terminates this worker and the page
 * starts a fresh one. Messages: `{ id, type, ... }` in; `{ id, type: 'progress' | 'result' |
 * 'error', ... }` out. Errors are sent as the CLI's one-line description.
 */
import { CeltError, ParseError } from '../../src/core/errors.ts';
import { checkDroppedFile, exportFile, fit, methods, prepare, primSummary, reportFile, spaceView, structureFor, inputPaths } from './engine.ts';
import { sample, type SampleRequest } from './sample.ts';
import { putFile, getFile } from './shims/fs.ts';
import type { Session } from './session.ts';

type Request =
  | { id: number; type: 'methods' }
  | { id: number; type: 'dataset'; session: Session }
  | { id: number; type: 'drop'; name: string; role: 'prim' | 'data'; bytes: ArrayBuffer }
  | { id: number; type: 'prepare'; session: Session }
  | { id: number; type: 'fit'; session: Session }
  | { id: number; type: 'structure'; what: Parameters<typeof structureFor>[0] }
  | { id: number; type: 'export'; what: 'model' | 'training-set' }
  | { id: number; type: 'report' }
  | { id: number; type: 'sample'; request: SampleRequest };

const post = (m: unknown) => (self as unknown as Worker).postMessage(m);

/** gunzip with the browser's DecompressionStream; a corrupt stream is the CLI's ParseError. */
async function gunzipIfNeeded(bytes: Uint8Array, file: string): Promise<Uint8Array> {
  if (bytes.length < 2 || bytes[0] !== 0x1f || bytes[1] !== 0x8b) return bytes;
  try {
    const stream = new Blob([bytes as BlobPart]).stream().pipeThrough(new DecompressionStream('gzip'));
    return new Uint8Array(await new Response(stream).arrayBuffer());
  } catch (e) {
    // zlib names the fault (e.g. 'unexpected end of file'); the stream API only fails (a TypeError 'Failed to fetch').
    throw new ParseError(`corrupt gzip data: the browser could not inflate it (${(e as Error).name})`, { file });
  }
}

async function fetchBytes(rel: string): Promise<Uint8Array> {
  const r = await fetch(new URL(rel, self.location.href));
  if (!r.ok) throw new Error(`${rel}: HTTP ${r.status}`);
  return new Uint8Array(await r.arrayBuffer());
}

let wasmReady: Promise<void> | undefined;
function loadWasm(): Promise<void> {
  wasmReady ??= fetchBytes('moyo_wasm_bg.wasm').then((b) => putFile('/wasm/moyo_wasm_bg.wasm', b));
  return wasmReady;
}

/** Embedded datasets are fetched from the site (data/NAME/) on first use and kept in memory. */
async function ensureDataset(s: Session): Promise<void> {
  if (s.dataset === 'upload') return;
  const { prim, data } = inputPaths(s);
  for (const path of [prim, ...data]) {
    if (getFile(path)) continue;
    putFile(path, await gunzipIfNeeded(await fetchBytes(path.slice(1)), path));
  }
}

async function handle(m: Request, progress: (label: string, done: number, total: number, extra?: unknown) => void): Promise<unknown> {
  await loadWasm();
  switch (m.type) {
    case 'methods':
      return methods();
    case 'dataset': {
      await ensureDataset(m.session);
      return primSummary(inputPaths(m.session).prim);
    }
    case 'drop': {
      try {
        putFile(m.name, await gunzipIfNeeded(new Uint8Array(m.bytes), m.name));
      } catch (e) {
        if (e instanceof CeltError) return { ok: false, message: `celt: ${e.describe()}` };
        throw e;
      }
      return checkDroppedFile(m.name, m.role);
    }
    case 'prepare': {
      await ensureDataset(m.session);
      return spaceView(await prepare(m.session, progress));
    }
    case 'fit': {
      await ensureDataset(m.session);
      const t0 = performance.now();
      const r = await fit(m.session, progress);
      return { ...r, totalSeconds: (performance.now() - t0) / 1000 };
    }
    case 'structure':
      return structureFor(m.what);
    case 'export':
      return exportFile(m.what);
    case 'report':
      return reportFile();
    case 'sample':
      return sample(m.request, progress);
  }
}

self.onmessage = async (ev: MessageEvent<Request>) => {
  const m = ev.data;
  let last = 0;
  const progress = (label: string, done: number, total: number, extra?: unknown) => {
    const now = performance.now();
    // At most ~20 messages a second: a fold loop can report thousands of steps.
    if (extra === undefined && done < total && now - last < 50) return;
    last = now;
    post({ id: m.id, type: 'progress', label, done, total, extra });
  };
  try {
    post({ id: m.id, type: 'result', result: await handle(m, progress) });
  } catch (e) {
    const message = e instanceof CeltError ? `celt: ${e.describe()}` : `celt: internal error: ${(e as Error)?.message ?? String(e)}`;
    if (!(e instanceof CeltError)) console.error(e);
    post({ id: m.id, type: 'error', message });
  }
};

// Module workers with top-level await (HiGHS loads at import) may drop messages that arrive
// before this handler exists: the page waits for this before sending any.
post({ type: 'ready' });

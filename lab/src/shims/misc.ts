/**
 * The small rest of Node's modules for the browser lab: node:url, node:module, node:os,
 * node:worker_threads, node:crypto (selected by scripts/build-lab.mjs). The library reaches
 * them only at module load (file URLs, moyo's wasm path) or on paths the lab does not take
 * (worker pools: os.availableParallelism() = 1 keeps fit/selection/parallel.ts inline; the
 * page's own Web Worker runs the whole library off the main thread).
 */
export function fileURLToPath(u: string | URL): string {
  return typeof u === 'string' ? (u.startsWith('file:') ? new URL(u).pathname : new URL(u).pathname) : u.pathname;
}
export function pathToFileURL(p: string): URL {
  return new URL(`file://${p}`);
}

/** Packages' files resolve into /wasm/ of the in-memory file system (the lab puts moyo's wasm there). */
export function createRequire(): { resolve(id: string): string } {
  return { resolve: (id: string) => `/wasm/${id.split('/').pop()}` };
}

export function availableParallelism(): number {
  return 1;
}
export function tmpdir(): string {
  return '/tmp';
}
export function cpus(): unknown[] {
  return [{}];
}

export class Worker {
  constructor() {
    throw new Error('worker threads are not available in the browser lab');
  }
}
export const parentPort = null;
export const workerData = undefined;
export const isMainThread = true;

export function createHash(): never {
  throw new Error('node:crypto is not available in the browser lab');
}

export default { fileURLToPath, pathToFileURL, createRequire, availableParallelism, tmpdir, cpus, Worker, parentPort, workerData, isMainThread, createHash };

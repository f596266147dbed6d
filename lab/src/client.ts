/**
 * The page's side of the Web Worker: numbered requests, progress callbacks, and cancel — which
 * terminates the worker (a synchronous fit cannot be interrupted from outside any other way)
 * and starts a fresh one; the worker caches nothing the page cannot ask for again.
 */
type Pending = { resolve: (v: unknown) => void; reject: (e: Error) => void };
export type ProgressListener = (label: string, done: number, total: number, extra?: unknown) => void;

export class LabWorker {
  private worker!: Worker;
  private next = 1;
  private pending = new Map<number, Pending>();
  private ready!: Promise<void>;

  constructor(
    private readonly url: URL,
    private readonly onProgress: ProgressListener,
  ) {
    this.spawn();
  }

  private spawn(): void {
    this.worker = new Worker(this.url, { type: 'module' });
    let markReady!: () => void;
    this.ready = new Promise((r) => (markReady = r));
    this.worker.onmessage = (ev: MessageEvent<{ id: number; type: string; result?: unknown; message?: string; label?: string; done?: number; total?: number; extra?: unknown }>) => {
      const m = ev.data;
      if (m.type === 'ready') return markReady();
      if (m.type === 'progress') return this.onProgress(m.label!, m.done!, m.total!, m.extra);
      const p = this.pending.get(m.id);
      if (!p) return;
      this.pending.delete(m.id);
      if (m.type === 'result') p.resolve(m.result);
      else p.reject(new Error(m.message));
    };
    this.worker.onerror = (e) => {
      for (const p of this.pending.values()) p.reject(new Error(`celt: internal error in the worker: ${e.message}`));
      this.pending.clear();
    };
  }

  request(type: string, payload: Record<string, unknown>): Promise<unknown> {
    const id = this.next++;
    const transfer = payload.bytes instanceof ArrayBuffer ? [payload.bytes] : [];
    return new Promise((resolve, reject) => {
      this.pending.set(id, { resolve, reject });
      const w = this.worker;
      void this.ready.then(() => w.postMessage({ id, type, ...payload }, transfer));
    });
  }

  cancel(): void {
    this.worker.terminate();
    for (const p of this.pending.values()) p.reject(new Error('cancelled'));
    this.pending.clear();
    this.spawn();
  }
}

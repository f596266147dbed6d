// Plain-JS entry for worker threads: registers tsx's loader inside the worker (Node 20 does not
// honour `--import tsx` in a Worker's execArgv), then loads the TypeScript worker module.
import { register } from 'tsx/esm/api';
import { workerData } from 'node:worker_threads';

register();
await import(workerData.entry);

/**
 * node:zlib for the browser lab. Gzip data is inflated by the page with DecompressionStream
 * (asynchronous) before it enters the in-memory file system, so the library never sees gzip
 * bytes there; reaching this means a file skipped that step.
 */
export function gunzipSync(): never {
  throw new Error('gzip data must be decompressed before it is read in the browser lab');
}
export default { gunzipSync };

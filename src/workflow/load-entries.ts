/**
 * The workflow's entry lists: several files (any format src/structure/io reads, gzipped or
 * not) numbered as one list, remembering where each entry came from.
 */
import { loadEntries, type EntryResult } from '../structure/io/read.ts';

export interface LoadedEntries {
  /** Entries numbered 0… across all files (the index mapping and skip lists use). */
  entries: EntryResult[];
  /** For each global index: its file and the index within that file. */
  origin: Array<{ file: string; index: number }>;
}

export async function loadEntryFiles(paths: string[]): Promise<LoadedEntries> {
  const entries: EntryResult[] = [];
  const origin: LoadedEntries['origin'] = [];
  for (const file of paths) {
    for (const r of await loadEntries(file)) {
      const index = entries.length;
      origin.push({ file, index: r.index });
      entries.push(r.error ? { index, error: r.error } : { index, entry: r.entry });
    }
  }
  return { entries, origin };
}

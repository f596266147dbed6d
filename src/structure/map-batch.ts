/**
 * Map a list of entries onto a primitive cell: every entry is either mapped or reported as
 * skipped with a reason tag (a bad entry in the input list is a skip too, never an abort).
 */
import { CeltError, MappingError, OptionError } from '../core/errors.ts';
import type { Mat3 } from '../core/mat3.ts';
import type { EntryResult } from './io/read.ts';
import { mapStructure, type MappingOptions } from './mapping.ts';
import type { Structure } from './structure.ts';

export interface MappedEntry {
  entry: number;
  scMatrix: Mat3;
  occupancy: string[];
  maxDisplacement: number;
}

export interface SkippedEntry {
  entry: number;
  reason: string;
  message: string;
}

export interface MapBatchResult {
  mapped: MappedEntry[];
  skipped: SkippedEntry[];
}

export function mapEntries(prim: Structure, entries: EntryResult[], opts: MappingOptions = {}, onEach?: (done: number) => void): MapBatchResult {
  const mapped: MappedEntry[] = [];
  const skipped: SkippedEntry[] = [];
  entries.forEach((e, k) => {
    if (e.error) {
      skipped.push({ entry: e.index, reason: 'bad-entry', message: e.error.describe() });
    } else {
      try {
        const m = mapStructure(prim, e.entry.structure, opts);
        mapped.push({ entry: e.index, scMatrix: m.scMatrix, occupancy: m.occupancy.map((s) => s.key), maxDisplacement: m.maxDisplacement });
      } catch (err) {
        if (err instanceof MappingError) skipped.push({ entry: e.index, reason: err.reason, message: err.message });
        else if (err instanceof CeltError && !(err instanceof OptionError)) skipped.push({ entry: e.index, reason: 'bad-entry', message: err.describe() });
        else throw err;
      }
    }
    onEach?.(k + 1);
  });
  return { mapped, skipped };
}

/** Counts of skips by reason, most frequent first. */
export function skipCounts(skipped: SkippedEntry[]): [string, number][] {
  const c = new Map<string, number>();
  for (const s of skipped) c.set(s.reason, (c.get(s.reason) ?? 0) + 1);
  return [...c].sort((a, b) => b[1] - a[1]);
}

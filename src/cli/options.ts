/** Option parsing shared by the CLI commands: repeatable options, positive numbers, key=value params. */
import { OptionError } from '../core/errors.ts';

/** commander accumulator for a repeatable option (--param a=1 --param b=2). */
export function collect(value: string, previous: string[]): string[] {
  return [...previous, value];
}

export function positiveNumber(name: string, text: string): number {
  const x = Number(text);
  if (!(x > 0) || !Number.isFinite(x)) throw new OptionError(`--${name} must be a positive number, got '${text}'`, { field: name });
  return x;
}

/** `--param key=value` list → record of raw strings (each method checks types and ranges). */
export function parseParams(list: string[]): Record<string, string> {
  const out: Record<string, string> = {};
  for (const kv of list) {
    const eq = kv.indexOf('=');
    if (eq <= 0) throw new OptionError(`--param must look like key=value, got '${kv}'`, { field: 'param' });
    out[kv.slice(0, eq).trim()] = kv.slice(eq + 1).trim();
  }
  return out;
}

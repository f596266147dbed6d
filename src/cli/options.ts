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

/** `--energy-key` / `--per-atom`: which property of an ASE database row is the energy to fit. */
export function addEntryOptions<C extends { option(flags: string, description: string): C }>(cmd: C): C {
  return cmd
    .option('--energy-key <key>', "ASE database (.db) property to fit: the 'energy' column or a key_value_pairs key (default energy)")
    .option('--per-atom', 'the --energy-key property is per atom (e.g. icet\'s mixing_energy); it is multiplied by the atom count');
}

export function entryOptions(o: { energyKey?: string; perAtom?: boolean }): { energyKey?: string; perAtom?: boolean } {
  const out: { energyKey?: string; perAtom?: boolean } = {};
  if (o.energyKey !== undefined) {
    if (!/^\w+$/.test(o.energyKey)) throw new OptionError(`--energy-key must be a property name, got '${o.energyKey}'`, { field: 'energy-key' });
    out.energyKey = o.energyKey;
  }
  if (o.perAtom) out.perAtom = true;
  return out;
}

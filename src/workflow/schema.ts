/**
 * A tiny declarative checker for the project config. Hand-written rather than a JSON-Schema
 * library because the config is small and the one thing we need — an OptionError naming the
 * exact key path (`fit.grid.alpha`) and the file — is easier to guarantee here than to
 * recover from a generic validator's error objects.
 */
import { OptionError } from '../core/errors.ts';

export type Node =
  | { kind: 'number'; min?: number; gt?: number; max?: number; doc: string }
  | { kind: 'integer'; min?: number; max?: number; doc: string }
  | { kind: 'string'; choices?: readonly string[]; doc: string }
  | { kind: 'boolean'; doc: string }
  | { kind: 'array'; of: Node; minItems?: number; doc: string }
  /** Free keys (cutoffs per cluster size, grid per parameter name) mapping to one value type. */
  | { kind: 'record'; key?: RegExp; keyDoc?: string; of: Node; doc: string }
  | { kind: 'object'; fields: Record<string, Node>; doc: string }
  /** Anything JSON (method parameters are checked later by the method registry). */
  | { kind: 'any'; doc: string }
  | { kind: 'oneOf'; options: Node[]; doc: string }
  | { kind: 'nullable'; of: Node };

function typeName(v: unknown): string {
  if (v === null) return 'null';
  if (Array.isArray(v)) return 'a list';
  return typeof v === 'string' ? `text "${v}"` : typeof v === 'object' ? 'an object' : `${typeof v} ${String(v)}`;
}

function expected(n: Node): string {
  switch (n.kind) {
    case 'number': return 'a number';
    case 'integer': return 'an integer';
    case 'string': return n.choices ? `one of ${n.choices.map((c) => `"${c}"`).join(', ')}` : 'text';
    case 'boolean': return 'true or false';
    case 'array': return `a list of ${expected(n.of)}`;
    case 'record':
    case 'object': return 'an object';
    case 'any': return 'any value';
    case 'oneOf': return n.options.map(expected).join(' or ');
    case 'nullable': return `${expected(n.of)} or null`;
  }
}

/**
 * Check `value` against `node`; keys starting with "_" are comments and ignored everywhere.
 * Throws OptionError with location.field = the dotted key path.
 */
export function check(node: Node, value: unknown, path: string, file?: string): undefined {
  const fail = (msg: string): never => {
    throw new OptionError(msg, { file, field: path || '(top level)' });
  };
  switch (node.kind) {
    case 'nullable':
      if (value === null) return;
      return check(node.of, value, path, file);
    case 'any':
      return;
    case 'number':
    case 'integer': {
      if (typeof value !== 'number' || !Number.isFinite(value)) return fail(`expected ${expected(node)}, got ${typeName(value)}`);
      if (node.kind === 'integer' && !Number.isInteger(value)) return fail(`expected an integer, got ${value}`);
      if (node.min !== undefined && value < node.min) return fail(`must be ≥ ${node.min}, got ${value}`);
      if (node.max !== undefined && value > node.max) return fail(`must be ≤ ${node.max}, got ${value}`);
      if (node.kind === 'number' && node.gt !== undefined && !(value > node.gt)) return fail(`must be > ${node.gt}, got ${value}`);
      return;
    }
    case 'string':
      if (typeof value !== 'string') return fail(`expected ${expected(node)}, got ${typeName(value)}`);
      if (node.choices && !node.choices.includes(value)) return fail(`expected ${expected(node)}, got "${value}"`);
      return;
    case 'boolean':
      if (typeof value !== 'boolean') return fail(`expected true or false, got ${typeName(value)}`);
      return;
    case 'array':
      if (!Array.isArray(value)) return fail(`expected ${expected(node)}, got ${typeName(value)}`);
      if (node.minItems !== undefined && value.length < node.minItems) return fail(`needs at least ${node.minItems} item(s)`);
      value.forEach((v, i) => check(node.of, v, `${path}[${i}]`, file));
      return;
    case 'record':
    case 'object': {
      if (typeof value !== 'object' || value === null || Array.isArray(value)) return fail(`expected an object, got ${typeName(value)}`);
      for (const [k, v] of Object.entries(value)) {
        if (k.startsWith('_')) continue;
        const sub = path ? `${path}.${k}` : k;
        if (node.kind === 'object') {
          const f = node.fields[k];
          if (!f) {
            throw new OptionError(`unknown key '${k}'${path ? ` in '${path}'` : ''}; known keys: ${Object.keys(node.fields).join(', ')}`, { file, field: sub });
          }
          check(f, v, sub, file);
        } else {
          if (node.key && !node.key.test(k)) throw new OptionError(`bad key '${k}': expected ${node.keyDoc ?? node.key.source}`, { file, field: sub });
          check(node.of, v, sub, file);
        }
      }
      return;
    }
    case 'oneOf': {
      for (const o of node.options) {
        try {
          check(o, value, path, file);
          return;
        } catch (e) {
          if (!(e instanceof OptionError)) throw e;
        }
      }
      return fail(`expected ${expected(node)}, got ${typeName(value)}`);
    }
  }
}

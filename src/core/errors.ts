/**
 * Typed errors. Every error a user can cause carries where it happened (file, entry, field,
 * line) so the CLI can print one actionable line instead of a stack trace.
 */

export interface ErrorLocation {
  file?: string;
  entry?: number | string;
  field?: string;
  line?: number;
}

export class CeltError extends Error {
  readonly location: ErrorLocation;
  constructor(message: string, location: ErrorLocation = {}) {
    super(message);
    this.name = new.target.name;
    this.location = location;
  }

  /** "file.json, entry 3, field 'energy': message" — the form the CLI prints. */
  describe(): string {
    const where: string[] = [];
    const { file, entry, field, line } = this.location;
    if (file !== undefined) where.push(file);
    if (line !== undefined) where.push(`line ${line}`);
    if (entry !== undefined) where.push(`entry ${entry}`);
    if (field !== undefined) where.push(`field '${field}'`);
    return where.length ? `${where.join(', ')}: ${this.message}` : this.message;
  }

  /** Same error with more location filled in (inner code knows the field, outer the file). */
  at(extra: ErrorLocation): this {
    Object.assign(this.location, Object.fromEntries(Object.entries(extra).filter(([k, v]) => v !== undefined && (this.location as Record<string, unknown>)[k] === undefined)));
    return this;
  }
}

/** Malformed or inconsistent input data (files, entries, fields). */
export class InputError extends CeltError {}
/** A file could not be parsed in its format. */
export class ParseError extends CeltError {}
/** Hyperparameters or options outside their allowed range, or an unknown name. */
export class OptionError extends CeltError {}
/** Numerical failure: singular matrix, non-finite values, no convergence where it is required. */
export class NumericalError extends CeltError {}
/** A structure cannot be mapped onto the lattice; `reason` is a short machine-readable tag. */
export class MappingError extends CeltError {
  constructor(
    message: string,
    readonly reason: string,
    location: ErrorLocation = {},
  ) {
    super(message, location);
  }
}

/** Run fn; a CeltError it throws gets `location` filled in (inner code knows the line, outer the file). */
export function withLocation<T>(location: ErrorLocation, fn: () => T): T {
  try {
    return fn();
  } catch (e) {
    if (e instanceof CeltError) throw e.at(location);
    throw e;
  }
}

export function assertFiniteArray(values: ArrayLike<number>, what: string, location: ErrorLocation = {}): void {
  for (let i = 0; i < values.length; i++) {
    if (!Number.isFinite(values[i])) {
      throw new InputError(`${what} has a non-finite value (${values[i]}) at index ${i}`, location);
    }
  }
}

/**
 * The one CSV reader (learning tables and regression data): first line is the header, comma
 * separated, optional double quotes around fields, '#' comment lines and blank lines skipped. Feature columns must
 * be finite numbers; the error names the file, line and column of the first bad cell.
 */
import { readTextFile } from '../core/files.ts';
import { InputError, ParseError } from '../core/errors.ts';
import { Mat } from '../core/matrix.ts';

export interface Table {
  header: string[];
  rows: string[][];
  /** 1-based file line of each row, for error messages. */
  lines: number[];
  file: string;
}

function splitCsvLine(line: string, file: string, lineNo: number): string[] {
  const out: string[] = [];
  let cur = '', quoted = false;
  for (let i = 0; i < line.length; i++) {
    const ch = line[i]!;
    if (quoted) {
      if (ch === '"' && line[i + 1] === '"') { cur += '"'; i++; }
      else if (ch === '"') quoted = false;
      else cur += ch;
    } else if (ch === '"') quoted = true;
    else if (ch === ',') { out.push(cur.trim()); cur = ''; }
    else cur += ch;
  }
  if (quoted) throw new ParseError('unterminated quoted field', { file, line: lineNo });
  out.push(cur.trim());
  return out;
}

export function parseCsv(text: string, file = '<csv>'): Table {
  const all = text.split(/\r?\n/);
  let header: string[] | null = null;
  const rows: string[][] = [], lines: number[] = [];
  all.forEach((raw, k) => {
    const line = raw.trim();
    if (!line || line.startsWith('#')) return;
    const cells = splitCsvLine(line, file, k + 1);
    if (!header) {
      header = cells;
      const seen = new Set<string>();
      for (const h of header) {
        if (!h) throw new ParseError('empty column name in header', { file, line: k + 1 });
        if (seen.has(h)) throw new ParseError(`duplicate column '${h}' in header`, { file, line: k + 1 });
        seen.add(h);
      }
      return;
    }
    if (cells.length !== header.length) throw new ParseError(`expected ${header.length} fields, got ${cells.length}`, { file, line: k + 1 });
    rows.push(cells);
    lines.push(k + 1);
  });
  if (!header) throw new ParseError('no header line', { file });
  return { header, rows, lines, file };
}

export function readCsv(path: string): Table {
  return parseCsv(readTextFile(path), path);
}

export function columnIndex(t: Table, name: string, what: string): number {
  const j = t.header.indexOf(name);
  if (j < 0) throw new InputError(`${what} column '${name}' not found; columns: ${t.header.join(', ')}`, { file: t.file });
  return j;
}

/**
 * A CSV cell as a decimal number, or NaN. Stricter than Number(): '0x10' (16), '1e', ' ' (0)
 * and thousands separators are not numbers a table of energies means.
 */
export function parseDecimal(text: string): number {
  const t = text.trim();
  return /^[+-]?(\d+\.?\d*|\.\d+)([eE][+-]?\d+)?$/.test(t) ? Number(t) : NaN;
}

export function numericColumn(t: Table, j: number): Float64Array {
  return Float64Array.from(t.rows, (r, i) => {
    const v = r[j]!;
    const x = parseDecimal(v);
    if (!Number.isFinite(x)) throw new InputError(`not a finite number: '${v}'`, { file: t.file, line: t.lines[i], field: t.header[j] });
    return x;
  });
}

export function numericMatrix(t: Table, cols: number[]): Mat {
  const X = new Mat(t.rows.length, cols.length);
  cols.forEach((j, k) => {
    const c = numericColumn(t, j);
    for (let i = 0; i < c.length; i++) X.data[i * cols.length + k] = c[i]!;
  });
  return X;
}

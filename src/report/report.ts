/**
 * The workflow report: one self-contained HTML file. Each figure is written beside it as
 * SVG + PNG (for papers and slides) and embedded in the HTML as a base64 SVG data URI —
 * an <img> keeps each figure's SVG ids (Vega clip paths) isolated, and the file still opens
 * offline with nothing else next to it.
 */
import { mkdirSync, writeFileSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { writePlot, type VegaLiteSpec } from './plot.ts';

export interface SkippedInFile {
  file: string;
  entry: number | string;
  reason: string;
  message: string;
}

export interface OrbitRow {
  id: number;
  /** Sites in the cluster (0 = empty cluster). */
  size: number;
  /** Largest site–site distance, Å. */
  diameter: number;
  /** Clusters per primitive cell. */
  multiplicity: number;
  /** Correlation functions (decorations) in this orbit. */
  functions: number;
  /** Sum of |ECI| over the orbit's functions, when a fit exists. */
  eciNorm?: number;
  /** Nonzero ECIs in the orbit. */
  nonzero?: number;
}

export interface ReportTable {
  columns: string[];
  rows: Array<Array<string | number>>;
  /** Also write the whole table as this CSV file beside the report (linked under the table). */
  csv?: string;
}

export interface ReportSection {
  id: string;
  title: string;
  /** Paragraphs of text (escaped). */
  text?: string[];
  /** Key/value pairs shown as a two-column table. */
  facts?: Array<[string, string | number]>;
  table?: ReportTable;
  figure?: { name: string; spec: VegaLiteSpec; caption: string };
  /** Preformatted text (escaped), e.g. ground-state lists. */
  pre?: string;
}

export interface ReportInput {
  title: string;
  subtitle?: string;
  sections: ReportSection[];
}

export interface WrittenReport {
  html: string;
  figures: Array<{ name: string; svg: string; png: string }>;
}

export function escapeHtml(s: string): string {
  return s.replace(/&/g, '&amp;').replace(/</g, '&lt;').replace(/>/g, '&gt;').replace(/"/g, '&quot;');
}

export function formatNumber(x: number, digits = 4): string {
  if (!Number.isFinite(x)) return String(x);
  if (Number.isInteger(x)) return String(x);
  const a = Math.abs(x);
  return a !== 0 && (a < 1e-3 || a >= 1e5) ? x.toExponential(digits - 1) : x.toPrecision(digits).replace(/\.?0+$/, '');
}

function cell(v: string | number): string {
  return escapeHtml(typeof v === 'number' ? formatNumber(v) : v);
}

function renderTable(t: ReportTable): string {
  const head = t.columns.map((c) => `<th>${escapeHtml(c)}</th>`).join('');
  const body = t.rows.map((r) => `<tr>${r.map((v) => `<td${typeof v === 'number' ? ' class="num"' : ''}>${cell(v)}</td>`).join('')}</tr>`).join('\n');
  return `<table><thead><tr>${head}</tr></thead><tbody>\n${body}\n</tbody></table>`;
}

const STYLE = `
body { font-family: "DejaVu Sans", Helvetica, Arial, sans-serif; max-width: 1000px; margin: 2em auto; padding: 0 1em; color: #222; line-height: 1.4; }
h1 { margin-bottom: 0.1em; } .sub { color: #666; margin-top: 0; }
h2 { border-bottom: 1px solid #ddd; padding-bottom: 0.2em; margin-top: 2em; }
table { border-collapse: collapse; margin: 0.8em 0; font-size: 0.9em; }
th, td { border: 1px solid #ddd; padding: 3px 8px; text-align: left; }
th { background: #f4f4f4; } td.num { text-align: right; font-variant-numeric: tabular-nums; }
figure { margin: 1em 0; } figure img { max-width: 100%; } figcaption { color: #555; font-size: 0.9em; }
pre { background: #f7f7f7; padding: 0.6em; overflow-x: auto; font-size: 0.85em; }
nav a { margin-right: 1em; } .scroll { max-height: 420px; overflow-y: auto; }
@media print { .scroll { max-height: none; overflow: visible; } nav { display: none; } }
`;

/** One figure as the HTML embeds it: an SVG data URI, and where its files are (if written). */
export interface EmbeddedFigure {
  dataUri: string;
  files?: string;
}

/**
 * The report as one HTML string; `figure` renders each figure (the CLI writes SVG + PNG files
 * and embeds the SVG, the browser lab renders the same specs in the page); `tableFile`, when
 * given, stores a long table's full CSV next to the report (the HTML then links it).
 */
export async function reportHtml(input: ReportInput, figure: (name: string, spec: VegaLiteSpec) => Promise<EmbeddedFigure>, tableFile?: (name: string, csv: string) => void): Promise<string> {
  const parts: string[] = [];
  for (const s of input.sections) {
    const out: string[] = [`<section id="${escapeHtml(s.id)}"><h2>${escapeHtml(s.title)}</h2>`];
    for (const p of s.text ?? []) out.push(`<p>${escapeHtml(p)}</p>`);
    if (s.facts?.length) out.push(renderTable({ columns: ['', ''], rows: s.facts }).replace('<thead><tr><th></th><th></th></tr></thead>', ''));
    if (s.figure) {
      const f = await figure(s.figure.name, s.figure.spec);
      out.push(
        `<figure><img alt="${escapeHtml(s.figure.caption)}" src="${f.dataUri}"><figcaption>${escapeHtml(s.figure.caption)}` +
          `${f.files ? ` (files: ${escapeHtml(f.files)})` : ''}</figcaption></figure>`,
      );
    }
    if (s.pre) out.push(`<pre>${escapeHtml(s.pre)}</pre>`);
    if (s.table) {
      out.push(`<div class="scroll">${renderTable(s.table)}</div>`);
      if (s.table.csv && tableFile) {
        tableFile(s.table.csv, tableCsv(s.table));
        out.push(`<p>All ${s.table.rows.length} rows: <a href="${escapeHtml(s.table.csv)}">${escapeHtml(s.table.csv)}</a> (the table scrolls on screen and prints in full).</p>`);
      }
    }
    out.push('</section>');
    parts.push(out.join('\n'));
  }
  const nav = input.sections.map((s) => `<a href="#${escapeHtml(s.id)}">${escapeHtml(s.title)}</a>`).join(' ');
  return `<!DOCTYPE html>
<html lang="en"><head><meta charset="utf-8"><title>${escapeHtml(input.title)}</title><style>${STYLE}</style></head>
<body><h1>${escapeHtml(input.title)}</h1>${input.subtitle ? `<p class="sub">${escapeHtml(input.subtitle)}</p>` : ''}
<nav>${nav}</nav>
${parts.join('\n')}
</body></html>
`;
}

/** Write `<dir>/report.html` and `<dir>/figures/<name>.{svg,png}`. */
export async function writeReport(input: ReportInput, dir: string): Promise<WrittenReport> {
  mkdirSync(join(dir, 'figures'), { recursive: true });
  const figures: WrittenReport['figures'] = [];
  const html = await reportHtml(input, async (name, spec) => {
    const paths = await writePlot(spec, join(dir, 'figures', name));
    figures.push({ name, ...paths });
    const b64 = Buffer.from(readFileSync(paths.svg)).toString('base64');
    return { dataUri: `data:image/svg+xml;base64,${b64}`, files: `figures/${name}.svg, .png` };
  }, (name, csv) => writeFileSync(join(dir, name), csv));
  const htmlPath = join(dir, 'report.html');
  writeFileSync(htmlPath, html);
  return { html: htmlPath, figures };
}

/** A CSV text field, quoted per RFC 4180 when it holds a quote, comma or newline. */
export function csvQuote(v: string): string {
  return /[",\n]/.test(v) ? `"${v.replace(/"/g, '""')}"` : v;
}

/** A table as CSV (RFC 4180 quoting), numbers at full precision. */
export function tableCsv(t: ReportTable): string {
  const q = (v: string | number) => (typeof v === 'number' ? String(v) : csvQuote(v));
  return [t.columns, ...t.rows].map((r) => r.map(q).join(',')).join('\n') + '\n';
}

/** The orbit table as report rows. */
export function orbitTable(rows: OrbitRow[]): ReportTable {
  const withEci = rows.some((r) => r.eciNorm !== undefined);
  const columns = ['orbit', 'sites', 'diameter (Å)', 'multiplicity', 'functions', ...(withEci ? ['nonzero ECIs', 'Σ|ECI| (eV)'] : [])];
  return {
    columns,
    rows: rows.map((r) => [r.id, r.size, r.diameter, r.multiplicity, r.functions, ...(withEci ? [r.nonzero ?? 0, r.eciNorm ?? 0] : [])]),
    csv: 'orbits.csv',
  };
}

/** Skip reasons counted, most frequent first. */
export function skipReasonCounts(skipped: SkippedInFile[]): Array<{ reason: string; count: number }> {
  const m = new Map<string, number>();
  for (const s of skipped) m.set(s.reason, (m.get(s.reason) ?? 0) + 1);
  return [...m.entries()].map(([reason, count]) => ({ reason, count })).sort((a, b) => b.count - a.count || a.reason.localeCompare(b.reason));
}

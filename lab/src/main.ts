/**
 * The lab page: panels (Data, Space, Fit, Judge, Structures, Sample, Export), the settings
 * form ↔ session (URL hash), and the client of the Web Worker that runs the celt library.
 * All numbers come from the worker; this file only shows them.
 */
import embed from 'vega-embed';
import { decodeSession, defaultSession, encodeSession, sessionAsConfig, type DatasetName, type Session } from './session.ts';
import { showStructure, speciesColor } from './viewer.ts';
import { LabWorker } from './client.ts';
import type { ParamSpec } from '../../src/fit/method-spec.ts';

type MethodInfo = { name: string; summary: string; params: Record<string, ParamSpec> };
type StructureView = { title: string; formula: string; nSites: number; lattice: number[][]; sites: Array<{ xyz: number[]; species: string[]; occu: number[] }> };

const $ = <T extends HTMLElement = HTMLElement>(id: string) => document.getElementById(id) as T;
const val = (id: string) => $<HTMLInputElement>(id).value.trim();
const checked = (id: string) => $<HTMLInputElement>(id).checked;
const esc = (s: unknown) => String(s).replace(/&/g, '&amp;').replace(/</g, '&lt;').replace(/>/g, '&gt;');
const fmt = (x: number | undefined | null, d = 6) => (x === undefined || x === null || !Number.isFinite(x) ? '—' : Math.abs(x) !== 0 && (Math.abs(x) < 1e-3 || Math.abs(x) >= 1e5) ? x.toExponential(d - 1) : x.toPrecision(d));

const worker = new LabWorker(new URL('worker.js', import.meta.url), onProgress);
let methods: MethodInfo[] = [];
let uploads: { prim?: string; data: string[] } = { data: [] };

// ---------- tabs ----------
function setupTabs(): void {
  const nav = $('tabs');
  for (const p of document.querySelectorAll<HTMLElement>('.panel')) {
    const b = document.createElement('button');
    b.textContent = p.dataset.title!;
    b.id = `tab-${p.id.replace('panel-', '')}`;
    b.onclick = () => showPanel(p.id);
    nav.appendChild(b);
  }
  showPanel('panel-data');
}

function showPanel(id: string): void {
  for (const p of document.querySelectorAll<HTMLElement>('.panel')) p.classList.toggle('active', p.id === id);
  for (const b of document.querySelectorAll<HTMLElement>('#tabs button')) b.classList.toggle('active', b.id === `tab-${id.replace('panel-', '')}`);
}

// ---------- status ----------
function status(text: string, error = false): void {
  const s = $('status');
  s.textContent = text;
  s.classList.toggle('error', error);
}

function onProgress(label: string, done: number, total: number, extra?: unknown): void {
  const p = $<HTMLProgressElement>('progress');
  p.max = Math.max(total, 1);
  p.value = done;
  status(`${label} ${done}/${total}`);
  if (label === 'Monte Carlo' && extra) void drawTrace(extra as TraceUpdate);
}

function busy(on: boolean): void {
  for (const id of ['btn-prepare', 'btn-fit', 'btn-sample']) $<HTMLButtonElement>(id).disabled = on;
  $<HTMLButtonElement>('btn-cancel').disabled = !on;
  document.body.dataset.busy = on ? '1' : '';
}

// ---------- session <-> form ----------
function cutoffsText(c: Record<string, number>): string {
  return Object.entries(c).map(([k, v]) => `${k}:${v}`).join(',');
}

function parseCutoffs(text: string): Record<string, number> {
  const out: Record<string, number> = {};
  for (const part of text.split(',').map((t) => t.trim()).filter(Boolean)) {
    const [k, v] = part.split(':');
    out[String(k).trim()] = Number(v);
  }
  return out;
}

function numOrText(t: string): string | number {
  return /^\d+$/.test(t) ? Number(t) : t;
}

function formToSession(): Session {
  const grid: Record<string, string> = {};
  for (const line of val('grid').split('\n').map((l) => l.trim()).filter(Boolean)) {
    const eq = line.indexOf('=');
    grid[line.slice(0, eq).trim()] = line.slice(eq + 1).trim();
  }
  const params: Record<string, unknown> = {};
  for (const el of document.querySelectorAll<HTMLInputElement | HTMLSelectElement>('#params [data-param]')) {
    const k = el.dataset.param!;
    if (el instanceof HTMLInputElement && el.type === 'checkbox') {
      if (el.indeterminate) continue;
      params[k] = el.checked;
    } else if (el.value.trim() !== '') params[k] = el.value.trim();
  }
  const endMembers = val('end-members');
  const ion = val('ion');
  const ref = val('ion-ref');
  return {
    dataset: $<HTMLSelectElement>('dataset').value as DatasetName,
    ...(uploads.prim || uploads.data.length ? { upload: uploads } : {}),
    space: { cutoffs: parseCutoffs(val('cutoffs')), basis: val('basis'), orthonormal: checked('orthonormal'), measure: val('measure') as 'uniform', ewald: checked('ewald') },
    mapping: { ltol: Number(val('ltol')), stol: Number(val('stol')), angleTol: Number(val('angle-tol')), supercellSize: numOrText(val('supercell-size')), mode: val('mode') as 'standard' },
    fit: { method: val('method'), params, grid, cv: val('cv'), seed: Number(val('seed')), learningCurve: checked('learning-curve'), groupDuplicates: checked('group-duplicates') },
    thermo: { endMembers: endMembers ? endMembers.split(',').map((s) => s.trim()) : null, ion: ion || null, ionRefEnergy: ref === '' ? null : Number(ref) },
  };
}

function sessionToForm(s: Session): void {
  const set = (id: string, v: unknown) => {
    $<HTMLInputElement>(id).value = v === null || v === undefined ? '' : String(v);
  };
  set('dataset', s.dataset);
  set('cutoffs', cutoffsText(s.space.cutoffs));
  set('basis', s.space.basis);
  $<HTMLInputElement>('orthonormal').checked = s.space.orthonormal;
  set('measure', s.space.measure);
  $<HTMLInputElement>('ewald').checked = s.space.ewald;
  set('supercell-size', s.mapping.supercellSize);
  set('ltol', s.mapping.ltol);
  set('stol', s.mapping.stol);
  set('angle-tol', s.mapping.angleTol);
  set('mode', s.mapping.mode);
  set('method', s.fit.method);
  renderParams(s.fit.params);
  set('grid', Object.entries(s.fit.grid ?? {}).map(([k, v]) => `${k}=${Array.isArray(v) ? v.join(',') : v}`).join('\n'));
  set('cv', s.fit.cv);
  set('seed', s.fit.seed);
  $<HTMLInputElement>('learning-curve').checked = s.fit.learningCurve;
  $<HTMLInputElement>('group-duplicates').checked = s.fit.groupDuplicates;
  set('end-members', s.thermo.endMembers?.join(',') ?? '');
  set('ion', s.thermo.ion ?? '');
  set('ion-ref', s.thermo.ionRefEnergy ?? '');
}

function saveHash(): void {
  history.replaceState(null, '', `#s=${encodeSession(formToSession())}`);
}

// ---------- Fit form from the registry's parameter specs ----------
function renderParams(values: Record<string, unknown> = {}): void {
  const m = methods.find((x) => x.name === val('method'));
  $('method-summary').textContent = m?.summary ?? '';
  const box = $('params');
  box.innerHTML = '';
  if (!m) return;
  for (const [k, spec] of Object.entries(m.params)) {
    const label = document.createElement('label');
    label.title = spec.description;
    const v = values[k];
    if (spec.type === 'boolean') {
      const input = document.createElement('input');
      input.type = 'checkbox';
      input.dataset.param = k;
      input.checked = v === undefined ? Boolean(spec.default) : v === true || v === 'true';
      // untouched = the method's default (not sent), so a shared session stays minimal
      input.indeterminate = v === undefined;
      input.onchange = () => {
        input.indeterminate = false;
      };
      label.append(input, ` ${k}`);
    } else if (spec.choices) {
      const sel = document.createElement('select');
      sel.dataset.param = k;
      sel.append(new Option(`(default ${spec.default ?? ''})`, ''), ...spec.choices.map((c) => new Option(c, c)));
      sel.value = v === undefined ? '' : String(v);
      label.append(`${k} `, sel);
    } else {
      const input = document.createElement('input');
      input.dataset.param = k;
      input.size = 10;
      input.placeholder = spec.default === undefined ? '' : String(spec.default);
      input.value = v === undefined ? '' : String(v);
      const range = [spec.gt !== undefined ? `> ${spec.gt}` : '', spec.min !== undefined ? `≥ ${spec.min}` : '', spec.max !== undefined ? `≤ ${spec.max}` : ''].filter(Boolean).join(', ');
      label.append(`${k}${range ? ` (${range})` : ''} `, input);
    }
    box.appendChild(label);
  }
}

// ---------- Data ----------
function table(columns: string[], rows: Array<Array<string | number>>, cls = 't'): string {
  const td = (v: string | number) => `<td${typeof v === 'number' ? ' class="num"' : ''}>${esc(typeof v === 'number' ? (Number.isInteger(v) ? v : fmt(v, 5)) : v)}</td>`;
  const head = columns.some(Boolean) ? `<thead><tr>${columns.map((c) => `<th>${esc(c)}</th>`).join('')}</tr></thead>` : '';
  return `<table class="${cls}">${head}<tbody>${rows.map((r) => `<tr>${r.map(td).join('')}</tr>`).join('')}</tbody></table>`;
}

type Prim = { file: string; formula: string; spaceGroup: string; nSites: number; abc: number[]; angles: number[]; sites: Array<{ species: string; wyckoff: string }>; structure: StructureView };

async function loadDataset(): Promise<void> {
  const s = formToSession();
  if (s.dataset === 'upload' && !uploads.prim) {
    $('prim-summary').textContent = 'drop a primitive cell file';
    return;
  }
  try {
    const p = (await worker.request('dataset', { session: s })) as Prim;
    $('prim-summary').innerHTML =
      `<p id="prim-line"><b>${esc(p.formula)}</b> (${esc(p.file)}), space group <b id="prim-sg">${esc(p.spaceGroup)}</b>, ${p.nSites} sites; a, b, c = ${p.abc.map((x) => x.toFixed(4)).join(', ')} Å; α, β, γ = ${p.angles.map((x) => x.toFixed(2)).join(', ')}°</p>` +
      table(['site', 'allowed species : occupancy', 'Wyckoff'], p.sites.map((x, i) => [i, x.species, x.wyckoff]));
    status('ready');
  } catch (e) {
    $('prim-summary').innerHTML = `<span class="error">${esc((e as Error).message)}</span>`;
  }
}

async function dropFiles(files: FileList | File[], role: 'prim' | 'data'): Promise<void> {
  for (const f of Array.from(files)) {
    const li = document.createElement('li');
    li.dataset.file = f.name;
    li.innerHTML = `<b>${esc(f.name)}</b> (${role}, ${f.size} bytes): <span>reading…</span>`;
    $('dropped').appendChild(li);
    const span = li.querySelector('span')!;
    try {
      const r = (await worker.request('drop', { name: f.name, role, bytes: await f.arrayBuffer() })) as { ok: boolean; message: string };
      span.className = r.ok ? 'ok' : 'error';
      span.textContent = r.message;
      if (r.ok) {
        if (role === 'prim') uploads.prim = f.name;
        else if (!uploads.data.includes(f.name)) uploads.data.push(f.name);
        if (uploads.prim) {
          $<HTMLSelectElement>('dataset').value = 'upload';
          await loadDataset();
        }
      }
    } catch (e) {
      span.className = 'error';
      span.textContent = (e as Error).message;
    }
  }
}

function setupDrops(): void {
  for (const el of document.querySelectorAll<HTMLElement>('.drop')) {
    const role = el.dataset.role as 'prim' | 'data';
    el.ondragover = (e) => {
      e.preventDefault();
      el.classList.add('over');
    };
    el.ondragleave = () => el.classList.remove('over');
    el.ondrop = (e) => {
      e.preventDefault();
      el.classList.remove('over');
      if (e.dataTransfer?.files.length) void dropFiles(e.dataTransfer.files, role);
    };
  }
  $<HTMLInputElement>('file-prim').onchange = (e) => void dropFiles((e.target as HTMLInputElement).files!, 'prim');
  $<HTMLInputElement>('file-data').onchange = (e) => void dropFiles((e.target as HTMLInputElement).files!, 'data');
}

// ---------- Space + mapping ----------
type SpaceView = {
  spaceGroup: string; nOrbits: number; nFunctions: number; nFeatures: number; ewald: boolean;
  orbits: Array<{ id: number; size: number; diameter: number; multiplicity: number; nFunctions: number }>;
  matrix: [number, number]; entries: number; mapped: number;
  skipped: Array<{ file: string; entry: number; reason: string; message: string }>;
  skipCounts: Array<[string, number]>; duplicates: number[][]; rowNames: string[]; timings: Array<[string, number]>;
};
let spaceView: SpaceView | undefined;

async function prepare(): Promise<boolean> {
  saveHash();
  busy(true);
  try {
    const v = (await worker.request('prepare', { session: formToSession() })) as SpaceView;
    spaceView = v;
    $('space-summary').innerHTML =
      `<p>space group ${esc(v.spaceGroup)}; <b id="n-orbits">${v.nOrbits}</b> orbits, <b id="n-functions">${v.nFunctions}</b> correlation functions${v.ewald ? ' + Ewald' : ''} = ${v.nFeatures} features; ` +
      `feature matrix <b id="matrix-size">${v.matrix[0]} × ${v.matrix[1]}</b></p>`;
    $('orbits').innerHTML = table(['orbit', 'sites', 'diameter (Å)', 'multiplicity', 'functions'], v.orbits.map((o) => [o.id, o.size, o.diameter, o.multiplicity, o.nFunctions]));
    $('duplicates').innerHTML = v.duplicates.length
      ? `<p>${v.duplicates.length} groups of mapped entries share a correlation vector (one configuration to the CE; CV keeps each group in one fold when “duplicates in one fold” is on):</p><ul>${v.duplicates.map((g) => `<li>${g.map((i) => esc(v.rowNames[i])).join(' · ')}</li>`).join('')}</ul>`
      : '<p>no two mapped entries share a correlation vector</p>';
    $('mapping-summary').innerHTML =
      `<p><b id="mapped-count">${v.mapped}</b> of <b id="entry-count">${v.entries}</b> entries mapped; ${v.skipped.length} skipped` +
      `${v.skipCounts.length ? ': ' + v.skipCounts.map(([r, n]) => `${esc(r)} ×${n}`).join(', ') : ''}</p>`;
    $('skipped').innerHTML = v.skipped.length ? table(['file', 'entry', 'reason', 'message'], v.skipped.map((s) => [s.file, String(s.entry), s.reason, s.message])) : '';
    fillStructurePicker();
    status(`space and mapping ready (${v.timings.map(([k, t]) => `${k} ${t.toFixed(2)} s`).join(', ')})`);
    return true;
  } catch (e) {
    status((e as Error).message, true);
    return false;
  } finally {
    busy(false);
  }
}

// ---------- Fit + Judge ----------
type FitView = {
  method: string; params: Record<string, unknown>; trainRmse: number; cvRmse?: number; cvStd?: number; oofRmse: number; nNonzero: number; nFeatures: number;
  ewaldEci?: number; dielectric?: number; fitSeconds: number; totalSeconds: number; timings: Array<[string, number]>;
  figures: Array<{ id: string; title: string; caption: string; spec: Record<string, unknown> }>; parity: Record<string, unknown>;
  groundStates?: { matched: string[]; missing: string[]; spurious: string[] }; hullError?: string; voltageNote?: string;
};
let fitView: FitView | undefined;

async function runFit(): Promise<void> {
  if (!(await prepare())) return;
  busy(true);
  const t0 = performance.now();
  try {
    const f = (await worker.request('fit', { session: formToSession() })) as FitView;
    const wall = (performance.now() - t0) / 1000;
    fitView = f;
    const params = Object.entries(f.params).map(([k, v]) => `${k}=${typeof v === 'number' ? fmt(v, 4) : String(v)}`).join(', ') || '(defaults)';
    $('fit-summary').innerHTML = table(['', ''], [
      ['method', `${f.method} ${params}`],
      ['train RMSE (meV/prim)', `${(f.trainRmse * 1000).toFixed(6)}`],
      ['CV RMSE at the chosen point (eV/prim)', f.cvRmse === undefined ? '— (no grid searched)' : `${f.cvRmse.toPrecision(7)} ± ${fmt(f.cvStd, 4)}`],
      ['out-of-fold RMSE (eV/prim)', f.oofRmse.toPrecision(7)],
      ['nonzero ECIs', `${f.nNonzero} of ${f.nFeatures}`],
      ['Ewald ECI → dielectric constant ε = 1/ECI', f.ewaldEci === undefined ? '— (no Ewald term)' : `${fmt(f.ewaldEci, 7)} → ${f.dielectric?.toFixed(6)}`],
      ['time: fit stages in the worker / request incl. hulls', `${f.fitSeconds.toFixed(2)} s / ${wall.toFixed(2)} s`],
      ['stages (as celt run times them)', f.timings.map(([k, t]) => `${k} ${t.toFixed(2)} s`).join('; ')],
    ]);
    // Exact values for scripts (the end-to-end test reads these).
    const out = $('fit-summary');
    out.dataset.trainRmse = String(f.trainRmse);
    out.dataset.cvRmse = f.cvRmse === undefined ? '' : String(f.cvRmse);
    out.dataset.dielectric = f.dielectric === undefined ? '' : String(f.dielectric);
    out.dataset.fitSeconds = String(f.fitSeconds);
    out.dataset.wallSeconds = String(wall);
    out.dataset.timings = JSON.stringify(f.timings);
    await renderJudge(f);
    fillStructurePicker();
    status(`fitted in ${wall.toFixed(2)} s`);
    document.body.dataset.fitted = String(Number(document.body.dataset.fitted ?? 0) + 1);
  } catch (e) {
    status((e as Error).message, true);
  } finally {
    busy(false);
  }
}

async function renderJudge(f: FitView): Promise<void> {
  const box = $('figures');
  box.innerHTML = '';
  const gs = f.groundStates;
  $('gs-summary').innerHTML = gs
    ? `<p>ground states on the training structures: <b>${gs.matched.length}</b> matched, <b id="gs-missing">${gs.missing.length}</b> missing (DFT ground state not on the CE hull), <b id="gs-spurious">${gs.spurious.length}</b> spurious (CE-only)` +
      `${gs.missing.length ? `<br>missing: ${gs.missing.map(esc).join(', ')}` : ''}${gs.spurious.length ? `<br>spurious: ${gs.spurious.map(esc).join(', ')}` : ''}</p>`
    : `<p>${esc(f.hullError ?? 'no hull')}</p>`;
  if (f.voltageNote) $('gs-summary').innerHTML += `<p>voltage: ${esc(f.voltageNote)}</p>`;
  // The report's figures (same specs as report.html); the parity plot is the labelled one (hover: entry, error).
  const figs = f.figures.map((x) => (x.id === 'parity' ? { ...x, spec: f.parity, caption: `${x.caption} Hover a point for its entry, formula and error.` } : x)).filter((x) => x.id !== 'dataset');
  for (const fig of figs) {
    const el = document.createElement('figure');
    el.id = `fig-${fig.id}`;
    const div = document.createElement('div');
    const cap = document.createElement('figcaption');
    cap.textContent = fig.caption;
    el.append(div, cap);
    box.appendChild(el);
    await embed(div, fig.spec as never, { actions: { export: true, source: false, compiled: false, editor: false }, renderer: 'svg' });
  }
}

// ---------- Structures ----------
function fillStructurePicker(): void {
  const sel = $<HTMLSelectElement>('structure-pick');
  const keep = sel.value;
  sel.innerHTML = '';
  sel.append(new Option('primitive cell', 'prim'));
  if (fitView?.groundStates) {
    const g = document.createElement('optgroup');
    g.label = 'DFT ground states (matched + missing)';
    for (const n of [...fitView.groundStates.matched, ...fitView.groundStates.missing]) g.append(new Option(n, `name:${n}`));
    sel.append(g);
  }
  if (spaceView) {
    const g = document.createElement('optgroup');
    g.label = 'mapped entries';
    spaceView.rowNames.forEach((n, i) => g.append(new Option(n, `row:${i}`)));
    sel.append(g);
  }
  if ([...sel.options].some((o) => o.value === keep)) sel.value = keep;
}

async function showPicked(): Promise<void> {
  const v = $<HTMLSelectElement>('structure-pick').value;
  const what = v === 'prim' ? { kind: 'prim' } : v.startsWith('row:') ? { kind: 'row', row: Number(v.slice(4)) } : { kind: 'name', name: v.slice(5) };
  try {
    const s = (await worker.request('structure', { what })) as StructureView;
    const species = showStructure($('viewer'), s);
    $('structure-legend').innerHTML = `<b>${esc(s.title)}</b> (${esc(s.formula)}, ${s.nSites} sites) ` + species.map((k) => `<span class="legend-chip" style="background:${speciesColor(k)}">${esc(k)}</span>`).join('');
  } catch (e) {
    $('structure-legend').innerHTML = `<span class="error">${esc((e as Error).message)}</span>`;
  }
}

// ---------- Sample ----------
type TraceUpdate = { trace: Array<{ step: number; energy: number }>; energy: { mean: number; std: number } | null; acceptance: number };

async function drawTrace(u: TraceUpdate): Promise<void> {
  $('mc-summary').innerHTML = `<p>${u.trace.length} samples; acceptance ${u.acceptance.toFixed(3)}${u.energy ? `; last chunk ⟨E⟩ = ${u.energy.mean.toFixed(5)} ± ${u.energy.std.toFixed(5)} eV/prim` : ''}</p>`;
  await embed($('mc-trace'), {
    $schema: 'https://vega.github.io/schema/vega-lite/v5.json',
    title: 'Monte Carlo energy trace',
    width: 560, height: 240,
    data: { values: u.trace },
    mark: { type: 'line', strokeWidth: 1 },
    encoding: { x: { field: 'step', type: 'quantitative', title: 'step' }, y: { field: 'energy', type: 'quantitative', title: 'energy (eV/prim)', scale: { zero: false } } },
  } as never, { actions: false, renderer: 'svg' });
}

async function runSample(): Promise<void> {
  busy(true);
  try {
    const r = (await worker.request('sample', {
      request: { supercell: val('mc-supercell'), ensemble: val('mc-ensemble'), T: Number(val('mc-T')), composition: val('mc-composition'), mu: val('mc-mu'), steps: Number(val('mc-steps')), warmup: Number(val('mc-warmup')), seed: Number(val('mc-seed')), chunks: Number(val('mc-chunks')) },
    })) as TraceUpdate & { lowestEnergy: number; nSites: number; seconds: number; composition: Record<string, number>; final: StructureView };
    await drawTrace(r);
    $('mc-summary').innerHTML += `<p id="mc-done">${r.nSites} sites, ${r.seconds.toFixed(2)} s; lowest energy seen ${r.lowestEnergy.toFixed(5)} eV/prim; composition ${Object.entries(r.composition).map(([k, x]) => `${esc(k)} ${x.toFixed(3)}`).join(', ')}. Final configuration:</p>`;
    const shown = showStructure($('mc-viewer'), { ...r.final, title: 'final configuration' });
    $('mc-summary').innerHTML += `<p>${shown.map((k) => `<span class="legend-chip" style="background:${speciesColor(k)}">${esc(k)}</span>`).join('')}</p>`;
    status('Monte Carlo done');
  } catch (e) {
    status((e as Error).message, true);
    $('mc-summary').innerHTML = `<p class="error">${esc((e as Error).message)}</p>`;
  } finally {
    busy(false);
  }
}

// ---------- Export ----------
function download(name: string, text: string, type = 'application/json'): void {
  const a = document.createElement('a');
  a.href = URL.createObjectURL(new Blob([text], { type }));
  a.download = name;
  a.click();
  setTimeout(() => URL.revokeObjectURL(a.href), 10_000);
  $('export-status').textContent = `${name}: ${text.length} bytes`;
}

async function exportWhat(what: 'model' | 'training-set' | 'report'): Promise<void> {
  try {
    if (what === 'report') download('report.html', (await worker.request('report', {})) as string, 'text/html');
    else download(`${what}.json`, (await worker.request('export', { what })) as string);
  } catch (e) {
    $('export-status').innerHTML = `<span class="error">${esc((e as Error).message)}</span>`;
  }
}

// ---------- start ----------
async function start(): Promise<void> {
  setupTabs();
  setupDrops();
  methods = (await worker.request('methods', {})) as MethodInfo[];
  const sel = $<HTMLSelectElement>('method');
  for (const m of methods) sel.append(new Option(m.name, m.name));
  const s = decodeSession(location.hash) ?? defaultSession();
  if (s.upload) s.dataset = 'lmo_drx'; // dropped files are not part of a link
  sessionToForm(s);
  sel.onchange = () => {
    renderParams();
    // The default grid belongs to the default method (config-schema.ts); other methods start without one.
    $<HTMLTextAreaElement>('grid').value = sel.value === 'lasso' ? 'alpha=1e-6:1e-1:11:log' : '';
  };
  $<HTMLSelectElement>('dataset').onchange = () => {
    const d = $<HTMLSelectElement>('dataset').value as DatasetName;
    if (d !== 'upload') {
      uploads = { data: [] };
      sessionToForm(defaultSession(d));
    }
    spaceView = undefined;
    fitView = undefined;
    saveHash();
    void loadDataset();
  };
  $('btn-prepare').onclick = () => void prepare();
  $('btn-fit').onclick = () => void runFit();
  $('btn-sample').onclick = () => void runSample();
  $('btn-cancel').onclick = () => {
    worker.cancel();
    busy(false);
    status('cancelled (the worker was restarted; settings kept)', true);
  };
  $<HTMLSelectElement>('structure-pick').onchange = () => void showPicked();
  $('tab-structures').addEventListener('click', () => void showPicked());
  $('exp-model').onclick = () => void exportWhat('model');
  $('exp-train').onclick = () => void exportWhat('training-set');
  $('exp-report').onclick = () => void exportWhat('report');
  $('exp-session').onclick = () => download('celt-lab-session.json', JSON.stringify(sessionAsConfig(formToSession()), null, 1));
  $('exp-link').onclick = () => {
    saveHash();
    void navigator.clipboard?.writeText(location.href).catch(() => undefined);
    $('export-status').textContent = `link: ${location.href}`;
  };
  fillStructurePicker();
  await loadDataset();
  document.body.dataset.ready = '1';
}

void start().catch((e) => status(String((e as Error).message ?? e), true));

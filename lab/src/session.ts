/**
 * The lab's shareable state: the settings, never the data. It is a `celt run` config (the
 * space, mapping, fit and thermo sections with the CLI's key names, checked by the CLI's own
 * parser in the worker) plus which dataset it applies to, so a downloaded session runs with
 * `celt run` too (prim/data filled in for the embedded datasets). The URL hash holds it as
 * base64url JSON: "open this link and press run" reproduces a fit.
 */

export type DatasetName = 'lmo_drx' | 'lno' | 'agpd_fcc' | 'upload';

export interface Session {
  dataset: DatasetName;
  /** Names of the dropped files (the files themselves are not part of the state). */
  upload?: { prim?: string; data: string[] };
  space: { cutoffs: Record<string, number>; basis: string; orthonormal: boolean; measure: 'uniform' | 'concentration'; ewald: boolean };
  mapping: { ltol: number; stol: number; angleTol: number; supercellSize: string | number; mode: 'standard' | 'anion-framework' };
  fit: { method: string; params: Record<string, unknown>; grid?: Record<string, string | number[]>; cv: string; seed: number; learningCurve: boolean; groupDuplicates: boolean };
  thermo: { endMembers: string[] | null; ion: string | null; ionRefEnergy: number | null };
}

/** `celt run`'s defaults (workflow/config-schema.ts): what `npm start` does on lmo_drx. */
export function defaultSession(dataset: DatasetName = 'lmo_drx'): Session {
  const s: Session = {
    dataset,
    space: { cutoffs: { 2: 6, 3: 4, 4: 2 }, basis: 'sinusoid', orthonormal: false, measure: 'uniform', ewald: true },
    mapping: { ltol: 0.15, stol: 0.2, angleTol: 15, supercellSize: 'O2-', mode: 'standard' },
    fit: { method: 'lasso', params: {}, grid: { alpha: '1e-6:1e-1:11:log' }, cv: 'kfold:5', seed: 0, learningCurve: true, groupDuplicates: true },
    thermo: { endMembers: null, ion: null, ionRefEnergy: null },
  };
  if (dataset === 'lno') {
    // smol's lno tutorial: cutoffs 5/4.1 Å, Ewald, pymatgen StructureMatcher defaults, OLS.
    s.space.cutoffs = { 2: 5, 3: 4.1 };
    s.mapping = { ...s.mapping, ltol: 0.2, stol: 0.3, angleTol: 5 };
    s.fit = { ...s.fit, method: 'ols', grid: {} };
    // The README's voltage example: Li metal at −1.90 eV/atom.
    s.thermo = { endMembers: null, ion: 'Li', ionRefEnergy: -1.9 };
  }
  if (dataset === 'agpd_fcc') {
    // data/agpd_fcc/celt.json
    s.space = { ...s.space, cutoffs: { 2: 9, 3: 6.5, 4: 6 }, ewald: false };
    s.mapping = { ...s.mapping, supercellSize: 'num_sites' };
    s.thermo = { ...s.thermo, endMembers: ['Ag', 'Pd'] };
  }
  return s;
}

export function encodeSession(s: Session): string {
  const bytes = new TextEncoder().encode(JSON.stringify(s));
  let bin = '';
  for (const b of bytes) bin += String.fromCharCode(b);
  return btoa(bin).replace(/\+/g, '-').replace(/\//g, '_').replace(/=+$/, '');
}

export function decodeSession(hash: string): Session | undefined {
  const text = hash.replace(/^#/, '').replace(/^s=/, '');
  if (!text) return undefined;
  try {
    const bin = atob(text.replace(/-/g, '+').replace(/_/g, '/'));
    const s = JSON.parse(new TextDecoder().decode(Uint8Array.from(bin, (c) => c.charCodeAt(0)))) as Session;
    return s && typeof s === 'object' && typeof s.dataset === 'string' ? { ...defaultSession(s.dataset), ...s } : undefined;
  } catch {
    return undefined;
  }
}

/** The session as a celt.json for `celt run` from the repository root (embedded datasets). */
export function sessionAsConfig(s: Session): Record<string, unknown> {
  const files = s.dataset === 'upload' ? { prim: s.upload?.prim ?? 'prim.json', data: s.upload?.data ?? [] } : { prim: `data/${s.dataset}/prim.json`, data: [`data/${s.dataset}/entries.json.gz`] };
  return { _lab: 'celt lab session; run with `celt run FILE` from the celt checkout', ...files, space: s.space, mapping: s.mapping, fit: s.fit, thermo: s.thermo };
}

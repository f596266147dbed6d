/**
 * Space-group analysis through moyo (the spglib author's Rust library, WebAssembly build).
 * A disordered primitive cell is analysed by giving every distinct allowed-species set (with
 * its occupancies) its own "atomic number", so only operations that map sites onto sites with
 * the same disorder survive — which is what a cluster space needs.
 *
 * moyo returns the operations that map the given cell onto itself: for a supercell of a
 * smaller primitive cell that is a subgroup (e.g. 24 of the 96 operations of a sheared
 * two-atom fcc supercell), so analyse the primitive cell when the full group is wanted.
 */
import { readFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { initSync, analyze_cell, type MoyoDataset } from '@spglib/moyo-wasm';
import { InputError } from '../core/errors.ts';
import type { Mat3, SymOp, Vec3 } from '../core/mat3.ts';
import type { Structure } from '../structure/structure.ts';

export type { SymOp };

export interface SpaceGroupInfo {
  number: number;
  hmSymbol: string;
  operations: SymOp[];
  /** Symmetry-equivalence class (orbit representative index) of every site. */
  siteOrbits: number[];
  wyckoffs: string[];
}

let ready = false;
function ensureMoyo(): void {
  if (ready) return;
  const require = createRequire(import.meta.url);
  const wasmPath = require.resolve('@spglib/moyo-wasm/moyo_wasm_bg.wasm');
  initSync({ module: readFileSync(wasmPath) });
  ready = true;
}

/** Key of a site's species-and-occupancy set: sites with different keys are never equivalent. */
export function siteTypeKey(structure: Structure, i: number): string {
  const site = structure.sites[i]!;
  return site.species
    .map((o) => `${o.species.key}:${o.occu.toFixed(6)}`)
    .sort()
    .join('|');
}

export function analyzeSymmetry(structure: Structure, opts: { symprec?: number } = {}): SpaceGroupInfo {
  const symprec = opts.symprec ?? 1e-3;
  if (!(symprec > 0)) throw new InputError(`symprec must be positive, got ${symprec}`, { field: 'symprec' });
  ensureMoyo();
  const typeIds = new Map<string, number>();
  const numbers = structure.sites.map((_, i) => {
    const key = siteTypeKey(structure, i);
    if (!typeIds.has(key)) typeIds.set(key, typeIds.size + 1);
    return typeIds.get(key)!;
  });
  // moyo's wasm interface takes the basis row-major with lattice vectors as rows.
  const m = structure.lattice.matrix;
  const cell = {
    lattice: { basis: [m[0][0], m[0][1], m[0][2], m[1][0], m[1][1], m[1][2], m[2][0], m[2][1], m[2][2]] },
    positions: structure.sites.map((s) => s.frac),
    numbers,
  };
  let ds: MoyoDataset;
  try {
    ds = analyze_cell(JSON.stringify(cell), symprec, 'Standard');
  } catch (e) {
    throw new InputError(`symmetry analysis failed (symprec ${symprec}): ${String(e)}`);
  }
  const operations = ds.operations.map((op) => {
    // The wasm layer serializes the rotation column-major (nalgebra's storage order); checked
    // against hand-applied operations on hcp and rocksalt in the tests.
    const r = op.rotation;
    return {
      rotation: [[r[0], r[3], r[6]], [r[1], r[4], r[7]], [r[2], r[5], r[8]]] as Mat3,
      translation: [op.translation[0], op.translation[1], op.translation[2]] as Vec3,
    };
  });
  return { number: ds.number, hmSymbol: ds.hm_symbol, operations, siteOrbits: ds.orbits, wyckoffs: ds.wyckoffs };
}

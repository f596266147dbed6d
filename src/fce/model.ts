/**
 * A fitted force-constant expansion: the primitive cell, cutoffs and all parameters θ (the space
 * is rebuilt from prim + cutoffs, deterministically), plus the 2nd-order force constants spelled
 * out per ordered pair so phonon tools need no cluster space. Saved as JSON (`fcp.json`).
 */
import { writeFileSync } from 'node:fs';
import { readJsonFile } from '../core/files.ts';
import { InputError } from '../core/errors.ts';
import { matVec } from '../core/matrix.ts';
import { structureFromPymatgen, structureToPymatgen } from '../structure/io/pymatgen.ts';
import type { Structure } from '../structure/structure.ts';
import { FcClusterSpace } from './cluster-space.ts';
import type { Atom } from './tensor.ts';
import { atomicMass } from './units.ts';

/** Φ between prim site i in the home cell and site j in the cell at `offset` (row-major 3×3, eV/Å²). */
export interface PairFc {
  i: number;
  j: number;
  offset: [number, number, number];
  phi: number[];
}

export interface FcModelJSON {
  kind: 'celt-fce';
  version: 1;
  prim: unknown;
  cutoffs: Record<string, number>;
  symprec?: number;
  sumRules: boolean;
  masses: number[];
  parameters: number[];
  fit?: Record<string, unknown>;
  fc2: PairFc[];
}

export class FcModel {
  constructor(
    readonly space: FcClusterSpace,
    readonly parameters: Float64Array,
    readonly masses: number[],
    readonly fit: Record<string, unknown> = {},
    readonly symprec?: number,
  ) {
    if (parameters.length !== space.nParams) throw new InputError(`model has ${parameters.length} parameters, the space ${space.nParams}`);
  }

  static fromFree(space: FcClusterSpace, free: ArrayLike<number>, masses: number[], fit: Record<string, unknown> = {}, symprec?: number): FcModel {
    return new FcModel(space, matVec(space.sumRuleMap, free), masses, fit, symprec);
  }

  get prim(): Structure {
    return this.space.prim;
  }

  /** Φ over an ordered tuple (zero tensor outside the space). */
  tensor(atoms: Atom[]): Float64Array {
    const t = this.space.tensorOf(atoms);
    if (!t) return new Float64Array(3 ** atoms.length);
    return matVec(t.rows, this.parameters.subarray(t.orbit.paramOffset, t.orbit.paramOffset + t.orbit.nParams));
  }

  /** Every ordered pair (i home, j anywhere) of the 2nd-order space with its 3×3 block. */
  pairForceConstants(): PairFc[] {
    const out: PairFc[] = [];
    const seen = new Set<string>();
    for (const orbit of this.space.orbits) {
      if (orbit.order !== 2) continue;
      for (const m of orbit.members) {
        for (const [a, b] of [[m.atoms[0]!, m.atoms[1]!], [m.atoms[1]!, m.atoms[0]!]]) {
          const offset: [number, number, number] = [b[1] - a[1], b[2] - a[2], b[3] - a[3]];
          const key = `${a[0]}|${b[0]}|${offset}`;
          if (seen.has(key)) continue;
          seen.add(key);
          const phi = this.tensor([[a[0], 0, 0, 0], [b[0], ...offset]]);
          out.push({ i: a[0], j: b[0], offset, phi: Array.from(phi) });
        }
      }
    }
    return out;
  }

  toJSON(): FcModelJSON {
    const out: FcModelJSON = {
      kind: 'celt-fce',
      version: 1,
      prim: structureToPymatgen(this.prim),
      cutoffs: Object.fromEntries(this.space.cutoffs),
      sumRules: this.space.sumRules,
      masses: this.masses,
      parameters: Array.from(this.parameters),
      fit: this.fit,
      fc2: this.pairForceConstants(),
    };
    if (this.symprec !== undefined) out.symprec = this.symprec;
    return out;
  }

  save(path: string): void {
    writeFileSync(path, JSON.stringify(this.toJSON(), null, 1) + '\n');
  }

  static fromJSON(d: unknown, file?: string): FcModel {
    const j = d as Partial<FcModelJSON>;
    if (j?.kind !== 'celt-fce') throw new InputError("not a celt force-constant model (kind must be 'celt-fce')", { file });
    if (!Array.isArray(j.parameters) || !Array.isArray(j.masses) || !j.cutoffs) throw new InputError('model lacks parameters, masses or cutoffs', { file });
    const prim = structureFromPymatgen(j.prim);
    const cutoffs = new Map(Object.entries(j.cutoffs).map(([k, v]) => [Number(k), Number(v)]));
    const space = FcClusterSpace.build(prim, cutoffs, { sumRules: j.sumRules ?? true, ...(j.symprec === undefined ? {} : { symprec: j.symprec }) });
    // the parameters are read against the rebuilt space: a count or value that does not fit would give wrong force constants
    if (j.parameters.length !== space.nParams) throw new InputError(`model has ${j.parameters.length} parameters, its cluster space ${space.nParams}`, { file, field: 'parameters' });
    const bad = j.parameters.findIndex((v) => typeof v !== 'number' || !Number.isFinite(v));
    if (bad >= 0) throw new InputError(`parameter ${bad} is not a finite number (${JSON.stringify(j.parameters[bad])})`, { file, field: 'parameters' });
    if (j.masses.length !== prim.numSites || j.masses.some((m) => typeof m !== 'number' || !(m > 0) || !Number.isFinite(m))) throw new InputError(`masses must be ${prim.numSites} positive numbers, one per prim site`, { file, field: 'masses' });
    return new FcModel(space, Float64Array.from(j.parameters), j.masses, j.fit ?? {}, j.symprec);
  }

  static load(path: string): FcModel {
    return FcModel.fromJSON(readJsonFile(path), path);
  }
}

/** Per-site masses of the prim (amu), `overrides` by element first. */
export function primMasses(prim: Structure, overrides: Record<string, number> = {}): number[] {
  return prim.sites.map((_, i) => atomicMass(prim.speciesAt(i).element, overrides));
}

/**
 * Displacement–force data: extended XYZ frames with a per-atom `forces` column (what ASE and
 * hiPhive users write), each mapped onto the ideal supercell of the primitive cell.
 *
 * Mapping: the cell must be an integer multiple of the primitive cell (P = L_s·L_p⁻¹ integer
 * within 1e-3 and the lattice within 1e-3 Å of P·L_p); every atom goes to the ideal site of its
 * species nearest under the minimum image, which must be closer than `maxDisplacement` and
 * not taken by another atom. Failures are one-line MappingErrors naming frame and atom.
 */
import { InputError, MappingError, ParseError, withLocation } from '../core/errors.ts';
import { type Mat3, inv3, mul3 } from '../core/mat3.ts';
import { keyValues, parseExtxyzFrame, splitExtxyzFrames } from '../structure/io/extxyz.ts';
import { readTextFile } from '../structure/io/read.ts';
import type { Structure } from '../structure/structure.ts';
import { FcSupercell } from './supercell.ts';

export interface ForceFrame {
  structure: Structure;
  /** 3N, eV/Å, in the frame's atom order; undefined when the frame has no forces column. */
  forces?: Float64Array;
}

export interface DisplacedStructure {
  supercell: FcSupercell;
  /** 3N in the ideal supercell's atom order (Å). */
  displacements: Float64Array;
  forces: Float64Array;
  label: string;
}

/** Every frame of a (multi-frame) extended XYZ text, with forces when the Properties list them. */
export function parseForceFrames(text: string, file?: string): ForceFrame[] {
  return splitExtxyzFrames(text, file).map((frame, k) => {
    const structure = withLocation({ file, entry: k + 1 }, () => parseExtxyzFrame(frame));
    const forces = withLocation({ file, entry: k + 1, line: frame.firstLine + 1 }, () => readForceColumn(frame.lines, structure.numSites));
    return forces ? { structure, forces } : { structure };
  });
}

function readForceColumn(frame: string[], n: number): Float64Array | undefined {
  const props = (keyValues(frame[1] ?? '').get('properties') ?? 'species:S:1:pos:R:3').split(':');
  let col = 0, fCol = -1;
  for (let k = 0; k < props.length; k += 3) {
    if (props[k]!.toLowerCase() === 'forces' || props[k]!.toLowerCase() === 'force') {
      if (Number(props[k + 2]) !== 3) throw new ParseError('forces column must have 3 components');
      fCol = col;
    }
    col += Number(props[k + 2]);
  }
  if (fCol < 0) return undefined;
  const f = new Float64Array(3 * n);
  for (let a = 0; a < n; a++) {
    const parts = frame[a + 2]!.trim().split(/\s+/);
    for (let c = 0; c < 3; c++) {
      const v = Number(parts[fCol + c]);
      if (!Number.isFinite(v)) throw new ParseError(`atom ${a + 1}: bad force value '${parts[fCol + c]}'`);
      f[3 * a + c] = v;
    }
  }
  return f;
}

export function readForceFrames(path: string): ForceFrame[] {
  return parseForceFrames(readTextFile(path), path);
}

/** Frames with forces and displacements written as extended XYZ (ASE reads them back). */
export function writeForceFrame(sc: FcSupercell, u: Float64Array, forces: Float64Array, comment = ''): string {
  const s = sc.ideal;
  const lat = s.lattice.matrix.flat().map((v) => v.toPrecision(12)).join(' ');
  const out = [String(s.numSites), `Lattice="${lat}" Properties=species:S:1:pos:R:3:forces:R:3 pbc="T T T"${comment ? ` comment="${comment}"` : ''}`];
  for (let i = 0; i < s.numSites; i++) {
    const pos = [0, 1, 2].map((c) => (sc.positions[3 * i + c]! + u[3 * i + c]!).toFixed(10));
    const f = [0, 1, 2].map((c) => forces[3 * i + c]!.toExponential(12));
    out.push(`${s.speciesAt(i).key} ${pos.join(' ')} ${f.join(' ')}`);
  }
  return out.join('\n') + '\n';
}

export interface MapOptions {
  /** Largest accepted distance (Å) between an atom and its ideal site. */
  maxDisplacement: number;
  /** Supercells already built, by matrix key (shared across frames). */
  cache?: Map<string, FcSupercell>;
}

/** The integer P with L_s = P·L_p, or a MappingError. */
export function supercellMatrixOf(prim: Structure, s: Structure): Mat3 {
  const p = mul3(s.lattice.matrix, prim.lattice.inverse);
  const r = p.map((row) => row.map(Math.round)) as Mat3;
  const dev = Math.max(...p.flat().map((x, i) => Math.abs(x - r.flat()[i]!)));
  if (dev > 1e-3) throw new MappingError(`cell is not an integer supercell of the primitive cell (matrix entries off by ${dev.toFixed(4)})`, 'lattice');
  const ideal = mul3(r, prim.lattice.matrix);
  const ldev = Math.max(...ideal.flat().map((x, i) => Math.abs(x - s.lattice.matrix.flat()[i]!)));
  if (ldev > 1e-3) throw new MappingError(`cell differs from the ideal supercell by ${ldev.toFixed(4)} Å (strained cells are not force-constant data)`, 'lattice');
  return r;
}

export function mapDisplaced(prim: Structure, frame: ForceFrame, label: string, opts: MapOptions): DisplacedStructure {
  if (!frame.forces) throw new InputError('frame has no forces column (Properties must list forces:R:3)', { field: 'forces' });
  const P = supercellMatrixOf(prim, frame.structure);
  const key = JSON.stringify(P);
  let sc = opts.cache?.get(key);
  if (!sc) {
    sc = new FcSupercell(prim, P);
    opts.cache?.set(key, sc);
  }
  const n = sc.numAtoms, s = frame.structure;
  if (s.numSites !== n) throw new MappingError(`frame has ${s.numSites} atoms, the ideal ${JSON.stringify(P)} supercell has ${n}`, 'count');
  const M = sc.ideal.lattice.matrix, inv = inv3(M);
  const owner = new Int32Array(n).fill(-1);
  const u = new Float64Array(3 * n), f = new Float64Array(3 * n);
  for (let a = 0; a < n; a++) {
    const x = s.cart(a), el = s.speciesAt(a).key;
    let best = -1, bestD = Infinity, bestV = [0, 0, 0];
    for (let i = 0; i < n; i++) {
      if (sc.ideal.speciesAt(i).key !== el) continue;
      // minimum image in fractional coordinates of the (near-cubic or not) supercell; exact for
      // distances below half the shortest plane spacing, which maxDisplacement must respect
      const d = [x[0] - sc.positions[3 * i]!, x[1] - sc.positions[3 * i + 1]!, x[2] - sc.positions[3 * i + 2]!];
      const fr = [0, 1, 2].map((c) => d[0]! * inv[0][c]! + d[1]! * inv[1][c]! + d[2]! * inv[2][c]!).map((v) => v - Math.round(v));
      const v = [0, 1, 2].map((c) => fr[0]! * M[0][c]! + fr[1]! * M[1][c]! + fr[2]! * M[2][c]!);
      const dist = Math.hypot(v[0]!, v[1]!, v[2]!);
      if (dist < bestD) [best, bestD, bestV] = [i, dist, v];
    }
    if (best < 0) throw new MappingError(`atom ${a + 1} (${el}): no ideal site of that species`, 'species');
    if (bestD > opts.maxDisplacement) throw new MappingError(`atom ${a + 1} (${el}) is ${bestD.toFixed(3)} Å from the nearest ideal site, more than the ${opts.maxDisplacement} Å allowed (displacement too large or wrong primitive cell)`, 'displacement');
    if (owner[best]! >= 0) throw new MappingError(`atoms ${owner[best]! + 1} and ${a + 1} both map onto ideal site ${best + 1}`, 'assignment');
    owner[best] = a;
    for (let c = 0; c < 3; c++) {
      u[3 * best + c] = bestV[c]!;
      f[3 * best + c] = frame.forces[3 * a + c]!;
    }
  }
  return { supercell: sc, displacements: u, forces: f, label };
}

/** Read and map every frame; errors carry the file and frame number. */
export function loadDisplacedData(prim: Structure, path: string, maxDisplacement: number): DisplacedStructure[] {
  const cache = new Map<string, FcSupercell>();
  return readForceFrames(path).map((fr, k) => withLocation({ file: path, entry: k + 1 }, () => mapDisplaced(prim, fr, `${path}#${k + 1}`, { maxDisplacement, cache })));
}

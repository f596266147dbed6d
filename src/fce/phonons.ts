/**
 * Harmonic phonons from 2nd-order force constants: dynamical matrix
 * D_{pα,p'β}(q) = Σ_n Φ_{p0,p'n}^{αβ} e^{i q·(R_n + r_p' − r_p)} / √(m_p m_p'), its eigenvalues
 * ω² (a Hermitian 3n×3n matrix solved as the real symmetric 6n×6n [[Re, −Im], [Im, Re]], whose
 * spectrum is D's twice), frequencies ν = sign(ω²)√|ω²| in THz (negative = imaginary), band paths,
 * a Gaussian-smeared DOS on a Γ-centred mesh, the harmonic free energy and heat capacity, and
 * phonopy's FORCE_CONSTANTS text.
 */
import { OptionError } from '../core/errors.ts';
import { type Mat3, type Vec3, vecMul3 } from '../core/mat3.ts';
import { symEig } from '../core/linalg.ts';
import { Mat } from '../core/matrix.ts';
import type { Structure } from '../structure/structure.ts';
import type { PairFc } from './model.ts';
import { FcSupercell } from './supercell.ts';
import { KB_EV } from '../core/units.ts';
import { THZ_TO_EV, TO_THZ } from './units.ts';

export class Phonons {
  private readonly n: number;
  /** Cartesian vector R_n + r_j − r_i of every pair. */
  private readonly bond: Vec3[];

  constructor(
    readonly prim: Structure,
    readonly fc2: PairFc[],
    readonly masses: number[],
  ) {
    this.n = prim.numSites;
    this.bond = fc2.map((p) => {
      const fi = prim.sites[p.i]!.frac, fj = prim.sites[p.j]!.frac;
      return prim.lattice.fracToCart([fj[0] + p.offset[0] - fi[0], fj[1] + p.offset[1] - fi[1], fj[2] + p.offset[2] - fi[2]]);
    });
  }

  /** q in fractional coordinates of the reciprocal lattice → frequencies (THz), ascending. */
  frequencies(qFrac: Vec3): Float64Array {
    const q = vecMul3(qFrac, this.prim.lattice.reciprocal.matrix);
    const n3 = 3 * this.n, N = 2 * n3;
    const big = new Mat(N, N);
    this.fc2.forEach((p, k) => {
      const b = this.bond[k]!;
      const ph = q[0] * b[0] + q[1] * b[1] + q[2] * b[2];
      const c = Math.cos(ph), s = Math.sin(ph);
      const w = 1 / Math.sqrt(this.masses[p.i]! * this.masses[p.j]!);
      for (let a = 0; a < 3; a++) {
        for (let bb = 0; bb < 3; bb++) {
          const v = p.phi[3 * a + bb]! * w, r = 3 * p.i + a, col = 3 * p.j + bb;
          big.data[r * N + col] += v * c;
          big.data[(r + n3) * N + col + n3] += v * c;
          big.data[(r + n3) * N + col] += v * s;
          big.data[r * N + col + n3] -= v * s;
        }
      }
    });
    // Hermitize against round-off in the fitted Φ (Φ_ij vs Φ_jiᵀ)
    for (let i = 0; i < N; i++) for (let j = i + 1; j < N; j++) big.data[i * N + j] = big.data[j * N + i] = 0.5 * (big.data[i * N + j]! + big.data[j * N + i]!);
    const ev = symEig(big).values;
    const out = new Float64Array(n3);
    for (let k = 0; k < n3; k++) {
      const l = ev[2 * k]!;
      out[k] = Math.sign(l) * Math.sqrt(Math.abs(l)) * TO_THZ;
    }
    return out;
  }

  /** Frequencies along straight segments between labelled points; x is the path length in 1/Å. */
  bandStructure(points: Array<{ label: string; q: Vec3 }>, perSegment = 40): { x: number[]; freqs: Float64Array[]; ticks: Array<{ x: number; label: string }> } {
    if (points.length < 2) throw new OptionError('a band path needs at least two points', { field: 'path' });
    const B = this.prim.lattice.reciprocal.matrix;
    const x: number[] = [], freqs: Float64Array[] = [], ticks = [{ x: 0, label: points[0]!.label }];
    let s = 0;
    for (let seg = 0; seg + 1 < points.length; seg++) {
      const a = points[seg]!.q, b = points[seg + 1]!.q;
      const len = Math.hypot(...vecMul3([b[0] - a[0], b[1] - a[1], b[2] - a[2]], B));
      for (let t = seg === 0 ? 0 : 1; t <= perSegment; t++) {
        const f = t / perSegment;
        freqs.push(this.frequencies([a[0] + f * (b[0] - a[0]), a[1] + f * (b[1] - a[1]), a[2] + f * (b[2] - a[2])]));
        x.push(s + f * len);
      }
      s += len;
      ticks.push({ x: s, label: points[seg + 1]!.label });
    }
    return { x, freqs, ticks };
  }

  /** Frequencies on a Γ-centred n₁×n₂×n₃ mesh (all points, equal weights). */
  meshFrequencies(mesh: [number, number, number]): Float64Array[] {
    if (mesh.some((m) => !Number.isInteger(m) || m < 1)) throw new OptionError(`mesh must be three positive integers, got ${mesh.join(',')}`, { field: 'mesh' });
    const out: Float64Array[] = [];
    for (let a = 0; a < mesh[0]; a++) for (let b = 0; b < mesh[1]; b++) for (let c = 0; c < mesh[2]; c++) out.push(this.frequencies([a / mesh[0], b / mesh[1], c / mesh[2]]));
    return out;
  }
}

/** Gaussian-smeared DOS (states/THz per primitive cell) on `nBins` points. */
export function phononDos(meshFreqs: Float64Array[], sigma = 0.1, nBins = 400): { freq: number[]; dos: number[] } {
  let lo = Infinity, hi = -Infinity;
  for (const f of meshFreqs) for (const v of f) { lo = Math.min(lo, v); hi = Math.max(hi, v); }
  lo = Math.min(0, lo) - 4 * sigma;
  hi += 4 * sigma;
  const freq = Array.from({ length: nBins }, (_, k) => lo + ((hi - lo) * k) / (nBins - 1));
  const dos = new Array<number>(nBins).fill(0);
  const norm = 1 / (meshFreqs.length * sigma * Math.sqrt(2 * Math.PI));
  for (const f of meshFreqs) for (const v of f) freq.forEach((x, k) => (dos[k]! += norm * Math.exp(-0.5 * ((x - v) / sigma) ** 2)));
  return { freq, dos };
}

export interface ThermalRow {
  T: number;
  /** Harmonic free energy per primitive cell (eV), zero-point energy included. */
  freeEnergy: number;
  /** Heat capacity C_V per primitive cell, in k_B. */
  heatCapacity: number;
}

/**
 * F = Σ [ħω/2 + k_BT ln(1 − e^{−ħω/k_BT})] / N_q and C_V = Σ x² eˣ/(eˣ − 1)² / N_q (k_B units),
 * x = ħω/k_BT, over modes with ν > `minThz` (the acoustic Γ modes and imaginary ones excluded).
 */
export function thermalProperties(meshFreqs: Float64Array[], temperatures: number[], minThz = 1e-3): ThermalRow[] {
  const nq = meshFreqs.length;
  return temperatures.map((T) => {
    let F = 0, C = 0;
    for (const f of meshFreqs) {
      for (const v of f) {
        if (!(v > minThz)) continue;
        const e = v * THZ_TO_EV;
        if (T <= 0) { F += e / 2; continue; }
        const x = e / (KB_EV * T);
        F += e / 2 + KB_EV * T * Math.log(-Math.expm1(-x));
        const ex = Math.exp(-x);
        C += (x * x * ex) / (1 - ex) ** 2;
      }
    }
    return { T, freeEnergy: F / nq, heatCapacity: C / nq };
  });
}

/**
 * phonopy's FORCE_CONSTANTS (full format: "N N", then per pair "i j" and three rows, 1-based)
 * for the supercell scMatrix, in celt's supercell atom order (prim-site major, cells in
 * lexicographic order); a pair's block is summed over its periodic images in the supercell.
 */
export function forceConstantsText(prim: Structure, fc2: PairFc[], scMatrix: Mat3): { text: string; supercell: FcSupercell } {
  const sc = new FcSupercell(prim, scMatrix);
  const N = sc.numAtoms;
  const phi = new Float64Array(N * N * 9);
  for (let c = 0; c < sc.nCells; c++) {
    const g = sc.cells[c]!;
    for (const p of fc2) {
      const i = p.i * sc.nCells + c;
      const j = sc.indexOf([p.j, g[0] + p.offset[0], g[1] + p.offset[1], g[2] + p.offset[2]]);
      for (let k = 0; k < 9; k++) phi[(i * N + j) * 9 + k] += p.phi[k]!;
    }
  }
  const lines = [`${N} ${N}`];
  for (let i = 0; i < N; i++) {
    for (let j = 0; j < N; j++) {
      lines.push(`${i + 1} ${j + 1}`);
      for (let a = 0; a < 3; a++) lines.push([0, 1, 2].map((b) => phi[(i * N + j) * 9 + 3 * a + b]!.toFixed(15).padStart(22)).join(''));
    }
  }
  return { text: lines.join('\n') + '\n', supercell: sc };
}

/** "G:0,0,0/X:0.5,0,0.5/…" (reciprocal fractional coordinates of the primitive cell). */
export function parseBandPath(text: string): Array<{ label: string; q: Vec3 }> {
  return text.split('/').map((part) => {
    const m = /^\s*([^:]+):\s*([-\d.eE+]+)\s*,\s*([-\d.eE+]+)\s*,\s*([-\d.eE+]+)\s*$/.exec(part);
    if (!m) throw new OptionError(`cannot read path point '${part}' (expected LABEL:q1,q2,q3)`, { field: 'path' });
    const q = [Number(m[2]), Number(m[3]), Number(m[4])] as Vec3;
    if (q.some((v) => !Number.isFinite(v))) throw new OptionError(`path point '${part}' has a non-number`, { field: 'path' });
    return { label: m[1]!.trim() === 'G' ? 'Γ' : m[1]!.trim(), q };
  });
}

/**
 * Default path Γ–X–W–K–Γ–L: the fcc path, valid for fcc primitive vectors (0,½,½)a, (½,0,½)a,
 * (½,½,0)a; other cells need --path.
 */
export const DEFAULT_PATH = 'G:0,0,0/X:0.5,0,0.5/W:0.5,0.25,0.75/K:0.375,0.375,0.75/G:0,0,0/L:0.5,0.5,0.5';

/**
 * Ewald interaction matrix for unit point charges on the sites of a supercell.
 *
 * Convention (pymatgen's EwaldSummation, which smol's EwaldTerm uses): the electrostatic
 * energy of charges q is E = Σ_ij q_i q_j A_ij (eV, charges in units of e), where
 *   A_ij = ½·k Σ'_L erfc(√η |r_ij + L|)/|r_ij + L|                      (real space)
 *        + (2π/V)·k Σ_{0<|G|≤Gmax} exp(−G²/4η)/G² · cos(G·r_ij)        (reciprocal space)
 *        − δ_ij·k·√(η/π)                                                (self / point term)
 * with k = e²/(4πε₀) = 14.399645 eV·Å, r_ij = r_j − r_i, the primed sum skipping r = 0.
 * A charged cell additionally gets pymatgen's neutralizing-background term
 * −k·π Q²/(2Vη) (Q = Σ q); smol's feature leaves it out, so it is optional here.
 *
 * Cost: A_ij depends only on the two prim sites and the prim-lattice translation between
 * them modulo the supercell, so only (prim sites)² × (prims in supercell) distinct entries
 * are evaluated and the N×N matrix is filled by lookup. That turns the O(N²·#G) cost of a
 * direct evaluation into O(P²·D·#G) + O(N²).
 */
import { InputError } from '../core/errors.ts';
import { type Mat3, type Vec3, det3, mul3, vecMul3 } from '../core/mat3.ts';
import { Lattice } from '../structure/lattice.ts';
import type { SupercellSite } from '../structure/supercell.ts';
import { erfcFast } from '../core/erfc.ts';

/** e²/(4πε₀) in eV·Å, CODATA 2018 (pymatgen's CONV_FACT = 1e10·e/(4πε₀)). */
export const COULOMB_EV_ANGSTROM = (1e10 * 1.602176634e-19) / (4 * Math.PI * 8.8541878128e-12);

export interface EwaldParameters {
  /** Screening parameter η in Å⁻². */
  eta: number;
  /** Real-space cutoff (Å). */
  realSpaceCut: number;
  /** Reciprocal-space cutoff (Å⁻¹). */
  recipSpaceCut: number;
}

export interface EwaldParameterOptions {
  eta?: number;
  realSpaceCut?: number;
  recipSpaceCut?: number;
  /** Number of significant digits each sum is converged to (pymatgen's acc_factor, default 12). */
  accuracy?: number;
  /** Relative cost of a real- vs a reciprocal-space term (pymatgen's w, default 1/√2). */
  weight?: number;
}

/**
 * pymatgen's automatic choice (from the GULP manual): η = π·(N·w/V²)^{1/3}, and cutoffs where
 * the Gaussian tails fall below 10^-accuracy: r_max = √(ln 10^acc)/√η, G_max = 2√η·√(ln 10^acc).
 * N is the number of point charges in the cell of volume V.
 */
export function ewaldParameters(volume: number, numPoints: number, opts: EwaldParameterOptions = {}): EwaldParameters {
  const accuracy = opts.accuracy ?? 12;
  const w = opts.weight ?? 1 / Math.SQRT2;
  for (const [name, v] of Object.entries({ eta: opts.eta, realSpaceCut: opts.realSpaceCut, recipSpaceCut: opts.recipSpaceCut, accuracy, weight: w })) {
    if (v !== undefined && !(Number.isFinite(v) && v > 0)) throw new InputError(`Ewald option ${name} must be a positive number (got ${v})`, { field: name });
  }
  const eta = opts.eta ?? Math.PI * Math.cbrt((Math.max(numPoints, 1) * w) / (volume * volume));
  const accf = Math.sqrt(accuracy * Math.LN10);
  return {
    eta,
    realSpaceCut: opts.realSpaceCut ?? accf / Math.sqrt(eta),
    recipSpaceCut: opts.recipSpaceCut ?? 2 * Math.sqrt(eta) * accf,
  };
}

/** What the matrix needs of a supercell site (structure/supercell.ts): coordinates and prim site. */
export type EwaldSite = Pick<SupercellSite, 'frac' | 'primSite'>;

export interface EwaldMatrixInput {
  primLattice: Lattice;
  primFracs: Vec3[];
  /** Integer matrix; supercell lattice rows = scMatrix · prim lattice rows. */
  scMatrix: Mat3;
  sites: EwaldSite[];
  /** Number of point charges used for the automatic η (smol counts every allowed non-vacancy species on every site). */
  numPoints?: number;
  options?: EwaldParameterOptions;
  /** Which part of the sum the matrix holds (smol's use_term); default 'total'. */
  term?: EwaldTermPart;
}

export type EwaldTermPart = 'total' | 'real' | 'reciprocal' | 'point';

export interface EwaldMatrix {
  numSites: number;
  /** Row-major N×N unit-charge interaction matrix, symmetric, eV. */
  matrix: Float64Array;
  /** −k·π/(2Vη): multiply by Q² for the charged-cell background energy. */
  backgroundPerCharge2: number;
  params: EwaldParameters;
  supercellLattice: Lattice;
  numPrims: number;
}

export function buildEwaldMatrix(input: EwaldMatrixInput): EwaldMatrix {
  const { primLattice, primFracs, sites } = input;
  const { M, D } = integerScMatrix(input.scMatrix);
  const scLattice = new Lattice(mul3(M, primLattice.matrix));
  const N = sites.length;
  if (N === 0) throw new InputError('no sites given for the Ewald matrix');
  const part = input.term ?? 'total';
  if (!['total', 'real', 'reciprocal', 'point'].includes(part)) throw new InputError(`Ewald term must be total, real, reciprocal or point (got '${part}')`, { field: 'term' });
  const params = ewaldParameters(scLattice.volume, input.numPoints ?? N, input.options);
  const { siteT, siteU } = siteTranslations(sites, primFracs, M, D);
  const trans = translationClasses(siteT, siteU, D);
  const diffs = differenceClasses(trans.rep, trans.residue, D);
  const phi = pairTable(primLattice, primFracs, sites, scLattice, diffs, params, part);
  const selfTerm = part === 'total' || part === 'point' ? -COULOMB_EV_ANGSTROM * Math.sqrt(params.eta / Math.PI) : 0;
  const P = primFracs.length, nD = diffs.rep.length, nT = trans.rep.length;
  const A = new Float64Array(N * N);
  for (let i = 0; i < N; i++) {
    const pi = sites[i]!.primSite;
    const ti = trans.ofSite[i]!;
    const rowBase = i * N;
    for (let j = i; j < N; j++) {
      const v = phi[(pi * P + sites[j]!.primSite) * nD + diffs.of[ti * nT + trans.ofSite[j]!]!]!;
      A[rowBase + j] = v;
      A[j * N + i] = v;
    }
    A[rowBase + i]! += selfTerm;
  }
  return {
    numSites: N,
    matrix: A,
    backgroundPerCharge2: (-COULOMB_EV_ANGSTROM * Math.PI) / (2 * scLattice.volume * params.eta),
    params,
    supercellLattice: scLattice,
    numPrims: D,
  };
}

function integerScMatrix(scMatrix: Mat3): { M: Mat3; D: number } {
  const M = scMatrix.map((r) => r.map((v) => {
    const iv = Math.round(v);
    if (!Number.isFinite(v) || Math.abs(v - iv) > 1e-8) throw new InputError(`supercell matrix must be integer (got ${v})`, { field: 'scMatrix' });
    return iv;
  })) as Mat3;
  const det = Math.round(det3(M));
  if (det === 0) throw new InputError('supercell matrix is singular', { field: 'scMatrix' });
  return { M, D: Math.abs(det) };
}

/**
 * Integer prim translation t of each site, and its canonical residue modulo the supercell:
 * u = t·adj(M) mod D identifies t up to supercell lattice vectors.
 */
function siteTranslations(sites: EwaldSite[], primFracs: Vec3[], M: Mat3, D: number): { siteT: Int32Array; siteU: Float64Array } {
  const N = sites.length, P = primFracs.length;
  const adj = adjugate(M);
  const siteT = new Int32Array(3 * N);
  const siteU = new Float64Array(3 * N);
  for (let s = 0; s < N; s++) {
    const site = sites[s]!;
    const p = site.primSite;
    if (!Number.isInteger(p) || p < 0 || p >= P) throw new InputError(`site ${s} refers to prim site ${p}, which does not exist`, { entry: s, field: 'primSite' });
    const inPrim = vecMul3(site.frac, M);
    const pf = primFracs[p]!;
    for (let c = 0; c < 3; c++) {
      const t = inPrim[c]! - pf[c]!;
      const ti = Math.round(t);
      if (Math.abs(t - ti) > 1e-4) throw new InputError(`site ${s} at ${fmtVec(site.frac)} is not on a lattice image of prim site ${p}`, { entry: s, field: 'frac' });
      siteT[3 * s + c] = ti;
    }
    const t: Vec3 = [siteT[3 * s]!, siteT[3 * s + 1]!, siteT[3 * s + 2]!];
    const u = vecMul3(t, adj);
    for (let c = 0; c < 3; c++) siteU[3 * s + c] = mod(Math.round(u[c]!), D);
  }
  return { siteT, siteU };
}

/** Distinct translation residues among the sites: class of each site, a representative t and residue u per class. */
function translationClasses(siteT: Int32Array, siteU: Float64Array, D: number): { ofSite: Int32Array; rep: Vec3[]; residue: number[][] } {
  const N = siteT.length / 3;
  const index = new Map<number, number>();
  const ofSite = new Int32Array(N);
  const rep: Vec3[] = [];
  const residue: number[][] = [];
  for (let s = 0; s < N; s++) {
    const key = (siteU[3 * s]! * D + siteU[3 * s + 1]!) * D + siteU[3 * s + 2]!;
    let idx = index.get(key);
    if (idx === undefined) {
      idx = rep.length;
      index.set(key, idx);
      rep.push([siteT[3 * s]!, siteT[3 * s + 1]!, siteT[3 * s + 2]!]);
      residue.push([siteU[3 * s]!, siteU[3 * s + 1]!, siteU[3 * s + 2]!]);
    }
    ofSite[s] = idx;
  }
  return { ofSite, rep, residue };
}

interface DifferenceClasses {
  /** A representative translation difference per class. */
  rep: Vec3[];
  /** Class of t_b − t_a for translation classes a, b (row-major nT × nT). */
  of: Int32Array;
  /** Class of −d for each class d (valid when `closed`). */
  negOf: Int32Array;
  /** Every difference has its negative among the differences (always, for a full supercell). */
  closed: boolean;
}

/** The residue class of every difference of two translation classes, and of its negative. */
function differenceClasses(transRep: Vec3[], transU: number[][], D: number): DifferenceClasses {
  const nT = transRep.length;
  const index = new Map<number, number>();
  const rep: Vec3[] = [];
  const keys: number[] = [];
  const of = new Int32Array(nT * nT);
  for (let a = 0; a < nT; a++) {
    const ua = transU[a]!;
    for (let b = 0; b < nT; b++) {
      const ub = transU[b]!;
      const key = (mod(ub[0]! - ua[0]!, D) * D + mod(ub[1]! - ua[1]!, D)) * D + mod(ub[2]! - ua[2]!, D);
      let idx = index.get(key);
      if (idx === undefined) {
        idx = rep.length;
        index.set(key, idx);
        keys.push(key);
        const ta = transRep[a]!, tb = transRep[b]!;
        rep.push([tb[0] - ta[0], tb[1] - ta[1], tb[2] - ta[2]]);
      }
      of[a * nT + b] = idx;
    }
  }
  const negOf = new Int32Array(rep.length);
  let closed = true;
  for (let d = 0; d < rep.length; d++) {
    const key = keys[d]!;
    const u0 = Math.floor(key / (D * D)), u1 = Math.floor(key / D) % D, u2 = key % D;
    const neg = index.get((mod(-u0, D) * D + mod(-u1, D)) * D + mod(-u2, D));
    if (neg === undefined) closed = false;
    else negOf[d] = neg;
  }
  return { rep, of, negOf, closed };
}

/**
 * Distinct entries: one per (prim site a, prim site b, translation difference d), row-major
 * (a·P + b)·nD + d. The displacement splits as (x_b − x_a) + d, which lets the reciprocal sum
 * factor over pairs and translations (cos(α+β) = cos α cos β − sin α sin β) instead of a cosine
 * per entry. A(a, b, d) = A(b, a, −d): when the differences are closed under negation only
 * pairs a ≤ b are evaluated.
 */
function pairTable(primLattice: Lattice, primFracs: Vec3[], sites: EwaldSite[], scLattice: Lattice, diffs: DifferenceClasses, params: EwaldParameters, part: EwaldTermPart): Float64Array {
  const P = primFracs.length, nD = diffs.rep.length;
  const presentPrim = new Uint8Array(P);
  for (const s of sites) presentPrim[s.primSite] = 1;
  const pairDisp = new Float64Array(P * P * 3);
  for (let a = 0; a < P; a++) {
    for (let b = 0; b < P; b++) {
      const pa = primFracs[a]!, pb = primFracs[b]!;
      const c = primLattice.fracToCart([pb[0] - pa[0], pb[1] - pa[1], pb[2] - pa[2]]);
      pairDisp.set(c, 3 * (a * P + b));
    }
  }
  const transDisp = new Float64Array(nD * 3);
  diffs.rep.forEach((t, d) => transDisp.set(primLattice.fracToCart(t), 3 * d));
  const needed = (ab: number) => presentPrim[Math.floor(ab / P)]! === 1 && presentPrim[ab % P]! === 1;
  const mirrored = (ab: number) => diffs.closed && Math.floor(ab / P) > ab % P;
  const wantReal = part === 'total' || part === 'real';
  const wantRecip = part === 'total' || part === 'reciprocal';
  const recip = wantRecip ? recipKernel(scLattice, pairDisp, transDisp, params, (ab) => needed(ab) && !mirrored(ab)) : new Float64Array(P * P * nD);
  const phi = new Float64Array(P * P * nD);
  const full = new Float64Array(3 * nD);
  for (let ab = 0; ab < P * P; ab++) {
    if (!needed(ab)) continue;
    if (mirrored(ab)) {
      const ba = (ab % P) * P + Math.floor(ab / P);
      for (let d = 0; d < nD; d++) phi[ab * nD + d] = phi[ba * nD + diffs.negOf[d]!]!;
      continue;
    }
    for (let d = 0; d < nD; d++) {
      for (let c = 0; c < 3; c++) full[3 * d + c] = pairDisp[3 * ab + c]! + transDisp[3 * d + c]!;
    }
    const real = wantReal ? realKernel(scLattice, full, params) : new Float64Array(nD);
    for (let d = 0; d < nD; d++) phi[ab * nD + d] = real[d]! + recip[ab * nD + d]!;
  }
  return phi;
}

/**
 * Real-space interaction of two unit charges separated by each Cartesian displacement
 * (3 numbers per displacement) in the periodic cell `lattice`, r = 0 excluded.
 */
export function realKernel(lattice: Lattice, disp: Float64Array, params: EwaldParameters): Float64Array {
  const k = COULOMB_EV_ANGSTROM;
  const { eta, realSpaceCut: rmax } = params;
  const sqrtEta = Math.sqrt(eta);
  const n = disp.length / 3;
  const out = new Float64Array(n);
  const L = lattice.matrix;
  const Li = lattice.inverse;

  // Displacements are wrapped into the cell [-½, ½)³ first, so only lattice vectors within
  // rmax + (longest wrapped vector) can reach the sphere; keep just those.
  let reach = 0;
  for (let c = 0; c < 8; c++) {
    const v = lattice.fracToCart([(c & 1) - 0.5, ((c >> 1) & 1) - 0.5, ((c >> 2) & 1) - 0.5]);
    reach = Math.max(reach, Math.hypot(v[0], v[1], v[2]));
  }
  const lim = rmax + reach;
  const spacing = interplanarSpacings(lattice);
  const nImg = spacing.map((h) => Math.ceil(lim / h) + 1);
  const imgs: number[] = [];
  for (let a = -nImg[0]!; a <= nImg[0]!; a++)
    for (let b = -nImg[1]!; b <= nImg[1]!; b++)
      for (let c = -nImg[2]!; c <= nImg[2]!; c++) {
        const x = a * L[0][0] + b * L[1][0] + c * L[2][0];
        const y = a * L[0][1] + b * L[1][1] + c * L[2][1];
        const z = a * L[0][2] + b * L[1][2] + c * L[2][2];
        if (x * x + y * y + z * z <= lim * lim) imgs.push(x, y, z);
      }
  const img = Float64Array.from(imgs);
  const nI = img.length / 3;
  const rmax2 = rmax * rmax;
  for (let q = 0; q < n; q++) {
    const dx = disp[3 * q]!, dy = disp[3 * q + 1]!, dz = disp[3 * q + 2]!;
    let f0 = dx * Li[0][0] + dy * Li[1][0] + dz * Li[2][0];
    let f1 = dx * Li[0][1] + dy * Li[1][1] + dz * Li[2][1];
    let f2 = dx * Li[0][2] + dy * Li[1][2] + dz * Li[2][2];
    f0 -= Math.round(f0);
    f1 -= Math.round(f1);
    f2 -= Math.round(f2);
    const vx = f0 * L[0][0] + f1 * L[1][0] + f2 * L[2][0];
    const vy = f0 * L[0][1] + f1 * L[1][1] + f2 * L[2][1];
    const vz = f0 * L[0][2] + f1 * L[1][2] + f2 * L[2][2];
    let s = 0;
    for (let m = 0; m < nI; m++) {
      const x = vx + img[3 * m]!, y = vy + img[3 * m + 1]!, z = vz + img[3 * m + 2]!;
      const r2 = x * x + y * y + z * z;
      if (r2 > rmax2 || r2 < 1e-16) continue;
      const r = Math.sqrt(r2);
      s += erfcFast(sqrtEta * r) / r;
    }
    out[q] = 0.5 * k * s;
  }
  return out;
}

/** Reciprocal-space G vectors of the half sphere 0 < |G| ≤ Gmax and their weights 2·(2π/V)·k·exp(−G²/4η)/G². */
function halfSphereG(lattice: Lattice, params: EwaldParameters): { G: Float64Array; C: Float64Array } {
  const k = COULOMB_EV_ANGSTROM;
  const { eta, recipSpaceCut: gmax } = params;
  const B = lattice.reciprocal.matrix;
  const abc = lattice.abc;
  const mMax = abc.map((a) => Math.floor((gmax * a) / (2 * Math.PI)) + 1);
  const gs: number[] = [];
  const coef: number[] = [];
  const pref = ((2 * Math.PI) / lattice.volume) * k;
  const gmax2 = gmax * gmax;
  // G and −G contribute equally to a cosine sum, so keep one of each pair with weight 2.
  for (let a = -mMax[0]!; a <= mMax[0]!; a++)
    for (let b = -mMax[1]!; b <= mMax[1]!; b++)
      for (let c = -mMax[2]!; c <= mMax[2]!; c++) {
        if (a < 0 || (a === 0 && (b < 0 || (b === 0 && c <= 0)))) continue;
        const gx = a * B[0][0] + b * B[1][0] + c * B[2][0];
        const gy = a * B[0][1] + b * B[1][1] + c * B[2][1];
        const gz = a * B[0][2] + b * B[1][2] + c * B[2][2];
        const g2 = gx * gx + gy * gy + gz * gz;
        if (g2 > gmax2) continue;
        gs.push(gx, gy, gz);
        coef.push((2 * pref * Math.exp(-g2 / (4 * eta))) / g2);
      }
  return { G: Float64Array.from(gs), C: Float64Array.from(coef) };
}

/**
 * Reciprocal-space interaction for every displacement pairDisp[p] + transDisp[d]; returns a
 * P×D table (row p). `use(p)` skips pairs that are not needed.
 */
export function recipKernel(lattice: Lattice, pairDisp: Float64Array, transDisp: Float64Array, params: EwaldParameters, use: (p: number) => boolean = () => true): Float64Array {
  const { G, C } = halfSphereG(lattice, params);
  const nG = C.length;
  const nP = pairDisp.length / 3;
  const nD = transDisp.length / 3;
  // cos/sin of G·d for every translation, stored G-major per translation for a contiguous inner loop.
  const cosT = new Float64Array(nD * nG);
  const sinT = new Float64Array(nD * nG);
  for (let d = 0; d < nD; d++) {
    const x = transDisp[3 * d]!, y = transDisp[3 * d + 1]!, z = transDisp[3 * d + 2]!;
    const base = d * nG;
    for (let g = 0; g < nG; g++) {
      const t = G[3 * g]! * x + G[3 * g + 1]! * y + G[3 * g + 2]! * z;
      cosT[base + g] = Math.cos(t);
      sinT[base + g] = Math.sin(t);
    }
  }
  const out = new Float64Array(nP * nD);
  const u = new Float64Array(nG);
  const w = new Float64Array(nG);
  for (let p = 0; p < nP; p++) {
    if (!use(p)) continue;
    const x = pairDisp[3 * p]!, y = pairDisp[3 * p + 1]!, z = pairDisp[3 * p + 2]!;
    for (let g = 0; g < nG; g++) {
      const t = G[3 * g]! * x + G[3 * g + 1]! * y + G[3 * g + 2]! * z;
      u[g] = C[g]! * Math.cos(t);
      w[g] = C[g]! * Math.sin(t);
    }
    for (let d = 0; d < nD; d++) {
      const base = d * nG;
      let s = 0;
      for (let g = 0; g < nG; g++) s += u[g]! * cosT[base + g]! - w[g]! * sinT[base + g]!;
      out[p * nD + d] = s;
    }
  }
  return out;
}

function interplanarSpacings(lattice: Lattice): [number, number, number] {
  // Distance between lattice planes spanned by two vectors = V / |a_j × a_k| = 2π/|b_i|.
  const B = lattice.reciprocal.matrix;
  return B.map((b) => (2 * Math.PI) / Math.hypot(b[0], b[1], b[2])) as [number, number, number];
}

function adjugate(m: Mat3): Mat3 {
  const [a, b, c] = m;
  return [
    [b[1] * c[2] - b[2] * c[1], a[2] * c[1] - a[1] * c[2], a[1] * b[2] - a[2] * b[1]],
    [b[2] * c[0] - b[0] * c[2], a[0] * c[2] - a[2] * c[0], a[2] * b[0] - a[0] * b[2]],
    [b[0] * c[1] - b[1] * c[0], a[1] * c[0] - a[0] * c[1], a[0] * b[1] - a[1] * b[0]],
  ];
}

function mod(a: number, n: number): number {
  const r = a % n;
  return r < 0 ? r + n : r;
}

function fmtVec(v: Vec3): string {
  return `(${v.map((x) => +x.toFixed(4)).join(', ')})`;
}

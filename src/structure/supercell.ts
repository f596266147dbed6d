/**
 * Supercells from integer 3×3 matrices. Site order (what occupancy vectors refer to):
 * primitive-site major — all copies of prim site 0, then all of site 1, … — and within one
 * prim site the lattice points of the supercell in lexicographic order of their integer
 * offset (x, then y, then z, each ascending) in prim fractional coordinates.
 */
import { InputError, OptionError } from '../core/errors.ts';
import { type Mat3, type Vec3, det3, inv3, vecMul3 } from '../core/mat3.ts';
import { Structure, type Site } from './structure.ts';
import { isIntegerMat3 } from './reduction.ts';

export interface SupercellSite {
  /** Fractional coordinates in the supercell basis, wrapped to [0, 1). */
  frac: Vec3;
  primSite: number;
  /** Integer lattice translation (prim basis) added to the prim site. */
  offset: Vec3;
}

/** A fractional coordinate wrapped into [0, 1), values within 1e-10 of an integer snapped to 0. */
export function wrapFrac(x: number): number {
  const w = x - Math.floor(x);
  return w >= 1 - 1e-10 || Math.abs(w) < 1e-10 ? 0 : w;
}

export function checkScMatrix(scMatrix: Mat3): number {
  if (!Array.isArray(scMatrix) || scMatrix.length !== 3 || scMatrix.some((r) => !Array.isArray(r) || r.length !== 3)) {
    throw new InputError('supercell matrix must be 3×3');
  }
  if (!isIntegerMat3(scMatrix, 1e-9)) throw new InputError(`supercell matrix must be integer: ${JSON.stringify(scMatrix)}`);
  const d = Math.round(det3(scMatrix));
  if (d === 0) throw new InputError('supercell matrix is singular');
  return Math.abs(d);
}

/**
 * Integer offsets g (prim basis) of the lattice points inside the supercell, i.e. with
 * g·M⁻¹ ∈ [0,1)³, in lexicographic order.
 */
export function latticePointsInSupercell(scMatrix: Mat3): Vec3[] {
  const n = checkScMatrix(scMatrix);
  const inv = inv3(scMatrix);
  // bounding box of the supercell's corners in prim coordinates
  const lo = [0, 0, 0], hi = [0, 0, 0];
  for (let c = 0; c < 8; c++) {
    const corner = vecMul3([c & 1, (c >> 1) & 1, (c >> 2) & 1], scMatrix);
    for (let k = 0; k < 3; k++) {
      lo[k] = Math.min(lo[k]!, Math.floor(corner[k]!));
      hi[k] = Math.max(hi[k]!, Math.ceil(corner[k]!));
    }
  }
  const pts: Vec3[] = [];
  for (let x = lo[0]!; x <= hi[0]!; x++) {
    for (let y = lo[1]!; y <= hi[1]!; y++) {
      for (let z = lo[2]!; z <= hi[2]!; z++) {
        const f = vecMul3([x, y, z], inv);
        if (f.every((v) => v > -1e-9 && v < 1 - 1e-9)) pts.push([x, y, z]);
      }
    }
  }
  if (pts.length !== n) throw new InputError(`found ${pts.length} lattice points in a supercell of size ${n}`);
  return pts;
}

/** Sites of the supercell of `prim` given by scMatrix, in the documented order. */
export function supercellSites(prim: Structure, scMatrix: Mat3): SupercellSite[] {
  const pts = latticePointsInSupercell(scMatrix);
  const inv = inv3(scMatrix);
  const out: SupercellSite[] = [];
  prim.sites.forEach((site, p) => {
    for (const g of pts) {
      const f = vecMul3([site.frac[0] + g[0], site.frac[1] + g[1], site.frac[2] + g[2]], inv);
      out.push({ frac: [wrapFrac(f[0]), wrapFrac(f[1]), wrapFrac(f[2])], primSite: p, offset: [...g] as Vec3 });
    }
  });
  return out;
}

/** The supercell structure (disordered sites copied from the prim), same order as supercellSites. */
export function supercell(prim: Structure, scMatrix: Mat3): Structure {
  const lattice = prim.lattice.supercell(scMatrix);
  const sites: Site[] = supercellSites(prim, scMatrix).map((s) => {
    const src = prim.sites[s.primSite]!;
    const site: Site = { frac: s.frac, species: src.species.map((o) => ({ ...o })) };
    if (src.label !== undefined) site.label = src.label;
    if (src.properties !== undefined) site.properties = { ...src.properties };
    return site;
  });
  return new Structure(lattice, sites, { ...prim.properties });
}

/**
 * A supercell matrix from option text: "a b c,d e f,g h i" (rows, in prim units, as `celt map`'s
 * scMatrix), "a b c" (diagonal) or one integer N (N·I); with single numbers between the commas
 * also "a,b,c,d,e,f,g,h,i" (rows flattened) and "a,b,c" (diagonal). Errors name the option.
 */
export function parseSupercell(text: string, option = 'supercell'): Mat3 {
  const rows = text.split(',').map((r) => r.trim().split(/\s+/).filter(Boolean));
  const nums = rows.flat().map((v) => {
    const x = Number(v);
    if (!Number.isInteger(x)) throw new OptionError(`--${option} entries must be integers, got '${v}' in '${text}'`, { field: option });
    return x;
  });
  let m: Mat3;
  if (rows.length === 1 && nums.length === 1) m = [[nums[0]!, 0, 0], [0, nums[0]!, 0], [0, 0, nums[0]!]];
  else if (rows.length === 1 && nums.length === 3) m = [[nums[0]!, 0, 0], [0, nums[1]!, 0], [0, 0, nums[2]!]];
  else if (rows.length === 3 && rows.every((r) => r.length === 3)) m = [rows[0]!.map(Number), rows[1]!.map(Number), rows[2]!.map(Number)] as Mat3;
  else if (rows.length === 3 && rows.every((r) => r.length === 1)) m = [[nums[0]!, 0, 0], [0, nums[1]!, 0], [0, 0, nums[2]!]];
  else if (rows.length === 9 && rows.every((r) => r.length === 1)) m = [nums.slice(0, 3), nums.slice(3, 6), nums.slice(6, 9)] as Mat3;
  else throw new OptionError(`--${option} must be "a b c,d e f,g h i" (rows of the integer supercell matrix), "a b c" (diagonal) or one integer N (N·I), got '${text}'`, { field: option });
  if (Math.round(det3(m)) === 0) throw new OptionError(`--${option} '${text}' has zero volume (singular matrix)`, { field: option });
  // A million primitive cells is past any Monte Carlo or ground-state cell this machine can hold.
  if (Math.abs(det3(m)) > 1e6) throw new OptionError(`--${option} '${text}' spans ${Math.abs(Math.round(det3(m)))} primitive cells, past the limit of 1000000`, { field: option });
  return m;
}

/**
 * ClusterSpace: site spaces and bases of a disordered prim, the orbits within per-size
 * cutoffs under the prim's space group, the correlation functions (constant first), their
 * orbit ids (`groups`) and hierarchy, plus optional external terms (Ewald) appended last.
 */
import { InputError } from '../core/errors.ts';
import type { Structure } from '../structure/structure.ts';
import { analyzeSymmetry, siteTypeKey, type SpaceGroupInfo } from '../symmetry/symmetry.ts';
import { type BasisName, type SiteBasis, parseBasisName, siteBasis } from './basis.ts';
import { type Cutoffs, checkCutoffWork, formatCutoffs } from './cutoffs.ts';
import { type Orbit, type OrbitSet, PointAlgebra, enumerateOrbits, functionHierarchy } from './orbits.ts';
import { type SiteSpaces, siteSpaces } from './site-space.ts';

export interface ClusterSpaceOptions {
  basis?: BasisName | string;
  orthonormal?: boolean;
  /** Measure for orthonormalization: uniform (default) or the prim's site concentrations. */
  measure?: 'uniform' | 'concentration';
  symprec?: number;
  /** Append the Ewald electrostatic energy as the last feature. */
  ewald?: boolean;
}

export interface OrbitSummary {
  id: number;
  size: number;
  diameter: number;
  multiplicity: number;
  nFunctions: number;
}

export class ClusterSpace {
  readonly prim: Structure;
  readonly cutoffs: Cutoffs;
  readonly basisName: BasisName;
  readonly orthonormal: boolean;
  readonly measure: 'uniform' | 'concentration';
  readonly spaces: SiteSpaces;
  /** Site basis per prim site (null on inactive sites). */
  readonly bases: (SiteBasis | null)[];
  readonly symmetry: SpaceGroupInfo;
  readonly algebra: PointAlgebra;
  readonly orbits: Orbit[];
  /** Correlation functions including the constant. */
  readonly nCorrelations: number;
  readonly ewald: boolean;
  /** Orbit id per correlation function (0 for the constant). */
  readonly functionOrbit: Int32Array;
  /** [child, parent] correlation indices. */
  readonly hierarchy: [number, number][];
  private readonly orbitSet: OrbitSet;

  private constructor(prim: Structure, cutoffs: Cutoffs, opts: ClusterSpaceOptions) {
    this.prim = prim;
    this.cutoffs = cutoffs;
    this.basisName = parseBasisName(opts.basis ?? 'sinusoid');
    this.orthonormal = opts.orthonormal ?? false;
    this.measure = opts.measure ?? 'uniform';
    if (this.measure !== 'uniform' && this.measure !== 'concentration') throw new InputError(`unknown measure '${String(this.measure)}' (uniform or concentration)`, { field: 'measure' });
    this.ewald = opts.ewald ?? false;
    this.spaces = siteSpaces(prim);
    this.bases = this.spaces.sites.map((sp) =>
      sp.active ? siteBasis(this.basisName, sp.species.length, { orthonormal: this.orthonormal, measure: this.measure === 'concentration' ? sp.concentrations : undefined }) : null,
    );
    checkCutoffWork(cutoffs, this.spaces.activeSites.length, prim.lattice.volume);
    this.symmetry = analyzeSymmetry(prim, opts.symprec === undefined ? {} : { symprec: opts.symprec });
    // Sites must agree in allowed species *and* basis measure to be interchangeable.
    this.algebra = new PointAlgebra(prim, this.symmetry.operations, (s) => siteTypeKey(prim, s));
    this.orbitSet = enumerateOrbits(this.algebra, this.spaces.activeSites, (s) => this.spaces.sites[s]!.species.length, cutoffs);
    this.orbits = this.orbitSet.orbits;
    this.nCorrelations = this.orbitSet.nFunctions;
    this.functionOrbit = new Int32Array(this.nCorrelations);
    for (const o of this.orbits) o.functions.forEach((_, f) => (this.functionOrbit[o.firstFunction + f] = o.id));
    this.hierarchy = functionHierarchy(this.algebra, this.orbitSet);
  }

  static build(prim: Structure, cutoffs: Cutoffs, opts: ClusterSpaceOptions = {}): ClusterSpace {
    return new ClusterSpace(prim, cutoffs, opts);
  }

  /** Number of orbits counting the empty cluster (smol's convention). */
  get nOrbits(): number {
    return this.orbits.length + 1;
  }

  /** Species keys of each prim site in code order: what a saved model or training set must match. */
  get siteSpecies(): string[][] {
    return this.spaces.sites.map((s) => s.species.map((sp) => sp.key));
  }

  /** Number of features: correlations (incl. constant) plus external terms. */
  get nFeatures(): number {
    return this.nCorrelations + (this.ewald ? 1 : 0);
  }

  get ewaldIndex(): number {
    return this.ewald ? this.nCorrelations : -1;
  }

  /** Orbit id per feature (Ewald gets its own group id after the last orbit). */
  get groups(): number[] {
    const g = Array.from(this.functionOrbit);
    if (this.ewald) g.push(this.nOrbits);
    return g;
  }

  /** Cluster size per feature (0 for the constant and external terms). */
  get featureSizes(): number[] {
    const s = Array.from(this.functionOrbit, (id) => (id === 0 ? 0 : this.orbits[id - 1]!.size));
    if (this.ewald) s.push(0);
    return s;
  }

  get featureNames(): string[] {
    const names = ['c0'];
    for (const o of this.orbits) {
      o.functions.forEach((group) => names.push(`o${o.id}_n${o.size}_d${o.diameter.toFixed(3)}_[${group[0]!.join(',')}]`));
    }
    if (this.ewald) names.push('ewald');
    return names;
  }

  orbitTable(): OrbitSummary[] {
    return this.orbits.map((o) => ({ id: o.id, size: o.size, diameter: o.diameter, multiplicity: o.multiplicity, nFunctions: o.functions.length }));
  }

  summary(): { nOrbits: number; nFunctions: number; nFeatures: number; basis: BasisName; orthonormal: boolean; cutoffs: string; spaceGroup: string; orbits: OrbitSummary[] } {
    return {
      nOrbits: this.nOrbits,
      nFunctions: this.nCorrelations,
      nFeatures: this.nFeatures,
      basis: this.basisName,
      orthonormal: this.orthonormal,
      cutoffs: formatCutoffs(this.cutoffs),
      spaceGroup: `${this.symmetry.hmSymbol} (${this.symmetry.number})`,
      orbits: this.orbitTable(),
    };
  }
}

/**
 * Hull comparison for the workflow: DFT vs CE energies of the same structures. Coordinates,
 * hulls and the matched/missing/spurious split all come from src/thermo; this module chooses
 * the composition space (elements → eV/atom, or the config's end members → eV per formula
 * unit) and the report figure: energy vs x with both hulls when one coordinate varies, a
 * composition map of the ground states (seed 000 Fig. 5a) when more do.
 */
import { compareGroundStates, formationEnergies, hullCoordinates, parseFormula, referenceEnergiesFromPoints, type Composition, type EnergyEntry, type HullResult as LowerHullResult, type LPSolver } from '../thermo/index.ts';
import type { Structure } from '../structure/structure.ts';
import { Species } from '../structure/species.ts';
import type { HullReport } from './report-input.ts';
import type { VegaLiteSpec } from '../report/plot.ts';
import { hullFigure, phaseDiagramFigure } from '../report/figures.ts';

export function elementComposition(s: Structure): Composition {
  const m: Composition = new Map();
  for (const [key, n] of s.composition()) {
    const el = Species.parse(key).element;
    m.set(el, (m.get(el) ?? 0) + n);
  }
  return m;
}

export interface HullComparison extends HullReport {
  figure: VegaLiteSpec;
  /** What the figure draws: energies with both hulls, or (several composition coordinates) a map of the ground states. */
  figureKind: 'energy' | 'composition-map';
  dftLowerHull: LowerHullResult;
  ceLowerHull: LowerHullResult;
  /** DFT formation energy of each structure and what it is per (a prim cell, an atom), when the figure has one (the residual plot's x). */
  dftFormation?: { values: Float64Array; per: 'prim' | 'atom' };
  components: string[];
  unit: string;
}

export interface CompareOptions {
  tol?: number;
  title?: string;
  lp?: LPSolver;
  /** End-member formulas (e.g. ["Li2O", "MnO", "MnO2"]); default: the elements. */
  endMembers?: string[] | null;
  /** Amount each structure's composition is divided by on the composition map (e.g. its number of prim cells). */
  perUnit?: { amount: ArrayLike<number>; name: string };
}

/**
 * Compare the DFT and CE hulls of the same structures. `eDft`/`eCe` are total energies of each
 * structure's cell (eV).
 */
export function compareHulls(structures: Structure[], names: string[], eDft: ArrayLike<number>, eCe: ArrayLike<number>, opts: CompareOptions = {}): HullComparison {
  const comps = structures.map(elementComposition);
  const entries = (e: ArrayLike<number>): EnergyEntry[] => comps.map((composition, i) => ({ id: names[i]!, composition, energy: e[i]! }));
  const endMembers = opts.endMembers?.map((f) => ({ name: f, composition: parseFormula(f) }));
  const cd = hullCoordinates(entries(eDft), endMembers ? { endMembers } : {});
  const cc = hullCoordinates(entries(eCe), endMembers ? { endMembers } : {});
  const tol = opts.tol ?? 1e-6;
  const cmp = compareGroundStates(cd.points, Float64Array.from(cd.points, (p) => p.e), Float64Array.from(cc.points, (p) => p.e), { tol, ...(opts.lp ? { lp: opts.lp } : {}) });
  const unit = endMembers ? 'eV/f.u.' : 'eV/atom';
  const components = cd.components;
  const fr = cd.points.map((p) => p.x);
  const varying = components.map((_, k) => k).filter((k) => fr.some((f) => Math.abs(f[k]! - fr[0]![k]!) > 1e-9));
  let figure: VegaLiteSpec;
  let note: string;
  let figureKind: HullComparison['figureKind'] = 'energy', dftFormation: HullComparison['dftFormation'];
  let xs: number[];
  let xTitle: string;
  const basis = `Lower convex hulls over ${components.join('–')} composition fractions, energies in ${unit} (tolerance ${tol} ${unit}).`;
  // With a fixed host per unit (e.g. per prim cell of an intercalation compound) the amounts per
  // unit tell the real dimension: Li_x NiO2 has one coordinate although all atom fractions vary.
  const u = opts.perUnit && !endMembers ? opts.perUnit : undefined;
  const perUnitVarying = u ? components.map((_, k) => k).filter((k) => comps.some((c, i) => Math.abs((c.get(components[k]!) ?? 0) / u.amount[i]! - (comps[0]!.get(components[k]!) ?? 0) / u.amount[0]!) > 1e-9)) : [];
  if (u && perUnitVarying.length === 1) {
    // Energy per unit vs the one varying amount, relative to the line through the lowest-energy
    // structures at the two ends (each energy model its own): mixing energies of x in A_x·host.
    const k = perUnitVarying[0]!;
    xs = comps.map((c, i) => (c.get(components[k]!) ?? 0) / u.amount[i]!);
    xTitle = `${components[k]} per ${u.name}`;
    const lo = Math.min(...xs), hi = Math.max(...xs);
    const mixing = (e: ArrayLike<number>) => {
      const per = xs.map((_, i) => e[i]! / u.amount[i]!);
      const endE = (x0: number) => Math.min(...per.filter((_, i) => Math.abs(xs[i]! - x0) < 1e-9));
      const e0 = endE(lo), e1 = endE(hi);
      return Float64Array.from(per, (v, i) => v - (e0 + ((xs[i]! - lo) / (hi - lo)) * (e1 - e0)));
    };
    const fd = mixing(eDft), fc = mixing(eCe);
    dftFormation = { values: fd, per: 'prim' };
    note = `Energies per ${u.name} relative to the line through the lowest-energy structures at ${components[k]} = ${lo} and ${hi} per ${u.name} (each energy model its own). ${basis}`;
    figure = hullFigure({ points: xs.map((x, i) => ({ x, dft: fd[i]!, ce: fc[i]!, name: names[i] })), dftHull: cmp.dftHull.vertices, ceHull: cmp.ceHull.vertices, missing: cmp.missing, spurious: cmp.spurious, xTitle, units: `eV/${u.name}`, title: opts.title });
  } else if (varying.length <= 2) {
    const k = varying.at(-1) ?? 0;
    xs = fr.map((f) => f[k]!);
    xTitle = `x(${components[k]})`;
    let fd: Float64Array, fc: Float64Array;
    let yUnit = unit;
    try {
      fd = formationEnergies(cd.points, referenceEnergiesFromPoints(cd.points, components));
      fc = formationEnergies(cc.points, referenceEnergiesFromPoints(cc.points, components));
      note = `Formation energies relative to the lowest-energy pure ${components.join(' and ')} in the data (each energy model its own). ${basis}`;
      if (!endMembers) dftFormation = { values: fd, per: 'atom' };
    } catch {
      fd = Float64Array.from(cd.points, (p) => p.e);
      fc = Float64Array.from(cc.points, (p) => p.e);
      yUnit = `${unit}, no end-member reference`;
      note = `The data contain no pure end members, so energies are shown without a reference. ${basis}`;
    }
    figure = hullFigure({ points: xs.map((x, i) => ({ x, dft: fd[i]!, ce: fc[i]!, name: names[i] })), dftHull: cmp.dftHull.vertices, ceHull: cmp.ceHull.vertices, missing: cmp.missing, spurious: cmp.spurious, xTitle, units: yUnit, title: opts.title });
  } else {
    // Many components: ground states on a composition map, element amounts per the caller's
    // unit (per prim cell in the workflow), else per unit of a component that stays fixed,
    // else per atom.
    const [a, b] = varying as [number, number];
    let xsRaw: number[], ys: number[], perName: string;
    if (opts.perUnit && !endMembers) {
      const u = opts.perUnit;
      xsRaw = comps.map((c, i) => (c.get(components[a]!) ?? 0) / u.amount[i]!);
      ys = comps.map((c, i) => (c.get(components[b]!) ?? 0) / u.amount[i]!);
      perName = u.name;
    } else {
      const fixed = components.map((_, k) => k).find((k) => !varying.includes(k));
      const per = (f: ArrayLike<number>) => (fixed !== undefined ? f[fixed]! : 1);
      perName = fixed !== undefined ? components[fixed]! : endMembers ? 'f.u.' : 'atom';
      xsRaw = fr.map((f) => f[a]! / per(f));
      ys = fr.map((f) => f[b]! / per(f));
    }
    xs = xsRaw;
    xTitle = `${components[a]} per ${perName}`;
    figureKind = 'composition-map';
    figure = phaseDiagramFigure({ x: xs, y: ys, names, dftHull: cmp.dftHull.vertices, ceHull: cmp.ceHull.vertices, missing: cmp.missing, spurious: cmp.spurious, xTitle, yTitle: `${components[b]} per ${perName}`, title: opts.title });
    note = `${basis} ${varying.length} composition coordinates vary, so the figure maps where the DFT and CE ground states lie instead of projecting energies.`;
  }
  return {
    points: xs.map((x, i) => ({ x, dft: cd.points[i]!.e, ce: cc.points[i]!.e, name: names[i] })),
    names,
    dftHull: cmp.dftHull.vertices,
    ceHull: cmp.ceHull.vertices,
    matched: cmp.matched,
    missing: cmp.missing,
    spurious: cmp.spurious,
    xTitle,
    note,
    figure,
    figureKind,
    dftLowerHull: cmp.dftHull,
    ceLowerHull: cmp.ceHull,
    components,
    unit,
    dftFormation,
  };
}

/**
 * Formation energies of the hull's rows carried over to every row. A formation energy is the
 * row's energy (per prim or per atom) minus a reference that depends on composition only, so a
 * row left out of the hull as a duplicate (same correlation vector, hence same composition)
 * takes the reference of the copy that entered it: E_f(dup) = E(dup) − (E(kept) − E_f(kept)).
 * Rows in no hull group get NaN.
 */
export function carryFormation(energy: ArrayLike<number>, hullRows: number[], groups: number[][], formation: ArrayLike<number>): Float64Array {
  const ref = new Map<number, number>();
  hullRows.forEach((row, k) => ref.set(row, energy[row]! - formation[k]!));
  for (const g of groups) {
    const kept = g.find((i) => ref.has(i));
    if (kept !== undefined) for (const i of g) ref.set(i, ref.get(kept)!);
  }
  return Float64Array.from({ length: energy.length }, (_, i) => (ref.has(i) ? energy[i]! - ref.get(i)! : NaN));
}

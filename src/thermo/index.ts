/** Thermodynamics on energies over composition: convex hulls, ground-state comparison, voltages. */
export { lowerHull, formationEnergies, referenceEnergiesFromPoints, validateHullPoints, type HullPoint, type HullResult, type HullOptions, type Decomposition } from './hull.ts';
export { compareGroundStates, type GroundStateComparison } from './ground-states.ts';
export { voltageProfile, voltagePointsFromEntries, type VoltagePoint, type VoltageProfile, type VoltageStep } from './voltage.ts';
export { parseFormula, compositionFromValue, hullCoordinates, formatComposition, type Composition, type EnergyEntry, type EndMember, type HullCoordinates } from './composition.ts';
export { simplexLP, type LPSolver, type LPResult, type LPStatus } from './lp-simplex.ts';
export { highsLP } from './lp-highs.ts';

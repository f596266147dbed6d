/** Public surface of the cluster-space stage. */
export { ClusterSpace, type ClusterSpaceOptions, type OrbitSummary } from './cluster-space.ts';
export { CorrelationEvaluator, CellIndexer, type SupercellSiteRef } from './correlation.ts';
export { parseCutoffs, validateCutoffs, cutoffsFromObject, formatCutoffs, type Cutoffs } from './cutoffs.ts';
export { BASIS_NAMES, parseBasisName, siteBasis, basisGram, type BasisName, type SiteBasis } from './basis.ts';
export { siteSpaces, speciesCode, type SiteSpace, type SiteSpaces, type Sublattice } from './site-space.ts';
export type { Orbit } from './orbits.ts';

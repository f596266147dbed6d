/**
 * `celt propose`: the next structures for DFT. Scores candidates (a user pool and/or an
 * enumeration of small cells) with the model and a bootstrap ensemble of its method refitted on
 * the training set, picks N by a criterion (src/loop/select.ts), and writes DIR/proposed.json
 * (pymatgen Structure dicts), DIR/POSCAR/NNN/POSCAR, DIR/selection.csv (why each was picked)
 * and DIR/coverage.csv (compositions covered).
 */
import { mkdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import type { Command } from 'commander';
import { OptionError } from '../../core/errors.ts';
import { checkOutputFolder } from '../../core/files.ts';
import { prepareMethod } from '../../fit/registry.ts';
import { TrainingSet } from '../../data/training-set.ts';
import { latticeSpeciesValues } from '../../generate/options.ts';
import { type Candidate, candidateStructure, enumeratedCandidates, groundStateCandidates, mcCandidates, poolCandidates, sqsCandidates } from '../../loop/candidates.ts';
import { parseComposition } from '../../mc/init.ts';
import { parseSupercell } from '../../structure/supercell.ts';
import { checkSameSpace, type ProposeResult, proposeStructures } from '../../loop/propose.ts';
import { CRITERIA, type Criterion } from '../../loop/select.ts';
import { ClusterExpansion } from '../../model/cluster-expansion.ts';
import type { ClusterSpace } from '../../space/cluster-space.ts';
import { csvQuote } from '../../report/report.ts';
import { structureToPymatgen } from '../../structure/io/pymatgen.ts';
import { formatStructure } from '../../structure/io/read.ts';
import { mappingOptionsOf } from '../../workflow/predict.ts';
import { collect, integerOption, positiveNumber, seedOption } from '../options.ts';
import { groupedBySpecies, parseSizes } from './enumerate.ts';

interface ProposeCliOptions {
  model: string;
  data: string;
  n: string;
  candidates?: string[];
  enumerate?: string;
  mcComposition: string[];
  mcSupercell?: string;
  mcT: string;
  mcSteps: string;
  sqs: string[];
  sqsMaxSize: string;
  groundstateComposition: string[];
  groundstateSupercell?: string;
  groundstateTimeLimit: string;
  criterion: string;
  seed: string;
  bootstrap: string;
  ridge: string;
  out: string;
  json?: boolean;
}

/** Largest enumeration size accepted: candidate features cost one correlation evaluation each. */
const MAX_ENUMERATION_SIZE = 12;

const csvField = (v: string | number) => (typeof v === 'number' ? (Number.isFinite(v) ? String(+v.toPrecision(8)) : '') : csvQuote(v));

export const SELECTION_COLUMNS = ['rank', 'label', 'source', 'composition', 'n_prims', 'supercell', 'energy_ev_per_prim', 'sigma', 'sigma_ensemble', 'hull_distance_ev_per_prim', 'hull_distance_sigma', 'near_hull_fraction', 'leverage', 'score'];

/** DIR/proposed.json, DIR/POSCAR/NNN/POSCAR, DIR/selection.csv, DIR/coverage.csv; returns the files written. */
export function writeProposal(dir: string, space: ClusterSpace, res: ProposeResult): string[] {
  mkdirSync(dir, { recursive: true });
  const structures = res.picks.map((p) => candidateStructure(space, p.candidate));
  const files = [join(dir, 'proposed.json'), join(dir, 'selection.csv'), join(dir, 'coverage.csv')];
  writeFileSync(files[0]!, JSON.stringify(structures.map((s) => structureToPymatgen(s)), null, 1) + '\n');
  structures.forEach((s, k) => {
    const d = join(dir, 'POSCAR', String(k).padStart(3, '0'));
    mkdirSync(d, { recursive: true });
    writeFileSync(join(d, 'POSCAR'), formatStructure(groupedBySpecies(s), 'poscar'));
    files.push(join(d, 'POSCAR'));
  });
  const rows = res.picks.map((p) => [p.rank, p.candidate.label, p.candidate.source, p.formula, p.candidate.nPrims, p.candidate.scMatrix.map((r) => r.join(' ')).join(';'), p.energy, p.sigma, p.sigmaEnsemble, p.hullDistance, p.hullSigma, p.nearFraction, p.leverage, p.score]);
  writeFileSync(files[1]!, [SELECTION_COLUMNS.join(','), ...rows.map((r) => r.map(csvField).join(','))].join('\n') + '\n');
  const cov = res.coverage.rows.map((r) => [r.composition, r.training, r.candidates, r.proposed].map(csvField).join(','));
  writeFileSync(files[2]!, ['composition,training,candidates,proposed', ...cov].join('\n') + '\n');
  return files;
}

async function gatherCandidates(model: ClusterExpansion, o: ProposeCliOptions): Promise<Candidate[]> {
  const out: Candidate[] = [];
  if (o.candidates?.length) out.push(...(await poolCandidates(model, o.candidates, mappingOptionsOf(model))));
  if (o.enumerate) {
    const sizes = parseSizes(o.enumerate);
    if (sizes.at(-1)! > MAX_ENUMERATION_SIZE) throw new OptionError(`--enumerate sizes above ${MAX_ENUMERATION_SIZE} prim cells are refused (the candidate list would be too long to score); use a pool file`, { field: 'enumerate' });
    out.push(...enumeratedCandidates(model, { sizes }));
  }
  if (o.mcComposition.length) {
    if (!o.mcSupercell) throw new OptionError('--mc-composition needs --mc-supercell (N or "a b c,d e f,g h i")', { field: 'mc-supercell' });
    const T = o.mcT.split(',').filter((t) => t.trim()).map((t) => positiveNumber('mc-T', t));
    if (!T.length) throw new OptionError('--mc-T needs at least one temperature', { field: 'mc-T' });
    out.push(...(await mcCandidates(model, { supercell: parseSupercell(o.mcSupercell, 'mc-supercell'), compositions: o.mcComposition.map(parseComposition), T, steps: integerOption('mc-steps', o.mcSteps, 1, 1e9), seed: seedOption(o.seed) })));
  }
  if (o.sqs.length) out.push(...sqsCandidates(model, o.sqs.map((t) => latticeSpeciesValues(t, model.space, 'sqs')), integerOption('sqs-max-size', o.sqsMaxSize, 1, 64), seedOption(o.seed)));
  if (o.groundstateComposition.length) {
    if (!o.groundstateSupercell) throw new OptionError('--groundstate-composition needs --groundstate-supercell (N or "a b c,d e f,g h i")', { field: 'groundstate-supercell' });
    const sc = parseSupercell(o.groundstateSupercell, 'groundstate-supercell');
    const comps = o.groundstateComposition.map((t) => latticeSpeciesValues(t, model.space, 'groundstate-composition'));
    out.push(...(await groundStateCandidates(model, sc, comps, positiveNumber('groundstate-time-limit', o.groundstateTimeLimit), seedOption(o.seed))));
  }
  if (!out.length) throw new OptionError('no candidates: give --candidates FILE… (a pool: structures, entries or a celt training set), --enumerate SIZES, --mc-composition, --sqs or --groundstate-composition', { field: 'candidates' });
  return out;
}

export function register(program: Command): void {
  program
    .command('propose')
    .description('pick the next N structures for DFT from candidates (pool files, enumeration) by hull proximity, uncertainty and D-optimal information')
    .requiredOption('--model <file>', 'model.json (celt run / celt fit)')
    .requiredOption('--data <file>', 'the training set the model was fitted on (training-set.json from celt run or celt featurize)')
    .option('--n <count>', 'how many structures to propose', '10')
    .option('--candidates <files...>', 'pool: structure/entry files (mapped with the model\'s mapping options) or celt training sets')
    .option('--enumerate <sizes>', 'add every symmetry-distinct ordering of these sizes in prim cells, e.g. 1-6')
    .option('--mc-composition <list>', 'add Monte Carlo candidates: canonical chains at this composition, SPECIES[@k]=fraction,… (repeatable); each (composition, T) gives its lowest-energy and final configuration', collect, [])
    .option('--mc-supercell <cell>', 'Monte Carlo supercell: N or "a b c,d e f,g h i"')
    .option('--mc-T <list>', 'Monte Carlo temperatures, K', '300,1000')
    .option('--mc-steps <n>', 'Monte Carlo steps per chain', '20000')
    .option('--sqs <list>', 'add the SQS of this composition, SPECIES=fraction of its sublattice,… (repeatable)', collect, [])
    .option('--sqs-max-size <n>', 'largest SQS cell in prim cells', '8')
    .option('--groundstate-composition <list>', "add the model's exact ground state at this composition, SPECIES=fraction,… (repeatable; needs --groundstate-supercell)", collect, [])
    .option('--groundstate-supercell <cell>', 'ground-state supercell: N or "a b c,d e f,g h i"')
    .option('--groundstate-time-limit <s>', 'seconds per ground state (MILP)', '30')
    .option('--criterion <name>', `${CRITERIA.filter((c) => c !== 'random').join(' | ')} | random`, 'balanced')
    .option('--seed <n>', 'seed of the bootstrap resamples and the CV splits', '0')
    .option('--bootstrap <n>', 'bootstrap ensemble members', '20')
    .option('--ridge <λ>', 'ridge term of the D-optimal information matrix (standardized columns)', '1')
    .requiredOption('--out <dir>', 'output folder')
    .option('--json', 'print the summary as JSON')
    .action(async (o: ProposeCliOptions) => {
      checkOutputFolder(o.out);
      const n = integerOption('n', o.n, 1, 100_000);
      if (!(CRITERIA as readonly string[]).includes(o.criterion)) throw new OptionError(`--criterion must be one of ${CRITERIA.join(', ')}, got '${o.criterion}'`, { field: 'criterion' });
      const model = ClusterExpansion.load(o.model);
      const ts = TrainingSet.load(o.data);
      checkSameSpace(model, ts, o.data);
      const cands = await gatherCandidates(model, o);
      await prepareMethod(model.fit.method); // the ensemble refits the model's own method (HiGHS loads on demand)
      const res = proposeStructures(model, ts, cands, { n, criterion: o.criterion as Criterion, seed: seedOption(o.seed), nBootstrap: integerOption('bootstrap', o.bootstrap, 2, 10_000), ridge: positiveNumber('ridge', o.ridge) });
      const files = writeProposal(o.out, model.space, res);
      const summary = {
        out: o.out, criterion: o.criterion, method: res.method, candidates: res.nCandidates, allowed: res.nAllowed, proposed: res.picks.length,
        cvRmse: res.cvRmse, sigmaNoise: res.sigmaNoise,
        coverage: { candidateCompositions: res.coverage.candidateCompositions, coveredBefore: res.coverage.coveredBefore, coveredAfter: res.coverage.coveredAfter },
        files: files.length,
      };
      if (o.json) {
        process.stdout.write(JSON.stringify(summary, null, 1) + '\n');
        return;
      }
      const lines = [
        `${res.nCandidates} candidates, ${res.nAllowed} distinct and not in the training set; ${res.picks.length} proposed by '${o.criterion}' (ensemble: ${res.method}, CV RMSE ${res.cvRmse.toFixed(4)}, σ_noise ${res.sigmaNoise.toFixed(4)} eV/prim)`,
        `compositions: ${res.coverage.coveredBefore} of ${res.coverage.candidateCompositions} candidate compositions had a training structure, ${res.coverage.coveredAfter} with the proposed ones`,
        'rank  label                          composition          E (eV/prim)        σ   hull dist ± σ         leverage',
        ...res.picks.map((p) => `${String(p.rank).padStart(4)}  ${p.candidate.label.slice(-30).padEnd(30)} ${p.formula.padEnd(20)} ${p.energy.toFixed(5).padStart(11)} ${p.sigma.toFixed(4).padStart(8)}   ${p.hullDistance.toFixed(4)} ± ${p.hullSigma.toFixed(4)}  ${p.leverage.toPrecision(3).padStart(9)}`),
        `wrote ${o.out}/proposed.json, selection.csv, coverage.csv and ${res.picks.length} POSCAR folders`,
      ];
      process.stdout.write(lines.join('\n') + '\n');
    });
}

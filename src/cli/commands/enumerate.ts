/**
 * `celt enumerate`: every symmetry-distinct derivative structure of a disordered prim up to a
 * supercell size (Hart–Forcade), as pymatgen JSON + POSCAR files, a count, or — with a model —
 * the predicted convex hull over all of them.
 */
import { checkOutputFolder } from '../../core/files.ts';
import { closeSync, mkdirSync, openSync, writeFileSync, writeSync } from 'node:fs';
import { join } from 'node:path';
import type { Command } from 'commander';
import { CeltError, OptionError, withLocation } from '../../core/errors.ts';
import type { Mat3 } from '../../core/mat3.ts';
import { EvaluatorCache } from '../../data/training-set.ts';
import { countStructures, derivativeStructure, enumerateStructures, enumerationLattice, type EnumerateOptions } from '../../generate/enumerate.ts';
import { ClusterExpansion } from '../../model/cluster-expansion.ts';
import { siteSpaces } from '../../space/site-space.ts';
import { formatStructure, readStructureFile } from '../../structure/io/read.ts';
import { Structure } from '../../structure/structure.ts';
import { Species } from '../../structure/species.ts';
import { lowerHull } from '../../thermo/hull.ts';

interface EnumerateCliOptions {
  prim?: string;
  sizes: string;
  concentration?: string;
  count?: boolean;
  chargeBalanced?: boolean;
  model?: string;
  out?: string;
  top: string;
  json?: boolean;
}

/** "1-8", "2,4,6", "1-4,8" → sorted distinct sizes. */
export function parseSizes(text: string): number[] {
  const out = new Set<number>();
  for (const part of text.split(',').map((p) => p.trim()).filter(Boolean)) {
    const m = /^(\d+)(?:\s*-\s*(\d+))?$/.exec(part);
    if (!m) throw new OptionError(`cannot read size '${part}' (expected e.g. 1-8 or 2,4,6)`, { field: 'sizes' });
    const lo = Number(m[1]), hi = m[2] === undefined ? lo : Number(m[2]);
    if (lo < 1 || hi < lo) throw new OptionError(`sizes must be positive and ranges increasing, got '${part}'`, { field: 'sizes' });
    if (hi - lo > 1000) throw new OptionError(`size range '${part}' is absurdly long`, { field: 'sizes' });
    for (let n = lo; n <= hi; n++) out.add(n);
  }
  if (out.size === 0) throw new OptionError('no sizes given', { field: 'sizes' });
  return [...out].sort((a, b) => a - b);
}

/** "Ag=0:0.5,Pd=0.25:1" → species → [lo, hi]. */
export function parseConcentrations(text: string): Map<string, [number, number]> {
  const out = new Map<string, [number, number]>();
  for (const part of text.split(',').map((p) => p.trim()).filter(Boolean)) {
    const m = /^([^=\s]+)\s*=\s*([^:\s]+)\s*:\s*(\S+)$/.exec(part);
    if (!m) throw new OptionError(`cannot read concentration '${part}' (expected SPECIES=lo:hi, e.g. Pd=0:0.5)`, { field: 'concentration' });
    const lo = Number(m[2]), hi = Number(m[3]);
    if (!Number.isFinite(lo) || !Number.isFinite(hi)) throw new OptionError(`concentration bounds must be numbers, got '${part}'`, { field: 'concentration' });
    out.set(withLocation({ field: 'concentration' }, () => Species.parse(m[1]!).key), [lo, hi]);
  }
  return out;
}

/** The model's prim, checked against --prim when both are given (codes must mean the same species). */
function primFor(o: EnumerateCliOptions, model: ClusterExpansion | null): Structure {
  if (!model) {
    if (!o.prim) throw new OptionError('give --prim (or --model, whose prim is used)', { field: 'prim' });
    return readStructureFile(o.prim);
  }
  const mp = model.space.prim;
  if (o.prim) {
    const p = readStructureFile(o.prim);
    const a = siteSpaces(p).sites.map((s) => s.species.map((x) => x.key).join(' '));
    const b = siteSpaces(mp).sites.map((s) => s.species.map((x) => x.key).join(' '));
    const sameLattice = p.lattice.matrix.every((r, i) => r.every((v, j) => Math.abs(v - mp.lattice.matrix[i]![j]!) < 1e-4));
    if (!sameLattice || a.join('|') !== b.join('|')) {
      throw new OptionError(`--prim differs from the model's prim (lattice or allowed species per site: ${a.join('; ')} vs ${b.join('; ')}); leave out --prim to use the model's`, { field: 'prim' });
    }
  }
  return mp;
}

interface Enumerated {
  id: number;
  size: number;
  hnf: Mat3;
  codes: Uint8Array;
}

/** Streams structures into DIR/structures.json (a pymatgen list) and DIR/POSCAR/<id>.vasp. */
function writeAll(prim: Structure, items: Iterable<Enumerated>, dir: string, keep: (e: Enumerated) => void): number {
  mkdirSync(join(dir, 'POSCAR'), { recursive: true });
  const fd = openSync(join(dir, 'structures.json'), 'w');
  let n = 0;
  try {
    writeSync(fd, '[\n');
    for (const e of items) {
      const s = structureOf(prim, e);
      writeSync(fd, (n ? ',\n' : '') + formatStructure(s, 'json').trimEnd());
      writeFileSync(join(dir, 'POSCAR', `${String(e.id).padStart(6, '0')}.vasp`), formatStructure(groupedBySpecies(s), 'poscar'));
      keep(e);
      n++;
    }
    writeSync(fd, '\n]\n');
  } finally {
    closeSync(fd);
  }
  return n;
}

/** Sites grouped by species (stable), so a POSCAR lists each element once. */
export function groupedBySpecies(s: Structure): Structure {
  const order = s.sites.map((site, i) => [site.species[0]!.species.key, i] as const);
  const first = new Map<string, number>();
  for (const [k, i] of order) if (!first.has(k)) first.set(k, i);
  const sites = [...s.sites].map((site, i) => ({ site, i })).sort((a, b) => first.get(a.site.species[0]!.species.key)! - first.get(b.site.species[0]!.species.key)! || a.i - b.i).map((x) => x.site);
  return new Structure(s.lattice, sites, s.properties);
}

function structureOf(prim: Structure, e: Enumerated): Structure {
  return derivativeStructure(prim, e.hnf, e.codes, { id: e.id, size: e.size, hnf: e.hnf, labeling: Array.from(e.codes).join('') });
}

export function register(program: Command): void {
  program
    .command('enumerate')
    .description('derivative structures (Hart–Forcade): every symmetry-distinct ordering on supercells of the given sizes')
    .option('--prim <file>', 'disordered primitive cell (pymatgen JSON, CIF, POSCAR); optional with --model')
    .requiredOption('--sizes <list>', 'supercell sizes in primitive cells, e.g. 1-8 or 2,4,6 (hcp size 5 = 10 atoms)')
    .option('--concentration <list>', 'allowed fraction ranges, SPECIES=lo:hi,… (fraction of the sites that allow the species)')
    .option('--charge-balanced', 'keep only structures whose formal charges sum to zero')
    .option('--count', 'print {"count", "bySize"} (every labeling: pure cells and A↔B partners included) and write nothing')
    .option('--model <file>', 'predict every structure with this model and report the predicted convex hull')
    .option('--top <n>', 'with --model: how many structures closest to the hull to list', '20')
    .option('--out <dir>', 'write structures.json (pymatgen list) and POSCAR/<id>.vasp here (with --model also hull.json)')
    .option('--json', 'print the summary as JSON')
    .action((o: EnumerateCliOptions) => {
      if (o.out && !o.count) checkOutputFolder(o.out);
      const sizes = parseSizes(o.sizes);
      const top = Number(o.top);
      if (!Number.isInteger(top) || top < 0) throw new OptionError(`--top must be a non-negative integer, got '${o.top}'`, { field: 'top' });
      const model = o.model ? ClusterExpansion.load(o.model) : null;
      const prim = primFor(o, model);
      const opts: EnumerateOptions = { sizes };
      if (o.concentration) opts.concentrations = parseConcentrations(o.concentration);
      if (o.chargeBalanced) opts.chargeBalanced = true;
      const lat = (() => {
        try {
          return enumerationLattice(prim);
        } catch (e) {
          throw e instanceof CeltError && o.prim ? e.at({ file: o.prim }) : e;
        }
      })();
      if (o.count) {
        process.stdout.write(JSON.stringify(countStructures(lat, opts)) + '\n');
        return;
      }
      if (!o.out && !model) throw new OptionError('nothing to do: give --out DIR to write the structures, --count to count them, or --model to predict the hull', { field: 'out' });
      const t0 = performance.now();
      let id = 0;
      const items = (function* () {
        for (const s of enumerateStructures(lat, opts)) yield { id: id++, size: s.size, hnf: s.hnf, codes: s.codes };
      })();
      const kept: Enumerated[] = [];
      const bySize: Record<number, number> = {};
      const keep = (e: Enumerated) => {
        bySize[e.size] = (bySize[e.size] ?? 0) + 1;
        if (model) kept.push(e);
      };
      const total = o.out ? writeAll(prim, items, o.out, keep) : (() => { let n = 0; for (const e of items) { keep(e); n++; } return n; })();
      const seconds = (performance.now() - t0) / 1000;
      const summary: Record<string, unknown> = { count: total, bySize, seconds: +seconds.toFixed(3), ...(o.out ? { out: o.out } : {}) };
      if (model) summary.hull = predictedHull(model, prim, kept, top, o.out);
      if (o.json) {
        process.stdout.write(JSON.stringify(summary, null, 1) + '\n');
        return;
      }
      const lines = [`${total} structures (${Object.entries(bySize).map(([k, v]) => `size ${k}: ${v}`).join(', ')}) in ${seconds.toFixed(2)} s${o.out ? `, written to ${o.out}` : ''}`];
      if (model) {
        const h = summary.hull as HullSummary;
        lines.push('', `predicted ground states (${h.components.join(', ')} fractions of the active sites; eV per prim cell):`);
        for (const g of h.groundStates) lines.push(`  #${String(g.id).padEnd(6)} size ${String(g.size).padEnd(3)} ${g.formula.padEnd(16)} x = ${g.x.map((v) => v.toFixed(4)).join(' ')}  E = ${g.energy.toFixed(6)}`);
        lines.push('', `closest to the hull (not ground states), meV per prim cell above it:`);
        for (const c of h.closest) lines.push(`  #${String(c.id).padEnd(6)} size ${String(c.size).padEnd(3)} ${c.formula.padEnd(16)} ${(c.eAboveHull * 1000).toFixed(3)}`);
      }
      process.stdout.write(lines.join('\n') + '\n');
    });
}

interface HullRow {
  id: number;
  size: number;
  formula: string;
  supercell: Mat3;
  x: number[];
  energy: number;
  eAboveHull: number;
}

interface HullSummary {
  components: string[];
  energyUnit: string;
  groundStates: HullRow[];
  closest: HullRow[];
}

/**
 * CE energy per prim cell of every structure, and the lower hull over the fractions of the
 * species on the active sites (vacancies count as a species). Writes DIR/hull.json when asked.
 */
function predictedHull(model: ClusterExpansion, prim: Structure, items: Enumerated[], top: number, out?: string): HullSummary {
  if (items.length === 0) throw new OptionError('no structure matched the filters, so there is no hull', { field: 'sizes' });
  const space = model.space;
  const cache = new EvaluatorCache(space);
  const spaces = space.spaces.sites;
  const components = [...new Set(spaces.filter((s) => s.active).flatMap((s) => s.species.map((x) => x.key)))];
  const compIndex = new Map(components.map((k, i) => [k, i]));
  const rows = items.map((e) => {
    const n = e.codes.length / spaces.length;
    const x = new Array<number>(components.length).fill(0);
    let nActive = 0;
    e.codes.forEach((c, i) => {
      const sp = spaces[Math.floor(i / n)]!;
      if (!sp.active) return;
      x[compIndex.get(sp.species[c]!.key)!]! += 1;
      nActive++;
    });
    const energy = model.predictOne(cache.features(e.hnf, Int32Array.from(e.codes)));
    return { e, x: x.map((v) => v / nActive), energy };
  });
  const hull = lowerHull(rows.map((r, i) => ({ x: r.x, e: r.energy, id: i })), { tol: 1e-6 });
  const row = (i: number): HullRow => {
    const r = rows[i]!;
    return { id: r.e.id, size: r.e.size, formula: structureOf(prim, r.e).formula(), supercell: r.e.hnf, x: r.x, energy: r.energy, eAboveHull: hull.eAboveHull[i]! };
  };
  const vertices = new Set(hull.vertices);
  const groundStates = hull.vertices.map(row).sort((a, b) => a.x[0]! - b.x[0]! || a.id - b.id);
  const closest = rows.map((_, i) => i).filter((i) => !vertices.has(i)).sort((a, b) => hull.eAboveHull[a]! - hull.eAboveHull[b]! || a - b).slice(0, top).map(row);
  const summary = { components, energyUnit: 'eV per primitive cell', groundStates, closest };
  if (out) writeFileSync(join(out, 'hull.json'), JSON.stringify(summary, null, 1) + '\n');
  return summary;
}

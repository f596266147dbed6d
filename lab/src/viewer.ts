/**
 * The Structures viewer: 3Dmol.js (a maintained WebGL molecule viewer) showing one cell with
 * its lattice edges, every site a sphere coloured by species (a partially occupied prim site
 * by its majority species, labelled with all of them). Vacancies are not drawn.
 */
import * as $3Dmol from '3dmol';

const PALETTE = ['#4c78a8', '#f58518', '#e45756', '#72b7b2', '#54a24b', '#eeca3b', '#b279a2', '#ff9da6', '#9d755d', '#bab0ac', '#1f77b4', '#17becf'];
const assigned = new Map<string, string>();

/** A stable colour per species key (O2- is always red-ish, so oxides read at a glance). */
export function speciesColor(key: string): string {
  if (!assigned.has(key)) assigned.set(key, /^O\d?-/.test(key) ? '#d62728' : PALETTE[assigned.size % PALETTE.length]!);
  return assigned.get(key)!;
}

const viewers = new WeakMap<HTMLElement, $3Dmol.GLViewer>();

interface Cell {
  lattice: number[][];
  sites: Array<{ xyz: number[]; species: string[]; occu: number[] }>;
}

/** Draw a cell; returns the species shown (for a legend). */
export function showStructure(el: HTMLElement, s: Cell & { title?: string }): string[] {
  let v = viewers.get(el);
  if (!v) {
    v = $3Dmol.createViewer(el, { backgroundColor: 'white' });
    viewers.set(el, v);
  }
  v.clear();
  const shown = new Set<string>();
  const m = v.addModel();
  const atoms = s.sites.flatMap((site) => {
    let best = -1;
    site.occu.forEach((o, i) => {
      if (best < 0 || o > site.occu[best]!) best = i;
    });
    const key = site.species[best]!;
    if (/^(Vacancy|X|Vac)/i.test(key)) return [];
    shown.add(key);
    const elem = key.replace(/[\d+-]+$/, '');
    return [{ elem, atom: key, x: site.xyz[0]!, y: site.xyz[1]!, z: site.xyz[2]! }];
  });
  m.addAtoms(atoms as never);
  m.setStyle({}, { sphere: { radius: 0.45, colorfunc: (a: { atom: string }) => speciesColor(a.atom) } } as never);
  const L = s.lattice;
  const corner = (i: number, j: number, k: number) => ({ x: i * L[0]![0]! + j * L[1]![0]! + k * L[2]![0]!, y: i * L[0]![1]! + j * L[1]![1]! + k * L[2]![1]!, z: i * L[0]![2]! + j * L[1]![2]! + k * L[2]![2]! });
  const edges: Array<[number[], number[]]> = [];
  for (const a of [0, 1]) for (const b of [0, 1]) {
    edges.push([[0, a, b], [1, a, b]], [[a, 0, b], [a, 1, b]], [[a, b, 0], [a, b, 1]]);
  }
  for (const [p, q] of edges) v.addCylinder({ start: corner(p[0]!, p[1]!, p[2]!), end: corner(q[0]!, q[1]!, q[2]!), radius: 0.04, color: '#555', fromCap: 1, toCap: 1 } as never);
  v.zoomTo();
  v.render();
  return [...shown].sort();
}

/** `celt structure info FILE`: formula, lattice, space group and sites of a structure file. */
import type { Command } from 'commander';
import { OptionError, withLocation } from '../../core/errors.ts';
import { primitiveReduction } from '../../symmetry/primitive.ts';
import { readStructureFile } from '../../structure/io/read.ts';
import type { Structure } from '../../structure/structure.ts';
import { analyzeSymmetry } from '../../symmetry/symmetry.ts';

export function structureInfo(s: Structure, symprec: number) {
  // The space group of a supercell is its primitive cell's; moyo on the whole supercell would
  // list every translation × rotation (minutes for 1,000 sites).
  const reduced = primitiveReduction(s, symprec);
  const sg = analyzeSymmetry(reduced ? reduced.primitive : s, { symprec });
  const [a, b, c] = s.lattice.abc;
  const [alpha, beta, gamma] = s.lattice.angles;
  return {
    formula: s.formula(),
    numSites: s.numSites,
    ordered: s.isOrdered(),
    lattice: { a, b, c, alpha, beta, gamma, volume: s.lattice.volume, matrix: s.lattice.matrix },
    spaceGroup: { number: sg.number, symbol: sg.hmSymbol, numOperations: sg.operations.length, primitiveSites: reduced ? reduced.primitive.numSites : s.numSites, pureTranslations: reduced ? reduced.translations.length : 1 },
    sites: s.sites.map((site, i) => ({
      index: i,
      species: site.species.map((o) => ({ species: o.species.key, occu: o.occu })),
      allowed: s.allowedSpecies(i).map((sp) => sp.key),
      frac: site.frac,
      cart: s.cart(i),
    })),
  };
}

export function register(program: Command): void {
  const cmd = program.command('structure').description('inspect crystal structures');
  cmd
    .command('info <file>')
    .description('formula, lattice, space group and sites of a structure (pymatgen JSON, CIF, POSCAR, extxyz)')
    .option('--symprec <x>', 'symmetry tolerance (Å)', '1e-3')
    .option('--json', 'print JSON instead of text')
    .action((file: string, o) => {
      const symprec = Number(o.symprec);
      if (!(symprec > 0 && symprec <= 0.5)) throw new OptionError(`--symprec must be in (0, 0.5] Å, got '${o.symprec}'`, { field: 'symprec' });
      const s = readStructureFile(file);
      const info = withLocation({ file }, () => structureInfo(s, symprec));
      if (o.json) {
        process.stdout.write(JSON.stringify(info, null, 1) + '\n');
        return;
      }
      const L = info.lattice;
      const f = (x: number, d = 4) => x.toFixed(d);
      const out = [
        `${file}`,
        `formula      ${info.formula}   (${info.numSites} sites, ${info.ordered ? 'ordered' : 'disordered'})`,
        `lattice      a=${f(L.a)} b=${f(L.b)} c=${f(L.c)} Å   α=${f(L.alpha, 3)} β=${f(L.beta, 3)} γ=${f(L.gamma, 3)}°   V=${f(L.volume, 3)} Å³`,
        `space group  ${info.spaceGroup.symbol} (${info.spaceGroup.number}), ${info.spaceGroup.numOperations} operations${info.spaceGroup.pureTranslations > 1 ? ` in its ${info.spaceGroup.primitiveSites}-site primitive cell (this cell repeats it ${info.spaceGroup.pureTranslations} times)` : ''}`,
        'sites',
        `  ${'#'.padStart(4)}  ${'species'.padEnd(36)} ${'frac a'.padStart(9)} ${'frac b'.padStart(9)} ${'frac c'.padStart(9)}`,
      ];
      for (const site of info.sites) {
        const sp = site.species.map((o) => (Math.abs(o.occu - 1) < 1e-9 ? o.species : `${o.species}:${+o.occu.toFixed(3)}`)).join(', ');
        out.push(`  ${String(site.index).padStart(4)}  ${sp.padEnd(36)} ${site.frac.map((x) => f(x, 5).padStart(9)).join(' ')}`);
      }
      process.stdout.write(out.join('\n') + '\n');
    });
}

"""Build the ideal cubic perovskite (Pm-3m) and normal spinel (Fd-3m, origin choice 2) cells
listed in data/softbv/README.md from their experimental lattice parameters and Wyckoff
positions, and write them as pymatgen Structure JSON (primitive cells, oxidation states
decorated). Run from the repository root: /usr/bin/python3 data/softbv/make_structures.py
"""
import json
import os

from pymatgen.core import Lattice, Structure

here = os.path.dirname(os.path.abspath(__file__))
out_dir = os.path.join(here, 'structures')
os.makedirs(out_dir, exist_ok=True)

# name: (A, B, a / Angstrom) -- A on 1a (0,0,0), B on 1b (1/2,1/2,1/2), O on 3c (0,1/2,1/2)
PEROVSKITES = {
    'SrTiO3': ('Sr2+', 'Ti4+', 3.905),
    'BaZrO3': ('Ba2+', 'Zr4+', 4.193),
    'KTaO3': ('K+', 'Ta5+', 3.9885),
    'BaSnO3': ('Ba2+', 'Sn4+', 4.116),
}
# name: (A, B, a / Angstrom, u) -- Fd-3m origin choice 2: A on 8a (1/8,1/8,1/8),
# B on 16d (1/2,1/2,1/2), O on 32e (u,u,u); the check below prints the A-O and B-O bond
# lengths and coordination numbers (4 and 6) so a wrong origin would show
SPINELS = {
    'MgAl2O4': ('Mg2+', 'Al3+', 8.083, 0.2624),
    'ZnFe2O4': ('Zn2+', 'Fe3+', 8.441, 0.2604),
    'ZnAl2O4': ('Zn2+', 'Al3+', 8.086, 0.2636),
    'MgCr2O4': ('Mg2+', 'Cr3+', 8.333, 0.2612),
    'ZnCr2O4': ('Zn2+', 'Cr3+', 8.327, 0.2617),
}


def write(name, s, kind, a):
    prim = s.get_primitive_structure()
    d = prim.as_dict()
    d['properties'] = {'name': name, 'kind': kind, 'a_conventional': a}
    with open(os.path.join(out_dir, f'{name}.json'), 'w') as f:
        json.dump(d, f, indent=1)
    return prim


for name, (A, B, a) in PEROVSKITES.items():
    s = Structure.from_spacegroup(221, Lattice.cubic(a), [A, B, 'O2-'],
                                  [[0, 0, 0], [0.5, 0.5, 0.5], [0, 0.5, 0.5]])
    p = write(name, s, 'perovskite', a)
    print(name, len(s), len(p), round(s.get_distance(1, 2), 4))

for name, (A, B, a, u) in SPINELS.items():
    # pymatgen's 'Fd-3m' operators are origin choice 1: A 8a (0,0,0), B 16d (5/8,5/8,5/8),
    # O 32e x = u + 1/8 (checked: MgAl2O4 gives Mg-O 1.924 A x4, Al-O 1.926 A x6)
    x = u + 0.125
    s = Structure.from_spacegroup('Fd-3m', Lattice.cubic(a), [A, B, 'O2-'],
                                  [[0, 0, 0], [0.625, 0.625, 0.625], [x, x, x]])
    assert len(s) == 56, (name, len(s))  # 8 A + 16 B + 32 O: fails if the origin choice were wrong
    p = write(name, s, 'spinel', a)
    iA = next(i for i, x in enumerate(p) if str(x.specie) == A)
    iB = next(i for i, x in enumerate(p) if str(x.specie) == B)
    dA = sorted(p.get_neighbors(p[iA], 2.5), key=lambda n: n.nn_distance)
    dB = sorted(p.get_neighbors(p[iB], 2.5), key=lambda n: n.nn_distance)
    print(name, len(s), len(p), 'A-O', len(dA), round(dA[0].nn_distance, 4), 'B-O', len(dB), round(dB[0].nn_distance, 4))

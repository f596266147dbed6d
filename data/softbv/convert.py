"""Convert BVlain's SoftBV parameter pickles (MIT, github.com/dembart/BVlain, bvlain/data/)
to data/softbv/softbv-params.json. Run once from the repository root:

    /usr/bin/python3 data/softbv/convert.py PATH_TO_BVLAIN_CHECKOUT/bvlain/data

Needs Debian's python3-pandas (the pickles were written by pandas-era numpy) and
python3-pymatgen (only for element symbols). The JSON keeps the values unchanged; b = 1/alpha.
"""
import json
import os
import pickle
import re
import sys

from pymatgen.core.periodic_table import Element

here = os.path.dirname(os.path.abspath(__file__))
src = sys.argv[1]


def load(name):
    with open(os.path.join(src, name), 'rb') as f:
        return pickle.load(f)


cation = load('cation.pkl')
anion = load('anion.pkl')
quantum = load('quantum_n.pkl')
with open(os.path.join(src, 'shannon-radii.json')) as f:
    shannon = json.load(f)

sym = lambda z: Element.from_Z(int(z)).symbol
rows = []
for cz, by_cv in sorted(cation.items()):
    for cv, by_az in sorted(by_cv.items()):
        for az, by_av in sorted(by_az.items()):
            for av, p in sorted(by_av.items()):
                # anion.pkl is the same table indexed the other way round; refuse to convert if not
                assert anion[az][av][cz][cv] == p, (cz, cv, az, av)
                rows.append([sym(cz), int(cv), sym(az), int(av), float(p['r0']), float(p['alpha']),
                             float(p['d0']), float(p['r_min'])])

ions = {(r[0], r[1]) for r in rows} | {(r[2], r[3]) for r in rows}
radii = {}
for el, v in sorted(ions):
    table = shannon.get(el, {}).get(str(v))
    if table:
        key = f"{el}{'' if abs(v) == 1 else abs(v)}{'+' if v > 0 else '-'}"
        radii[key] = {cn: d['r_ionic'] for cn, d in sorted(table.items())}

out = {
    'description': 'SoftBV (bond-softness-sensitive) bond valence parameters per cation-anion pair, '
                   'Chen & Adams, IUCrJ 4, 614-625 (2017), as shipped by BVlain (MIT). '
                   'alpha = 1/b (1/Angstrom), R0 and Rmin in Angstrom, D0 in eV.',
    'source': 'github.com/dembart/BVlain bvlain/data/{cation,anion,quantum_n}.pkl, shannon-radii.json',
    'pairColumns': ['cation', 'cationValence', 'anion', 'anionValence', 'R0', 'alpha', 'D0', 'Rmin'],
    'pairs': rows,
    'principalQuantumNumber': {sym(z): int(n) for z, n in sorted(quantum.items())},
    'shannonIonicRadii': radii,
}
# one pair / one element / one ion per line: diffable and still small
text = json.dumps(out, indent=1)
text = re.sub(r'\[\s+("[A-Z][a-z]?",[^\]]*?)\s+\]', lambda m: '[' + re.sub(r'\s+', '', m.group(1)) + ']', text)
text = re.sub(r'\{\s+("[IVX]+":[^{}]*?)\s+\}', lambda m: '{' + re.sub(r'\s+', ' ', m.group(1)) + '}', text)
with open(os.path.join(here, 'softbv-params.json'), 'w') as f:
    f.write(text + '\n')
print(f'{len(rows)} pairs, {len(out["principalQuantumNumber"])} elements, {len(radii)} ions with radii')

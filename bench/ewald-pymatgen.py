# Peer timing for bench/ewald.ts: pymatgen EwaldSummation on rocksalt MnO supercells of the lmo_drx
# lattice (run by hand: /usr/bin/python3 bench/ewald-pymatgen.py). Measured 2026-11-22 on this
# shared 2-core machine (load ~14): 128 sites 0.53 s CPU, 432 sites 6.8 s CPU, E/prim -47.9319956997.
import json, time, numpy as np
from pymatgen.core import Structure
from pymatgen.analysis.ewald import EwaldSummation
prim = Structure.from_dict(json.load(open('/work/shared/data/lmo_drx/prim.json')))
# ordered: Li+ on tets? use Mn2+ on oct, O2- on anion, drop tets -> rocksalt MnO (neutral)
s = Structure(prim.lattice, ['Mn2+', 'O2-'], [prim[2].frac_coords, prim[3].frac_coords])
for n in (4, 6):
    t = s.copy(); t.make_supercell([n, n, n])
    t0 = time.process_time(); w = time.time()
    e = EwaldSummation(t).total_energy
    print(n, len(t), 'sites', 'E/prim', e / n**3, 'cpu', round(time.process_time() - t0, 2), 's wall', round(time.time() - w, 2))

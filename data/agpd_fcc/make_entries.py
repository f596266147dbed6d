"""Build entries.json.gz (pymatgen ComputedStructureEntry dicts, total energy per cell) from
sparse-lm's structures.json.gz + energy.npy (eV per atom), unchanged otherwise.
Run from anywhere: python3 data/agpd_fcc/make_entries.py"""
import gzip
import json
from pathlib import Path

import numpy as np

here = Path(__file__).resolve().parent
structures = json.load(gzip.open(here / "structures.json.gz"))
energies = np.load(here / "energy.npy")
entries = []
for i, (s, e) in enumerate(zip(structures, energies)):
    n = len(s["sites"])
    entries.append({
        "@module": "pymatgen.entries.computed_entries",
        "@class": "ComputedStructureEntry",
        "energy": float(e) * n,
        "correction": 0.0,
        "entry_id": f"agpd-{i}",
        "structure": s,
        "data": {"energy_per_atom": float(e)},
    })
with gzip.GzipFile(here / "entries.json.gz", "wb", mtime=0) as f:
    f.write(json.dumps(entries).encode())
print(f"wrote {len(entries)} entries")

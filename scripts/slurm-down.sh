#!/usr/bin/env bash
# Stops the slurmd, slurmctld and munged that scripts/slurm-up.sh DIR started (by their pid
# files under DIR, never by name), then removes DIR unless KEEP=1.
#   scripts/slurm-down.sh DIR
set -uo pipefail
D=${1:?usage: slurm-down.sh DIR}
for f in "$D/slurmd.pid" "$D/slurmctld.pid" "$D/munge/munged.pid"; do
  [ -s "$f" ] || continue
  pid=$(cat "$f")
  kill "$pid" 2>/dev/null || continue
  for _ in $(seq 1 50); do kill -0 "$pid" 2>/dev/null || break; sleep 0.1; done
  kill -9 "$pid" 2>/dev/null || true
done
[ "${KEEP:-0}" = 1 ] || rm -rf "$D"

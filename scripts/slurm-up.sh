#!/usr/bin/env bash
# A one-node SLURM on loopback, started by hand (no systemd), for `npm run test:slurm`:
# munged with its own key (--force: the temp dir's modes are not munge's business), slurmctld
# and slurmd as root, one node localhost/127.0.0.1 with 2 CPUs, proctrack/linuxproc, task/none,
# no cgroups, no accounting. Everything (key, sockets, spool, state, logs) lives under DIR.
#
#   scripts/slurm-up.sh [DIR]     → prints `export SLURM_CONF=DIR/slurm.conf` on its last line
#   scripts/slurm-down.sh DIR     stops what this started
# Needs Debian's slurmctld, slurmd, slurm-client and munge (22.05):
#   apt-get install -y slurmctld slurmd slurm-client munge
set -euo pipefail

for b in munged slurmctld slurmd sinfo; do
  command -v "$b" >/dev/null 2>&1 || { echo "slurm-up: $b not on PATH (apt-get install -y slurmctld slurmd slurm-client munge)" >&2; exit 1; }
done

D=${1:-$(mktemp -d /tmp/celt-slurm.XXXXXX)}
D=$(cd "$D" 2>/dev/null || mkdir -p "$D"; cd "$D" && pwd)
mkdir -p "$D/munge" "$D/spool/ctld" "$D/spool/d" "$D/log"
PORT=${CELT_SLURM_PORT:-26817}

# munge: own key, own socket; slurm reaches it through AuthInfo=socket=…
head -c 1024 /dev/urandom >"$D/munge/munge.key"
chmod 400 "$D/munge/munge.key"
munged --force --key-file="$D/munge/munge.key" --socket="$D/munge/munge.socket" \
  --pid-file="$D/munge/munged.pid" --log-file="$D/log/munged.log" --seed-file="$D/munge/munged.seed"

MEM=$(awk '/MemTotal/ { printf "%d", $2 / 1024 / 2 }' /proc/meminfo)
cat >"$D/slurm.conf" <<EOF
ClusterName=celt
SlurmctldHost=$(hostname -s)(127.0.0.1)
SlurmctldPort=$PORT
SlurmdPort=$((PORT + 1))
AuthType=auth/munge
AuthInfo=socket=$D/munge/munge.socket
CredType=cred/munge
SlurmUser=root
SlurmdUser=root
StateSaveLocation=$D/spool/ctld
SlurmdSpoolDir=$D/spool/d
SlurmctldPidFile=$D/slurmctld.pid
SlurmdPidFile=$D/slurmd.pid
SlurmctldLogFile=$D/log/slurmctld.log
SlurmdLogFile=$D/log/slurmd.log
ProctrackType=proctrack/linuxproc
TaskPlugin=task/none
JobContainerType=job_container/none
SelectType=select/cons_tres
SelectTypeParameters=CR_CPU
SchedulerType=sched/backfill
JobAcctGatherType=jobacct_gather/none
AccountingStorageType=accounting_storage/none
MpiDefault=none
ReturnToService=2
SlurmdTimeout=30
InactiveLimit=0
MinJobAge=600
KillWait=5
NodeName=localhost NodeAddr=127.0.0.1 CPUs=2 RealMemory=$MEM State=UNKNOWN
PartitionName=debug Nodes=localhost Default=YES MaxTime=INFINITE State=UP
# a partition that never runs anything: what a job that never starts looks like (PartitionDown)
PartitionName=held Nodes=localhost MaxTime=INFINITE State=DOWN
EOF
export SLURM_CONF="$D/slurm.conf"

slurmctld -f "$SLURM_CONF"
slurmd -f "$SLURM_CONF" -N localhost

# wait until the node reports idle (slurmd registered with the controller)
for _ in $(seq 1 60); do
  if sinfo -h -o '%T' 2>/dev/null | grep -qx idle; then
    echo "slurm-up: node localhost idle; logs in $D/log" >&2
    echo "export SLURM_CONF=$SLURM_CONF"
    exit 0
  fi
  sleep 0.5
done
echo "slurm-up: the node never came up idle; see $D/log/slurmctld.log and $D/log/slurmd.log" >&2
sinfo >&2 || true
exit 1

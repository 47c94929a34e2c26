#!/usr/bin/env bash
# npm run test:slurm: a one-node Slurm cluster on this machine (Debian's slurm-wlm and munge:
# munged, slurmctld, slurmd, all in a scratch folder), the README's array job submitted as the
# README shows it (sbatch, one task per shard), the shards merged, and the merged runs.csv and
# aggregate.csv compared byte for byte with those of the whole sweep run at once. Not in CI (it
# starts daemons as root); docs/slurm.md records its output. Run from anywhere after `npm ci`.
set -euo pipefail
repo="$(cd "$(dirname "$0")/../.." && pwd)"
sweep="test/fixtures/sweep/small-sweep.yaml"
shards=4

for tool in munged slurmctld slurmd sbatch; do
  if ! command -v "$tool" >/dev/null; then
    echo "test:slurm needs Debian's slurm-wlm and munge: apt-get install slurm-wlm munge" >&2
    exit 2
  fi
done
if [ "$(id -u)" -ne 0 ]; then
  echo "test:slurm starts munged, slurmctld and slurmd: run it as root" >&2
  exit 2
fi

work="$(mktemp -d /tmp/skysim-slurm-XXXXXX)"
node="$(hostname -s)"
cpus="$(nproc)"
conf="$work/slurm.conf"
mkdir -p "$work/state" "$work/spool" "$work/log" "$work/munge"
cat >"$conf" <<CONF
ClusterName=skysim-test
SlurmctldHost=$node
SlurmUser=root
SlurmdUser=root
AuthType=auth/munge
StateSaveLocation=$work/state
SlurmdSpoolDir=$work/spool
SlurmctldPidFile=$work/slurmctld.pid
SlurmdPidFile=$work/slurmd.pid
SlurmctldLogFile=$work/log/slurmctld.log
SlurmdLogFile=$work/log/slurmd.log
SlurmctldPort=16817
SlurmdPort=16818
ProctrackType=proctrack/linuxproc
TaskPlugin=task/none
JobAcctGatherType=jobacct_gather/none
SchedulerType=sched/backfill
SelectType=select/cons_tres
SelectTypeParameters=CR_CPU
MpiDefault=none
ReturnToService=2
NodeName=$node CPUs=$cpus State=UNKNOWN
PartitionName=test Nodes=$node Default=YES MaxTime=INFINITE State=UP
CONF
export SLURM_CONF="$conf"

munge_socket="$work/munge/munge.socket"
cleanup() {
  [ -f "$work/slurmd.pid" ] && kill "$(cat "$work/slurmd.pid")" 2>/dev/null || true
  [ -f "$work/slurmctld.pid" ] && kill "$(cat "$work/slurmctld.pid")" 2>/dev/null || true
  [ -f "$work/munged.pid" ] && kill "$(cat "$work/munged.pid")" 2>/dev/null || true
}
trap cleanup EXIT

echo "== one-node Slurm in $work (node $node, $cpus CPUs)"
munged --force --socket="$munge_socket" --pid-file="$work/munged.pid" \
  --log-file="$work/log/munged.log" --seed-file="$work/munge/seed"
# Slurm's munge plugin finds munged's socket through its own option.
echo "AuthInfo=socket=$munge_socket" >>"$conf"
slurmctld -f "$conf"
slurmd -f "$conf"
for _ in $(seq 60); do
  if sinfo -h -o "%T" 2>/dev/null | grep -qE "^(idle|mixed|allocated)"; then break; fi
  sleep 1
done
sinfo

echo "== the README's array job, $shards shards of $sweep"
# The sbatch script of the README ("Sweeps and comparisons"), as written there.
awk '/^<!-- slurm-script -->/ {found=1; next} found && /^```sh$/ {inside=1; next}
     inside && /^```$/ {exit} inside {print}' "$repo/README.md" >"$work/sweep.sbatch"
test -s "$work/sweep.sbatch" || { echo "README has no slurm script" >&2; exit 1; }
sed 's/^/  | /' "$work/sweep.sbatch"
# Its #SBATCH lines are for a real cluster; this node has $cpus CPUs and the sweep is small.
sbatch --wait --array="1-$shards" --cpus-per-task=1 --time=00:30:00 \
  --chdir="$repo" --output="$work/log/shard-%a.out" \
  "$work/sweep.sbatch" "$sweep" "$work/sharded"
echo "jobs left in the queue: $(squeue -h | wc -l)"
for i in $(seq "$shards"); do
  # Each task's log, written by slurmd: the sweep's first line and how many files it wrote.
  echo "shard $i: $(head -1 "$work/log/shard-$i.out") ($(grep -c '^wrote ' "$work/log/shard-$i.out") files written)"
done

echo "== merged, and the whole sweep at once"
cd "$repo"
npx skysim merge "$work"/sharded/shard-* --out "$work/sharded"
npx skysim sweep "$sweep" --out "$work/whole" --jobs "$cpus" >/dev/null
for table in runs.csv aggregate.csv; do
  cmp "$work/sharded/$table" "$work/whole/$table"
  echo "$table: $(wc -l <"$work/whole/$table") lines, byte-identical ($(sha256sum <"$work/whole/$table" | cut -c1-16))"
done
echo "test:slurm passed"

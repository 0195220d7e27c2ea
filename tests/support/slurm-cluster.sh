#!/bin/bash
# slurm-cluster.sh - a real Slurm (Debian's slurm-wlm and munge) over test hosts made by
# netns-hosts.sh: slurmctld on PREFIX-h1, one slurmd per host, each in its host's network
# namespace under the host's own name (a UTS namespace of its own), and one munged with a
# key and socket of its own. Everything lives in WORK/slurm; nothing system-wide is used.
#
#   slurm-cluster.sh up PREFIX N WORK   start it (the N hosts must exist); prints the path
#                                       of slurm.conf, for SLURM_CONF
#   slurm-cluster.sh down WORK          stop every daemon it started (never fails)
#   slurm-cluster.sh run PREFIX I CMD…  run CMD on host I as a user logged in there would:
#                                       in its namespace, under its name
#
# Each emulated node has its own /tmp on a real cluster; here they share one, so a task
# prolog gives every step's tasks PVM_TMP=WORK/tmp/NODE.
set -uo pipefail
export PATH="$PATH:/usr/sbin:/sbin"

fail() {
    echo "slurm-cluster: $*" >&2
    exit 1
}

# address PREFIX I: host I's address, from netns-hosts.sh's hosts file.
address() { awk -v n="$1-h$2" '$2 == n { print $1 }' "/tmp/$1.hosts"; }

# on PREFIX I CMD...: CMD in host I's namespace, with host I's name.
on() {
    local prefix=$1 i=$2
    shift 2
    ip netns exec "$prefix-h$i" unshare --uts sh -c 'hostname "$0"; exec "$@"' "$prefix-h$i" "$@"
}

up() {
    local prefix=$1 n=$2 work=$3 d i
    d=$work/slurm
    mkdir -p "$d/state" "$d/spool" "$d/log" "$work/tmp" || fail "cannot make $d"
    [ -r "/tmp/$prefix.hosts" ] || fail "no test hosts $prefix (netns-hosts.sh up first)"
    mungekey --create --keyfile="$d/munge.key" >/dev/null 2>&1 || fail "mungekey failed"
    chmod 600 "$d/munge.key"
    munged --socket="$d/munge.socket" --key-file="$d/munge.key" --pid-file="$d/munged.pid" \
        --log-file="$d/log/munged.log" --seed-file="$d/munged.seed" --force || fail "munged did not start"
    cat >"$d/task-prolog.sh" <<PROLOG
#!/bin/sh
mkdir -p "$work/tmp/\$SLURMD_NODENAME"
echo "export PVM_TMP=$work/tmp/\$SLURMD_NODENAME"
PROLOG
    chmod +x "$d/task-prolog.sh"
    printf 'CgroupPlugin=cgroup/v1\nCgroupAutomount=no\n' >"$d/cgroup.conf"
    {
        echo "ClusterName=$prefix"
        echo "SlurmctldHost=$prefix-h1($(address "$prefix" 1))"
        cat <<CONF
AuthType=auth/munge
AuthInfo=socket=$d/munge.socket
CredType=cred/munge
SlurmUser=root
SlurmdUser=root
ProctrackType=proctrack/linuxproc
TaskPlugin=task/none
SwitchType=switch/none
MpiDefault=none
JobAcctGatherType=jobacct_gather/none
AccountingStorageType=accounting_storage/none
JobCompType=jobcomp/none
SchedulerType=sched/builtin
SelectType=select/cons_tres
SelectTypeParameters=CR_Core
ReturnToService=2
PropagateResourceLimits=NONE
KillWait=5
TaskProlog=$d/task-prolog.sh
StateSaveLocation=$d/state
SlurmdSpoolDir=$d/spool/%n
SlurmctldPidFile=$d/slurmctld.pid
SlurmdPidFile=$d/slurmd-%n.pid
SlurmctldLogFile=$d/log/slurmctld.log
SlurmdLogFile=$d/log/slurmd-%n.log
CONF
        for ((i = 1; i <= n; i++)); do
            echo "NodeName=$prefix-h$i NodeAddr=$(address "$prefix" "$i") CPUs=1 State=UNKNOWN"
        done
        echo "PartitionName=pvm Nodes=ALL Default=YES MaxTime=INFINITE State=UP"
    } >"$d/slurm.conf"
    export SLURM_CONF=$d/slurm.conf
    on "$prefix" 1 slurmctld -i >>"$d/log/start.log" 2>&1 || fail "slurmctld did not start (see $d/log)"
    for ((i = 1; i <= n; i++)); do
        on "$prefix" "$i" slurmd -N "$prefix-h$i" >>"$d/log/start.log" 2>&1 || fail "slurmd on host $i did not start"
    done
    for ((i = 0; i < 300; i++)); do
        idle=$(on "$prefix" 1 sinfo --noheader --states=idle --format=%D 2>/dev/null)
        [ "${idle:-0}" = "$n" ] && {
            echo "$d/slurm.conf"
            return 0
        }
        sleep 0.1
    done
    fail "the $n nodes did not come up (see $d/log)"
}

down() {
    local d=$1/slurm f pid i
    for f in "$d"/slurmd-*.pid "$d/slurmctld.pid" "$d/munged.pid"; do
        [ -r "$f" ] || continue
        pid=$(cat "$f")
        kill "$pid" 2>/dev/null
        for ((i = 0; i < 50 && $(kill -0 "$pid" 2>/dev/null && echo 1 || echo 0); i++)); do sleep 0.1; done
        kill -9 "$pid" 2>/dev/null
    done
    return 0
}

case ${1:-} in
up) up "${2:?PREFIX}" "${3:?N}" "${4:?WORK}" ;;
down) down "${2:?WORK}" ;;
run)
    prefix=${2:?PREFIX} i=${3:?I}
    shift 3
    on "$prefix" "$i" "$@"
    ;;
*) fail "usage: slurm-cluster.sh up PREFIX N WORK | down WORK | run PREFIX I CMD..." ;;
esac

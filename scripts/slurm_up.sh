#!/usr/bin/env bash
# Start a real one-node Slurm cluster on 127.0.0.1 for tests (Debian's slurm-wlm 22.05 + munge).
# Order: munge -> MariaDB (socket only) -> slurmdbd -> cluster in accounting -> slurmctld -> slurmd.
# submitit reads job states with sacct, so accounting (slurmdbd + MariaDB) is not optional.
# Needs root (daemons, /etc/slurm). Stop it with scripts/slurm_down.sh. Idempotent.
set -euo pipefail
CLUSTER=claimlab
HOST=$(hostname -s)
CPUS=${SLURM_TEST_CPUS:-4}  # declared CPUs (config_overrides allows more than the machine has)
ETC=/etc/slurm
RUN=/run/slurm
SPOOL=/var/spool/slurm
LOG=/var/log/slurm

if [ "$(id -u)" != 0 ]; then echo "slurm_up: needs root" >&2; exit 1; fi
if ! grep -qE "^127\.0\.0\.1\s.*\b$HOST\b" /etc/hosts && ! getent hosts "$HOST" | grep -q '^127\.'; then
  echo "127.0.0.1 $HOST" >>/etc/hosts  # the node and controller must resolve to loopback
fi

# === Step 1: packages (skipped when present)
if ! command -v slurmctld >/dev/null || ! command -v slurmdbd >/dev/null || ! command -v mariadbd >/dev/null; then
  export DEBIAN_FRONTEND=noninteractive
  apt-get update -qq >/dev/null 2>&1 || true
  apt-get install -y -qq --no-install-recommends \
    slurmctld slurmd slurm-client slurmdbd munge mariadb-server >/dev/null
fi
mkdir -p "$ETC" "$RUN" "$SPOOL/ctld" "$SPOOL/d" "$LOG"

# === Step 2: munge (authentication between the daemons and clients)
if ! munge -n 2>/dev/null | unmunge >/dev/null 2>&1; then
  [ -f /etc/munge/munge.key ] || { dd if=/dev/urandom bs=1 count=1024 of=/etc/munge/munge.key 2>/dev/null; }
  chown munge:munge /etc/munge/munge.key && chmod 400 /etc/munge/munge.key
  mkdir -p /run/munge && chown munge:munge /run/munge
  su -s /bin/sh munge -c /usr/sbin/munged
  for _ in $(seq 50); do munge -n 2>/dev/null | unmunge >/dev/null 2>&1 && break; sleep 0.1; done
fi

# === Step 3: MariaDB on its Unix socket only, with a database and user for slurmdbd
if ! mariadb-admin ping >/dev/null 2>&1; then
  mkdir -p /run/mysqld && chown mysql:mysql /run/mysqld
  [ -d /var/lib/mysql/mysql ] || mariadb-install-db --user=mysql >/dev/null 2>&1
  setsid nohup mariadbd --user=mysql --skip-networking --pid-file=/run/mysqld/mysqld.pid \
    >"$LOG/mariadb.log" 2>&1 &
  for _ in $(seq 100); do mariadb-admin ping >/dev/null 2>&1 && break; sleep 0.1; done
fi
mariadb -e "CREATE DATABASE IF NOT EXISTS slurm_acct_db;
  CREATE USER IF NOT EXISTS 'slurm'@'localhost' IDENTIFIED BY 'slurmdbpass';
  GRANT ALL ON slurm_acct_db.* TO 'slurm'@'localhost'; FLUSH PRIVILEGES;"

# === Step 4: configuration (loopback only; no cgroups)
cat >"$ETC/slurmdbd.conf" <<EOF
AuthType=auth/munge
DbdAddr=127.0.0.1
DbdHost=localhost
SlurmUser=root
LogFile=$LOG/slurmdbd.log
PidFile=$RUN/slurmdbd.pid
StorageType=accounting_storage/mysql
StorageHost=localhost
StorageLoc=slurm_acct_db
StorageUser=slurm
StoragePass=slurmdbpass
EOF
chmod 600 "$ETC/slurmdbd.conf"
cat >"$ETC/slurm.conf" <<EOF
ClusterName=$CLUSTER
SlurmctldHost=$HOST(127.0.0.1)
SlurmUser=root
AuthType=auth/munge
CommunicationParameters=NoCtldInAddrAny,NoInAddrAny
ProctrackType=proctrack/linuxproc
TaskPlugin=task/none
JobAcctGatherType=jobacct_gather/none
SelectType=select/cons_tres
SelectTypeParameters=CR_Core
AccountingStorageType=accounting_storage/slurmdbd
AccountingStorageHost=localhost
SchedulerParameters=batch_sched_delay=0,sched_min_interval=0
SlurmdParameters=config_overrides
ReturnToService=2
StateSaveLocation=$SPOOL/ctld
SlurmdSpoolDir=$SPOOL/d
SlurmctldPidFile=$RUN/slurmctld.pid
SlurmdPidFile=$RUN/slurmd.pid
SlurmctldLogFile=$LOG/slurmctld.log
SlurmdLogFile=$LOG/slurmd.log
MpiDefault=none
NodeName=$HOST NodeAddr=127.0.0.1 CPUs=$CPUS RealMemory=4000 State=UNKNOWN
PartitionName=debug Nodes=$HOST Default=YES MaxTime=INFINITE State=UP
EOF

# === Step 5: slurmdbd, then the cluster in accounting
if ! [ -f "$RUN/slurmdbd.pid" ] || ! kill -0 "$(cat "$RUN/slurmdbd.pid")" 2>/dev/null; then
  slurmdbd
  for _ in $(seq 100); do sacctmgr -n list cluster >/dev/null 2>&1 && break; sleep 0.1; done
fi
sacctmgr -n list cluster format=cluster | grep -qw "$CLUSTER" || sacctmgr -i add cluster "$CLUSTER" >/dev/null

# === Step 6: slurmctld and slurmd; wait for the node to be idle
if ! [ -f "$RUN/slurmctld.pid" ] || ! kill -0 "$(cat "$RUN/slurmctld.pid")" 2>/dev/null; then
  slurmctld
fi
if ! [ -f "$RUN/slurmd.pid" ] || ! kill -0 "$(cat "$RUN/slurmd.pid")" 2>/dev/null; then
  slurmd
fi
for _ in $(seq 150); do
  if sinfo -h -o %T 2>/dev/null | grep -qx idle; then
    echo "slurm_up: cluster $CLUSTER ready on 127.0.0.1 ($(sinfo -h -o '%D node, %c CPUs, %T'))"
    exit 0
  fi
  sleep 0.2
done
echo "slurm_up: node did not become idle; see $LOG" >&2
sinfo >&2 || true
exit 1

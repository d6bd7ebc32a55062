#!/usr/bin/env bash
# Stops the control plane cluster/up.sh started (by the pids it recorded, last started first)
# and removes its state directory: keys, certificates, etcd data and logs.
# EDS_CLUSTER_KEEP=1 keeps the directory (to read the logs).
set -euo pipefail
here=$(cd "$(dirname "$0")" && pwd)
state=${EDS_CLUSTER_STATE:-$here/.run}
# How long each program may take to exit after SIGTERM before it gets SIGKILL, in seconds.
grace=10

if [ -f "$state/pids" ]; then
  tac "$state/pids" | while read -r name pid; do
    # Only a process that still runs that program: a recorded pid may have been reused.
    comm=$(ps -o comm= -p "$pid" 2>/dev/null) || continue
    [[ -n $comm && $name == "$comm"* ]] || continue
    kill -TERM "$pid" 2>/dev/null || continue
    for _ in $(seq $((grace * 10))); do
      kill -0 "$pid" 2>/dev/null || break
      sleep 0.1
    done
    if kill -0 "$pid" 2>/dev/null; then
      echo "cluster: $name ($pid) did not exit in $grace s; killing it" >&2
      kill -KILL "$pid" 2>/dev/null || true
    fi
  done
  rm "$state/pids"
fi
if [ "${EDS_CLUSTER_KEEP:-}" != 1 ] && [ -d "$state" ]; then
  rm -rf "$state"
fi

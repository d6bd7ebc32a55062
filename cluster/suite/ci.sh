#!/usr/bin/env bash
# The cluster suite end to end, as `npm run cluster-suite` and CI run it: starts the local cluster
# (cluster/up.sh), runs the suite (cluster/suite/run.sh) and stops the cluster (cluster/down.sh),
# whatever happened. On a failure it prints the end of every program's log first.
set -euo pipefail
here=$(cd "$(dirname "$0")" && pwd)
state=${EDS_CLUSTER_STATE:-$here/../.run}
finish() {
  local status=$?
  if [ "$status" -ne 0 ] && [ -d "$state/logs" ]; then
    for log in "$state"/logs/*.log "$state"/node-agent/pods/*/logs/*.log; do
      [ -f "$log" ] || continue
      echo "--- ${log#"$state/"} (last 15 lines)" >&2
      tail -n 15 "$log" >&2
    done
  fi
  bash "$here/../down.sh" || true
  exit "$status"
}
trap finish EXIT
start=$SECONDS
bash "$here/../up.sh"
echo "cluster-suite: the local cluster started in $((SECONDS - start)) s"
bash "$here/run.sh"

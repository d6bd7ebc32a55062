#!/usr/bin/env bash
# Prints the HTTP status of GET PATH on a Ready pod matching SELECTOR in NAMESPACE, on the
# container port PORT: pod-http.sh NAMESPACE SELECTOR PORT PATH
# On the local cluster a pod listens on the loopback port the node agent gave it (its annotation
# node-agent.eds.local/ports); elsewhere the API server's pod proxy reaches it.
set -euo pipefail
ns=$1 selector=$2 port=$3 path=$4
pod=$(kubectl -n "$ns" get pods -l "$selector" \
  -o jsonpath='{range .items[*]}{.metadata.name} {.status.conditions[?(@.type=="Ready")].status}{"\n"}{end}' |
  awk '$2 == "True" { print $1; exit }')
if [ -z "$pod" ]; then
  echo "pod-http: no Ready pod matches $selector in $ns" >&2
  exit 1
fi
ports=$(kubectl -n "$ns" get pod "$pod" -o jsonpath='{.metadata.annotations.node-agent\.eds\.local/ports}')
if [ -n "$ports" ]; then
  local_port=$(node -e 'const p = JSON.parse(process.argv[1]); const v = p.http ?? p[process.argv[2]]; if (typeof v !== "number") process.exit(1); console.log(v)' "$ports" "$port")
  curl -s -o /dev/null -w '%{http_code}\n' --max-time 5 "http://127.0.0.1:$local_port$path"
else
  if kubectl get --raw "/api/v1/namespaces/$ns/pods/$pod:$port/proxy$path" >/dev/null 2>&1; then
    echo 200
  else
    echo "pod-http: GET $path on $ns/$pod:$port failed" >&2
    exit 1
  fi
fi

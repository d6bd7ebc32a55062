#!/usr/bin/env bash
# Proves the node agent (cluster/parts/node-agent.sh, docs/node-agent.md) against the running
# local cluster: readiness by HTTP probe, a missing Secret then created, an unknown image, a
# failing init container, a Deployment's replicas on distinct ports, deletion with SIGTERM then
# SIGKILL, and a second agent of its own that is SIGKILLed (its leftovers are killed when it
# starts again) and SIGTERMed (it exits 0 and leaves no process). Deletes what it made.
# Usage: EDS_CLUSTER_STATE=DIR bash cluster/checks/node-agent.sh
set -euo pipefail
here=$(cd "$(dirname "$0")" && pwd)
root=$(cd "$here/../.." && pwd)
bin=${EDS_CLUSTER_BIN:-$here/../.bin}
state=${EDS_CLUSTER_STATE:-$here/../.run}
export KUBECONFIG=$state/admin.kubeconfig
# shellcheck source=/dev/null
. "$state/env"
kubectl() { "$bin/kubectl" "$@"; }
ns=eds-node-agent-check
node_bin=$(command -v node)
# How long a pod may take to get where a case expects it, in seconds.
timeout=60
failures=0

# Runs "$@" once a second until its output equals WANT, for at most $timeout s: expect WANT CMD...
expect() {
  local want=$1 out='' deadline=$((SECONDS + timeout))
  shift
  until out=$("$@" 2>/dev/null) && [ "$out" = "$want" ]; do
    if [ "$SECONDS" -ge "$deadline" ]; then
      echo "FAIL: '$*' gave '$out', expected '$want'" >&2
      return 1
    fi
    sleep 1
  done
}
# Column STATUS of `kubectl get pod`, as a user sees it.
status() { kubectl -n "$ns" get pod "$1" --no-headers | awk '{print $3}'; }
field() { kubectl -n "$ns" get pod "$1" -o jsonpath="$2"; }
pass() { echo "ok: $*"; }
# Is PID a live process (not a zombie waiting for its new parent to reap it)?
alive() {
  local stat
  stat=$(ps -o stat= -p "$1" 2>/dev/null) && [[ $stat != Z* ]]
}
fail() {
  echo "FAIL: $*" >&2
  failures=$((failures + 1))
}
cleanup() {
  kubectl delete namespace "$ns" --wait=false >/dev/null 2>&1 || true
  if [ -n "${agent_pid:-}" ]; then kill -TERM "$agent_pid" 2>/dev/null || true; fi
  kubectl delete node eds-check-node --wait=false >/dev/null 2>&1 || true
}
trap cleanup EXIT

cat >>"$NODE_AGENT_IMAGE_MAP" <<YAML
eds.local/check:
  entrypoint: [$node_bin, $here/node-agent-program.js]
  cmd: [serve]
  portEnv: PORT
YAML
kubectl create namespace "$ns" >/dev/null

pod() { # NAME IMAGE EXTRA-SPEC-YAML
  kubectl -n "$ns" apply -f - >/dev/null <<YAML
apiVersion: v1
kind: Pod
metadata: { name: $1 }
spec:
  ${4:-}
  containers:
    - name: main
      image: $2
      ports: [{ name: http, containerPort: 8080 }]
      readinessProbe: { httpGet: { path: /healthz, port: http }, periodSeconds: 1 }
      ${3:-}
YAML
}
port_of() { field "$1" '{.metadata.annotations.node-agent\.eds\.local/ports}' | sed 's/.*"http":\([0-9]*\).*/\1/'; }

# 1. Running and Ready through its readiness probe, serving on its own port.
pod web eds.local/check:1
expect "1/1 Running" bash -c "kubectl() { \"$bin/kubectl\" \"\$@\"; }; kubectl -n $ns get pod web --no-headers | awk '{print \$2, \$3}'" &&
  [ "$(curl -fsS "http://127.0.0.1:$(port_of web)/healthz")" = ok ] && pass "web: Running, Ready, serving on its port" || fail "web"

# 2. A missing Secret: CreateContainerConfigError with the kubelet's message, Running once it exists;
#    its volume's mount path, named by an env var, is rewritten to where the agent put the files.
pod secret eds.local/check:1 "$(printf '%s\n      %s\n      %s' \
  'env: [{ name: TOKEN, valueFrom: { secretKeyRef: { name: later, key: token } } }, { name: CREDS, value: /etc/creds }]' \
  'volumeMounts: [{ name: creds, mountPath: /etc/creds }]' '')" \
  'volumes: [{ name: creds, secret: { secretName: mounted } }]'
kubectl -n "$ns" create secret generic mounted --from-literal=key=from-volume >/dev/null
expect CreateContainerConfigError status secret &&
  [ "$(field secret '{.status.containerStatuses[0].state.waiting.message}')" = 'secret "later" not found' ] &&
  pass "secret: CreateContainerConfigError, secret \"later\" not found" || fail "secret: CreateContainerConfigError"
kubectl -n "$ns" create secret generic later --from-literal=token=t0ken >/dev/null
expect Running status secret && p=$(port_of secret) &&
  [ "$(curl -fsS "http://127.0.0.1:$p/env/TOKEN")" = t0ken ] &&
  [ "$(curl -fsS "http://127.0.0.1:$p/file?path=$(curl -fsS "http://127.0.0.1:$p/env/CREDS")/key")" = from-volume ] &&
  pass "secret: Running once the Secret exists; env and rewritten volume path read" || fail "secret: Running"

# 3. An image the map does not have.
pod unknown registry.invalid/nothing:1
expect ImagePullBackOff status unknown &&
  field unknown '{.status.containerStatuses[0].state.waiting.message}' | grep -q "is not in the node agent's image map" &&
  pass "unknown image: ImagePullBackOff" || fail "unknown image"

# 4. A failing init container crash-loops; kubectl shows Init:CrashLoopBackOff.
pod init eds.local/check:1 "" "initContainers: [{ name: setup, image: eds.local/check:1, args: [fail, '3'] }]"
expect Init:CrashLoopBackOff status init &&
  [ "$(field init '{.status.initContainerStatuses[0].lastState.terminated.exitCode}')" = 3 ] &&
  [ "$(field init '{.status.initContainerStatuses[0].lastState.terminated.reason}')" = Error ] &&
  pass "init: Init:CrashLoopBackOff, lastState exit 3 Error" || fail "init"

# 5. A Deployment of 3 replicas, all Ready, on 3 distinct ports.
kubectl -n "$ns" create deployment trio --image=eds.local/check:1 --replicas=3 --port=8080 >/dev/null
expect 3 kubectl -n "$ns" get deployment trio -o jsonpath='{.status.readyReplicas}' &&
  ports=$(kubectl -n "$ns" get pods -l app=trio -o jsonpath='{range .items[*]}{.metadata.annotations.node-agent\.eds\.local/ports}{"\n"}{end}' | sort -u | wc -l) &&
  [ "$ports" = 3 ] && pass "deployment: 3 replicas Ready on 3 ports" || fail "deployment (distinct ports: ${ports:-?})"

# 6. Deleting a pod that ignores SIGTERM: SIGTERM, then SIGKILL after its grace period (3 s).
signals=$(mktemp)
pod stubborn eds.local/check:1 "env: [{ name: IGNORE_SIGTERM, value: '1' }, { name: SIGTERM_FILE, value: '$signals' }]" \
  "terminationGracePeriodSeconds: 3"
if expect Running status stubborn; then
  pid=$(field stubborn '{.status.containerStatuses[0].containerID}')
  pid=${pid#process://}
  start=$SECONDS
  kubectl -n "$ns" delete pod stubborn >/dev/null
  took=$((SECONDS - start))
  if ! alive "$pid" && [ "$took" -ge 3 ] && [ "$took" -le 8 ] && grep -qx "$pid" "$signals" &&
    grep -q "\"container.exited\".*\"pid\":$pid,\"exitCode\":137,\"signal\":9" "$state/logs/node-agent.log"; then
    pass "delete: SIGTERM ignored, SIGKILL after the grace period (${took} s), pod gone"
  else
    fail "delete: took ${took} s; SIGTERM seen: $(grep -cx "$pid" "$signals"); pid $pid alive: $(alive "$pid" && echo yes || echo no)"
  fi
else
  fail "stubborn: not Running"
fi
rm -f "$signals"

# 7. An agent of our own: SIGKILLed, its orphan is killed when it starts again; SIGTERMed, it
#    exits 0 and leaves no process.
agent_state=$(mktemp -d)
start_agent() {
  setsid "$node_bin" "$root/packages/node-agent/bin/eds-node-agent.js" --kubeconfig "$state/node-agent.kubeconfig" \
    --state-dir "$agent_state" --image-map "$NODE_AGENT_IMAGE_MAP" --node-name eds-check-node \
    --shutdown-grace-seconds 3 >>"$agent_state/agent.log" 2>&1 &
  agent_pid=$!
}
start_agent
expect True kubectl get node eds-check-node -o jsonpath='{.status.conditions[?(@.type=="Ready")].status}'
pod mine eds.local/check:1 "env: [{ name: IGNORE_SIGTERM, value: '1' }]" "nodeName: eds-check-node"
expect Running status mine
first=$(field mine '{.status.containerStatuses[0].containerID}')
first=${first#process://}
kill -KILL "$agent_pid"
wait "$agent_pid" 2>/dev/null || true
if alive "$first"; then
  start_agent
  expect 1 field mine '{.status.containerStatuses[0].restartCount}' &&
    ! alive "$first" && pass "agent SIGKILLed: its orphan $first killed on restart, container restarted" ||
    fail "agent restart: orphan $first alive: $(alive "$first" && echo yes || echo no)"
else
  fail "agent SIGKILL: expected the container to outlive it"
fi
expect Running status mine
second=$(field mine '{.status.containerStatuses[0].containerID}')
second=${second#process://}
kill -TERM "$agent_pid"
code=0
wait "$agent_pid" || code=$?
agent_pid=
if [ "$code" = 0 ] && ! alive "$second"; then
  pass "agent SIGTERM: exit 0, container $second gone"
else
  fail "agent SIGTERM: exit $code, container $second alive: $(alive "$second" && echo yes || echo no)"
fi
kubectl -n "$ns" delete pod mine --force --grace-period=0 >/dev/null 2>&1 || true
rm -rf "$agent_state"

kubectl -n "$ns" get pods -o wide
if [ "$failures" -gt 0 ]; then
  echo "node agent: $failures check(s) failed; agent log: $state/logs/node-agent.log" >&2
  exit 1
fi
echo "node agent: all checks passed"

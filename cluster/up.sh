#!/usr/bin/env bash
# Starts a local Kubernetes control plane on loopback from the programs cluster/build.sh built:
# etcd, kube-apiserver, kube-controller-manager and kube-scheduler, each a local process. There
# is no node: Pods are created and stay Pending. Everything is TLS with client certificates
# from a CA made here with openssl; keys, certificates, data, logs and pids go in
# $EDS_CLUSTER_STATE (default cluster/.run, gitignored), which cluster/down.sh stops and removes.
# Prints the kubeconfig path when /readyz answers ok.
set -euo pipefail
here=$(cd "$(dirname "$0")" && pwd)
bin=${EDS_CLUSTER_BIN:-$here/.bin}
state=${EDS_CLUSTER_STATE:-$here/.run}
# Loopback ports, each overridable: etcd clients and peers, the API server.
etcd_port=${EDS_ETCD_PORT:-23790}
etcd_peer_port=${EDS_ETCD_PEER_PORT:-23800}
api_port=${EDS_APISERVER_PORT:-26443}
# The parts started after the control plane (cluster/parts/NAME.sh), in order.
default_parts="nats nack prometheus-operator node-agent keda crossplane"
# How long to wait for the API server's /readyz, in seconds.
ready_timeout=${EDS_CLUSTER_READY_TIMEOUT:-90}
# Service IPs are allocated from here (nothing routes them: there is no kube-proxy).
service_cidr=10.96.0.0/16
# How often the HPA controller reads metrics and rescales (the upstream default is 15 s).
hpa_sync_period=${EDS_HPA_SYNC_PERIOD:-5s}

# Fails unless each program is built: need_programs NAME...
need_programs() {
  local program
  for program; do
    if [ ! -x "$bin/$program" ]; then
      echo "cluster: $bin/$program is missing; run: bash cluster/build.sh" >&2
      exit 2
    fi
  done
}
# Fails when something listens on a loopback port, saying how to move it:
# free_ports "set VAR or VAR" PORT...
free_ports() {
  local hint=$1 port
  shift
  for port; do
    if (exec 3<>"/dev/tcp/127.0.0.1/$port") 2>/dev/null; then
      echo "cluster: 127.0.0.1:$port is taken; $hint" >&2
      exit 2
    fi
  done
}

need_programs etcd kube-apiserver kube-controller-manager kube-scheduler kubectl
if [ -e "$state/pids" ]; then
  echo "cluster: $state/pids exists: a control plane may be running; run: bash cluster/down.sh" >&2
  exit 2
fi
free_ports "set EDS_ETCD_PORT, EDS_ETCD_PEER_PORT or EDS_APISERVER_PORT" \
  "$etcd_port" "$etcd_peer_port" "$api_port"

mkdir -p "$state"
chmod 700 "$state"
pki=$state/pki
mkdir -p "$pki" "$state/logs"
umask 077

# A P-256 key and a certificate signed by our CA (or by the CA named in $ca):
# NAME SUBJECT [subjectAltName].
cert() {
  local name=$1 subject=$2 san=${3:-} ca=${ca:-ca}
  openssl ecparam -name prime256v1 -genkey -noout -out "$pki/$name.key"
  openssl req -new -key "$pki/$name.key" -subj "$subject" -out "$pki/$name.csr"
  {
    echo "basicConstraints=critical,CA:FALSE"
    echo "keyUsage=critical,digitalSignature"
    echo "extendedKeyUsage=serverAuth,clientAuth"
    if [ -n "$san" ]; then echo "subjectAltName=$san"; fi
  } >"$pki/$name.ext"
  openssl x509 -req -in "$pki/$name.csr" -CA "$pki/$ca.crt" -CAkey "$pki/$ca.key" -CAcreateserial \
    -days 7 -sha256 -extfile "$pki/$name.ext" -out "$pki/$name.crt" 2>/dev/null
  rm "$pki/$name.csr" "$pki/$name.ext"
}

openssl ecparam -name prime256v1 -genkey -noout -out "$pki/ca.key"
openssl req -x509 -new -key "$pki/ca.key" -subj "/CN=eds-local-cluster-ca" -days 7 -sha256 \
  -addext "basicConstraints=critical,CA:TRUE" -addext "keyUsage=critical,keyCertSign,cRLSign" \
  -out "$pki/ca.crt"
loopback="IP:127.0.0.1,DNS:localhost"
cert etcd "/CN=etcd" "$loopback"
cert apiserver "/CN=kube-apiserver" \
  "$loopback,IP:10.96.0.1,DNS:kubernetes,DNS:kubernetes.default,DNS:kubernetes.default.svc,DNS:kubernetes.default.svc.cluster.local"
cert apiserver-etcd-client "/CN=kube-apiserver-etcd-client"
# The aggregation layer's front proxy: the API server presents this client certificate when it
# forwards a request to an extension API server (KEDA's metrics adapter), which trusts it by CA.
openssl ecparam -name prime256v1 -genkey -noout -out "$pki/front-proxy-ca.key"
openssl req -x509 -new -key "$pki/front-proxy-ca.key" -subj "/CN=eds-local-front-proxy-ca" -days 7 \
  -sha256 -addext "basicConstraints=critical,CA:TRUE" -addext "keyUsage=critical,keyCertSign,cRLSign" \
  -out "$pki/front-proxy-ca.crt"
ca=front-proxy-ca cert front-proxy-client "/CN=front-proxy-client"
# Identities the API server's RBAC bootstrap policy already knows.
cert admin "/O=system:masters/CN=eds-admin"
cert controller-manager "/CN=system:kube-controller-manager"
cert scheduler "/CN=system:kube-scheduler"
# The service-account token signing key pair.
openssl ecparam -name prime256v1 -genkey -noout -out "$pki/sa.key"
openssl ec -in "$pki/sa.key" -pubout -out "$pki/sa.pub" 2>/dev/null

# A kubeconfig for NAME, authenticating with the client certificate NAME.crt.
kubeconfig() {
  cat >"$state/$1.kubeconfig" <<EOF
apiVersion: v1
kind: Config
clusters:
  - name: local
    cluster:
      server: https://127.0.0.1:$api_port
      certificate-authority: $pki/ca.crt
users:
  - name: $1
    user:
      client-certificate: $pki/$1.crt
      client-key: $pki/$1.key
contexts:
  - name: local
    context: { cluster: local, user: $1 }
current-context: local
EOF
}
kubeconfig admin
kubeconfig controller-manager
kubeconfig scheduler

# Starts NAME in its own session, logging to logs/NAME.log, and records its pid.
start() {
  local name=$1
  shift
  setsid "$@" >"$state/logs/$name.log" 2>&1 </dev/null &
  echo "$name $!" >>"$state/pids"
}

start etcd "$bin/etcd" --name local --data-dir "$state/etcd" \
  --listen-client-urls "https://127.0.0.1:$etcd_port" --advertise-client-urls "https://127.0.0.1:$etcd_port" \
  --listen-peer-urls "https://127.0.0.1:$etcd_peer_port" --initial-advertise-peer-urls "https://127.0.0.1:$etcd_peer_port" \
  --initial-cluster "local=https://127.0.0.1:$etcd_peer_port" \
  --cert-file "$pki/etcd.crt" --key-file "$pki/etcd.key" --trusted-ca-file "$pki/ca.crt" --client-cert-auth \
  --peer-cert-file "$pki/etcd.crt" --peer-key-file "$pki/etcd.key" --peer-trusted-ca-file "$pki/ca.crt" \
  --peer-client-cert-auth --listen-metrics-urls "" --log-level warn

start kube-apiserver "$bin/kube-apiserver" \
  --bind-address 127.0.0.1 --advertise-address 127.0.0.1 --secure-port "$api_port" \
  --etcd-servers "https://127.0.0.1:$etcd_port" --etcd-cafile "$pki/ca.crt" \
  --etcd-certfile "$pki/apiserver-etcd-client.crt" --etcd-keyfile "$pki/apiserver-etcd-client.key" \
  --tls-cert-file "$pki/apiserver.crt" --tls-private-key-file "$pki/apiserver.key" \
  --client-ca-file "$pki/ca.crt" --anonymous-auth=false --authorization-mode RBAC \
  --service-account-issuer https://kubernetes.default.svc.cluster.local \
  --service-account-key-file "$pki/sa.pub" --service-account-signing-key-file "$pki/sa.key" \
  --service-cluster-ip-range "$service_cidr" \
  --endpoint-reconciler-type none \
  --requestheader-client-ca-file "$pki/front-proxy-ca.crt" --requestheader-allowed-names front-proxy-client \
  --requestheader-username-headers X-Remote-User --requestheader-group-headers X-Remote-Group \
  --requestheader-extra-headers-prefix X-Remote-Extra- \
  --proxy-client-cert-file "$pki/front-proxy-client.crt" --proxy-client-key-file "$pki/front-proxy-client.key"

start kube-controller-manager "$bin/kube-controller-manager" \
  --kubeconfig "$state/controller-manager.kubeconfig" \
  --authentication-kubeconfig "$state/controller-manager.kubeconfig" \
  --authorization-kubeconfig "$state/controller-manager.kubeconfig" \
  --bind-address 127.0.0.1 --secure-port 0 --leader-elect=false \
  --use-service-account-credentials --service-account-private-key-file "$pki/sa.key" \
  --root-ca-file "$pki/ca.crt" --service-cluster-ip-range "$service_cidr" \
  --horizontal-pod-autoscaler-sync-period "$hpa_sync_period"

start kube-scheduler "$bin/kube-scheduler" \
  --kubeconfig "$state/scheduler.kubeconfig" \
  --authentication-kubeconfig "$state/scheduler.kubeconfig" \
  --authorization-kubeconfig "$state/scheduler.kubeconfig" \
  --bind-address 127.0.0.1 --secure-port 0 --leader-elect=false

export KUBECONFIG=$state/admin.kubeconfig
deadline=$((SECONDS + ready_timeout))
until [ "$("$bin/kubectl" get --raw /readyz 2>/dev/null)" = ok ]; do
  while read -r name pid; do
    if ! kill -0 "$pid" 2>/dev/null; then
      echo "cluster: $name exited; its log ends:" >&2
      tail -n 20 "$state/logs/$name.log" >&2
      exit 1
    fi
  done <"$state/pids"
  if [ "$SECONDS" -ge "$deadline" ]; then
    echo "cluster: /readyz not ok after $ready_timeout s; logs in $state/logs" >&2
    "$bin/kubectl" get --raw '/readyz?verbose' >&2 || true
    exit 1
  fi
  sleep 1
done
echo "cluster: control plane ready"

# Fails unless every process started so far still runs, showing the end of the first dead one's log.
alive() {
  local name pid
  while read -r name pid; do
    if ! kill -0 "$pid" 2>/dev/null; then
      echo "cluster: $name exited; its log ends:" >&2
      tail -n 20 "$state/logs/$name.log" >&2
      return 1
    fi
  done <"$state/pids"
}

# Runs "$@" every second until it succeeds, for at most TIMEOUT seconds (default 120), failing
# early when a started process has exited: until_ok WHAT COMMAND...
until_ok() {
  local what=$1 deadline=$((SECONDS + ${TIMEOUT:-120}))
  shift
  until "$@" >/dev/null 2>&1; do
    alive || exit 1
    if [ "$SECONDS" -ge "$deadline" ]; then
      echo "cluster: $what: not ready after ${TIMEOUT:-120} s; logs in $state/logs" >&2
      exit 1
    fi
    sleep 1
  done
}

# The rest of the local cluster, one script each in cluster/parts, sourced in this order (each
# uses the functions and variables above). EDS_CLUSTER_PARTS="" starts the control plane alone.
for part in ${EDS_CLUSTER_PARTS-$default_parts}; do
  start_part=$SECONDS
  # shellcheck source=/dev/null
  . "$here/parts/$part.sh"
  echo "cluster: $part ready in $((SECONDS - start_part)) s"
done
echo "cluster: ready; export KUBECONFIG=$KUBECONFIG"

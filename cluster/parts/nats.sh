# Sourced by cluster/up.sh: a nats-server with JetStream (its store in the state directory) and
# its monitoring port, on loopback. Claims in the local suite point spec.nats.url and
# spec.nats.monitoringEndpoint here; pods reach it directly, since they run on this machine.
nats_port=${EDS_NATS_PORT:-24222}
nats_monitor_port=${EDS_NATS_MONITOR_PORT:-28222}
nats_server=$(command -v nats-server || echo /usr/sbin/nats-server)
if [ ! -x "$nats_server" ]; then
  echo "cluster: nats-server is missing; run: bash scripts/install-debian-deps.sh" >&2
  exit 2
fi
start nats-server "$nats_server" --addr 127.0.0.1 --port "$nats_port" \
  --http_port "$nats_monitor_port" --jetstream --store_dir "$state/nats"
TIMEOUT=30 until_ok nats-server bash -c "exec 3<>/dev/tcp/127.0.0.1/$nats_monitor_port"
echo "NATS_URL=nats://127.0.0.1:$nats_port" >>"$state/env"
echo "NATS_MONITORING_ENDPOINT=127.0.0.1:$nats_monitor_port" >>"$state/env"

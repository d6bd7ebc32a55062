#!/usr/bin/env bash
# Waits until every one of the N jobs published to STREAM is acked by CONSUMER: nothing pending,
# nothing awaiting an ack, the ack floor at the stream's last sequence N, and (a work-queue
# stream) no message left in the stream, so none was lost or dead-lettered. Prints the state.
# wait-drained.sh NATS_URL STREAM CONSUMER N [TIMEOUT_SECONDS, default 240]
set -euo pipefail
url=$1 stream=$2 consumer=$3 n=$4 timeout=${5:-240}
here=$(cd "$(dirname "$0")" && pwd)
want="{\"messages\":0,\"lastSeq\":$n,\"pending\":0,\"ackPending\":0,"
deadline=$((SECONDS + timeout))
state=''
until state=$(node "$here/nats.mjs" state "$url" "$stream" "$consumer" 2>&1) &&
  [[ $state == "$want"* && $state == *"\"ackFloor\":$n}" ]]; do
  if [ "$SECONDS" -ge "$deadline" ]; then
    echo "wait-drained: after $timeout s, $stream/$consumer: $state (want $n jobs all acked)" >&2
    exit 1
  fi
  sleep 2
done
echo "drained: $state"

// The cluster suite's NATS helper (and cluster/checks/keda.sh's), run from the machine that runs
// the suite: node nats.mjs MODE URL ...
//   stream URL NAME SUBJECT        (re)creates a work-queue stream: acked messages leave it
//   delete-stream URL NAME         deletes it if it exists
//   publish URL SUBJECT N [PREFIX] publishes N jobs {"id": "<PREFIX>-<i>", "text": "..."}
//   pending URL STREAM CONSUMER    prints the consumer's lag as KEDA counts it: num_pending +
//                                  num_ack_pending
//   state URL STREAM CONSUMER      prints one JSON line: the stream's messages, the consumer's
//                                  pending, ackPending, redelivered and ack floor
//   consumer URL STREAM CONSUMER   prints one JSON line: the consumer's settings the worker
//                                  relies on (pull, ack policy, ack wait, max deliver, deliver policy)
// Exits 1 with one line on stderr on any error (no stack).
import { connect } from '@nats-io/transport-node';
import { jetstream, jetstreamManager, RetentionPolicy } from '@nats-io/jetstream';

const [mode, url, a, b, c] = process.argv.slice(2);
const USAGE = 'usage: nats.mjs stream|delete-stream|publish|pending|state|consumer URL ...';

async function run(nc) {
  const jsm = await jetstreamManager(nc);
  if (mode === 'stream') {
    await jsm.streams.delete(a).catch(() => undefined);
    await jsm.streams.add({ name: a, subjects: [b], retention: RetentionPolicy.Workqueue });
  } else if (mode === 'delete-stream') {
    await jsm.streams.delete(a).catch(() => undefined);
  } else if (mode === 'publish') {
    const js = jetstream(nc);
    const prefix = c ?? 'job';
    for (let i = 1; i <= Number(b); i++)
      await js.publish(a, JSON.stringify({ id: `${prefix}-${i}`, text: `job ${i} of ${b}` }));
  } else if (mode === 'pending') {
    const info = await jsm.consumers.info(a, b);
    console.log(info.num_pending + info.num_ack_pending);
  } else if (mode === 'state') {
    const [stream, consumer] = await Promise.all([jsm.streams.info(a), jsm.consumers.info(a, b)]);
    console.log(
      JSON.stringify({
        messages: stream.state.messages,
        lastSeq: stream.state.last_seq,
        pending: consumer.num_pending,
        ackPending: consumer.num_ack_pending,
        redelivered: consumer.num_redelivered,
        ackFloor: consumer.ack_floor.stream_seq,
      }),
    );
  } else if (mode === 'consumer') {
    const { config } = await jsm.consumers.info(a, b);
    console.log(
      JSON.stringify({
        durable: config.durable_name,
        pull: config.deliver_subject === undefined || config.deliver_subject === '',
        ackPolicy: config.ack_policy,
        ackWaitMs: config.ack_wait / 1e6,
        maxDeliver: config.max_deliver,
        deliverPolicy: config.deliver_policy,
      }),
    );
  } else {
    throw new Error(USAGE);
  }
}

if (url === undefined) {
  console.error(USAGE);
  process.exit(2);
}
try {
  const nc = await connect({ servers: url, timeout: 5000 });
  try {
    await run(nc);
  } finally {
    await nc.close();
  }
} catch (err) {
  console.error(`nats.mjs ${mode}: ${err instanceof Error ? err.message : String(err)}`);
  process.exit(1);
}

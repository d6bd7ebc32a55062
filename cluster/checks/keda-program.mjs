// Used by cluster/checks/keda.sh. `stream URL NAME SUBJECT`: creates a stream; `delete-stream
// URL NAME` deletes it if it exists. `publish URL SUBJECT
// N`: publishes N jobs {"id": "job-<i>"}. `pending URL STREAM CONSUMER`: prints the consumer's
// num_pending + num_ack_pending.
import { connect } from '@nats-io/transport-node';
import { jetstream, jetstreamManager } from '@nats-io/jetstream';

const [mode, url, a, b, c] = process.argv.slice(2);
const nc = await connect({ servers: url });
try {
  const jsm = await jetstreamManager(nc);
  if (mode === 'stream') {
    await jsm.streams.add({ name: a, subjects: [b] });
  } else if (mode === 'delete-stream') {
    await jsm.streams.delete(a).catch(() => undefined);
  } else if (mode === 'publish') {
    const js = jetstream(nc);
    for (let i = 1; i <= Number(b); i++) await js.publish(a, JSON.stringify({ id: `job-${i}` }));
  } else if (mode === 'pending') {
    const info = await jsm.consumers.info(a, b);
    console.log(info.num_pending + info.num_ack_pending);
  } else {
    throw new Error(`unknown mode ${mode} ${c ?? ''}`);
  }
} finally {
  await nc.close();
}

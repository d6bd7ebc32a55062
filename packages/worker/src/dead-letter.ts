import type { JetStreamClient } from '@nats-io/jetstream';
import { headers } from '@nats-io/transport-node';
import type { MsgHdrs } from '@nats-io/transport-node';

/** Headers the worker adds to a dead-lettered message. */
export const DEAD_LETTER_HEADERS = {
  stream: 'Eds-Origin-Stream',
  consumer: 'Eds-Origin-Consumer',
  subject: 'Eds-Origin-Subject',
  sequence: 'Eds-Origin-Sequence',
  deliveries: 'Eds-Deliveries',
  error: 'Eds-Last-Error',
  failedAt: 'Eds-Failed-At',
} as const;

export interface DeadLetterOrigin {
  readonly stream: string;
  readonly consumer: string;
  readonly subject: string;
  readonly sequence: number;
  readonly deliveries: number;
  /** The last handler error, described in one line. */
  readonly error: string;
  readonly failedAt: Date;
}

const MAX_HEADER_VALUE = 1_024;

/** A header value: one line, bounded length. */
export function headerValue(text: string): string {
  const line = text.replace(/[\r\n]+/g, ' ').trim();
  return line.length > MAX_HEADER_VALUE ? `${line.slice(0, MAX_HEADER_VALUE - 1)}…` : line;
}

/**
 * Headers of the dead-letter copy: the original's application headers (not `Nats-*`, which
 * would change how the server stores it) plus where it came from and why it failed.
 */
export function deadLetterHeaders(origin: DeadLetterOrigin, original?: MsgHdrs): MsgHdrs {
  const h = headers();
  if (original !== undefined) {
    for (const [name, values] of original) {
      if (name.toLowerCase().startsWith('nats-')) continue;
      for (const value of values) h.append(name, value);
    }
  }
  h.set(DEAD_LETTER_HEADERS.stream, origin.stream);
  h.set(DEAD_LETTER_HEADERS.consumer, origin.consumer);
  h.set(DEAD_LETTER_HEADERS.subject, origin.subject);
  h.set(DEAD_LETTER_HEADERS.sequence, String(origin.sequence));
  h.set(DEAD_LETTER_HEADERS.deliveries, String(origin.deliveries));
  h.set(DEAD_LETTER_HEADERS.error, headerValue(origin.error));
  h.set(DEAD_LETTER_HEADERS.failedAt, origin.failedAt.toISOString());
  return h;
}

/**
 * Stores the copy through JetStream, so it only counts as dead-lettered once a stream has it.
 * The message id makes a repeated attempt for the same origin message a duplicate the server drops.
 */
export async function publishDeadLetter(
  js: JetStreamClient,
  subject: string,
  data: Uint8Array,
  origin: DeadLetterOrigin,
  original?: MsgHdrs,
): Promise<void> {
  await js.publish(subject, data, {
    headers: deadLetterHeaders(origin, original),
    msgID: `eds-dead-letter:${origin.stream}:${origin.consumer}:${origin.sequence}`,
    timeout: 5_000,
  });
}

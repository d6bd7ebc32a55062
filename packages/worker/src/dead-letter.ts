import { JetStreamApiError } from '@nats-io/jetstream';
import type { JetStreamClient } from '@nats-io/jetstream';
import { TimeoutError, headers } from '@nats-io/transport-node';
import type { MsgHdrs } from '@nats-io/transport-node';
import { WorkerError, describeError } from './errors.js';

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

/** How long one dead-letter publish waits for the stream's answer. */
export const DEAD_LETTER_PUBLISH_TIMEOUT_MS = 5_000;

/** Why a dead letter was not stored: the `reason` label of `nats_dead_letter_failures_total`. */
export const DEAD_LETTER_FAILURE_REASONS = [
  'no-stream',
  'too-large',
  'rejected',
  'timeout',
  'other',
] as const;
export type DeadLetterFailureReason = (typeof DEAD_LETTER_FAILURE_REASONS)[number];

/** The copy could not be stored; `reason` says why, the message says what to do. */
export class DeadLetterError extends WorkerError {
  override readonly name = 'DeadLetterError';
  readonly reason: DeadLetterFailureReason;
  constructor(reason: DeadLetterFailureReason, message: string, options?: { cause?: unknown }) {
    super('EDS_DEAD_LETTER_FAILED', message, options);
    this.reason = reason;
  }
}

/** Bytes of the headers as sent (`NATS/1.0` line, `name: value` lines, blank line). */
export function encodedHeaderBytes(h: MsgHdrs): number {
  const enc = new TextEncoder();
  let bytes = 'NATS/1.0\r\n\r\n'.length;
  for (const [name, values] of h) {
    for (const value of values) bytes += enc.encode(`${name}: ${value}\r\n`).length;
  }
  return bytes;
}

/**
 * Names the real cause of a failed publish. nats.js reports a subject that no stream captures
 * (no responders) as `JetStreamNotEnabled`, a class it does not export, so it is matched by name.
 */
export function deadLetterError(err: unknown, subject: string): DeadLetterError {
  if (err instanceof DeadLetterError) return err;
  if (err instanceof Error && err.name === 'JetStreamNotEnabled') {
    return new DeadLetterError(
      'no-stream',
      `no stream captures ${subject}; create one, e.g. nats stream add DEAD_LETTERS --subjects '${subject}'`,
      { cause: err },
    );
  }
  if (err instanceof JetStreamApiError) {
    return new DeadLetterError(
      'rejected',
      `the stream capturing ${subject} refused it (${err.message}); make room in it or raise its limits`,
      { cause: err },
    );
  }
  if (err instanceof TimeoutError) {
    return new DeadLetterError(
      'timeout',
      `JetStream did not answer within ${DEAD_LETTER_PUBLISH_TIMEOUT_MS} ms`,
      { cause: err },
    );
  }
  if (err instanceof Error && err.message.includes('max_payload')) {
    return new DeadLetterError(
      'too-large',
      `the copy is larger than max_payload (${err.message})`,
      {
        cause: err,
      },
    );
  }
  return new DeadLetterError('other', describeError(err), { cause: err });
}

/**
 * Stores the copy through JetStream, so it only counts as dead-lettered once a stream has it.
 * The message id makes a repeated attempt for the same origin message a duplicate the server drops.
 * Throws `DeadLetterError` naming the cause; a copy over `maxPayload` (the server's limit, which
 * the added headers can push a message near it past) is refused before it is sent.
 */
export async function publishDeadLetter(
  js: JetStreamClient,
  subject: string,
  data: Uint8Array,
  origin: DeadLetterOrigin,
  original?: MsgHdrs,
  maxPayload?: number,
): Promise<void> {
  const h = deadLetterHeaders(origin, original);
  // Set here rather than with the `msgID` option, so the size check below counts it.
  h.set('Nats-Msg-Id', `eds-dead-letter:${origin.stream}:${origin.consumer}:${origin.sequence}`);
  const size = data.length + encodedHeaderBytes(h);
  if (maxPayload !== undefined && size > maxPayload) {
    throw new DeadLetterError(
      'too-large',
      `the copy is ${size} bytes with the dead-letter headers, over the server's max_payload of ` +
        `${maxPayload}; raise max_payload in the nats-server config, or keep messages about 2 KiB below it`,
    );
  }
  try {
    await js.publish(subject, data, {
      headers: h,
      timeout: DEAD_LETTER_PUBLISH_TIMEOUT_MS,
    });
  } catch (err) {
    throw deadLetterError(err, subject);
  }
}

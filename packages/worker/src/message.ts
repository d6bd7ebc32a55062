import type { MsgHdrs } from '@nats-io/transport-node';
import { MessageDecodeError } from './errors.js';

/**
 * Non-enumerable property of a `MessageDecodeError` holding the payload's first 80 characters;
 * loggers print it at debug level only.
 */
export const PAYLOAD_EXCERPT = 'payloadExcerpt';

/**
 * The parts of a JetStream message the wrapper reads. `JsMsg` from `@nats-io/jetstream` has
 * this shape; tests build it from plain values.
 */
export interface RawMessage {
  readonly data: Uint8Array;
  readonly subject: string;
  readonly headers?: MsgHdrs | undefined;
  readonly seq: number;
  readonly info: {
    readonly deliveryCount: number;
    readonly timestampNanos: number;
  };
}

/** Read-only view of message headers. Names match case-insensitively. */
export interface MessageHeaders {
  /** First value of the header, or undefined. */
  get(name: string): string | undefined;
  /** Every value of the header (NATS headers may repeat). */
  getAll(name: string): string[];
  has(name: string): boolean;
  /** Header names as sent. */
  keys(): string[];
  /** All headers as `{name: [values]}`. */
  toJSON(): Record<string, string[]>;
}

/** What a handler receives. */
export interface WorkerMessage {
  /** Raw payload bytes. */
  readonly data: Uint8Array;
  /** Subject the message was published to. */
  readonly subject: string;
  readonly headers: MessageHeaders;
  /** Stream sequence: unique and stable across redeliveries, a good idempotency key. */
  readonly seq: number;
  /** 1 on the first delivery, 2 on the first redelivery, and so on. */
  readonly deliveryCount: number;
  /** True when this is not the first delivery. */
  readonly redelivered: boolean;
  /** When the message was stored in the stream. */
  readonly timestamp: Date;
  /** Payload decoded as UTF-8. */
  string(): string;
  /** Payload parsed as JSON; throws `MessageDecodeError` (never retried) if it is not JSON. */
  // eslint-disable-next-line @typescript-eslint/no-unnecessary-type-parameters -- the caller names the payload type, as with JSON.parse; the worker cannot check it
  json<T = unknown>(): T;
}

const decoder = new TextDecoder();
const NO_HEADERS: MessageHeaders = {
  get: () => undefined,
  getAll: () => [],
  has: () => false,
  keys: () => [],
  toJSON: () => ({}),
};

class Headers implements MessageHeaders {
  readonly #h: MsgHdrs;
  constructor(h: MsgHdrs) {
    this.#h = h;
  }
  get(name: string): string | undefined {
    return this.#h.has(name, 'insensitive') ? this.#h.get(name, 'insensitive') : undefined;
  }
  getAll(name: string): string[] {
    return this.#h.values(name, 'insensitive');
  }
  has(name: string): boolean {
    return this.#h.has(name, 'insensitive');
  }
  keys(): string[] {
    return this.#h.keys();
  }
  toJSON(): Record<string, string[]> {
    const out: Record<string, string[]> = {};
    for (const [k, v] of this.#h) out[k] = [...v];
    return out;
  }
}

class Message implements WorkerMessage {
  readonly #raw: RawMessage;
  #headers: MessageHeaders | undefined;
  constructor(raw: RawMessage) {
    this.#raw = raw;
  }
  get data(): Uint8Array {
    return this.#raw.data;
  }
  get subject(): string {
    return this.#raw.subject;
  }
  get headers(): MessageHeaders {
    this.#headers ??= this.#raw.headers === undefined ? NO_HEADERS : new Headers(this.#raw.headers);
    return this.#headers;
  }
  get seq(): number {
    return this.#raw.seq;
  }
  get deliveryCount(): number {
    return this.#raw.info.deliveryCount;
  }
  get redelivered(): boolean {
    return this.#raw.info.deliveryCount > 1;
  }
  get timestamp(): Date {
    return new Date(Math.floor(this.#raw.info.timestampNanos / 1_000_000));
  }
  string(): string {
    return decoder.decode(this.#raw.data);
  }
  // eslint-disable-next-line @typescript-eslint/no-unnecessary-type-parameters -- see WorkerMessage.json
  json<T = unknown>(): T {
    const text = this.string();
    try {
      return JSON.parse(text) as T;
    } catch {
      // Payload bytes stay out of the message (it reaches logs and the dead-letter header), and
      // so does JSON.parse's SyntaxError, which quotes the payload. The worker's logger adds the
      // excerpt at debug level only.
      const error = new MessageDecodeError(
        'EDS_MESSAGE_NOT_JSON',
        `message ${this.seq} on ${this.subject} is not JSON (${this.#raw.data.length} bytes)`,
      );
      const excerpt = text.length > 80 ? `${text.slice(0, 80)}…` : text;
      Object.defineProperty(error, PAYLOAD_EXCERPT, { value: excerpt, enumerable: false });
      throw error;
    }
  }
  toJSON(): Record<string, unknown> {
    return { subject: this.subject, seq: this.seq, deliveryCount: this.deliveryCount };
  }
}

export function wrapMessage(raw: RawMessage): WorkerMessage {
  return new Message(raw);
}

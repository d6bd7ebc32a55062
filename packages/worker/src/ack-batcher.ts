/** The part of a JetStream message the batcher needs. */
export interface Ackable {
  ack(): void;
}

/**
 * Sends acks together, once per event-loop turn. nats.js writes its outbound buffer to the socket
 * in a microtask, so acks issued from separate handler completions would each become their own
 * write (and packet, and server read). Gathered until `setImmediate`, one turn's acks share a
 * single write: fewer syscalls here and much less work for nats-server at high rates. The delay
 * is one turn of the event loop.
 *
 * While the connection is down, acks are held (`pause`) and sent after the reconnect (`resume`):
 * nats.js drops whatever it buffered when it dials again, so an ack sent while disconnected
 * would be lost and its message handled a second time after ack wait.
 */
export class AckBatcher {
  #pending: Ackable[] = [];
  #scheduled = false;
  #paused = false;

  ack(msg: Ackable): void {
    this.#pending.push(msg);
    if (!this.#scheduled && !this.#paused) {
      this.#scheduled = true;
      setImmediate(() => {
        this.flush();
      });
    }
  }

  /**
   * Sends every pending ack now (also called before the connection closes). While paused it sends
   * nothing, even from a tick scheduled before the pause: the acks stay pending for `resume()`.
   */
  flush(): void {
    this.#scheduled = false;
    if (this.#paused) return;
    const batch = this.#pending;
    this.#pending = [];
    for (const msg of batch) {
      try {
        msg.ack();
      } catch {
        // Connection closed: the server redelivers after ack wait; handlers must be idempotent.
      }
    }
  }

  /** Holds acks until `resume()` (the connection is down). */
  pause(): void {
    this.#paused = true;
  }

  /** Sends the held acks (the connection is back). */
  resume(): void {
    this.#paused = false;
    this.flush();
  }

  get size(): number {
    return this.#pending.length;
  }
}

/** Sends an ack/nak/term, ignoring a closed connection (the server redelivers after ack wait). */
export function settle(action: () => void): void {
  try {
    action();
  } catch {
    // Connection closed: nothing can be sent; the message comes back after ack wait.
  }
}

/**
 * Naks wait for this gate while shutting down: a message nak'ed right after the pull stopped
 * can be delivered to the stopped pull request by nats-server 2.9 (see `shutdownPlan`).
 */
export class NakGate {
  #gate: Promise<void> | undefined;
  close(until: Promise<void>): void {
    this.#gate = until;
  }
  /** Runs `nak` now, or once the gate opens. */
  async nak(nak: () => void): Promise<void> {
    if (this.#gate !== undefined) await this.#gate;
    settle(nak);
  }
}

/** Resolves after `ms`, or at once when `signal` aborts. */
export function sleep(ms: number, signal: AbortSignal): Promise<void> {
  return new Promise((resolve) => {
    if (signal.aborted) {
      resolve();
      return;
    }
    const timer = setTimeout(done, ms);
    function done(): void {
      clearTimeout(timer);
      signal.removeEventListener('abort', done);
      resolve();
    }
    signal.addEventListener('abort', done, { once: true });
  });
}

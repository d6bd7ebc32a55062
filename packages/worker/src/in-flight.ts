/** The part of a JetStream message the progress timer needs. */
export interface Workable {
  working(): void;
}

export interface InFlightEntry {
  readonly msg: Workable;
  /** When the worker last told the server the message is still being worked on. */
  lastProgress: number;
  /** Set when shutdown gave up waiting; the outcome of the handler is then ignored. */
  abandoned: boolean;
}

/**
 * Messages the worker holds, waiting for a handler slot or being handled, kept alive with
 * in-progress acks. One timer for all of them: every `intervalMs` each message not touched for `intervalMs` gets `working()`. With
 * `intervalMs` a third of ack wait, no message goes longer than two thirds of ack wait without
 * one, so the server never redelivers a message the worker still holds.
 */
export class InFlight {
  readonly #entries = new Set<InFlightEntry>();
  #intervalMs: number;
  readonly #now: () => number;
  #timer: NodeJS.Timeout | undefined;
  #idle: (() => void)[] = [];

  constructor(intervalMs: number, now: () => number = () => performance.now()) {
    this.#intervalMs = intervalMs;
    this.#now = now;
  }

  get size(): number {
    return this.#entries.size;
  }

  /** Call when the message arrives: its ack wait runs from then. */
  add(msg: Workable): InFlightEntry {
    const entry: InFlightEntry = { msg, lastProgress: this.#now(), abandoned: false };
    this.#entries.add(entry);
    return entry;
  }

  delete(entry: InFlightEntry): void {
    this.#entries.delete(entry);
    if (this.#entries.size === 0 && this.#idle.length > 0) {
      const waiters = this.#idle;
      this.#idle = [];
      for (const resolve of waiters) resolve();
    }
  }

  /** Sends `working()` for every entry that has not had progress for `intervalMs`. */
  sweep(): number {
    const now = this.#now();
    let sent = 0;
    for (const entry of this.#entries) {
      if (now - entry.lastProgress >= this.#intervalMs) {
        entry.lastProgress = now;
        try {
          entry.msg.working();
          sent++;
        } catch {
          // Closed connection: the message comes back after ack wait; nothing to do here.
        }
      }
    }
    return sent;
  }

  /** Marks every remaining entry abandoned and returns how many there were. */
  abandonAll(): number {
    for (const entry of this.#entries) entry.abandoned = true;
    return this.#entries.size;
  }

  /** Resolves when no message is held. */
  whenIdle(): Promise<void> {
    if (this.#entries.size === 0) return Promise.resolve();
    return new Promise((resolve) => this.#idle.push(resolve));
  }

  /** Changes the interval (the consumer's ack wait changed); restarts a running timer. */
  setIntervalMs(intervalMs: number): void {
    if (intervalMs === this.#intervalMs) return;
    this.#intervalMs = intervalMs;
    if (this.#timer !== undefined) {
      this.stop();
      this.start();
    }
  }

  get intervalMs(): number {
    return this.#intervalMs;
  }

  start(): void {
    this.#timer ??= setInterval(() => this.sweep(), this.#intervalMs);
    this.#timer.unref();
  }

  stop(): void {
    clearInterval(this.#timer);
    this.#timer = undefined;
  }
}

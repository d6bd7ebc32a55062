/**
 * How far ahead of its handlers the worker pulls: enough messages to keep every slot busy for
 * this long at the handlers' current pace, so a fast handler never waits for a pull round trip.
 */
export const PULL_AHEAD_MS = 50;
/** Never more than this many messages ahead (nats.js's own default pull batch). */
export const MAX_LOOKAHEAD = 100;
/** Nor more than this many bytes ahead, at the messages' mean size. */
export const MAX_LOOKAHEAD_BYTES = 8 * 1024 * 1024;
/** Weight of the newest observation in the running means. */
const SMOOTHING = 0.1;

/** Limits the bound consumer puts on one pull request (0: none). */
export interface PullLimits {
  /** The consumer's `max_batch`. */
  readonly maxBatch: number;
}

/**
 * The number of messages the worker holds or has asked for: its handlers' slots plus a lookahead
 * sized by how fast the handlers finish. Before the first handler finishes the lookahead is one
 * message, so a slow handler never gets a large first pull; a fast one grows it within a few
 * dozen messages. Slow handlers shrink it to one: a pod that KEDA may stop holds little more
 * than what it is working on.
 */
export class PullWindow {
  readonly #concurrency: number;
  readonly #limits: PullLimits;
  #meanMs: number | undefined;
  #meanBytes = 0;

  constructor(concurrency: number, limits: PullLimits = { maxBatch: 0 }) {
    this.#concurrency = concurrency;
    this.#limits = limits;
  }

  /** One handler finished after `ms`, for a message of `bytes`. */
  observe(ms: number, bytes: number): void {
    if (this.#meanMs === undefined) {
      this.#meanMs = ms;
      this.#meanBytes = bytes;
      return;
    }
    this.#meanMs += SMOOTHING * (ms - this.#meanMs);
    this.#meanBytes += SMOOTHING * (bytes - this.#meanBytes);
  }

  /** Messages to pull beyond the running handlers. */
  get lookahead(): number {
    if (this.#meanMs === undefined) return 1;
    const byPace =
      this.#meanMs <= 0
        ? MAX_LOOKAHEAD
        : Math.ceil((this.#concurrency * PULL_AHEAD_MS) / this.#meanMs);
    const byBytes =
      this.#meanBytes <= 0 ? MAX_LOOKAHEAD : Math.floor(MAX_LOOKAHEAD_BYTES / this.#meanBytes);
    return Math.max(1, Math.min(MAX_LOOKAHEAD, byPace, byBytes));
  }

  /** Messages held (running or waiting) plus those asked for, at most. */
  get size(): number {
    return this.#concurrency + this.lookahead;
  }

  /** Pull again once this much room is free, so each pull is worth its round trip. */
  get refillAt(): number {
    return Math.max(1, Math.ceil(this.size / 4));
  }

  /** The largest batch one pull request may ask for. */
  get maxBatch(): number {
    return this.#limits.maxBatch > 0 ? this.#limits.maxBatch : Number.POSITIVE_INFINITY;
  }
}

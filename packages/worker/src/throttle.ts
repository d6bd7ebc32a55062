/**
 * Lets one occurrence of a repeating event through per interval and counts the rest, so a
 * worker retrying every 2 s logs one line per interval instead of thirty, saying how many it
 * left out.
 */
export class Throttle {
  readonly #intervalMs: number;
  readonly #now: () => number;
  #last: number | undefined;
  #suppressed = 0;

  constructor(intervalMs: number, now: () => number = Date.now) {
    this.#intervalMs = intervalMs;
    this.#now = now;
  }

  /**
   * Records an occurrence. Returns how many were suppressed since the last one let through, or
   * `undefined` when this one is to be suppressed as well.
   */
  take(): number | undefined {
    const now = this.#now();
    if (this.#last !== undefined && now - this.#last < this.#intervalMs) {
      this.#suppressed++;
      return undefined;
    }
    const suppressed = this.#suppressed;
    this.#last = now;
    this.#suppressed = 0;
    return suppressed;
  }

  /** Occurrences suppressed since the last one let through. */
  get suppressed(): number {
    return this.#suppressed;
  }
}

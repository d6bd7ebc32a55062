/**
 * The consumer's pending messages for the simulator, as a fluid: first in, first out, in cohorts
 * that arrived spread evenly over an interval (one second of `rate`) or at one instant (a burst).
 * Amounts are real numbers; the simulator rounds what it reports.
 */

/** Below this a cohort counts as empty (floating-point remainders). */
const EMPTY = 1e-9;

interface Cohort {
  /** Arrival interval, seconds; from === to for a burst. */
  readonly from: number;
  readonly to: number;
  readonly total: number;
  left: number;
}

export class Backlog {
  readonly #cohorts: Cohort[] = [];
  #head = 0;
  #pending = 0;

  /** Messages waiting for a handler. */
  get pending(): number {
    return this.#pending;
  }

  /** `amount` messages arriving evenly over [from, to] seconds. */
  add(amount: number, from: number, to: number): void {
    if (amount <= EMPTY) return;
    this.#cohorts.push({ from, to, total: amount, left: amount });
    this.#pending += amount;
  }

  /** Arrival time of the oldest waiting message, or undefined when none waits. */
  oldestArrival(): number | undefined {
    const c = this.#cohorts[this.#head];
    if (c === undefined) return undefined;
    return c.from + (c.to - c.from) * (1 - c.left / c.total);
  }

  /**
   * Hands up to `capacity` messages to handlers at second `now`, oldest first. Returns how many,
   * and the longest any of them waited (seconds; 0 for messages that arrive while a handler is free).
   */
  take(capacity: number, now: number): { readonly taken: number; readonly longestWait: number } {
    let taken = 0;
    let longestWait = 0;
    while (capacity - taken > EMPTY) {
      const c = this.#cohorts[this.#head];
      if (c === undefined) break;
      longestWait = Math.max(longestWait, now - (this.oldestArrival() ?? now));
      const n = Math.min(c.left, capacity - taken);
      c.left -= n;
      taken += n;
      if (c.left <= EMPTY) this.#head += 1;
    }
    this.#pending = Math.max(0, this.#pending - taken);
    if (this.#head === this.#cohorts.length) {
      this.#cohorts.length = 0;
      this.#head = 0;
      this.#pending = 0;
    }
    return { taken, longestWait };
  }
}

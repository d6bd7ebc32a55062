/** Counts free handler slots. `tryAcquire` is the allocation-free fast path. */
export class Semaphore {
  #free: number;
  readonly #waiters: ((acquired: boolean) => void)[] = [];

  constructor(slots: number) {
    this.#free = slots;
  }

  tryAcquire(): boolean {
    if (this.#free > 0) {
      this.#free--;
      return true;
    }
    return false;
  }

  /** Resolves true once a slot is taken, or false if `cancel()` is called first. */
  acquire(): Promise<boolean> {
    if (this.tryAcquire()) return Promise.resolve(true);
    return new Promise((resolve) => this.#waiters.push(resolve));
  }

  release(): void {
    const next = this.#waiters.shift();
    if (next === undefined) this.#free++;
    else next(true);
  }

  /** Wakes every waiter with false (shutdown). */
  cancel(): void {
    for (const waiter of this.#waiters.splice(0)) waiter(false);
  }
}

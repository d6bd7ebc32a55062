/**
 * When each step of a graceful shutdown happens, in ms after the signal, for a total budget of
 * `timeoutMs` (the time from SIGTERM to exit):
 *
 * - `releaseAt`: buffered, never-started messages are handed back (nak), and naks of handlers
 *   that finish during the drain are held until then. nats-server 2.9.10 was seen to deliver
 *   messages nak'ed right after the pull stopped to the stopped pull request, so they only came
 *   back after ack wait; a short pause avoids that.
 * - `abortAt`: `context.signal` fires so handlers still running can wind up.
 * - `giveUpAt`: handlers still running are abandoned; their messages stay un-acked and come back
 *   after ack wait. What is left of the budget is for flushing acks and closing.
 */
export interface ShutdownPlan {
  readonly releaseAt: number;
  readonly abortAt: number;
  readonly giveUpAt: number;
}

export const RELEASE_DELAY_MS = 500;

export function shutdownPlan(timeoutMs: number): ShutdownPlan {
  const closeReserve = Math.min(1_000, Math.round(timeoutMs / 10));
  const abortGrace = Math.min(3_000, Math.round(timeoutMs / 5));
  const giveUpAt = timeoutMs - closeReserve;
  const abortAt = Math.max(0, giveUpAt - abortGrace);
  const releaseAt = Math.min(RELEASE_DELAY_MS, abortAt);
  return { releaseAt, abortAt, giveUpAt };
}

import { describe, expect, it } from 'vitest';
import { InFlight } from '../src/in-flight.js';
import { Semaphore } from '../src/semaphore.js';

/** A message stand-in that counts in-progress acks. */
function workable(): { working(): void; count: number } {
  return {
    count: 0,
    working() {
      this.count++;
    },
  };
}

describe('InFlight progress', () => {
  it('sends working() to each message not touched for an interval', () => {
    let now = 0;
    const inFlight = new InFlight(1_000, () => now);
    const a = workable();
    const b = workable();
    const entryA = inFlight.add(a);
    now = 600;
    inFlight.add(b);
    now = 1_000;
    expect(inFlight.sweep()).toBe(1);
    expect([a.count, b.count]).toEqual([1, 0]);
    now = 1_600;
    expect(inFlight.sweep()).toBe(1);
    expect([a.count, b.count]).toEqual([1, 1]);
    inFlight.delete(entryA);
    now = 5_000;
    inFlight.sweep();
    expect([a.count, b.count]).toEqual([1, 2]);
  });

  it('keeps every message under ack wait when swept every third of it', () => {
    // Sweeps every 1/3 of ack wait: the longest gap between progress acks is 2/3 of ack wait.
    const ackWait = 3_000;
    let now = 0;
    const inFlight = new InFlight(ackWait / 3, () => now);
    const sends: number[] = [];
    inFlight.add({ working: () => sends.push(now) });
    for (now = 0; now <= 20_000; now += ackWait / 3) inFlight.sweep();
    const gaps = sends.map((t, i) => t - (sends[i - 1] ?? 0));
    expect(Math.max(...gaps)).toBeLessThan(ackWait);
  });

  it('resolves whenIdle once the last entry leaves, and abandons what is left', async () => {
    const inFlight = new InFlight(1_000, () => 0);
    const e1 = inFlight.add(workable());
    const e2 = inFlight.add(workable());
    let idle = false;
    const waiting = inFlight.whenIdle().then(() => {
      idle = true;
    });
    inFlight.delete(e1);
    await Promise.resolve();
    expect(idle).toBe(false);
    expect(inFlight.abandonAll()).toBe(1);
    expect([e1.abandoned, e2.abandoned]).toEqual([false, true]);
    inFlight.delete(e2);
    await waiting;
    expect(idle).toBe(true);
  });
});

describe('Semaphore', () => {
  it('hands out slots, queues waiters in order, and cancels them', async () => {
    const s = new Semaphore(2);
    expect([s.tryAcquire(), s.tryAcquire(), s.tryAcquire()]).toEqual([true, true, false]);
    const order: string[] = [];
    const first = s.acquire().then((ok) => order.push(`first:${ok}`));
    const second = s.acquire().then((ok) => order.push(`second:${ok}`));
    s.release();
    await first;
    expect(order).toEqual(['first:true']);
    s.cancel();
    await second;
    expect(order).toEqual(['first:true', 'second:false']);
    s.release();
    s.release();
    expect([s.tryAcquire(), s.tryAcquire(), s.tryAcquire()]).toEqual([true, true, false]);
  });
});

describe('InFlight interval', () => {
  it('follows a new interval (the consumer’s ack wait changed)', () => {
    let now = 0;
    const inFlight = new InFlight(1_000, () => now);
    const a = workable();
    inFlight.add(a);
    inFlight.setIntervalMs(300);
    expect(inFlight.intervalMs).toBe(300);
    now = 300;
    expect(inFlight.sweep()).toBe(1);
    expect(a.count).toBe(1);
  });
});

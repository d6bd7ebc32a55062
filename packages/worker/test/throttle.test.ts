import { describe, expect, it } from 'vitest';
import { Throttle } from '../src/throttle.js';

describe('Throttle', () => {
  it('lets the first occurrence through, then one per interval with the count it suppressed', () => {
    let now = 0;
    const t = new Throttle(30_000, () => now);
    const taken: (number | undefined)[] = [];
    // An attempt every 2 s for 64 s.
    for (; now <= 64_000; now += 2_000) taken.push(t.take());
    expect(taken).toEqual([
      0, // 0 s
      ...Array<undefined>(14).fill(undefined), // 2 s … 28 s
      14, // 30 s
      ...Array<undefined>(14).fill(undefined), // 32 s … 58 s
      14, // 60 s
      undefined, // 62 s
      undefined, // 64 s
    ]);
    expect(t.suppressed).toBe(2);
  });
});

/** The memo's bounds, entry by entry: count, total bytes, and the heaviest entry it keeps. */
import { describe, expect, it } from 'vitest';
import { Memo } from '../src/memo.js';

/** A memo of strings weighing their length in bytes, and a log of what it computed. */
function memo(limits: { entries: number; bytes: number; entryBytes: number }) {
  const computed: string[] = [];
  const m = new Memo<string>(limits, (v) => v.length);
  const get = (key: string, value = 'v') =>
    m.get(key, () => {
      computed.push(key);
      return value;
    });
  return { m, get, computed };
}

describe('Memo', () => {
  it('computes a key once while it is kept, and forgets the least recently used first', () => {
    const { m, get, computed } = memo({ entries: 2, bytes: 1000, entryBytes: 1000 });
    get('a');
    get('b');
    get('a'); // a is now the most recently used
    get('c'); // evicts b
    get('a');
    get('b');
    expect(computed).toEqual(['a', 'b', 'c', 'b']);
    expect(m.held).toEqual({ entries: 2, bytes: 2 * (2 + 1) });
  });

  it('keeps at most its byte budget: an entry weighs two bytes per key unit plus its value', () => {
    const { m, get, computed } = memo({ entries: 100, bytes: 100, entryBytes: 100 });
    for (const key of ['k1', 'k2', 'k3']) get(key, 'x'.repeat(36)); // 4 + 36 = 40 bytes each
    expect(m.held).toEqual({ entries: 2, bytes: 80 });
    get('k1');
    expect(computed).toEqual(['k1', 'k2', 'k3', 'k1']);
  });

  it('evicts as many entries as a heavy one needs', () => {
    const { m, get } = memo({ entries: 100, bytes: 100, entryBytes: 100 });
    for (const key of ['a', 'b', 'c', 'd', 'e']) get(key, 'x'.repeat(8)); // 10 bytes each
    get('big', 'x'.repeat(84)); // 90 bytes: only one small entry may stay
    expect(m.held).toEqual({ entries: 2, bytes: 100 });
  });

  it('returns but never keeps an entry heavier than entryBytes, by its key or by its value', () => {
    const { m, get, computed } = memo({ entries: 100, bytes: 1000, entryBytes: 50 });
    get('small');
    expect(get('heavy', 'x'.repeat(100))).toBe('x'.repeat(100));
    expect(get('k'.repeat(26))).toBe('v');
    get('heavy', 'x'.repeat(100));
    get('small');
    expect(computed).toEqual(['small', 'heavy', 'k'.repeat(26), 'heavy']);
    expect(m.held).toEqual({ entries: 1, bytes: 11 });
  });
});

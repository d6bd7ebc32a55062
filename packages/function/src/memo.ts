/**
 * A small least-recently-used memo, bounded by count and by size. Crossplane calls the function
 * for the same XR over and over; its spec rarely changes, so validation and rendering are done
 * once per distinct input. A count alone does not bound memory: one tenant's large specs can be
 * a thousand times the size of the usual ones, so every entry is weighed and the memo keeps at
 * most `bytes` in all, and nothing heavier than `entryBytes`.
 */
export interface MemoLimits {
  /** Most entries kept. */
  readonly entries: number;
  /** Most bytes kept, summed over the entries' weights. */
  readonly bytes: number;
  /** Heaviest entry kept; a heavier value is computed and returned every time, never kept. */
  readonly entryBytes: number;
}

interface Entry<V> {
  readonly value: V;
  readonly bytes: number;
}

export class Memo<V> {
  private readonly entries = new Map<string, Entry<V>>();
  private bytes = 0;

  /**
   * @param weigh the bytes a value holds beyond its key; an entry weighs that plus two bytes per
   *   UTF-16 unit of its key (what V8 spends on a string at most).
   */
  constructor(
    private readonly limits: MemoLimits,
    private readonly weigh: (value: V) => number,
  ) {}

  /** What the memo holds now. */
  get held(): { readonly entries: number; readonly bytes: number } {
    return { entries: this.entries.size, bytes: this.bytes };
  }

  get(key: string, compute: () => V): V {
    const hit = this.entries.get(key);
    if (hit !== undefined) {
      this.entries.delete(key);
      this.entries.set(key, hit);
      return hit.value;
    }
    const value = compute();
    const keyBytes = 2 * key.length;
    if (keyBytes > this.limits.entryBytes) return value;
    const bytes = keyBytes + this.weigh(value);
    if (bytes > this.limits.entryBytes) return value;
    this.entries.set(key, { value, bytes });
    this.bytes += bytes;
    for (const [oldest, entry] of this.entries) {
      if (this.entries.size <= this.limits.entries && this.bytes <= this.limits.bytes) break;
      this.entries.delete(oldest);
      this.bytes -= entry.bytes;
    }
    return value;
  }
}

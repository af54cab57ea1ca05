/**
 * A map that holds at most `maxBytes` (as its entries reckon them), dropping the least recently used.
 *
 * Entries kept for callers nobody answers for — anonymous ones, keys that do not exist — are `unaccountable`, and
 * hold at most a quarter of it between them: anyone can make such entries without end (a made-up variable, a
 * random key per request), and, one store for all, they would otherwise push out every advisor's kept answers.
 * A flood of them drops only each other.
 */
export class BoundedStore<V> {
  // Insertion order is recency order: a hit moves its entry to the end; the oldest go first.
  private readonly entries = new Map<string, { value: V; bytes: number; unaccountable: boolean }>();
  /** The unaccountable entries' keys, in the same recency order. */
  private readonly unaccountable = new Set<string>();
  private bytes = 0;
  private unaccountableBytes = 0;
  private readonly maxUnaccountableBytes: number;

  constructor(private readonly maxBytes: number) {
    this.maxUnaccountableBytes = maxBytes / 4;
  }

  get(key: string): V | undefined {
    const entry = this.entries.get(key);
    if (!entry) return undefined;
    this.entries.delete(key);
    this.entries.set(key, entry);
    if (entry.unaccountable) {
      this.unaccountable.delete(key);
      this.unaccountable.add(key);
    }
    return entry.value;
  }

  /** Keeps `value` under `key`; `unaccountable` when no one answers for the caller it was made for (see above). */
  set(key: string, value: V, bytes: number, unaccountable = false): void {
    this.delete(key);
    if (bytes > (unaccountable ? this.maxUnaccountableBytes : this.maxBytes)) return;
    this.entries.set(key, { value, bytes, unaccountable });
    this.bytes += bytes;
    if (unaccountable) {
      this.unaccountable.add(key);
      this.unaccountableBytes += bytes;
      for (const oldKey of this.unaccountable) {
        if (this.unaccountableBytes <= this.maxUnaccountableBytes) break;
        this.delete(oldKey);
      }
    }
    for (const [oldKey] of this.entries) {
      if (this.bytes <= this.maxBytes) break;
      this.delete(oldKey);
    }
  }

  delete(key: string): void {
    const entry = this.entries.get(key);
    if (!entry) return;
    this.entries.delete(key);
    this.bytes -= entry.bytes;
    if (entry.unaccountable) {
      this.unaccountable.delete(key);
      this.unaccountableBytes -= entry.bytes;
    }
  }
}

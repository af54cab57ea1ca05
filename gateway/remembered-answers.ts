/**
 * A subgraph's answers about a sign-in — an API key's session, the advisor registry's word on an ADVISOR —
 * reused while that subgraph's data version and the day in Japan stand (and, where asked, for a while at
 * most): a repeated request costs the version question a kept answer asks anyway (VersionsAsked), not the
 * subgraph's lookup. A change the subgraph makes (a key revoked, a term ended) moves its version, so the
 * next request asks again.
 */
import { todayInJapan } from '../shared/dates';
import type { DataVersions, VersionsAsked } from './data-versions';
import { BoundedStore } from './bounded-store';

interface Remembered<T> {
  value: T;
  /** The subgraph's data version read before its answer was; undefined: it could not tell, so the answer is only the last one. */
  version: string | undefined;
  /** The day in Japan the answer is of. */
  day: string;
  at: number;
}

export class RememberedAnswers<T> {
  private readonly store: BoundedStore<Remembered<T>>;

  constructor(private readonly options: { subgraph: string; versions: DataVersions; maxBytes: number; maxAgeMs?: number }) {
    this.store = new BoundedStore(options.maxBytes);
  }

  /** The answer the subgraph gave last for `key`, whether or not it still stands (for when it cannot be asked). */
  last(key: string): T | undefined {
    return this.store.get(key)?.value;
  }

  /** The answer for `key` if it still stands: of today, young enough, and the subgraph unchanged since. */
  async standing(key: string, asked?: VersionsAsked): Promise<T | undefined> {
    const remembered = this.store.get(key);
    if (!remembered || remembered.version === undefined || remembered.day !== todayInJapan()) return undefined;
    if (Date.now() - remembered.at > (this.options.maxAgeMs ?? Infinity)) return undefined;
    return (await this.options.versions.unchanged([[this.options.subgraph, remembered.version]], asked)) ? remembered.value : undefined;
  }

  /**
   * Keeps the subgraph's answer, read at `version` on `day`; `bytes`: what it takes, reckoned by its key's length too;
   * `unaccountable`: made for a caller no one answers for (a refused key: anyone can send a new one each time).
   */
  keep(key: string, value: T, version: string | undefined, day: string, bytes: number, unaccountable = false): void {
    this.store.set(key, { value, version, day, at: Date.now() }, bytes, unaccountable);
  }
}

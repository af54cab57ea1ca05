/**
 * Shared subgraph answers, always per viewer.
 *
 * In flight: when the same viewer's identical query to the same subgraph is already on its way (many
 * advisors opening the same page, a dashboard's polling), later callers wait for that answer instead
 * of sending another.
 *
 * Cached: when the subgraph says its answer may be reused (`Cache-Control: max-age=N`, which only
 * answers made wholly of reference data get, see shared/cache-control.ts), the answer is kept for N
 * seconds and handed out with the max-age that is left, so no cache after this one keeps it longer.
 *
 * Safe by construction: the key holds the viewer header, so no answer is shared between viewers;
 * mutations are never shared; and each caller parses the shared text on its own, so no caller sees
 * another's objects.
 */
import { VIEWER_HEADER } from '../shared/context';
import type { SubgraphAnswer, SubgraphCall } from './subgraph-http';

const headerOf = (headers: RequestInit['headers'], name: string): string => {
  if (!headers) return '';
  if (typeof (headers as Headers).get === 'function') return (headers as Headers).get(name) ?? '';
  if (Array.isArray(headers)) return headers.find(([key]) => key.toLowerCase() === name)?.[1] ?? '';
  return (headers as Record<string, string>)[name] ?? '';
};

const OPERATION_TYPE = /^\s*(mutation|subscription)\b/;
/**
 * The operation the gateway sends a subgraph starts with its type: `query …`, `mutation …` or `{`.
 * Apollo Gateway's body starts with the query, so its first characters tell without parsing it all.
 */
const isQuery = (body: string) => {
  if (body.startsWith('{"query":"')) return !OPERATION_TYPE.test(body.slice(10, 40));
  const { query } = JSON.parse(body) as { query?: unknown };
  return typeof query === 'string' && !OPERATION_TYPE.test(query);
};

/** Seconds an answer may be reused: `max-age` of a 200 answer, unless it says no-store or no-cache. */
export function reusableFor(answer: SubgraphAnswer): number {
  const header = answer.headers['cache-control'];
  if (answer.status !== 200 || !header || /\b(no-store|no-cache)\b/.test(header)) return 0;
  const maxAge = /\bmax-age=(\d+)/.exec(header);
  return maxAge ? Number(maxAge[1]) : 0;
}

interface Entry {
  answer: Promise<SubgraphAnswer>;
  /** Set once the answer is cached; until then it is in flight. */
  expiresAt?: number;
  bytes: number;
}

export interface SharingOptions {
  /** Memory for cached answers (their keys and bodies); 0 keeps nothing once answered. */
  maxBytes: number;
  /** Told when a caller got an answer sent for another: in flight, or from the cache. */
  onShared?(how: 'in_flight' | 'cached'): void;
  now?(): number;
}

export function shareSubgraphAnswers(call: SubgraphCall, options: SharingOptions): SubgraphCall {
  const now = options.now ?? Date.now;
  // Insertion order is recency order: a hit moves its entry to the end; the oldest go first.
  const entries = new Map<string, Entry>();
  let cachedBytes = 0;
  const forget = (key: string, entry: Entry) => {
    if (entries.get(key) !== entry) return;
    entries.delete(key);
    if (entry.expiresAt !== undefined) cachedBytes -= entry.bytes;
  };
  const keep = (key: string, entry: Entry, answer: SubgraphAnswer, seconds: number) => {
    entry.bytes = 2 * (key.length + answer.body.length); // UTF-16 in memory
    if (entry.bytes > options.maxBytes) return forget(key, entry);
    entry.expiresAt = now() + seconds * 1000;
    cachedBytes += entry.bytes;
    for (const [oldKey, old] of entries) {
      if (cachedBytes <= options.maxBytes) break;
      if (old.expiresAt !== undefined) forget(oldKey, old);
    }
  };
  /** The cached answer, with the max-age that is left of it. */
  const withAgeLeft = (answer: SubgraphAnswer, expiresAt: number): SubgraphAnswer => {
    const left = Math.max(0, Math.floor((expiresAt - now()) / 1000));
    const scope = /\b(private|public)\b/.exec(answer.headers['cache-control'] ?? '')?.[1];
    return { ...answer, headers: { ...answer.headers, 'cache-control': left > 0 ? `max-age=${left}${scope ? `, ${scope}` : ''}` : 'no-store' } };
  };

  return (input, init) => {
    const body = typeof init.body === 'string' ? init.body : undefined;
    if (body === undefined || !isQuery(body)) return call(input, init);
    const key = `${input}\n${headerOf(init.headers, VIEWER_HEADER)}\n${body}`;
    const found = entries.get(key);
    if (found) {
      const { expiresAt } = found;
      if (expiresAt === undefined) {
        options.onShared?.('in_flight');
        return found.answer;
      }
      if (expiresAt > now()) {
        entries.delete(key); // to the end: most recently used
        entries.set(key, found);
        options.onShared?.('cached');
        return found.answer.then((answer) => withAgeLeft(answer, expiresAt));
      }
      forget(key, found); // expired
    }
    const entry: Entry = { answer: call(input, init), bytes: 0 };
    entries.set(key, entry);
    entry.answer.then(
      (answer) => {
        const seconds = options.maxBytes > 0 ? reusableFor(answer) : 0;
        if (seconds > 0) keep(key, entry, answer, seconds);
        else forget(key, entry);
      },
      () => forget(key, entry),
    );
    return entry.answer;
  };
}

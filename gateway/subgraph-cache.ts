/**
 * Shared subgraph answers.
 *
 * In flight: when the same viewer's identical query to the same subgraph is already on its way (many
 * advisors opening the same page, a dashboard's polling), later callers wait for that answer instead
 * of sending another.
 *
 * Kept: an answer tagged with its subgraph's data version (shared/data-version.ts) is kept, and handed
 * out again — within the viewer's authorization scope, or to the viewer only, as the answer says —
 * while the subgraph says its data is still at that version (gateway/answer-cache.ts asks). This is
 * what serves the parts of a response that cannot all be kept (one part read notes, say).
 *
 * Safe by construction: mutations are never shared; in flight only within one viewer (whom the
 * answer may go to is known only once it is here); and each caller parses the shared text on its own,
 * so no caller sees another's objects.
 */
import { createHash } from 'node:crypto';
import { VIEWER_HEADER, decodeViewer } from '../shared/context';
import { ANSWER_SCOPE_HEADER, DATA_VERSION_HEADER, sharingKey } from '../shared/data-version';
import { todayInJapan } from '../shared/dates';
import { BoundedStore } from './bounded-store';
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

/** The keys an answer for this viewer header may be kept under: its authorization scope, and the viewer. */
const sharingKeys = new Map<string, { scope: string; viewer: string; anonymous: boolean }>();
function keysOf(viewerHeader: string): { scope: string; viewer: string; anonymous: boolean } {
  let keys = sharingKeys.get(viewerHeader);
  if (!keys) {
    const viewer = decodeViewer(viewerHeader);
    // A header that does not decode shares with no one (the subgraph refuses it anyway).
    keys = viewer
      ? { scope: sharingKey(viewer, 'scope'), viewer: sharingKey(viewer, 'viewer'), anonymous: !viewer.role }
      : { scope: `?${viewerHeader}`, viewer: `?${viewerHeader}`, anonymous: true };
    if (sharingKeys.size >= 10_000) sharingKeys.clear();
    sharingKeys.set(viewerHeader, keys);
  }
  return keys;
}

/**
 * The body as a key part: as it is when small, else its SHA-256. A plan's step can carry thousands of
 * representations (the national worklist's, the export's: hundreds of KB of UTF-16); each key made of it
 * was copied and hashed anew (in flight, kept by scope, kept by viewer): a tenth of the gateway's CPU on
 * the cold national worklist, in its CPU profile, with the garbage it made.
 */
const bodyKey = (body: string) => (body.length <= 2048 ? body : `sha256:${createHash('sha256').update(body).digest('base64')}`);

export interface SharingOptions {
  /** Memory for kept answers (their keys and bodies); 0 keeps nothing once answered. */
  maxBytes: number;
  /** Whether the subgraph's data is still at this version; without it nothing is kept. */
  unchanged?(version: string): Promise<boolean>;
  /** Told when a caller got an answer sent for another: in flight, or kept. */
  onShared?(how: 'in_flight' | 'cached'): void;
}

export function shareSubgraphAnswers(call: SubgraphCall, options: SharingOptions): SubgraphCall {
  const inFlight = new Map<string, Promise<SubgraphAnswer>>();
  const kept = new BoundedStore<{ answer: SubgraphAnswer; version: string }>(options.maxBytes);
  const keeping = options.maxBytes > 0 && options.unchanged !== undefined;

  const keptAnswer = async (keys: string[]): Promise<SubgraphAnswer | undefined> => {
    for (const key of keys) {
      const found = kept.get(key);
      if (!found) continue;
      if (await options.unchanged!(found.version)) return found.answer;
      kept.delete(key);
    }
    return undefined;
  };

  return async (input, init) => {
    const body = typeof init.body === 'string' ? init.body : undefined;
    if (body === undefined || !isQuery(body)) return call(input, init);
    const viewerHeader = headerOf(init.headers, VIEWER_HEADER);
    const request = `${input}\n${todayInJapan()}\n${bodyKey(body)}`;
    const keys = keysOf(viewerHeader);
    if (keeping && !/\bno-cache\b/.test(headerOf(init.headers, 'cache-control'))) {
      const answer = await keptAnswer([`${keys.scope}\n${request}`, `${keys.viewer}\n${request}`]);
      if (answer) {
        options.onShared?.('cached');
        return answer;
      }
    }
    const flightKey = `${viewerHeader}\n${request}`;
    const flying = inFlight.get(flightKey);
    if (flying) {
      options.onShared?.('in_flight');
      return flying;
    }
    const sent = call(input, init);
    inFlight.set(flightKey, sent);
    try {
      const answer = await sent;
      const version = answer.headers[DATA_VERSION_HEADER];
      const scope = answer.headers[ANSWER_SCOPE_HEADER];
      if (keeping && answer.status === 200 && version && (scope === 'scope' || scope === 'viewer')) {
        const key = `${scope === 'scope' ? keys.scope : keys.viewer}\n${request}`;
        kept.set(key, { answer, version }, 2 * (key.length + answer.body.length) + 200, keys.anonymous);
      }
      return answer;
    } finally {
      inFlight.delete(flightKey);
    }
  };
}

/**
 * Answers kept until the data under them changes (shared/data-version.ts has the subgraph side).
 *
 * Every subgraph answer to a query says which data version of its subgraph it was read at and whom it
 * may be shared with. A whole response made only of such answers is kept, under the operation, its
 * variables, the day in Japan and — as the answers allow — the viewer's authorization scope or the
 * viewer; answers with errors, with notes, or to mutations never are. Before a kept answer is handed
 * out, the gateway asks each subgraph it came from for its current data version (`GET
 * /internal/data-version`); only if none has moved is it used. One such question per subgraph is in
 * flight at a time and every request waits for one sent after it arrived, so a write acknowledged
 * before a read arrived (through any gateway replica) is always seen, at the cost of one small round
 * trip shared by all the requests waiting together.
 */
import type { ApolloServerPlugin, GraphQLRequestContext } from '@apollo/server';
import { HeaderMap } from '@apollo/server';
import type { FormattedExecutionResult } from 'graphql';
import { GATEWAY_SECRET_HEADER } from '../shared/context';
import { ANSWER_SCOPE_HEADER, type AnswerScope, DATA_VERSION_HEADER, sharingKey } from '../shared/data-version';
import { secondsUntilMidnightInJapan } from '../shared/cache-control';
import { todayInJapan } from '../shared/dates';
import type { GatewayContext } from './context';
import { postToSubgraph } from './subgraph-http';

/** What one request's subgraph answers were read at; `keepable: false` once any cannot be kept. */
export interface AnswerSources {
  versions: Map<string, string>;
  scope: Exclude<AnswerScope, 'none'>;
  keepable: boolean;
  /** The caller asked for a fresh answer (`Cache-Control: no-cache`): nothing kept is used; the new answer is kept. */
  fresh: boolean;
}

/** The sources of a new request; `cacheControl` is the request's own Cache-Control header. */
export const newAnswerSources = (cacheControl?: string | string[]): AnswerSources => ({
  versions: new Map(),
  scope: 'scope',
  keepable: true,
  fresh: /\bno-(cache|store)\b/i.test(String(cacheControl ?? '')),
});

/** Sent with a subgraph request whose caller asked for a fresh answer (gateway/subgraph-cache.ts reads it). */
export const FRESH_REQUEST = { header: 'cache-control', value: 'no-cache' };

/** Notes one subgraph answer in the request's sources, from its headers. */
export function noteSubgraphAnswer(sources: AnswerSources | undefined, subgraph: string, header: (name: string) => string | null | undefined): void {
  if (!sources) return;
  const version = header(DATA_VERSION_HEADER);
  const scope = header(ANSWER_SCOPE_HEADER);
  const seen = sources.versions.get(subgraph);
  if (!version || (scope !== 'scope' && scope !== 'viewer') || (seen !== undefined && seen !== version)) {
    sources.keepable = false;
    return;
  }
  sources.versions.set(subgraph, version);
  if (scope === 'viewer') sources.scope = 'viewer';
}

/** A map that holds at most `maxBytes` (as its entries reckon them), dropping the least recently used. */
export class BoundedStore<V> {
  // Insertion order is recency order: a hit moves its entry to the end; the oldest go first.
  private readonly entries = new Map<string, { value: V; bytes: number }>();
  private bytes = 0;

  constructor(private readonly maxBytes: number) {}

  get(key: string): V | undefined {
    const entry = this.entries.get(key);
    if (!entry) return undefined;
    this.entries.delete(key);
    this.entries.set(key, entry);
    return entry.value;
  }

  set(key: string, value: V, bytes: number): void {
    this.delete(key);
    if (bytes > this.maxBytes) return;
    this.entries.set(key, { value, bytes });
    this.bytes += bytes;
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
  }
}

/** Each subgraph's current data version, asked anew for every request (one question in flight per subgraph). */
export class DataVersions {
  private readonly probes = new Map<string, () => Promise<string | undefined>>();

  constructor(urls: Record<string, string>, gatewaySecret: string, timeoutMs: number) {
    for (const [name, url] of Object.entries(urls)) {
      const ask = async () => {
        const answer = await postToSubgraph(
          new URL('/internal/data-version', url).href,
          { method: 'GET', headers: { [GATEWAY_SECRET_HEADER]: gatewaySecret } },
          timeoutMs,
        );
        if (answer.status !== 200) return undefined;
        const { version } = JSON.parse(answer.body) as { version?: unknown };
        return typeof version === 'string' ? version : undefined;
      };
      this.probes.set(name, coalesced(ask));
    }
  }

  /** Whether every subgraph named is still at the version given (false if one cannot tell). */
  async unchanged(versions: Iterable<[string, string]>): Promise<boolean> {
    const checks = [...versions].map(async ([name, version]) => (await this.probes.get(name)?.()) === version);
    return (await Promise.all(checks)).every(Boolean);
  }
}

/**
 * A question whose answer was sent after the call: joins the one waiting to be sent, or sends one now
 * if none is in flight, or waits for the one in flight and then sends the next.
 */
export function coalesced<T>(ask: () => Promise<T>): () => Promise<T | undefined> {
  let sending: Promise<T | undefined> | undefined;
  let waiting: Promise<T | undefined> | undefined;
  const send = () => {
    const sent: Promise<T | undefined> = ask()
      .catch(() => undefined)
      .finally(() => {
        if (sending === sent) sending = undefined;
      });
    sending = sent;
    return sent;
  };
  return () => {
    if (waiting) return waiting;
    if (!sending) return send();
    waiting = sending.then(() => {
      waiting = undefined;
      return send();
    });
    return waiting;
  };
}

type CachePolicy = ReturnType<GraphQLRequestContext<GatewayContext>['overallCachePolicy']['policyIfCacheable']>;

interface KeptAnswer {
  result: FormattedExecutionResult;
  /** The response's cache policy (from its subgraph answers' Cache-Control), for the same header again. */
  policy: CachePolicy;
  versions: [string, string][];
}

export interface KeptAnswersOptions {
  maxBytes: number;
  versions: DataVersions;
  /** Told of each kept answer used, found stale, or kept. */
  onOutcome?(outcome: 'used' | 'stale' | 'kept'): void;
}

/** The whole-response level: a kept answer skips the query plan's execution altogether. */
export function keptAnswersPlugin(options: KeptAnswersOptions): ApolloServerPlugin<GatewayContext> {
  const store = new BoundedStore<KeptAnswer>(options.maxBytes);
  return {
    async requestDidStart() {
      let key: string | undefined;
      let used = false;
      return {
        async responseForOperation({ operation, operationName, queryHash, request, contextValue, overallCachePolicy }) {
          if (operation.operation !== 'query' || contextValue.answerSources?.fresh) return null;
          key = `${todayInJapan()}\n${queryHash}\n${operationName ?? ''}\n${JSON.stringify(request.variables ?? {})}`;
          for (const scope of ['scope', 'viewer'] as const) {
            const at = `${sharingKey(contextValue.viewer, scope)}\n${key}`;
            const kept = store.get(at);
            if (!kept) continue;
            if (!(await options.versions.unchanged(kept.versions))) {
              store.delete(at);
              options.onOutcome?.('stale');
              continue;
            }
            used = true;
            options.onOutcome?.('used');
            // As the subgraphs do, nothing is said reusable past midnight in Japan, when "today" changes.
            if (kept.policy) overallCachePolicy.replace({ ...kept.policy, maxAge: Math.min(kept.policy.maxAge, secondsUntilMidnightInJapan()) });
            else overallCachePolicy.restrict({ maxAge: 0 });
            return { http: { status: undefined, headers: new HeaderMap() }, body: { kind: 'single', singleResult: kept.result } };
          }
          return null;
        },
        async willSendResponse({ response, contextValue, overallCachePolicy }) {
          const sources = contextValue.answerSources;
          if (used || key === undefined || !sources?.keepable || sources.versions.size === 0) return;
          if (response.body.kind !== 'single' || response.body.singleResult.errors?.length) return;
          const result = response.body.singleResult;
          const versions = [...sources.versions];
          const at = `${sharingKey(contextValue.viewer, sources.scope)}\n${key}`;
          // The parsed answer is kept (Apollo serializes it per response): objects take about four times their JSON.
          const bytes = 2 * at.length + 4 * JSON.stringify(result).length + 200;
          store.set(at, { result, policy: overallCachePolicy.policyIfCacheable(), versions }, bytes);
          options.onOutcome?.('kept');
        },
      };
    },
  };
}

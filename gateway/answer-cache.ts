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
import { createHash } from 'node:crypto';
import type { IncomingMessage, ServerResponse } from 'node:http';
import type { ApolloServerPlugin, GraphQLRequestContext } from '@apollo/server';
import { HeaderMap } from '@apollo/server';
import type { FormattedExecutionResult } from 'graphql';
import Negotiator from 'negotiator';
import type { Viewer } from '../shared/context';
import { ANSWER_SCOPE_HEADER, type AnswerScope, DATA_VERSION_HEADER, sharingKey } from '../shared/data-version';
import { cacheControlHeader, secondsUntilMidnightInJapan } from '../shared/cache-control';
import { todayInJapan } from '../shared/dates';
import type { ServiceMetrics } from '../shared/metrics';
import type { ReadAheadHandler } from '../shared/server';
import { describeRequest } from '../shared/request-log';
import type { Caller } from './api-keys';
import type { GatewayContext } from './context';
import { BoundedStore } from './bounded-store';
import { type Charge, rateLimitHeaders } from './rate-limit';
import type { DataVersions, VersionsAsked } from './data-versions';

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

type CachePolicy = ReturnType<GraphQLRequestContext<GatewayContext>['overallCachePolicy']['policyIfCacheable']>;

/** Where a kept answer is looked up: the short path before Apollo Server, or Apollo Server's plugin. */
export type KeptAnswerPath = 'short' | 'apollo';

interface KeptAnswer {
  /** The response body as Apollo Server sends it (JSON and a newline), in UTF-8: the short path writes it as it is. */
  body: Buffer;
  /** The response's cache policy (from its subgraph answers' Cache-Control), for the same header again. */
  policy: CachePolicy;
  versions: [string, string][];
  /** The operation's name as its document resolves it: for the request log, the metrics and API keys' lists. */
  operationName: string | null;
  /** The operation's cost (gateway/cost.ts): what the caller is charged each time it is handed out (gateway/rate-limit.ts). */
  cost: number;
}

export interface KeptAnswersOptions {
  maxBytes: number;
  /** Answers larger than this are not kept (the response-size limit replaces them with an error). */
  maxAnswerBytes: number;
  versions: DataVersions;
  /** Told of each kept answer used, found stale, or kept, and on which path: the short one, or through Apollo Server. */
  onOutcome?(outcome: 'used' | 'stale' | 'kept', path: KeptAnswerPath): void;
}

/** The request's part of a kept answer's key: the day in Japan, the document, the operation asked for, the variables. */
function requestKey(queryHash: string, operationName: unknown, variables: unknown): string {
  return `${todayInJapan()}\n${queryHash}\n${typeof operationName === 'string' ? operationName : ''}\n${JSON.stringify(variables ?? {})}`;
}

/** A result as Apollo Server serializes it (its default stringifyResult): errors, data, extensions in that order; a newline after. */
const serialized = (value: FormattedExecutionResult) => `${JSON.stringify(value)}\n`;

/** Apollo Server's `queryHash` of a document's text; the last few hundred texts' hashes are remembered (a hit asks the same few). */
const queryHashes = new Map<string, string>();
function queryHashOf(query: string): string {
  let hash = queryHashes.get(query);
  if (hash === undefined) {
    hash = createHash('sha256').update(query).digest('hex');
    if (queryHashes.size >= 500) queryHashes.clear();
    if (query.length <= 16_384) queryHashes.set(query, hash);
  }
  return hash;
}

/** The cache policy a kept answer is sent with now: as the subgraphs do, nothing is said reusable past midnight in Japan. */
const policyNow = (policy: CachePolicy): CachePolicy => policy && { ...policy, maxAge: Math.min(policy.maxAge, secondsUntilMidnightInJapan()) };

/** The two media types Apollo Server answers a single result with, chosen by the request's Accept header as it does. */
const MEDIA_TYPES = ['application/json; charset=utf-8', 'application/graphql-response+json; charset=utf-8'];
function mediaTypeFor(accept: string | undefined): string | undefined {
  if (!accept) return MEDIA_TYPES[0];
  // Apollo Server also offers a JSONP-style type; a request preferring it is left to Apollo Server.
  const preferred = new Negotiator({ headers: { accept } }).mediaType([...MEDIA_TYPES, 'application/json; callbackSpec=1.0; charset=utf-8']);
  return MEDIA_TYPES.find((type) => type === preferred);
}

/** What the short path needs of the gateway. */
export interface ShortPathOptions {
  /** Who the request presents, before the advisor registry is asked: its answer is looked up meanwhile. */
  identified(req: IncomingMessage): Promise<Caller>;
  /** The caller once admitted (gateway/api-keys.ts): only then is a kept answer sent. */
  admitted(req: IncomingMessage): Promise<Caller>;
  /** Makes the body what Apollo Server will be given (a trusted document's text for its hash); false: leave it to express. */
  prepare(body: Record<string, unknown>): boolean;
  /** Headers every gateway answer carries (CORS), set on an answer the short path sends. */
  decorate(req: IncomingMessage, res: ServerResponse): void;
  /** Takes the operation's cost from the caller's points a minute (gateway/rate-limit.ts); null: no budget applies. */
  charge(req: IncomingMessage, viewer: Viewer, cost: number): Promise<Charge | null>;
  metrics: ServiceMetrics;
}

/**
 * Whole responses kept until their data changes. Two ways in, one store: Apollo Server's plugin keeps
 * every keepable answer and hands kept ones to the requests that reach Apollo Server; the short path
 * hands them to plain JSON POSTs before express routes them, so neither express nor Apollo Server's
 * request pipeline runs (measured: nearly two thirds of the gateway's CPU for a kept answer).
 */
export class KeptAnswers {
  private readonly store: BoundedStore<KeptAnswer>;

  /** Answers to keep once Apollo Server has serialized them, by their `data` (the object stringifyResult is handed). */
  private readonly serializing = new WeakMap<object, (body: Buffer) => void>();

  constructor(private readonly options: KeptAnswersOptions) {
    this.store = new BoundedStore<KeptAnswer>(options.maxBytes);
  }

  /** Apollo Server's `stringifyResult`: serializes as Apollo Server does, and keeps the text of an answer to keep. */
  readonly stringifyResult = (value: FormattedExecutionResult): string => {
    const text = serialized(value);
    const keep = value.data ? this.serializing.get(value.data) : undefined;
    if (keep) {
      this.serializing.delete(value.data!);
      keep(Buffer.from(text, 'utf8'));
    }
    return text;
  };

  /** The answer kept for this request and viewer, if its data has not changed since (asked of each subgraph it came from). */
  private async find(viewer: Viewer, key: string, path: KeptAnswerPath, asked?: VersionsAsked): Promise<KeptAnswer | undefined> {
    for (const scope of ['scope', 'viewer'] as const) {
      const at = `${sharingKey(viewer, scope)}\n${key}`;
      const kept = this.store.get(at);
      if (!kept) continue;
      if (!(await this.options.versions.unchanged(kept.versions, asked))) {
        this.store.delete(at);
        this.options.onOutcome?.('stale', path);
        continue;
      }
      this.options.onOutcome?.('used', path);
      return kept;
    }
    return undefined;
  }

  /** Apollo Server's side: keeps answers, and hands kept ones to the requests the short path left to it (GET, say). */
  plugin(): ApolloServerPlugin<GatewayContext> {
    return {
      requestDidStart: async () => {
        let key: string | undefined;
        let used = false;
        return {
          responseForOperation: async ({ operation, queryHash, request, contextValue, overallCachePolicy }) => {
            if (operation.operation !== 'query' || contextValue.answerSources?.fresh || !queryHash) return null;
            key = requestKey(queryHash, request.operationName, request.variables);
            const kept = await this.find(contextValue.viewer, key, 'apollo', contextValue.versionsAsked);
            if (!kept) return null;
            used = true;
            const policy = policyNow(kept.policy);
            if (policy) overallCachePolicy.replace(policy);
            else overallCachePolicy.restrict({ maxAge: 0 });
            const result = JSON.parse(kept.body.toString('utf8')) as FormattedExecutionResult;
            return { http: { status: undefined, headers: new HeaderMap() }, body: { kind: 'single', singleResult: result } };
          },
          willSendResponse: async ({ response, contextValue, overallCachePolicy, operationName }) => {
            const sources = contextValue.answerSources;
            if (used || key === undefined || !sources?.keepable || sources.versions.size === 0) return;
            if (response.body.kind !== 'single' || response.body.singleResult.errors?.length) return;
            const { data, extensions } = response.body.singleResult;
            const keep = (body: Buffer) => {
              if (body.length > this.options.maxAnswerBytes) return;
              const at = `${sharingKey(contextValue.viewer, sources.scope)}\n${key}`;
              const kept: KeptAnswer = {
                body,
                policy: overallCachePolicy.policyIfCacheable(),
                versions: [...sources.versions],
                operationName: operationName ?? null,
                cost: contextValue.cost ?? 1,
              };
              // An anonymous caller's answers hold a part of the store of their own (BoundedStore): a flood of them drops only each other.
              this.store.set(at, kept, body.length + 2 * at.length + 200, !contextValue.viewer.role);
              this.options.onOutcome?.('kept', 'apollo');
            };
            // Over HTTP the answer is kept from the text Apollo Server sends (stringifyResult), serialized once;
            // an export's own operations are never serialized by Apollo Server, so theirs is made here.
            if (contextValue.exporting || !data) keep(Buffer.from(serialized({ data, extensions }), 'utf8'));
            else this.serializing.set(data, keep);
          },
        };
      },
    };
  }

  /**
   * Before express (shared/server.ts reads the body of a JSON POST to `/graphql` ahead of it): a request
   * for which an answer is kept gets it here; anything else goes on to express and Apollo Server. Every
   * check Apollo Server would make gives the same verdict for the request that was answered and kept: the
   * key holds the document, the operation asked for, the variables and the day, and the sharing key the
   * role and prefecture (the cost budget and trusted documents depend on the role); the caller is
   * authenticated here as there, and an API key with a list must have the operation on it. Not counted
   * among a viewer's heavy operations in flight: a kept answer costs nothing to hand out.
   */
  shortPath(options: ShortPathOptions): ReadAheadHandler {
    return async (req, body, res) => {
      const started = performance.now();
      if (!options.prepare(body)) return false;
      const { query, operationName, variables } = body;
      // Only what Apollo Server would take as it is: anything else gets Apollo Server's own answer.
      const wellFormed =
        typeof query === 'string' &&
        (operationName === undefined || operationName === null || typeof operationName === 'string') &&
        (variables === undefined || variables === null || (typeof variables === 'object' && !Array.isArray(variables)));
      if (!wellFormed || newAnswerSources(req.headers['cache-control']).fresh) return false;
      const mediaType = mediaTypeFor(req.headers.accept);
      if (!mediaType) return false;
      let kept: KeptAnswer | undefined;
      let caller: Caller;
      try {
        const identity = await options.identified(req);
        // The registry's word and the kept answer's versions are asked together (one version question each subgraph).
        [caller, kept] = await Promise.all([
          options.admitted(req),
          this.find(identity.viewer, requestKey(queryHashOf(query), operationName, variables), 'short', identity.versionsAsked),
        ]);
      } catch {
        return false; // Apollo Server reports it (an expired token, a departed advisor, say)
      }
      const { viewer, allowedOperations } = caller;
      if (!kept || (viewer.apiKeyId && allowedOperations && !(kept.operationName && allowedOperations.includes(kept.operationName)))) return false;
      // Charged as if it were computed; over the caller's budget, Apollo Server's path refuses it in the usual words.
      const charged = await options.charge(req, viewer, kept.cost);
      if (charged && !charged.allowed) return false;
      options.decorate(req, res);
      if (charged) for (const [name, value] of rateLimitHeaders(charged)) res.setHeader(name, value);
      const policy = policyNow(kept.policy);
      res.setHeader('content-type', mediaType);
      res.setHeader('cache-control', policy ? cacheControlHeader(policy) : 'no-store');
      res.setHeader('content-length', kept.body.length);
      res.statusCode = 200;
      res.end(kept.body);
      const durationMs = performance.now() - started;
      options.metrics.countRequest(kept.operationName, Boolean(viewer.role), durationMs / 1000, []);
      describeRequest(req, { operationName: kept.operationName, viewer, fetches: [] });
      return true;
    };
  }
}

/**
 * The gateway: Apollo Gateway on Apollo Server, serving the supergraph composed at build time
 * (gateway/supergraph.graphql). It knows the subgraphs only through that file, and their URLs from
 * configuration; it verifies the caller's token and forwards the viewer to each subgraph.
 */
import { readFileSync } from 'node:fs';
import { ApolloGateway, RemoteGraphQLDataSource, type GraphQLDataSourceProcessOptions } from '@apollo/gateway';
import type { GatewayGraphQLRequest, GatewayGraphQLResponse } from '@apollo/server-gateway-interface';
import { GraphQLError } from 'graphql';
import { ErrorCode } from '../shared/errors';
import { DEV_JWT_SECRET, type GatewayConfig } from '../shared/config';
import { GATEWAY_SECRET_HEADER, REQUEST_ID_HEADER, VIEWER_HEADER, encodeViewer } from '../shared/context';
import { apolloLogger, createLogger, type Logger } from '../shared/log';
import { ServiceMetrics } from '../shared/metrics';
import { projectPath } from '../shared/paths';
import { clientAddressOf, clientAddressReader } from '../shared/request-log';
import { type Served, finishRoutes, serve } from '../shared/server';
import { adoptScalarParsing } from '../shared/scalars';
import type { GatewayContext } from './context';

export type { GatewayContext } from './context';
import { injectTraceContext } from '../shared/tracing';
import { createTokenVerifier, signDevelopmentToken } from './auth';
import { ADVISOR_REGISTRY_SUBGRAPH, AdvisorSignIns } from './advisor-sign-ins';
import { API_KEY_SUBGRAPH, apiKeyPolicyPlugin, authenticatedOnce, createAuthenticator } from './api-keys';
import { errorPathsPlugin } from './error-paths';
import { introspectionPlugin } from './introspection';
import { languagePlugin } from './language';
import { fillPersistedDocument, loadManifest, operationNamesOf, persistedDocuments, trustedDocumentsPlugin } from './trusted-documents';
import { FRESH_REQUEST, KeptAnswers, newAnswerSources, noteSubgraphAnswer } from './answer-cache';
import { DataVersions } from './data-versions';
import { shareSubgraphAnswers } from './subgraph-cache';
import { ReleaseMismatches, SubgraphSchemas, anotherReleaseError, releaseMismatchOf, valueCompletionPlugin } from './subgraph-release';
import { asFetchResponse, postToSubgraph } from './subgraph-http';
import { mountExplorer } from './explorer/explorer';
import { mountExports } from './exports';
import { mountImports } from './imports';
import { corsHeaders, corsMiddleware, landingRedirect, notKept, varyByCaller } from './http-policy';
import { operationLimitsPlugin, requestShapeLimits, responseSizeLimit } from './limits';
import { CallerBudgets } from './rate-limit';

/** The supergraph composed by `npm run compose` and committed. */
export const SUPERGRAPH_PATH = projectPath('gateway', 'supergraph.graphql');

/** Connection failures worth one retry (the subgraph restarting, a dropped keep-alive socket). */
const CONNECTION_ERRORS = new Set(['ECONNREFUSED', 'ECONNRESET', 'EPIPE', 'UND_ERR_SOCKET']);
const connectionErrorCode = (error: unknown): string | undefined => {
  const e = error as { code?: string; cause?: { code?: string } };
  return [e.code, e.cause?.code].find((code) => code && CONNECTION_ERRORS.has(code));
};

/**
 * One subgraph as the gateway calls it: sends the gateway secret, the verified viewer and the request
 * id; gives up after the configured timeout; retries a query (never a mutation) once when the
 * connection fails; and turns a failure into SUBGRAPH_UNAVAILABLE naming the subgraph, so the rest
 * of the answer stands and the client knows which part is missing and why (never the internal URL).
 */
class SubgraphDataSource extends RemoteGraphQLDataSource<GatewayContext> {
  constructor(
    private readonly subgraph: string,
    url: string,
    private readonly gatewaySecret: string,
    private readonly timeoutMs: number,
    private readonly observeFetch: FetchObserver | undefined,
    metrics: ServiceMetrics | undefined,
    cacheBytes: number,
    versions: DataVersions,
    private readonly mismatches: ReleaseMismatches,
  ) {
    const send = async (input: string, init: RequestInit) => {
      const stop = metrics?.subgraphFetch.startTimer({ subgraph });
      try {
        const answer = await postToSubgraph(input, init, timeoutMs);
        stop?.({ outcome: answer.status >= 200 && answer.status < 300 ? 'ok' : `http_${answer.status}` });
        return answer;
      } catch (error) {
        stop?.({ outcome: 'failed' });
        throw error;
      }
    };
    const call = shareSubgraphAnswers(send, {
      maxBytes: cacheBytes,
      unchanged: (version) => versions.unchanged([[subgraph, version]]),
      onShared: (how) => metrics?.subgraphFetchesShared.inc({ subgraph, how }),
    });
    super({ url, fetcher: (async (input: string, init: RequestInit) => asFetchResponse(await call(input, init))) as never });
    Object.assign(this, { sendRequest: this.sendWithoutFetchRequest });
  }

  /** Which data version the answer was read at, and whom it may go to: whether the whole response can be kept. */
  override didReceiveResponse({
    response,
    context,
  }: Required<Pick<GraphQLDataSourceProcessOptions<GatewayContext>, 'context'>> & { response: GatewayGraphQLResponse }) {
    noteSubgraphAnswer((context as GatewayContext).answerSources, this.subgraph, (name) => response.http?.headers.get(name));
    return response;
  }

  override willSendRequest({ request, context }: GraphQLDataSourceProcessOptions<GatewayContext>): void {
    if ('requestId' in context) {
      this.observeFetch?.(this.subgraph, context.requestId);
      context.fetches?.push(this.subgraph);
    }
    const headers = request.http?.headers;
    if (!headers) return;
    headers.set(GATEWAY_SECRET_HEADER, this.gatewaySecret);
    if ('viewer' in context && context.viewer) headers.set(VIEWER_HEADER, encodeViewer(context.viewer));
    if ('requestId' in context && context.requestId) headers.set(REQUEST_ID_HEADER, context.requestId);
    if ('answerSources' in context && context.answerSources?.fresh) headers.set(FRESH_REQUEST.header, FRESH_REQUEST.value);
    injectTraceContext(headers); // traceparent: the subgraph's spans join this request's trace
  }

  /**
   * Apollo's sendRequest (private in its types), less the node-fetch Request it builds on every call
   * only to hand to error hooks this class does not use (measured: about 5 % of the gateway's CPU).
   */
  private async sendWithoutFetchRequest(request: GatewayGraphQLRequest): Promise<GatewayGraphQLResponse> {
    const { http, ...withoutHttp } = request;
    if (!http) throw new Error("Internal error: Only 'http' requests are supported.");
    // node-fetch's Headers iterate slowly (sorted, validated); raw() hands over its record as it is.
    const raw = (http.headers as unknown as { raw(): Record<string, string[]> }).raw();
    const headers: Record<string, string> = {};
    for (const name in raw) headers[name] = raw[name].join(', ');
    const init = { method: http.method, headers, body: JSON.stringify(withoutHttp) };
    const response = await this.fetcher(http.url, init);
    if (!response.ok) {
      // A subgraph's 4xx with GraphQL errors (bad input it refused) passes on with its own codes,
      // instead of becoming a masked internal error; anything else is Apollo's error for the status.
      const refused = response.status >= 400 && response.status < 500 ? await this.parseBody(response).catch(() => undefined) : undefined;
      const lacks = releaseMismatchOf(refused);
      if (lacks) {
        this.mismatches.note(this.subgraph, lacks);
        throw anotherReleaseError(this.subgraph);
      }
      if (refused && typeof refused === 'object' && Array.isArray((refused as { errors?: unknown }).errors)) {
        return { ...(refused as object), http: response } as GatewayGraphQLResponse;
      }
      throw await this.errorFromResponse(response);
    }
    const body = await this.parseBody(response);
    if (typeof body !== 'object' || body === null) throw new Error(`Expected JSON response body, but received: ${String(body)}`);
    return { ...body, http: response } as GatewayGraphQLResponse;
  }

  override async process(options: GraphQLDataSourceProcessOptions<GatewayContext>) {
    const isMutation = 'incomingRequestContext' in options && options.incomingRequestContext.operation?.operation === 'mutation';
    try {
      return await super.process(options);
    } catch (error) {
      if (connectionErrorCode(error) && !isMutation) {
        try {
          return await super.process(options);
        } catch (retryError) {
          throw this.unavailable(retryError);
        }
      }
      throw this.unavailable(error);
    }
  }

  private unavailable(error: unknown): unknown {
    const name = (error as Error)?.name;
    let reason: string | undefined;
    if (name === 'TimeoutError' || name === 'AbortError') reason = `no answer within ${this.timeoutMs} ms`;
    else if (connectionErrorCode(error)) reason = `connection failed (${connectionErrorCode(error)})`;
    else if (/^E[A-Z_]+$/.test(String((error as { code?: unknown })?.code))) reason = `the request failed (${(error as { code: string }).code})`;
    else if (name === 'FetchError' || name === 'TypeError') reason = 'the request failed';
    if (!reason) return error; // an answer with errors: the subgraph's own codes pass through
    return new GraphQLError(`The ${this.subgraph} subgraph is unavailable: ${reason}`, {
      extensions: { code: ErrorCode.SUBGRAPH_UNAVAILABLE, serviceName: this.subgraph },
    });
  }
}

/**
 * With the public development secret (never in production) anyone can sign any token, so the
 * explorer's tabs start with an ADMIN one and the examples run as they are; otherwise the user
 * pastes their own token into the headers.
 */
async function explorerHeaders(config: GatewayConfig): Promise<Record<string, string>> {
  if (config.production || config.jwt.secret !== DEV_JWT_SECRET) return {};
  const token = await signDevelopmentToken(config.jwt, { subject: 'explorer', role: 'ADMIN' });
  return { Authorization: `Bearer ${token}` };
}

async function subgraphsReady(urls: Record<string, string>, schemas: SubgraphSchemas): Promise<{ ready: boolean; detail: Record<string, string> }> {
  const detail: Record<string, string> = {};
  await Promise.all(
    Object.entries(urls).map(async ([name, url]) => {
      try {
        const response = await fetch(new URL('/ready', url), { signal: AbortSignal.timeout(2000) });
        // A subgraph of another release is ready all the same (a rollout passes through that state); the detail says so.
        detail[name] = response.ok ? schemas.readiness(name) : `not ready (HTTP ${response.status})`;
      } catch (error) {
        detail[name] = `unreachable (${(error as Error).message})`;
      }
    }),
  );
  // Ready while any subgraph answers: with one down the gateway still serves partial answers naming it, and a
  // load balancer that took every replica out for one subgraph's restart would turn that into an outage.
  return { ready: Object.values(detail).some((s) => s.startsWith('ready')), detail };
}

/** Told of every subgraph fetch (which subgraph, for which request): for tests and metrics. */
export type FetchObserver = (subgraph: string, requestId: string) => void;

export async function startGateway(
  config: GatewayConfig,
  options: { log?: Logger; supergraphSdl?: string; observeFetch?: FetchObserver } = {},
): Promise<Served<GatewayContext>> {
  const log = options.log ?? createLogger('gateway');
  const supergraphSdl = options.supergraphSdl ?? readFileSync(SUPERGRAPH_PATH, 'utf8');
  const urls = config.subgraphUrls as Record<string, string>;
  const manifest = loadManifest(config.trustedDocuments);
  const metrics = new ServiceMetrics('gateway', operationNamesOf(manifest));
  const versions = new DataVersions(urls, config.gatewaySecret, config.subgraphTimeoutMs);
  const mismatches = new ReleaseMismatches(log, metrics);
  const schemas = new SubgraphSchemas(supergraphSdl, urls, config.gatewaySecret, config.subgraphTimeoutMs, mismatches);
  // RESPONSE_CACHE_MB: half for whole responses, half for subgraph answers, shared out among the subgraphs.
  const subgraphAnswerBytes = config.responseCacheBytes / 2 / Math.max(1, Object.keys(urls).length);
  // Apollo Gateway otherwise sends usage metrics to Apollo's servers and probes cloud metadata
  // endpoints at startup. This deployment handles personal data and talks to nobody outside.
  process.env.APOLLO_TELEMETRY_DISABLED = 'true';
  const gateway = new ApolloGateway({
    supergraphSdl,
    logger: apolloLogger(log),
    // Plans are reused for every request with the same text and operation name. Apollo sizes them as
    // JSON: the explorer's operations' plans are 1.6–2.9 KB, so the default 30 MB holds over ten thousand.
    experimental_approximateQueryPlanStoreMiB: config.queryPlanCacheMiB,
    buildService: ({ name }) => {
      const url = urls[name];
      if (!url) throw new Error(`The supergraph names subgraph "${name}" but no URL is configured for it.`);
      return new SubgraphDataSource(
        name,
        url,
        config.gatewaySecret,
        config.subgraphTimeoutMs,
        options.observeFetch,
        metrics,
        subgraphAnswerBytes,
        versions,
        mismatches,
      );
    },
  });
  gateway.onSchemaLoadOrUpdate(({ apiSchema }) => adoptScalarParsing(apiSchema));
  const keysUrl = urls[API_KEY_SUBGRAPH];
  const registryUrl = urls[ADVISOR_REGISTRY_SUBGRAPH];
  if (!registryUrl) throw new Error(`The advisor registry's subgraph "${ADVISOR_REGISTRY_SUBGRAPH}" has no URL configured.`);
  const advisorSignIns = new AdvisorSignIns({ subgraphUrl: registryUrl, gatewaySecret: config.gatewaySecret, timeoutMs: config.subgraphTimeoutMs, versions });
  const authenticator = createAuthenticator(createTokenVerifier(config.jwt), {
    subgraphUrl: keysUrl,
    gatewaySecret: config.gatewaySecret,
    timeoutMs: config.subgraphTimeoutMs,
    advisorSignIns,
    versions,
  });
  // Once per request, whether the short path for kept answers or Apollo Server's context asks first.
  const callers = authenticatedOnce(authenticator);
  const keptAnswers =
    config.responseCacheBytes > 0
      ? new KeptAnswers({
          maxBytes: config.responseCacheBytes / 2,
          maxAnswerBytes: config.limits.maxResponseBytes,
          versions,
          onOutcome: (how, path) => metrics.answersKept.inc({ how, path }),
        })
      : undefined;
  const corsHeadersFor = corsHeaders(config.corsOrigins);
  const budgets = new CallerBudgets(config.limits);
  metrics.counter(
    'gateway_rate_limit_refusals_total',
    'Operations and exports refused because their caller had spent its cost points of the minute (RATE_LIMIT_POINTS_PER_MINUTE).',
    () => budgets.refusals,
  );
  const served = await serve<GatewayContext>({
    name: 'gateway',
    log,
    production: config.production,
    host: config.host,
    port: config.port,
    portSetting: config.portSetting,
    apollo: {
      gateway,
      // Automatic persisted queries off: operations come by text, or by hash from the trusted documents.
      persistedQueries: false,
      // Kept answers are kept as the text sent: serialized once (gateway/answer-cache.ts).
      ...(keptAnswers ? { stringifyResult: keptAnswers.stringifyResult } : {}),
      plugins: [
        // First: the errors it adds are told in Japanese, counted and keep the answer from being kept like any other.
        valueCompletionPlugin(schemas, mismatches),
        languagePlugin(),
        apiKeyPolicyPlugin(),
        trustedDocumentsPlugin(manifest, config.trustedDocuments.roles),
        // Before the limits' cap on errors: errors moved to one path are counted once.
        errorPathsPlugin(supergraphSdl),
        operationLimitsPlugin(config.limits, budgets),
        ...(keptAnswers ? [keptAnswers.plugin()] : []),
        introspectionPlugin(),
      ],
    },
    introspection: config.introspection,
    beforeAll: [corsMiddleware(config.corsOrigins)],
    beforeGraphQL: [
      (_req, res, next) => {
        varyByCaller(res);
        next();
      },
      landingRedirect(config.explorer),
      persistedDocuments(manifest),
      requestShapeLimits(config.limits),
      responseSizeLimit(config.limits),
    ],
    // Kept answers are handed out before express (gateway/answer-cache.ts).
    readAhead: keptAnswers?.shortPath({
      identified: callers.identified,
      admitted: callers.admitted,
      prepare: (body) => fillPersistedDocument(body, manifest) === undefined,
      decorate: (req, res) => {
        corsHeadersFor(req, res);
        varyByCaller(res);
      },
      charge: (req, viewer, cost) => budgets.charge(viewer, clientAddressOf(req), cost),
      metrics,
    }),
    context: async (req, _res, requestId) => ({
      requestId,
      ...(await callers.admitted(req)),
      clientAddress: clientAddressOf(req),
      fetches: [],
      answerSources: newAnswerSources(req.headers['cache-control']),
    }),
    clientAddress: clientAddressReader(config.trustedProxies),
    isReady: () => subgraphsReady(urls, schemas),
    metrics,
    // Global: Apollo Gateway makes its plan, execute and fetch spans with the global tracer.
    tracing: { ...config.tracing, global: true },
    shutdownGraceMs: config.shutdownGraceMs,
    shutdownDelayMs: config.shutdownDelayMs,
    metricsToken: config.metricsToken,
  });
  served.app.use(['/export', '/import'], notKept);
  served.app.use('/export', served.tracing.middleware);
  mountExports(served.app, served.apollo, { admitted: callers.admitted, budgets, exportCost: config.limits.heavyCost }, log);
  served.app.use('/import', served.tracing.middleware);
  mountImports(served.app, {
    admitted: callers.admitted,
    subgraphUrls: urls,
    gatewaySecret: config.gatewaySecret,
    maxBytes: config.imports.maxBytes,
    timeoutMs: config.imports.timeoutMs,
    log,
  });
  if (config.explorer) mountExplorer(served.app, { defaultHeaders: () => explorerHeaders(config) });
  finishRoutes(served.app, log, ['/export', '/import']);
  return served;
}

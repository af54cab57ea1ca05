/**
 * What the gateway and every subgraph do the same way around Apollo Server: request ids, masking
 * internal errors (logged with the request id, never shown), probes, listening and stopping.
 */
import { randomUUID } from 'node:crypto';
import type { Server } from 'node:http';
import { ApolloServer, type ApolloServerOptions, type ApolloServerPlugin, type BaseContext } from '@apollo/server';
import { ApolloServerPluginDrainHttpServer } from '@apollo/server/plugin/drainHttpServer';
import { unwrapResolverError } from '@apollo/server/errors';
import { expressMiddleware } from '@as-integrations/express5';
import express, { type Express, type Request, type RequestHandler, type Response } from 'express';
import { ErrorCode, isClientSafeCode } from './errors';
import { REQUEST_ID_HEADER } from './context';
import { httpServerFor, listen, mountProbes } from './http';
import type { Logger } from './log';
import type { ServiceMetrics } from './metrics';
import type { TracingConfig } from './config';
import { type ServiceTracing, createTracing } from './tracing';

export interface RequestContext extends BaseContext {
  requestId: string;
  /** The viewer's role, for the request log (gateway and subgraphs both have a viewer). */
  viewer?: { role: string | null };
  /** Subgraph fetches made for this request (the gateway counts them). */
  fetches?: string[];
}

/**
 * One JSON line per request on every service: request id (the same at the gateway and in the
 * subgraphs it calls), operation name, role, duration, subgraph fetches (at the gateway) and error
 * codes. Never the variables, which may hold protected notes.
 */
function requestLogPlugin(log: Logger): ApolloServerPlugin<RequestContext> {
  return {
    async requestDidStart({ contextValue }) {
      const started = performance.now();
      return {
        async willSendResponse({ response, operationName }) {
          const errors = response.body.kind === 'single' ? (response.body.singleResult.errors ?? []) : [];
          log.info(
            {
              requestId: contextValue.requestId,
              operationName: operationName ?? null,
              role: contextValue.viewer?.role ?? null,
              durationMs: Math.round(performance.now() - started),
              ...(contextValue.fetches ? { subgraphFetches: contextValue.fetches.length, subgraphs: [...new Set(contextValue.fetches)] } : {}),
              errorCodes: errors.map((e) => e.extensions?.code ?? null),
            },
            'request',
          );
        },
      };
    },
  };
}

/** A started service: where it listens and how to stop it. */
export interface RunningService {
  name: string;
  /** GraphQL endpoint, e.g. http://127.0.0.1:4001/graphql */
  url: string;
  stop(): Promise<void>;
}

/** Accepts a caller's `x-request-id` when it looks like one, else makes a new one. */
export function requestIdOf(req: Request): string {
  const given = req.headers[REQUEST_ID_HEADER];
  return typeof given === 'string' && /^[\w.:-]{1,128}$/.test(given) ? given : randomUUID();
}

/** Logs errors that are not meant for clients, with the request id that the client also gets. */
function errorLoggingPlugin(log: Logger): ApolloServerPlugin<RequestContext> {
  return {
    async requestDidStart() {
      return {
        async didEncounterErrors({ contextValue, errors, operationName }) {
          for (const error of errors) {
            if (!isClientSafeCode(error.extensions?.code)) {
              const original = unwrapResolverError(error) as Error & { code?: unknown };
              // Name, code, message and stack only: never variables, SQL parameters or a driver's
              // `detail` (they may hold protected notes), which a full error serializer would copy.
              log.error(
                { requestId: contextValue.requestId, operationName, error: { name: original.name, code: original.code, message: original.message, stack: original.stack } },
                'internal error',
              );
            }
          }
        },
      };
    },
  };
}

/** Clients see only the documented codes; anything else becomes a bare INTERNAL_SERVER_ERROR. */
export function maskError(formatted: { message: string; extensions?: Record<string, unknown> }) {
  if (isClientSafeCode(formatted.extensions?.code)) {
    // `response` (a subgraph's URL and raw answer, added by the gateway) and stack traces stay inside.
    const { stacktrace: _stacktrace, response: _response, ...extensions } = formatted.extensions ?? {};
    return { ...formatted, extensions };
  }
  return { message: 'Internal server error', extensions: { code: ErrorCode.INTERNAL_SERVER_ERROR } };
}

export interface ServeOptions<C extends RequestContext> {
  name: string;
  log: Logger;
  apollo: Omit<ApolloServerOptions<C>, 'formatError' | 'plugins'> & { plugins?: ApolloServerPlugin<C>[] };
  production: boolean;
  host: string;
  port: number;
  portSetting: string;
  context(req: Request, res: Response, requestId: string): Promise<C>;
  /** Introspection; by default on except in production. */
  introspection?: boolean;
  /** Express middleware run on `/graphql` before Apollo (e.g. the gateway's request limits). */
  beforeGraphQL?: RequestHandler[];
  isReady(): Promise<{ ready: boolean; detail?: unknown }>;
  /** Called after the HTTP server has closed (e.g. to close the database pool). */
  onStop?(): Promise<void>;
  /** The service's metrics, served on `GET /metrics`. */
  metrics: ServiceMetrics;
  /** How long a stop waits for requests in flight before closing their connections. */
  shutdownGraceMs: number;
  /** OpenTelemetry; `global` makes this service's tracer provider the process's (the gateway's). */
  tracing: TracingConfig & { global?: boolean };
}

export interface Served<C extends RequestContext> extends RunningService {
  apollo: ApolloServer<C>;
  app: Express;
  httpServer: Server;
  tracing: ServiceTracing;
}

/** Starts Apollo Server behind express with `/graphql`, `/health` and `/ready`. */
export async function serve<C extends RequestContext>(options: ServeOptions<C>): Promise<Served<C>> {
  const app = express();
  app.disable('x-powered-by');
  const httpServer = httpServerFor(app);
  const tracing = createTracing(options.name, options.tracing, { global: options.tracing.global });
  const apollo = new ApolloServer<C>({
    ...options.apollo,
    introspection: options.introspection ?? !options.production,
    // "Did you mean …?" suggestions leak the schema; production hides them with introspection.
    hideSchemaDetailsFromClientErrors: !(options.introspection ?? !options.production),
    includeStacktraceInErrorResponses: false,
    formatError: maskError,
    plugins: [
      ApolloServerPluginDrainHttpServer({ httpServer, stopGracePeriodMillis: options.shutdownGraceMs }),
      errorLoggingPlugin(options.log) as ApolloServerPlugin<C>,
      requestLogPlugin(options.log) as ApolloServerPlugin<C>,
      options.metrics.plugin<C>(),
      ...(options.apollo.plugins ?? []),
    ],
  } as ApolloServerOptions<C>);
  await apollo.start();
  let stopping: Promise<void> | undefined;
  // While stopping, /ready says so, so that a load balancer sends new requests elsewhere.
  mountProbes(app, async () => (stopping ? { ready: false, detail: 'stopping' } : options.isReady()));
  app.get('/metrics', async (_req, res) => {
    res.type(options.metrics.registry.contentType).send(await options.metrics.registry.metrics());
  });
  app.use(
    '/graphql',
    express.json({ limit: '1mb' }),
    tracing.middleware, // after the body is read: the parser's stream callbacks would lose the span
    ...(options.beforeGraphQL ?? []),
    expressMiddleware(apollo, {
      context: async ({ req, res }) => {
        const requestId = requestIdOf(req);
        res.setHeader(REQUEST_ID_HEADER, requestId);
        return options.context(req, res, requestId);
      },
    }),
  );
  let origin: string;
  try {
    ({ origin } = await listen(httpServer, options.host, options.port, options.portSetting));
  } catch (error) {
    await apollo.stop().catch(() => undefined); // the HTTP server never listened: nothing to drain
    await tracing.shutdown();
    throw error;
  }
  return {
    name: options.name,
    url: `${origin}/graphql`,
    apollo,
    app,
    httpServer,
    tracing,
    stop: () =>
      (stopping ??= (async () => {
        await apollo.stop(); // drains in-flight requests and closes the HTTP server
        await options.onStop?.();
        await tracing.shutdown().catch(() => undefined); // an unreachable collector must not block a stop
      })()),
  };
}

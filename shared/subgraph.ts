/**
 * The subgraph server factory. A subgraph is defined by its database schema (entities and
 * migrations), its GraphQL schema, its per-request loaders and its reference/sample data; starting
 * one is the same for all four.
 */
import type { IncomingHttpHeaders } from 'node:http';
import { ApolloServerPluginCacheControlDisabled, ApolloServerPluginInlineTraceDisabled } from '@apollo/server/plugin/disabled';
import type { GraphQLSchema } from 'graphql';
import type { DataSource } from 'typeorm';
import { cacheControlHeaderPlugin } from './cache-control';
import { DATA_VERSION_PATH, DataVersion, dataVersionPlugin, dataVersionRoute, viewerForRequest } from './data-version';
import type { RowImporter } from './csv-import';
import type { SubgraphConfig, SubgraphName } from './config';
import { describeRequest } from './request-log';
import { ANONYMOUS, type SentByGateway, VIEWER_HEADER, decodeViewer, sentByGatewayCheck, type Viewer } from './context';
import { type DatabaseSchema, type OpenDatabaseOptions, type StatementTextLogger, openDatabase } from './database';
import { unauthenticated } from './errors';
import { mountImportRoutes } from './import-routes';
import { createLogger, type Logger } from './log';
import { ServiceMetrics } from './metrics';
import { type RequestContext, type Served, finishRoutes, serve } from './server';

/** The one context type of every subgraph; `L` is the subgraph's per-request DataLoaders. */
export interface SubgraphContext<L> extends RequestContext {
  viewer: Viewer;
  loaders: L;
  /** For writes, which open their own transaction. */
  dataSource: DataSource;
  /** The data version when the request came, before any of its reads (shared/data-version.ts). */
  dataVersion?: string;
}

/** One kind of file a subgraph imports (`npm run import -- <kind> FILE`, `POST /import/<kind>`), and reverts. */
export interface SubgraphImporter extends RowImporter {
  /** National data only an admin imports (e.g. checklist templates); otherwise staff import their own prefecture's rows. */
  adminOnly?: boolean;
  /** What the kind's files hold, in Japanese (派遣記録): the file name of a download with `?lang=ja`, and `GET /import`'s list. */
  titleJa: string;
}

/** What a subgraph's own HTTP routes are given. */
export interface SubgraphServices {
  dataSource: DataSource;
  log: Logger;
  /** Whether a request presents the gateway's secret (one of them, while it is being changed). */
  sentByGateway: SentByGateway;
  /** To tag an answer with the data version read before its data (shared/data-version.ts). */
  dataVersion: DataVersion;
}

export interface SubgraphDefinition<L> {
  name: SubgraphName;
  /** The CSV files it imports, by kind: the import CLI and the README list them from here. */
  importers?: Readonly<Record<string, SubgraphImporter>>;
  database: DatabaseSchema;
  buildSchema(): Promise<GraphQLSchema>;
  /** New loaders for each request, so no cached row outlives the request or leaks to another viewer. */
  createLoaders(dataSource: DataSource): L;
  /** HTTP routes besides GraphQL, for the gateway only (e.g. checking API keys); each checks the gateway secret itself. */
  routes?(app: Served<SubgraphContext<L>>['app'], services: SubgraphServices): void;
  /** Loads reference or sample data after migrations; must be safe to run on every start. */
  seed?(dataSource: DataSource, log: Logger, config: SubgraphConfig): Promise<void>;
}

export interface RunningSubgraph<L> extends Served<SubgraphContext<L>> {
  dataSource: DataSource;
}

/**
 * The viewer a request carries: the gateway's `x-viewer`, believed only with the gateway's secret.
 * Subgraphs answer only the gateway: a request without the secret is refused whole, `_entities` and
 * `_service` included, so no client can reach a subgraph around the gateway's checks and limits.
 */
export function viewerFromHeaders(headers: IncomingHttpHeaders, sentByGateway: SentByGateway): Viewer {
  const viewerHeader = headers[VIEWER_HEADER];
  if (!sentByGateway(headers)) {
    throw unauthenticated('subgraphs answer only the gateway', 'サブグラフはゲートウェイにだけ応答します', 'whole request');
  }
  if (viewerHeader === undefined) return ANONYMOUS;
  const viewer = typeof viewerHeader === 'string' ? decodeViewer(viewerHeader) : undefined;
  if (!viewer) throw unauthenticated('malformed viewer header from the gateway', 'ゲートウェイからの利用者ヘッダーが不正です', 'whole request');
  return viewer;
}

export async function startSubgraph<L>(
  definition: SubgraphDefinition<L>,
  config: SubgraphConfig,
  options: OpenDatabaseOptions & { log?: Logger } = {},
): Promise<RunningSubgraph<L>> {
  const log = options.log ?? createLogger(definition.name);
  const dataSource = await openDatabase(config.database, definition.database, log, options);
  const metrics = new ServiceMetrics(definition.name);
  // pg's pool behind TypeORM: connections in use and requests waiting for one.
  const pool = (dataSource.driver as unknown as { master?: { totalCount: number; idleCount: number; waitingCount: number } }).master;
  metrics.gauge('db_pool_connections_in_use', 'Database connections in use.', () => (pool ? pool.totalCount - pool.idleCount : 0));
  metrics.gauge('db_pool_waiting_requests', 'Queries waiting for a database connection.', () => pool?.waitingCount ?? 0);
  const statements = dataSource.logger as StatementTextLogger;
  metrics.counter('db_statements_total', 'SQL statements sent to the database.', () => statements.statements);
  const dataVersion = new DataVersion();
  // While GATEWAY_SECRET is being changed: how often the one before is still presented, to know when to drop it.
  let previousSecretPresented = 0;
  const sentByGateway = sentByGatewayCheck(config.gatewaySecretsAccepted, () => void (previousSecretPresented += 1));
  if (config.gatewaySecretsAccepted.length > 1) {
    metrics.counter(
      'gateway_secret_previous_total',
      'Requests that presented GATEWAY_SECRET_PREVIOUS: remove it once this stops growing (every gateway sends the new one).',
      () => previousSecretPresented,
    );
    log.warn('GATEWAY_SECRET_PREVIOUS is accepted beside GATEWAY_SECRET: remove it once every gateway has restarted with the new secret');
  }
  try {
    await definition.seed?.(dataSource, log, config);
    await dataVersion.listen(config.database.url, log);
    const served = await serve<SubgraphContext<L>>({
      name: definition.name,
      directGets: { [DATA_VERSION_PATH]: dataVersionRoute(dataVersion, sentByGateway, metrics) },
      log,
      production: config.production,
      host: config.host,
      port: config.port,
      portSetting: config.portSetting,
      // Inline tracing serves Apollo Studio, which this deployment does not use. Apollo's cache-control
      // plugin wraps every field resolver to collect hints (measured: a few % of CPU); the hints are
      // read from the document instead (shared/cache-control.ts).
      apollo: {
        schema: await definition.buildSchema(),
        plugins: [
          ApolloServerPluginInlineTraceDisabled(),
          ApolloServerPluginCacheControlDisabled(),
          cacheControlHeaderPlugin(),
          dataVersionPlugin(dataVersion),
        ],
      },
      context: async (req, _res, requestId) => ({
        requestId,
        dataVersion: dataVersion.current(),
        viewer: viewerForRequest(viewerFromHeaders(req.headers, sentByGateway)),
        loaders: definition.createLoaders(dataSource),
        dataSource,
      }),
      isReady: async () => {
        await dataSource.query('SELECT 1');
        return { ready: true };
      },
      onStop: async () => {
        await dataVersion.stop();
        await dataSource.destroy();
      },
      metrics,
      tracing: config.tracing,
      shutdownGraceMs: config.shutdownGraceMs,
      shutdownDelayMs: config.shutdownDelayMs,
      metricsToken: config.metricsToken,
    });
    definition.routes?.(served.app, { dataSource, log, sentByGateway, dataVersion });
    if (definition.importers) {
      mountImportRoutes(served.app, definition.importers, {
        dataSource,
        log,
        sentByGateway,
        viewerOf: (req) => {
          const viewer = viewerFromHeaders(req.headers, sentByGateway);
          describeRequest(req, { viewer }); // the request's log line names who imports
          return viewer;
        },
        onChanged: () => dataVersion.moved(),
        downloadMaxRows: config.importDownloadMaxRows,
        importConcurrency: config.importConcurrency,
        workbookHeapMb: config.importWorkbookHeapMb,
      });
    }
    finishRoutes(served.app, log);
    return { ...served, dataSource };
  } catch (error) {
    await dataVersion.stop();
    await dataSource.destroy();
    throw error;
  }
}

/**
 * The gateway: Apollo Gateway on Apollo Server, serving the supergraph composed at build time
 * (gateway/supergraph.graphql). It knows the subgraphs only through that file, and their URLs from
 * configuration; it verifies the caller's token and forwards the viewer to each subgraph.
 */
import { readFileSync } from 'node:fs';
import { ApolloGateway, RemoteGraphQLDataSource, type GraphQLDataSourceProcessOptions } from '@apollo/gateway';
import type { GatewayConfig } from '../shared/config';
import { GATEWAY_SECRET_HEADER, REQUEST_ID_HEADER, VIEWER_HEADER, type Viewer, encodeViewer } from '../shared/context';
import { createLogger, type Logger } from '../shared/log';
import { projectPath } from '../shared/paths';
import { type RequestContext, type Served, serve } from '../shared/server';
import { createTokenVerifier } from './auth';
import { mountExports } from './exports';
import { operationLimitsPlugin, requestShapeLimits } from './limits';

export interface GatewayContext extends RequestContext {
  viewer: Viewer;
}

/** The supergraph composed by `npm run compose` and committed. */
export const SUPERGRAPH_PATH = projectPath('gateway', 'supergraph.graphql');

/** Sends the gateway secret, the verified viewer and the request id with every subgraph fetch. */
class SubgraphDataSource extends RemoteGraphQLDataSource<GatewayContext> {
  constructor(
    private readonly subgraph: string,
    url: string,
    private readonly gatewaySecret: string,
    private readonly observeFetch?: FetchObserver,
  ) {
    super({ url });
  }

  override willSendRequest({ request, context }: GraphQLDataSourceProcessOptions<GatewayContext>): void {
    if ('requestId' in context) this.observeFetch?.(this.subgraph, context.requestId);
    const headers = request.http?.headers;
    if (!headers) return;
    headers.set(GATEWAY_SECRET_HEADER, this.gatewaySecret);
    if ('viewer' in context && context.viewer) headers.set(VIEWER_HEADER, encodeViewer(context.viewer));
    if ('requestId' in context && context.requestId) headers.set(REQUEST_ID_HEADER, context.requestId);
  }
}

async function subgraphsReady(urls: Record<string, string>): Promise<{ ready: boolean; detail: Record<string, string> }> {
  const detail: Record<string, string> = {};
  await Promise.all(
    Object.entries(urls).map(async ([name, url]) => {
      try {
        const response = await fetch(new URL('/ready', url), { signal: AbortSignal.timeout(2000) });
        detail[name] = response.ok ? 'ready' : `not ready (HTTP ${response.status})`;
      } catch (error) {
        detail[name] = `unreachable (${(error as Error).message})`;
      }
    }),
  );
  return { ready: Object.values(detail).every((s) => s === 'ready'), detail };
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
  const gateway = new ApolloGateway({
    supergraphSdl,
    buildService: ({ name }) => {
      const url = urls[name];
      if (!url) throw new Error(`The supergraph names subgraph "${name}" but no URL is configured for it.`);
      return new SubgraphDataSource(name, url, config.gatewaySecret, options.observeFetch);
    },
  });
  const verify = createTokenVerifier(config.jwt);
  const served = await serve<GatewayContext>({
    name: 'gateway',
    log,
    production: config.production,
    host: config.host,
    port: config.port,
    portSetting: config.portSetting,
    apollo: { gateway, plugins: [operationLimitsPlugin(config.limits)] },
    introspection: config.introspection,
    beforeGraphQL: [requestShapeLimits(config.limits)],
    context: async (req, _res, requestId) => ({ requestId, viewer: await verify(req.headers.authorization) }),
    isReady: () => subgraphsReady(urls),
  });
  mountExports(served.app, served.apollo, verify);
  return served;
}

/** Starting real services for tests: a subgraph on its own fresh database, and the gateway over HTTP. */
import { randomBytes } from 'node:crypto';
import type { GraphQLFormattedError } from 'graphql';
import pino from 'pino';
import { LOG_SERIALIZERS, type Logger } from '../../shared/log';
import { type Env, loadGatewayConfig, loadSubgraphConfig, settingPrefix } from '../../shared/config';
import type { Role, Viewer } from '../../shared/context';
import { type RunningSubgraph, type SubgraphDefinition, startSubgraph } from '../../shared/subgraph';
import { startGateway } from '../../gateway/gateway';
import { SUBGRAPH_DEFINITIONS } from '../../subgraphs';
import { signDevelopmentToken } from '../../gateway/auth';

/** The viewer in-process test operations run as unless they say otherwise: an admin sees everything. */
export const TEST_ADMIN: Viewer = { subject: 'test-admin', role: 'ADMIN', prefectureCode: null };

/** Environment for services under test: the run's PostgreSQL, a fresh database prefix, any free port. */
export function testEnv(extra: Env = {}): Env {
  if (!process.env.TEST_DATABASE_URL) throw new Error('TEST_DATABASE_URL is unset: run through jest (global setup)');
  return {
    NODE_ENV: 'test',
    DATABASE_URL: process.env.TEST_DATABASE_URL,
    DATABASE_PREFIX: `${process.env.TEST_RUN_PREFIX}${randomBytes(3).toString('hex')}_`,
    MUNICIPALITIES_PORT: '0',
    SUPPORT_CENTERS_PORT: '0',
    BASES_PORT: '0',
    DISPATCH_PORT: '0',
    GATEWAY_PORT: '0',
    // Tests share one PostgreSQL that other test files load at the same moment: a connection that takes more than
    // the production 5 s then (seen once in CI: a README example answered "cannot reach its database") is slowness.
    DATABASE_CONNECT_TIMEOUT_MS: '30000',
    ...extra,
  };
}

/** Records every SQL statement's text (from the subgraph's statement logger), so tests can count round trips. */
export class StatementLog {
  statements: string[] = [];
  readonly observe = (query: string): void => {
    if (!/^(START TRANSACTION|COMMIT|ROLLBACK)/i.test(query)) this.statements.push(query);
  };
  /** Statements logged while `run` ran. */
  async during<T>(run: () => Promise<T>): Promise<{ result: T; statements: string[] }> {
    const start = this.statements.length;
    const result = await run();
    return { result, statements: this.statements.slice(start) };
  }
}

export interface TestSubgraph<L> {
  subgraph: RunningSubgraph<L>;
  sql: StatementLog;
  /** Runs an operation in-process (Apollo's executeOperation) with fresh loaders, as `viewer` (default: an admin). */
  execute(
    query: string,
    variables?: Record<string, unknown>,
    viewer?: Viewer,
  ): Promise<{ data?: Record<string, any> | null; errors?: readonly GraphQLFormattedError[] }>;
}

export async function startTestSubgraph<L>(definition: SubgraphDefinition<L>, env: Env = testEnv(), log?: Logger): Promise<TestSubgraph<L>> {
  const sql = new StatementLog();
  const subgraph = await startSubgraph(definition, loadSubgraphConfig(definition.name, env), {
    observeStatement: sql.observe,
    log: log?.child({ service: definition.name }),
  });
  return {
    subgraph,
    sql,
    async execute(query, variables, viewer = TEST_ADMIN) {
      const response = await subgraph.apollo.executeOperation(
        { query, variables },
        {
          contextValue: {
            requestId: 'test',
            viewer,
            loaders: definition.createLoaders(subgraph.dataSource),
            dataSource: subgraph.dataSource,
          },
        },
      );
      if (response.body.kind !== 'single') throw new Error('expected a single result');
      return response.body.singleResult as { data?: Record<string, any> | null; errors?: readonly GraphQLFormattedError[] };
    },
  };
}

export interface GraphQLResponse {
  status: number;
  headers: Headers;
  body: { data?: Record<string, any> | null; errors?: Array<GraphQLFormattedError & { extensions?: Record<string, any> }> };
}

export async function postGraphQL(
  url: string,
  query: string,
  variables?: Record<string, unknown>,
  headers: Record<string, string> = {},
): Promise<GraphQLResponse> {
  const response = await fetch(url, {
    method: 'POST',
    headers: { 'content-type': 'application/json', ...headers },
    body: JSON.stringify({ query, variables }),
  });
  return { status: response.status, headers: response.headers, body: (await response.json()) as GraphQLResponse['body'] };
}

/** The whole stack over real HTTP: every subgraph on its own database, and the gateway in front. */
export async function startTestStack(extra: Env = {}) {
  const env = testEnv(extra);
  // Every service logs into `logLines` (JSON lines, each with its `service`), so tests can check what is and is not logged.
  const logLines: string[] = [];
  const log = pino({ level: 'debug', serializers: LOG_SERIALIZERS }, { write: (line: string) => void logLines.push(line) });
  // Every subgraph of the supergraph (subgraphs/index.ts), each on its own database.
  const started = await Promise.all(SUBGRAPH_DEFINITIONS.map((definition) => startTestSubgraph(definition, env, log)));
  const byName = (name: string) => started.find((s) => s.subgraph.name === name)!;
  const [municipalities, supportCenters, bases, dispatch] = ['municipalities', 'support-centers', 'bases', 'dispatch'].map(byName);
  const gatewayEnv: Env = { ...env, ...Object.fromEntries(started.map((s) => [`${settingPrefix(s.subgraph.name)}_URL`, s.subgraph.url])) };
  const gatewayConfig = loadGatewayConfig(gatewayEnv);
  const fetches = new Map<string, string[]>(); // request id → subgraphs fetched, in order
  const adminToken = await signDevelopmentToken(gatewayConfig.jwt, { subject: 'test-admin', role: 'ADMIN' });
  /** Requests run as an admin unless they pass headers of their own ({} for anonymous). */
  const asAdmin = { authorization: `Bearer ${adminToken}` };
  const gateway = await startGateway(gatewayConfig, {
    log: log.child({ service: 'gateway' }),
    observeFetch: (subgraph, requestId) => fetches.set(requestId, [...(fetches.get(requestId) ?? []), subgraph]),
  });
  return {
    env: gatewayEnv,
    gatewayConfig,
    gateway,
    municipalities,
    supportCenters,
    bases,
    dispatch,
    asAdmin,
    logLines,
    query: (query: string, variables?: Record<string, unknown>, headers: Record<string, string> = asAdmin) =>
      postGraphQL(gateway.url, query, variables, headers),
    /** Runs a query and tells which subgraph fetches the gateway made for it. */
    async countFetches(query: string, variables?: Record<string, unknown>, headers: Record<string, string> = asAdmin) {
      const requestId = `count-${randomBytes(6).toString('hex')}`;
      const response = await postGraphQL(gateway.url, query, variables, { ...headers, 'x-request-id': requestId });
      return { response, fetches: fetches.get(requestId) ?? [] };
    },
    /** The subgraph fetches the gateway has made so far for a request (by its `x-request-id`), in order. */
    fetchesOf: (requestId: string) => [...(fetches.get(requestId) ?? [])],
    /** A bearer header for a development token. */
    async as(role: Role, prefectureCode?: string, subject = `test-${role}`): Promise<Record<string, string>> {
      const token = await signDevelopmentToken(gatewayConfig.jwt, { subject, role, prefectureCode });
      return { authorization: `Bearer ${token}` };
    },
    async stop() {
      await gateway.stop();
      await Promise.all(started.map((s) => s.subgraph.stop()));
    },
  };
}

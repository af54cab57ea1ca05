/**
 * `npm start`: the whole stack in one process for development and evaluation. Starts an embedded
 * PostgreSQL when DATABASE_URL is unset (data kept in .data/postgres), then every subgraph (each
 * creates and migrates its own database and loads its reference data once), then the gateway.
 * Ctrl-C stops all of it.
 */
import 'reflect-metadata';
import { loadEmbeddedPostgresConfig, loadGatewayConfig, loadSubgraphConfig } from '../shared/config';
import { startEmbeddedPostgres } from '../shared/embedded-postgres';
import { reportStartupFailure, stopOnCrash, stopOnSignals } from '../shared/main';
import { readCommandLine } from '../shared/command-line';
import { startSubgraph } from '../shared/subgraph';
import { signDevelopmentToken } from '../gateway/auth';
import { startGateway } from '../gateway/gateway';
import { loadManifest } from '../gateway/trusted-documents';
import { SUBGRAPH_DEFINITIONS } from '../subgraphs';

// The question the system exists for: small municipalities with no core center, with their visits.
const EXAMPLE = `{
  prefecture(code: "01") {
    coreCenterGaps(populationBelow: 10000) { code name population lastVisit { date } }
  }
}`;

async function main(): Promise<void> {
  readCommandLine({
    usage:
      'Usage: npm start\nStarts the whole stack in one process: an embedded PostgreSQL (data in .data/postgres) unless DATABASE_URL is set,\n' +
      'the four subgraphs and the gateway (http://127.0.0.1:4000/graphql). Ctrl-C stops it. Settings are environment\n' +
      'variables (README "Configuration"), given before the command: GATEWAY_PORT=5000 npm start',
  });
  const running: Array<{ stop(): Promise<void> }> = [];
  // Stop in reverse order of starting: gateway, subgraphs, then the database — also on a crash, so that the
  // embedded PostgreSQL is not left running without us.
  stopOnSignals(() => [...running].reverse());
  stopOnCrash(() => [...running].reverse());
  const env = { ...process.env };
  try {
    // Every setting is checked before anything starts (the embedded server's URL stands in until it is known).
    const checked = { ...env, DATABASE_URL: env.DATABASE_URL ?? 'postgres://127.0.0.1/embedded' };
    for (const definition of SUBGRAPH_DEFINITIONS) loadSubgraphConfig(definition.name, checked);
    loadManifest(loadGatewayConfig(checked).trustedDocuments);
    if (!env.DATABASE_URL) {
      const embedded = loadEmbeddedPostgresConfig(env);
      console.log(`Starting embedded PostgreSQL on port ${embedded.port} (data in ${embedded.dataDir})…`);
      const postgres = await startEmbeddedPostgres({
        ...embedded,
        persistent: true,
        onStoppedLeftRunning: (pid) => console.log(`Stopped the embedded PostgreSQL an earlier start left running (pid ${pid}).`),
      });
      running.push(postgres);
      env.DATABASE_URL = postgres.url;
    }
    for (const definition of SUBGRAPH_DEFINITIONS) {
      const subgraph = await startSubgraph(definition, loadSubgraphConfig(definition.name, env));
      running.push(subgraph);
      console.log(`Subgraph ${definition.name} at ${subgraph.url}`);
    }
    const gatewayConfig = loadGatewayConfig(env);
    const gateway = await startGateway(gatewayConfig);
    running.push(gateway);
    console.log(`\nGateway ready at ${gateway.url}`);
    if (gatewayConfig.explorer) console.log(`Explorer (GraphiQL, with saved example operations) at ${new URL('/explorer', gateway.url)}`);
    console.log('');
    // Anonymous callers see reference data only; a development token opens the rest.
    const token = gatewayConfig.production ? '<your token>' : await signDevelopmentToken(gatewayConfig.jwt, { subject: 'dev-admin', role: 'ADMIN' });
    console.log(
      `Try (with an 8-hour development ADMIN token):\n  curl -s ${gateway.url} -H 'content-type: application/json' \\\n    -H 'authorization: Bearer ${token}' \\\n    --data '${JSON.stringify({ query: EXAMPLE.replace(/\s+/g, ' ') })}'`,
    );
    console.log(`\nOther tokens: npm run token -- --role advisor --prefecture 01\nCtrl-C stops everything.`);
  } catch (error) {
    reportStartupFailure(error);
    for (const service of running.reverse()) await service.stop().catch(() => undefined);
    process.exit(1);
  }
}

void main();

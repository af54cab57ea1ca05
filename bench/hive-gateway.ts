/**
 * A peer for the benchmark: Hive Gateway with its default settings (which deduplicate identical
 * in-flight subgraph calls), or with Hive Router's Rust query planner (`--rust`), in a process of its
 * own on the same supergraph and subgraphs. It only forwards the subgraphs' gateway secret and a fixed
 * viewer (our subgraphs answer only a gateway); it verifies no token, as it would need configuring to.
 *
 *   node dist/bench/hive-gateway.js [--rust]    (BENCH_SUPERGRAPH, BENCH_PORT, BENCH_SUBGRAPH_HEADERS)
 */
import { createServer } from 'node:http';
import type { AddressInfo } from 'node:net';
import { readFileSync } from 'node:fs';
import { createGatewayRuntime } from '@graphql-hive/gateway';
import { unifiedGraphHandler } from '@graphql-hive/router-runtime';

async function main(): Promise<void> {
  const rust = process.argv.includes('--rust');
  const headers = JSON.parse(process.env.BENCH_SUBGRAPH_HEADERS ?? '{}') as Record<string, string>;
  const gateway = createGatewayRuntime({
    supergraph: readFileSync(process.env.BENCH_SUPERGRAPH!, 'utf8'),
    ...(rust ? { unifiedGraphHandler } : {}),
    propagateHeaders: { fromClientToSubgraphs: () => headers },
    logging: 'error',
  });
  const server = createServer(gateway);
  await new Promise<void>((resolve) => server.listen(Number(process.env.BENCH_PORT ?? 0), '127.0.0.1', resolve));
  console.log(`hive-gateway ready at http://127.0.0.1:${(server.address() as AddressInfo).port}/graphql`);
  const stop = () => server.close(() => process.exit(0));
  process.on('SIGTERM', stop);
  process.on('SIGINT', stop);
}

main().catch((error: unknown) => {
  console.error(error);
  process.exit(1);
});

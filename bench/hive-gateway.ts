/**
 * A peer for the benchmark: Hive Gateway with its default settings (which deduplicate identical
 * in-flight subgraph calls), or with Hive Router's Rust query planner (`--rust`), in a process of its
 * own on the same supergraph and subgraphs. Like ours, it sends the subgraphs the gateway secret and
 * the caller's viewer, taken from the bearer token's claims; unlike ours, it only decodes the token
 * and does not verify it (that would need its JWT plugin configured), which spares it that work.
 *
 *   node dist/bench/hive-gateway.js [--rust]    (BENCH_SUPERGRAPH, BENCH_PORT, BENCH_GATEWAY_SECRET)
 */
import { createServer } from 'node:http';
import type { AddressInfo } from 'node:net';
import { readFileSync } from 'node:fs';
import { createGatewayRuntime } from '@graphql-hive/gateway';
import { unifiedGraphHandler } from '@graphql-hive/router-runtime';
import { getStitchedSchemaFromSupergraphSdl } from '@graphql-tools/federation';
import { ANONYMOUS, GATEWAY_SECRET_HEADER, VIEWER_HEADER, type Viewer, encodeViewer } from '../shared/context';

/** The viewer a bearer token's claims name, remembered per token (as ours remembers verified ones). */
const viewers = new Map<string, Viewer>();
function viewerOf(authorization: string | null): Viewer {
  const token = /^Bearer (\S+)$/.exec(authorization ?? '')?.[1];
  if (!token) return ANONYMOUS;
  let viewer = viewers.get(token);
  if (!viewer) {
    const claims = JSON.parse(Buffer.from(token.split('.')[1] ?? '', 'base64url').toString('utf8')) as Record<string, string | undefined>;
    viewer = { subject: claims.sub ?? null, role: (claims.role ?? null) as Viewer['role'], prefectureCode: claims.prefecture ?? null };
    viewers.set(token, viewer);
  }
  return viewer;
}

async function main(): Promise<void> {
  const rust = process.argv.includes('--rust');
  const secret = process.env.BENCH_GATEWAY_SECRET ?? '';
  const supergraph = readFileSync(process.env.BENCH_SUPERGRAPH!, 'utf8');
  // Both runtimes build their schema with graphql-tools' stitching; when that fails, every request fails
  // with an opaque "Unexpected error", so the reason is said once here, for the benchmark's report.
  try {
    getStitchedSchemaFromSupergraphSdl({ supergraphSdl: supergraph });
  } catch (error) {
    console.log(`hive-gateway cannot load the supergraph: ${(error as Error).message}`);
  }
  const gateway = createGatewayRuntime({
    supergraph,
    ...(rust ? { unifiedGraphHandler } : {}),
    propagateHeaders: {
      fromClientToSubgraphs: ({ request }) => ({
        [GATEWAY_SECRET_HEADER]: secret,
        [VIEWER_HEADER]: encodeViewer(viewerOf(request.headers.get('authorization'))),
      }),
    },
    logging: process.env.BENCH_LOGS ? 'debug' : 'error',
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

/** Partial answers when a subgraph is down or slow, and the request log. */
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { startGateway } from '../../gateway/gateway';
import { loadGatewayConfig } from '../../shared/config';
import { postGraphQL, startTestStack } from '../helpers/stack';

let stack: Awaited<ReturnType<typeof startTestStack>>;
beforeAll(async () => {
  stack = await startTestStack();
});
afterAll(() => stack?.stop());

const HEADLINE = '{ prefecture(code: "01") { coreCenterGaps(populationBelow: 10000) { code name population visits(first: 5) { totalCount } lastVisit { date } } } }';

it('logs one line per request with its fetches and error codes, without variables', async () => {
  const { response } = await stack.countFetches('query Headline($p: ID!) { prefecture(code: $p) { name } }', { p: '01' });
  const requestId = response.headers.get('x-request-id');
  const line = stack.logLines.map((l) => JSON.parse(l)).find((l) => l.msg === 'request' && l.requestId === requestId);
  expect(line).toMatchObject({ operationName: 'Headline', role: 'ADMIN', subgraphFetches: 1, subgraphs: ['municipalities'], errorCodes: [] });
  expect(typeof line.durationMs).toBe('number');
  expect(JSON.stringify(line)).not.toContain('"p"');
});

it('returns the gap list with visits null and an error naming dispatch when dispatch is down', async () => {
  // A gateway of its own whose dispatch URL points nowhere (the stack's subgraphs stay up for the other tests).
  const gateway = await startGateway(loadGatewayConfig({ ...stack.env, GATEWAY_PORT: '0', DISPATCH_URL: 'http://127.0.0.1:9/graphql' }));
  try {
    const { body } = await postGraphQL(gateway.url, HEADLINE, undefined, stack.asAdmin);
    const gaps = body.data!.prefecture.coreCenterGaps as Array<{ name: string; visits: unknown; lastVisit: unknown }>;
    expect(gaps.length).toBeGreaterThan(10);
    expect(gaps.every((g) => g.name && g.visits === null && g.lastVisit === null)).toBe(true);
    expect(body.errors![0].extensions).toMatchObject({ code: 'SUBGRAPH_UNAVAILABLE', serviceName: 'dispatch' });
    expect(body.errors![0].message).toContain('dispatch subgraph is unavailable');
    expect(JSON.stringify(body)).not.toContain('127.0.0.1'); // no internal address reaches the client
  } finally {
    await gateway.stop();
  }
});

it('gives up on a subgraph that does not answer within its timeout', async () => {
  const silent: Server = createServer(() => undefined); // accepts, never answers
  await new Promise<void>((resolve) => silent.listen(0, '127.0.0.1', resolve));
  const url = `http://127.0.0.1:${(silent.address() as AddressInfo).port}/graphql`;
  const gateway = await startGateway(loadGatewayConfig({ ...stack.env, GATEWAY_PORT: '0', DISPATCH_URL: url, SUBGRAPH_TIMEOUT_MS: '300' }));
  try {
    const started = Date.now();
    const { body } = await postGraphQL(gateway.url, HEADLINE, undefined, stack.asAdmin);
    expect(Date.now() - started).toBeLessThan(10_000); // bounded by the timeout, not hanging
    expect(body.data!.prefecture.coreCenterGaps.length).toBeGreaterThan(10);
    expect(body.errors![0].extensions).toMatchObject({ code: 'SUBGRAPH_UNAVAILABLE', serviceName: 'dispatch' });
    expect(body.errors![0].message).toContain('no answer within 300 ms');
  } finally {
    await gateway.stop();
    silent.closeAllConnections();
    await new Promise((resolve) => silent.close(resolve));
  }
});

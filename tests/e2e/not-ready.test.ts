/** The gateway starts from its static supergraph even when no subgraph is up, and says it is not ready until one is. */
import { startGateway } from '../../gateway/gateway';
import { loadGatewayConfig } from '../../shared/config';
import { basesSubgraph } from '../../subgraphs/bases';
import { startTestSubgraph } from '../helpers/stack';

/** Every subgraph at a port nothing listens on (not the default ports, where `npm start` may be running beside the tests). */
const NOWHERE = Object.fromEntries(['MUNICIPALITIES', 'SUPPORT_CENTERS', 'BASES', 'DISPATCH'].map((prefix) => [`${prefix}_URL`, 'http://127.0.0.1:9/graphql']));

it('reports not ready, naming the unreachable subgraph', async () => {
  const gateway = await startGateway(loadGatewayConfig({ ...NOWHERE, GATEWAY_PORT: '0', NODE_ENV: 'test' }));
  try {
    const origin = new URL(gateway.url).origin;
    expect((await fetch(`${origin}/health`)).status).toBe(200);
    const ready = await fetch(`${origin}/ready`);
    expect(ready.status).toBe(503);
    expect(await ready.json()).toMatchObject({ status: 'not ready', detail: { municipalities: expect.stringMatching(/^unreachable/) } });
  } finally {
    await gateway.stop();
  }
});

it('stays ready while one subgraph answers, naming the others: a load balancer keeps it for partial answers', async () => {
  const bases = await startTestSubgraph(basesSubgraph);
  const gateway = await startGateway(loadGatewayConfig({ ...NOWHERE, GATEWAY_PORT: '0', NODE_ENV: 'test', BASES_URL: bases.subgraph.url }));
  try {
    const ready = await fetch(`${new URL(gateway.url).origin}/ready`);
    expect(ready.status).toBe(200);
    expect(await ready.json()).toMatchObject({ detail: { bases: 'ready', municipalities: expect.stringMatching(/^unreachable/) } });
  } finally {
    await gateway.stop();
    await bases.subgraph.stop();
  }
});

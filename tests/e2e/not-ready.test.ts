/** The gateway starts from its static supergraph even when no subgraph is up, and says it is not ready. */
import { startGateway } from '../../gateway/gateway';
import { loadGatewayConfig } from '../../shared/config';

it('reports not ready, naming the unreachable subgraph', async () => {
  const gateway = await startGateway(loadGatewayConfig({ GATEWAY_PORT: '0', MUNICIPALITIES_URL: 'http://127.0.0.1:9/graphql', NODE_ENV: 'test' }));
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

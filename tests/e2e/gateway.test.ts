/** Through the gateway over real HTTP, with the subgraph on its own PostgreSQL database. */
import { signDevelopmentToken } from '../../gateway/auth';
import { startGateway } from '../../gateway/gateway';
import { loadGatewayConfig } from '../../shared/config';
import { GATEWAY_SECRET_HEADER, VIEWER_HEADER, encodeViewer } from '../../shared/context';
import { postGraphQL, startTestStack } from '../helpers/stack';

let stack: Awaited<ReturnType<typeof startTestStack>>;
beforeAll(async () => {
  stack = await startTestStack();
});
afterAll(() => stack?.stop());

describe('acceptance', () => {
  it('counts 543 municipalities under 10,000 residents and the five brackets as MHLW does', async () => {
    const { status, body } = await stack.query(`{
      under10k: municipalities(filter: {populationBelow: 10000}) { totalCount }
      b1: municipalities(filter: {brackets: [UNDER_10K]}) { totalCount }
      b2: municipalities(filter: {brackets: [FROM_10K_TO_50K]}) { totalCount }
      b3: municipalities(filter: {brackets: [FROM_50K_TO_100K]}) { totalCount }
      b4: municipalities(filter: {brackets: [FROM_100K_TO_500K]}) { totalCount }
      b5: municipalities(filter: {brackets: [FROM_500K]}) { totalCount }
    }`);
    expect(status).toBe(200);
    expect(body.errors).toBeUndefined();
    const d = body.data!;
    expect(d.under10k.totalCount).toBe(543);
    expect([d.b1, d.b2, d.b3, d.b4, d.b5].map((b) => b.totalCount)).toEqual([543, 684, 237, 242, 35]);
  });

  it('answers 札幌市 for 011002 and BAD_USER_INPUT about the check digit for 011003', async () => {
    const ok = await stack.query('{ municipality(code: "011002") { name population prefecture { name } } }');
    expect(ok.body).toEqual({ data: { municipality: { name: '札幌市', population: 1955678, prefecture: { name: '北海道' } } } });

    const bad = await stack.query('{ municipality(code: "011003") { name } }');
    expect(bad.body.data).toEqual({ municipality: null });
    expect(bad.body.errors![0].extensions).toMatchObject({ code: 'BAD_USER_INPUT', argument: 'code' });
    expect(bad.body.errors![0].message).toContain('check digit should be 2');
    expect(bad.body.errors![0].extensions).not.toHaveProperty('response');
  });

  it('pages through a prefecture with cursors', async () => {
    const first = await stack.query(
      '{ municipalities(filter: {prefectureCodes: ["47"]}, first: 30) { totalCount pageInfo { hasNextPage endCursor } nodes { code } } }',
    );
    const page1 = first.body.data!.municipalities;
    expect(page1.totalCount).toBe(41);
    expect(page1.pageInfo.hasNextPage).toBe(true);
    const second = await stack.query(
      'query($after: String) { municipalities(filter: {prefectureCodes: ["47"]}, first: 30, after: $after) { pageInfo { hasNextPage } nodes { code } } }',
      { after: page1.pageInfo.endCursor },
    );
    const page2 = second.body.data!.municipalities;
    expect(page2.nodes).toHaveLength(11);
    expect(page2.pageInfo.hasNextPage).toBe(false);
    expect(page2.nodes[0].code > page1.nodes.at(-1).code).toBe(true);
  });
});

describe('identity', () => {
  const VIEWER = '{ viewer { anonymous subject role prefecture { code name } } }';

  it('treats a request without a token as anonymous', async () => {
    const { body } = await stack.query(VIEWER, undefined, {});
    expect(body.data!.viewer).toEqual({ anonymous: true, subject: null, role: null, prefecture: null });
  });

  it('forwards the verified claims of a token to the subgraph', async () => {
    const token = await signDevelopmentToken(stack.gatewayConfig.jwt, { subject: 'advisor-7', role: 'ADVISOR', prefectureCode: '01' });
    const { body } = await stack.query(VIEWER, undefined, { authorization: `Bearer ${token}` });
    expect(body.data!.viewer).toEqual({
      anonymous: false,
      subject: 'advisor-7',
      role: 'ADVISOR',
      prefecture: { code: '01', name: '北海道' },
    });
  });

  it.each([
    ['forged (signed with another secret)', () => signDevelopmentToken({ secret: 'x'.repeat(40) }, { subject: 'a', role: 'ADMIN' }), 'invalid'],
    ['expired', () => signDevelopmentToken(stack.gatewayConfig.jwt, { subject: 'a', role: 'ADMIN' }, Math.floor(Date.now() / 1000) - 60), 'expired'],
    ['without a prefecture for an advisor', () => signDevelopmentToken(stack.gatewayConfig.jwt, { subject: 'a', role: 'ADVISOR' }), 'prefecture'],
    ['not a JWT', async () => 'abc.def.ghi', 'invalid'],
  ])('refuses a %s token with UNAUTHENTICATED', async (_case, makeToken, mentions) => {
    const token = await makeToken();
    const { status, body } = await stack.query(VIEWER, undefined, { authorization: `Bearer ${token}` });
    expect(status).toBe(401);
    expect(body.data).toBeUndefined();
    expect(body.errors![0].extensions!.code).toBe('UNAUTHENTICATED');
    expect(body.errors![0].message).toContain(mentions);
  });

  it('lets no client reach a subgraph around the gateway, _entities and _service included', async () => {
    for (const subgraph of [stack.municipalities, stack.supportCenters, stack.bases, stack.dispatch]) {
      for (const query of [
        '{ __typename }',
        '{ _service { sdl } }',
        '{ _entities(representations: [{__typename: "Municipality", code: "011002"}]) { __typename } }',
      ]) {
        const direct = await postGraphQL(subgraph.subgraph.url, query);
        expect([direct.status, direct.body.errors![0].extensions!.code]).toEqual([401, 'UNAUTHENTICATED']);
        expect(direct.body.data).toBeUndefined();
      }
    }
    const forged = encodeViewer({ subject: 'me', role: 'ADMIN', prefectureCode: null });
    const direct = await postGraphQL(stack.municipalities.subgraph.url, VIEWER, undefined, { [VIEWER_HEADER]: forged });
    expect(direct.body.errors![0].extensions!.code).toBe('UNAUTHENTICATED');
    const wrongSecret = await postGraphQL(stack.municipalities.subgraph.url, VIEWER, undefined, {
      [VIEWER_HEADER]: forged,
      [GATEWAY_SECRET_HEADER]: 'guess',
    });
    expect(wrongSecret.body.errors![0].extensions!.code).toBe('UNAUTHENTICATED');
  });
});

describe('operations', () => {
  it('answers /health and /ready on the gateway and the subgraph', async () => {
    const gatewayOrigin = new URL(stack.gateway.url).origin;
    const subgraphOrigin = new URL(stack.municipalities.subgraph.url).origin;
    for (const origin of [gatewayOrigin, subgraphOrigin]) {
      expect((await fetch(`${origin}/health`)).status).toBe(200);
      const ready = await fetch(`${origin}/ready`);
      expect(ready.status).toBe(200);
    }
    expect(await (await fetch(`${gatewayOrigin}/ready`)).json()).toMatchObject({ detail: { municipalities: 'ready' } });
  });

  it('echoes the caller request id and forwards it', async () => {
    const { headers } = await stack.query('{ prefectures { code } }', undefined, { 'x-request-id': 'req-123' });
    expect(headers.get('x-request-id')).toBe('req-123');
  });

  it('names the port and the setting when a port is taken', async () => {
    const port = new URL(stack.gateway.url).port;
    await expect(startGateway(loadGatewayConfig({ ...stack.env, GATEWAY_PORT: port }))).rejects.toThrow(
      `Port ${port} is already in use; set GATEWAY_PORT to use another port.`,
    );
  });
});

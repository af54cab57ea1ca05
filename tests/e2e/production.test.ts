/** Production defaults: no introspection, no schema hints in errors, no internals in error responses. */
import { startGateway } from '../../gateway/gateway';
import { loadGatewayConfig } from '../../shared/config';
import { postGraphQL, startTestStack } from '../helpers/stack';

const SECRETS = { GATEWAY_SECRET: 'g'.repeat(40), JWT_SECRET: 'j'.repeat(40) };
let stack: Awaited<ReturnType<typeof startTestStack>>;
let production: Awaited<ReturnType<typeof startGateway>>;
beforeAll(async () => {
  stack = await startTestStack(SECRETS);
  production = await startGateway(loadGatewayConfig({ ...stack.env, NODE_ENV: 'production', GATEWAY_PORT: '0' }));
});
afterAll(async () => {
  await production?.stop();
  await stack?.stop();
});

it('turns introspection off and hides field suggestions', async () => {
  const introspection = await postGraphQL(production.url, '{ __schema { types { name } } }');
  expect(introspection.body.errors![0].message).toContain('introspection');
  // Answered by GraphQL itself past the planner (gateway/introspection.ts), after the check: off here too.
  const oneOf = await postGraphQL(production.url, 'query { ...F } fragment F on Query { __type(name: "Query") { isOneOf } }');
  expect(oneOf.body.errors![0].message).toContain('introspection');
  expect(oneOf.body.data).toBeUndefined();
  const typo = await postGraphQL(production.url, '{ prefectures { nme } }');
  expect(typo.body.errors![0].message).not.toContain('Did you mean');
  const dev = await postGraphQL(stack.gateway.url, '{ prefectures { nme } }');
  expect(dev.body.errors![0].message).toContain('Did you mean');
});

it('serves no explorer unless enabled', async () => {
  expect((await fetch(new URL('/explorer', production.url))).status).toBe(404);
});

it('still answers ordinary queries and keeps CSRF prevention on', async () => {
  const ok = await postGraphQL(production.url, '{ municipality(code: "011002") { name } }');
  expect(ok.body.data).toEqual({ municipality: { name: '札幌市' } });
  const simpleGet = await fetch(`${production.url}?query=${encodeURIComponent('{ prefectures { code } }')}`);
  expect(simpleGet.status).toBe(400); // a GET without a preflight-forcing header is refused
});

it('refuses to start on development secrets', () => {
  expect(() => loadGatewayConfig({ NODE_ENV: 'production' })).toThrow('GATEWAY_SECRET is required');
});

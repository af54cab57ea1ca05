/**
 * The client guide's examples (docs/clients.md, docs/examples/) run against the stack: Apollo Client's
 * normalised cache stays right after recordVisit without a refetch, graphql-request reads and reports
 * refusals, and GraphQL Code Generator's typed documents compile; and the GraphQL-over-HTTP audit
 * (graphql-http's, what any spec-following client expects of the endpoint).
 */
import { randomBytes } from 'node:crypto';
import { rmSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { execFileSync } from 'node:child_process';
import { auditServer } from 'graphql-http';
import { buildClientSchema, getIntrospectionQuery, printSchema } from 'graphql';
import ts from 'typescript';
import { todayInJapan } from '../../shared/dates';
import { projectPath } from '../../shared/paths';
import { sampleAdvisorSubject } from '../../subgraphs/dispatch/sample/generate';
import { MUNICIPALITY_VISITS, RECORD_VISIT, createClient } from '../../docs/examples/apollo-client';
import { headlineGaps, refusal } from '../../docs/examples/graphql-request';
import { postGraphQL, startTestStack } from '../helpers/stack';

let stack: Awaited<ReturnType<typeof startTestStack>>;
beforeAll(async () => {
  stack = await startTestStack();
});
afterAll(() => stack?.stop());

it('keeps Apollo Client’s cache right after recordVisit, without a refetch (typePolicies from the supergraph’s keys)', async () => {
  const client = createClient(new URL('/graphql', stack.gateway.url).href, await stack.as('ADVISOR', '01', sampleAdvisorSubject('01', 1)));
  const variables = { code: '014702' };
  const before = (await client.query({ query: MUNICIPALITY_VISITS, variables })).data as any;
  const { data } = (await client.mutate({
    mutation: RECORD_VISIT,
    variables: {
      key: `client-guide-${randomBytes(4).toString('hex')}`,
      input: { prefectureCode: '01', date: todayInJapan(), municipalityCodes: ['014702'], format: 'ON_SITE', purposes: ['CORE_CENTER'] },
    },
  })) as { data: any };
  // Read from the cache only: the municipality's entry was updated by the mutation's answer.
  const after = client.readQuery({ query: MUNICIPALITY_VISITS, variables }) as any;
  expect(after.municipality.lastVisit).toEqual({ __typename: 'Visit', id: data.recordVisit.id, date: todayInJapan() });
  expect(after.municipality.visits.totalCount).toBe(before.municipality.visits.totalCount + 1);
  expect(after.municipality.name).toBe(before.municipality.name);
});

it('reads with graphql-request, and reports a refusal with its code and Japanese message', async () => {
  const url = new URL('/graphql', stack.gateway.url).href;
  const analyst = await stack.as('ANALYST');
  const answer = await headlineGaps(url, analyst, '01');
  expect(answer.prefecture!.coreCenterGaps.length).toBeGreaterThan(0);
  expect(await refusal(url, analyst, '99')).toEqual({ code: 'BAD_USER_INPUT', messageJa: expect.stringContaining('「code」') });
});

it('generates typed documents for the saved questions with GraphQL Code Generator, and they compile', async () => {
  // The guide's command, as a developer runs it (it writes generated/graphql/, git-ignored).
  const out = projectPath('generated', 'graphql');
  rmSync(out, { recursive: true, force: true });
  try {
    execFileSync(process.execPath, [projectPath('node_modules', '.bin', 'graphql-codegen'), '--config', 'docs/examples/codegen.ts'], {
      cwd: projectPath(),
      stdio: 'pipe',
    });
    const usage = join(out, 'usage.ts');
    writeFileSync(
      usage,
      `import { request } from 'graphql-request';
import { HeadlineGapsDocument, type HeadlineGapsQuery } from './graphql';
export async function firstGap(url: string): Promise<string | undefined> {
  const data: HeadlineGapsQuery = await request(url, HeadlineGapsDocument, { prefecture: '01' });
  return data.prefecture?.coreCenterGaps?.[0]?.name;
}
// @ts-expect-error the query does not select kana
export const kana = (data: HeadlineGapsQuery) => data.prefecture?.kana;
`,
    );
    const program = ts.createProgram([usage], {
      strict: true,
      noEmit: true,
      module: ts.ModuleKind.NodeNext,
      moduleResolution: ts.ModuleResolutionKind.NodeNext,
      skipLibCheck: true,
    });
    const diagnostics = ts.getPreEmitDiagnostics(program).map((d) => ts.flattenDiagnosticMessageText(d.messageText, '\n'));
    expect(diagnostics).toEqual([]);
  } finally {
    rmSync(out, { recursive: true, force: true });
  }
});

it('passes every MUST of the GraphQL-over-HTTP audit (graphql-http), and only Apollo Server’s documented SHOULDs are not met', async () => {
  const results = await auditServer({
    url: stack.gateway.url,
    fetchFn: (input: RequestInfo | URL, init?: RequestInit) => {
      const headers = new Headers(init?.headers);
      headers.set('authorization', stack.asAdmin.authorization);
      return fetch(input, { ...init, headers });
    },
  });
  expect(results.length).toBeGreaterThan(50);
  expect(results.filter((r) => r.status === 'error').map((r) => `${r.id} ${r.name}: ${'reason' in r ? r.reason : ''}`)).toEqual([]);
  // Apollo Server answers a document that does not parse or validate, or variables that do not fit, with 400
  // also to `Accept: application/json` (docs/clients.md); the spec says SHOULD 200 there.
  expect(
    results
      .filter((r) => r.status === 'warn')
      .map((r) => r.id)
      .sort(),
  ).toEqual(['572B', '7B9B', 'FDE2']);
});

it('answers the introspection query GraphiQL and code generators send, every option on (isOneOf too), and the schema read is the supergraph’s API', async () => {
  const options = { descriptions: true, specifiedByUrl: true, directiveIsRepeatable: true, schemaDescription: true, inputValueDeprecation: true };
  const everything = getIntrospectionQuery({ ...options, oneOf: true });
  const analyst = { authorization: (await stack.as('ANALYST')).authorization };
  const answer = await postGraphQL(stack.gateway.url, everything, undefined, analyst);
  expect(answer.status).toBe(200);
  expect(answer.body.errors).toBeUndefined();
  const read = printSchema(buildClientSchema(answer.body.data as any));
  const plain = await postGraphQL(stack.gateway.url, getIntrospectionQuery(options), undefined, analyst);
  expect(read).toBe(printSchema(buildClientSchema(plain.body.data as any)));
  expect(read).toContain('coreCenterGaps(');
  // Through a fragment, as Relay and some tools write it.
  const fragment = await postGraphQL(
    stack.gateway.url,
    'query Q { ...F } fragment F on Query { __type(name: "MunicipalityFilter") { isOneOf name } }',
    undefined,
    analyst,
  );
  expect(fragment.body).toEqual({ data: { __type: { isOneOf: false, name: 'MunicipalityFilter' } } });
  // Beside data the query planner cannot run it: a bad request saying what to do, never an internal error.
  const logged = stack.logLines.length;
  const mixed = await postGraphQL(stack.gateway.url, '{ __type(name: "Query") { isOneOf } prefectures { code } }', undefined, analyst);
  expect(mixed.status).toBe(400);
  expect(mixed.body.errors).toEqual([
    expect.objectContaining({
      message: expect.stringContaining('isOneOf'),
      extensions: { code: 'GRAPHQL_VALIDATION_FAILED', messageJa: expect.stringContaining('データを読まない操作で') },
    }),
  ]);
  // The operator sees it as the caller's, not as a failure of the server.
  const lines = stack.logLines.slice(logged).map((line) => JSON.parse(line));
  expect(lines.filter((line) => line.msg === 'internal error')).toEqual([]);
  expect(lines).toContainEqual(
    expect.objectContaining({ msg: 'operation the query planner refused', planner: 'Cannot query field "isOneOf" on type "__Type".' }),
  );
});

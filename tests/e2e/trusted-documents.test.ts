/**
 * Trusted documents: with TRUSTED_DOCUMENTS_ROLES=ADVISOR, advisors run only the manifest's operations
 * (by text or by hash alone); other roles keep ad-hoc queries; no client can add a document (APQ is off).
 */
import { rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { MUNICIPALITY_VISITS } from '../../docs/examples/apollo-client';
import { createTrustedClient, manifestEntry } from '../../docs/examples/trusted-documents';
import { savedOperations } from '../../gateway/explorer/explorer';
import { sha256 } from '../../gateway/trusted-documents';
import { sampleAdvisorSubject } from '../../subgraphs/dispatch/sample/generate';
import { startTestStack } from '../helpers/stack';

let stack: Awaited<ReturnType<typeof startTestStack>>;
// A front end's manifest: the client guide's example document as Apollo Client prints it. The explorer's saved
// questions (the project's manifest) are trusted beside it without being copied into it.
const manifestFile = join(tmpdir(), `trusted-documents-${process.pid}.json`);
beforeAll(async () => {
  const [hash, text] = await manifestEntry(MUNICIPALITY_VISITS);
  writeFileSync(manifestFile, JSON.stringify({ [hash]: text }));
  stack = await startTestStack({ TRUSTED_DOCUMENTS_ROLES: 'ADVISOR', TRUSTED_DOCUMENTS_FILE: manifestFile });
});
afterAll(async () => {
  await stack?.stop();
  rmSync(manifestFile, { force: true });
});

const post = async (body: Record<string, unknown>, headers: Record<string, string>) => {
  const response = await fetch(new URL('/graphql', stack.gateway.url), {
    method: 'POST',
    headers: { 'content-type': 'application/json', ...headers },
    body: JSON.stringify(body),
  });
  return { status: response.status, body: await response.json() };
};
const worklist = () => savedOperations().find((o) => o.file === '02-advisor-worklist.graphql')!.query;

it('lets an advisor run a trusted document, by its text or by its hash alone, and nothing else', async () => {
  const advisor = await stack.as('ADVISOR', '01', sampleAdvisorSubject('01', 1));
  const byText = await post({ query: worklist() }, advisor);
  expect(byText.body.errors).toBeUndefined();
  const byHash = await post({ extensions: { persistedQuery: { version: 1, sha256Hash: sha256(worklist()) } } }, advisor);
  expect(byHash.body.errors).toBeUndefined();
  expect(byHash.body.data).toEqual(byText.body.data);
  const byDocumentId = await post({ documentId: `sha256:${sha256(worklist())}` }, advisor);
  expect(byDocumentId.body.errors).toBeUndefined();
  const adHoc = await post({ query: '{ prefecture(code: "01") { name } }' }, advisor);
  expect(adHoc.body.errors[0].extensions).toMatchObject({ code: 'FORBIDDEN', reasonJa: expect.stringContaining('信頼済み') });
  // A change of one character is another document.
  expect((await post({ query: `${worklist()} ` }, advisor)).body.errors[0].extensions.code).toBe('FORBIDDEN');
});

it('keeps ad-hoc queries for the other roles, and lets no client register a document', async () => {
  const analyst = await stack.as('ANALYST');
  const query = '{ prefecture(code: "01") { name } }';
  expect((await post({ query }, analyst)).body.data).toEqual({ prefecture: { name: '北海道' } });
  // APQ's registration (text with its hash) runs the query but registers nothing.
  const hash = sha256(query);
  expect((await post({ query, extensions: { persistedQuery: { version: 1, sha256Hash: hash } } }, analyst)).body.errors).toBeUndefined();
  const later = await post({ extensions: { persistedQuery: { version: 1, sha256Hash: hash } } }, analyst);
  expect(later.status).toBe(400);
  expect(later.body.errors[0].extensions.code).toBe('PERSISTED_QUERY_NOT_FOUND');
});

it('still serves exports to an advisor (their operations are the gateway’s own)', async () => {
  const response = await fetch(new URL('/export/worklist.csv', stack.gateway.url), { headers: await stack.as('ADVISOR', '01', sampleAdvisorSubject('01', 1)) });
  expect(response.status).toBe(200);
});

it('serves a trusted document sent by its hash alone over GET, as Apollo Client’s useGETForHashedQueries does', async () => {
  const advisor = await stack.as('ADVISOR', '01', sampleAdvisorSubject('01', 1));
  const get = async (params: Record<string, string>) => {
    const response = await fetch(new URL(`/graphql?${new URLSearchParams(params)}`, stack.gateway.url), {
      headers: { ...advisor, 'content-type': 'application/json', accept: 'application/graphql-response+json,application/json;q=0.9' },
      redirect: 'manual',
    });
    return { status: response.status, body: response.status === 302 ? undefined : await response.json() };
  };
  const byText = await post({ query: worklist() }, advisor);
  const hash = sha256(worklist());
  const byHash = await get({ extensions: JSON.stringify({ persistedQuery: { version: 1, sha256Hash: hash } }) });
  expect(byHash.status).toBe(200);
  expect(byHash.body.data).toEqual(byText.body.data);
  const byDocumentId = await get({ documentId: `sha256:${hash}` });
  expect(byDocumentId.status).toBe(200);
  expect(byDocumentId.body.data).toEqual(byText.body.data);
  // An unknown hash is named as such (not the explorer, not Apollo's "not supported").
  const unknown = await get({ extensions: JSON.stringify({ persistedQuery: { version: 1, sha256Hash: sha256('{ nothing }') } }) });
  expect(unknown.status).toBe(400);
  expect(unknown.body.errors[0].extensions.code).toBe('PERSISTED_QUERY_NOT_FOUND');
  // Hash and text together: the text is run, and still held to the manifest.
  const adHoc = await get({ query: '{ prefecture(code: "01") { name } }', extensions: JSON.stringify({ persistedQuery: { version: 1, sha256Hash: hash } }) });
  expect(adHoc.body.errors[0].extensions.code).toBe('FORBIDDEN');
});

it('serves Apollo Client’s persisted-query link (hash alone, over GET) from the manifest: the client guide’s example', async () => {
  const sent: Array<{ method: string; url: string }> = [];
  const recording: typeof fetch = (input, init) => {
    sent.push({ method: init?.method ?? 'GET', url: String(input) });
    return fetch(input, init);
  };
  const client = createTrustedClient(new URL('/graphql', stack.gateway.url).href, await stack.as('ADVISOR', '01', sampleAdvisorSubject('01', 1)), recording);
  const { data, error } = (await client.query({ query: MUNICIPALITY_VISITS, variables: { code: '014702' } })) as { data: any; error?: unknown };
  expect(error).toBeUndefined();
  expect(data.municipality.code).toBe('014702');
  // One request: a GET naming the hash, without the text (no retry with the text was needed).
  expect(sent).toHaveLength(1);
  expect(sent[0].method).toBe('GET');
  const params = new URL(sent[0].url).searchParams;
  expect(params.get('query')).toBeNull();
  expect(JSON.parse(params.get('extensions')!).persistedQuery.sha256Hash).toMatch(/^[0-9a-f]{64}$/);
});

/**
 * Trusted documents: with TRUSTED_DOCUMENTS_ROLES=ADVISOR, advisors run only the manifest's operations
 * (by text or by hash alone); other roles keep ad-hoc queries; no client can add a document (APQ is off).
 */
import { savedOperations } from '../../gateway/explorer/explorer';
import { sha256 } from '../../gateway/trusted-documents';
import { sampleAdvisorSubject } from '../../subgraphs/dispatch/sample/generate';
import { startTestStack } from '../helpers/stack';

let stack: Awaited<ReturnType<typeof startTestStack>>;
beforeAll(async () => {
  stack = await startTestStack({ TRUSTED_DOCUMENTS_ROLES: 'ADVISOR' });
});
afterAll(() => stack?.stop());

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

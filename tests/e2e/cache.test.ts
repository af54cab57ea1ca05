/**
 * Answers kept until their data changes (gateway/answer-cache.ts, shared/data-version.ts): a repeated
 * read costs the subgraphs nothing; a write, an import over HTTP, a change made straight in the
 * database and a write through another gateway replica are all seen by the next read; answers are
 * shared within an authorization scope only when they hold no free text, never with notes.
 */
import { readFileSync } from 'node:fs';
import { Client } from 'pg';
import { SAVED_QUESTIONS_MANIFEST, loadGatewayConfig } from '../../shared/config';
import { readCsv, writeCsv } from '../../shared/csv';
import { addDays, todayInJapan } from '../../shared/dates';
import { savedOperations } from '../../gateway/explorer/explorer';
import { startGateway } from '../../gateway/gateway';
import { SAMPLE_FILES } from '../../subgraphs/support-centers/sample/generate';
import { GATEWAY_SECRET_HEADER } from '../../shared/context';
import { DATA_VERSION_PATH } from '../../shared/data-version';
import { postGraphQL, startTestStack } from '../helpers/stack';

let stack: Awaited<ReturnType<typeof startTestStack>>;
beforeAll(async () => {
  stack = await startTestStack();
});
afterAll(() => stack?.stop());

/** SQL statements each subgraph ran while `run` ran. */
async function statementsDuring<T>(run: () => Promise<T>) {
  const subgraphs = { municipalities: stack.municipalities, supportCenters: stack.supportCenters, dispatch: stack.dispatch };
  const before = Object.fromEntries(Object.entries(subgraphs).map(([name, s]) => [name, s.sql.statements.length]));
  const result = await run();
  const counts = Object.fromEntries(Object.entries(subgraphs).map(([name, s]) => [name, s.sql.statements.length - before[name]]));
  return { result, counts, total: Object.values(counts).reduce((a, b) => a + b, 0) };
}

const REFERENCE = `query Towns($p: ID!) { prefecture(code: $p) { name municipalities { code name population } } }`;

it('a repeated read is answered from what was kept: the same answer, no SQL; shared with a colleague of the same role and prefecture only', async () => {
  const advisor = await stack.as('ADVISOR', '02', 'advisor-aomori');
  const first = await statementsDuring(() => stack.query(REFERENCE, { p: '02' }, advisor));
  expect(first.result.body.errors).toBeUndefined();
  expect(first.result.headers.get('cache-control')).toMatch(/^max-age=([1-9]\d*), private$/);
  // A browser keeps it per token and media type (a shared PC must not hand it to the next person's token).
  expect(first.result.headers.get('vary')).toBe('origin, authorization, accept');
  expect(first.counts.municipalities).toBeGreaterThan(0);

  const again = await statementsDuring(() => stack.query(REFERENCE, { p: '02' }, advisor));
  expect(again.result.body).toEqual(first.result.body);
  expect(again.result.headers.get('cache-control')).toBe(first.result.headers.get('cache-control'));
  expect(again.result.headers.get('vary')).toBe('origin, authorization, accept');
  expect(again.total).toBe(0);
  // A caller who asks for a fresh answer gets one read anew.
  const fresh = await statementsDuring(() => stack.query(REFERENCE, { p: '02' }, { ...advisor, 'cache-control': 'no-cache' }));
  expect(fresh.result.body).toEqual(first.result.body);
  expect(fresh.counts.municipalities).toBe(first.counts.municipalities);

  // A colleague: the same authorization scope, no free text in the answer — shared. Their first sign-in is
  // looked up once in the advisor registry (gateway/advisor-sign-ins.ts); the answer itself costs nothing.
  const colleagueHeaders = await stack.as('ADVISOR', '02', 'advisor-aomori-2');
  const colleague = await statementsDuring(async () => stack.query(REFERENCE, { p: '02' }, colleagueHeaders));
  expect(colleague.result.body).toEqual(first.result.body);
  expect(colleague.counts).toEqual({ municipalities: 0, supportCenters: 0, dispatch: 1 });
  expect(stack.dispatch.sql.statements.at(-1)).toBe('SELECT * FROM advisor WHERE subject = $1');
  expect((await statementsDuring(async () => stack.query(REFERENCE, { p: '02' }, colleagueHeaders))).total).toBe(0);
  // Another role, another prefecture, other variables: asked afresh.
  for (const [headers, p] of [
    [await stack.as('PREFECTURE_STAFF', '02'), '02'],
    [await stack.as('ADVISOR', '03'), '02'],
    [advisor, '03'],
  ] as const) {
    const other = await statementsDuring(() => stack.query(REFERENCE, { p }, headers));
    expect(other.counts.municipalities).toBeGreaterThan(0);
  }
});

it('a recorded visit is in the very next read of an answer that was kept, through this gateway and another replica', async () => {
  const [{ id: advisorId, subject }] = await stack.dispatch.subgraph.dataSource.query(`SELECT id, subject FROM advisor WHERE prefecture_code = '01' LIMIT 1`);
  const advisor = await stack.as('ADVISOR', '01', subject);
  const replica = await startGateway(loadGatewayConfig(stack.env));
  try {
    const code = '013625'; // 上ノ国町
    const read = `query($c: ID!) { municipality(code: $c) { name population visits(first: 1) { totalCount } lastVisit { date } } }`;
    const first = await stack.query(read, { c: code }, advisor);
    expect(first.body.errors).toBeUndefined();
    expect((await postGraphQL(replica.url, read, { c: code }, advisor)).body).toEqual(first.body);
    const kept = await statementsDuring(() => Promise.all([stack.query(read, { c: code }, advisor), postGraphQL(replica.url, read, { c: code }, advisor)]));
    expect(kept.total).toBe(0); // both replicas answered from what they kept

    const record = `mutation($input: RecordVisitInput!) { recordVisit(input: $input) { id } }`;
    const input = { prefectureCode: '01', date: todayInJapan(), advisorIds: [advisorId], municipalityCodes: [code], format: 'ONLINE', purposes: ['COUNCIL'] };
    expect((await stack.query(record, { input }, advisor)).body.errors).toBeUndefined();
    const total = first.body.data!.municipality.visits.totalCount + 1;
    for (const url of [stack.gateway.url, replica.url]) {
      const after = await postGraphQL(url, read, { c: code }, advisor);
      expect(after.body.data!.municipality).toMatchObject({ lastVisit: { date: todayInJapan() }, visits: { totalCount: total } });
    }
  } finally {
    await replica.stop();
  }
});

it('an import over HTTP, and a change made straight in the database, are in the next read', async () => {
  const staff = await stack.as('PREFECTURE_STAFF', '01');
  const read = `{ coreCenters(filter: { prefectureCodes: ["01"] }, first: 100) { totalCount nodes { name } } }`;
  const first = await stack.query(read, undefined, staff);
  expect(first.body.errors).toBeUndefined();
  expect((await statementsDuring(() => stack.query(read, undefined, staff))).total).toBe(0);

  const { columns, rows } = readCsv(readFileSync(SAMPLE_FILES.coreCenters, 'utf8'));
  const csv = writeCsv(columns, [{ ...rows.find((r) => r.values.prefecture_code === '01')!.values, name: 'キャッシュ確認センター' }]);
  const imported = await fetch(new URL('/import/core-centers', stack.gateway.url), {
    method: 'POST',
    body: csv,
    headers: { ...staff, 'content-type': 'text/csv' },
  });
  expect(imported.status).toBe(200);
  const names = (response: Awaited<ReturnType<typeof stack.query>>) => response.body.data!.coreCenters.nodes.map((n: { name: string }) => n.name);
  expect(names(await stack.query(read, undefined, staff))).toContain('キャッシュ確認センター');

  // As the import command or an operator's psql would: another connection, not through any service.
  const direct = new Client({ connectionString: (stack.supportCenters.subgraph.dataSource.options as { url: string }).url });
  await direct.connect();
  try {
    await direct.query(`UPDATE core_center SET name = 'データベースで直した名前' WHERE name = 'キャッシュ確認センター'`);
  } finally {
    await direct.end();
  }
  // Committed before the read was sent, so in its answer: the subgraph counts every notification
  // committed before the gateway's version question (DataVersion.settled).
  expect(names(await stack.query(read, undefined, staff))).toContain('データベースで直した名前');
});

it('a mutation or an import refused whole, by anyone, drops no kept answer', async () => {
  const staff = await stack.as('PREFECTURE_STAFF', '01');
  const read = `{ municipality(code: "011002") { name coreCenters { id } bases { id } visits(first: 1) { totalCount } } }`;
  const first = await stack.query(read, undefined, staff);
  expect(first.body.errors).toBeUndefined();
  expect((await statementsDuring(() => stack.query(read, undefined, staff))).total).toBe(0);

  // Mutations of every subgraph, refused: not signed in, not allowed, a bad value — and a file with problems.
  const id = '00000000-0000-4000-8000-000000000000';
  const mutations = `mutation { cancelVisit(input: { id: "${id}", version: 1, reason: "x" }) { id }
    revokeApiKey(input: { id: "${id}" }) { id } closeBase(input: { id: "${id}", version: 1, closedOn: "2025-01-01" }) { id }
    closeCoreCenter(input: { id: "${id}", version: 1, closedOn: "2025-01-01" }) { id } }`;
  for (const headers of [{}, await stack.as('ANALYST'), staff]) {
    const refused = await stack.query(mutations, undefined, headers);
    expect(Object.values(refused.body.data ?? {}).every((field) => field === null)).toBe(true);
    expect(refused.body.errors!.length).toBeGreaterThan(0);
  }
  const imported = await fetch(new URL('/import/core-centers', stack.gateway.url), {
    method: 'POST',
    body: 'center_id,prefecture_code,municipality_code,name\nx,01,999999,名前\n',
    headers: { ...staff, 'content-type': 'text/csv' },
  });
  expect(imported.status).toBe(422);

  const again = await statementsDuring(() => stack.query(read, undefined, staff));
  expect(again.result.body).toEqual(first.body);
  expect(again.total).toBe(0);
});

it('free text is kept for its viewer only; an answer with notes is never kept, and every read of notes is audited', async () => {
  const advisor = await stack.as('ADVISOR', '01', 'advisor-hokkaido');
  const colleague = await stack.as('ADVISOR', '01', 'advisor-hokkaido-2');
  const [{ code }] = await stack.dispatch.subgraph.dataSource.query(
    `SELECT f.municipality_code AS code FROM follow_up f JOIN visit v ON v.id = f.visit_id WHERE f.status = 'OPEN' AND v.status <> 'CANCELLED' AND f.municipality_code LIKE '01%' LIMIT 1`,
  );
  const followUps = `query($c: ID!) { municipality(code: $c) { openFollowUps { description } } }`;
  const first = await stack.query(followUps, { c: code }, advisor);
  expect(first.body.data!.municipality.openFollowUps.length).toBeGreaterThan(0);
  expect((await statementsDuring(() => stack.query(followUps, { c: code }, advisor))).counts.dispatch).toBe(0);
  expect((await statementsDuring(() => stack.query(followUps, { c: code }, colleague))).counts.dispatch).toBeGreaterThan(0);

  const [{ id: advisorId }] = await stack.dispatch.subgraph.dataSource.query(`SELECT id FROM advisor WHERE prefecture_code = '01' LIMIT 1`);
  const record = `mutation($input: RecordVisitInput!) { recordVisit(input: $input) { id } }`;
  const input = {
    prefectureCode: '01',
    date: todayInJapan(),
    advisorIds: [advisorId],
    municipalityCodes: [code],
    format: 'ONLINE',
    purposes: ['COUNCIL'],
    notes: '面談の記録',
  };
  const { id } = (await stack.query(record, { input }, advisor)).body.data!.recordVisit;
  const notes = `query($id: ID!) { visit(id: $id) { id notes municipalities { name } } }`;
  const audited = async () =>
    Number((await stack.dispatch.subgraph.dataSource.query('SELECT count(*) AS n FROM notes_read_audit WHERE visit_id = $1', [id]))[0].n);
  const before = await audited();
  for (let i = 0; i < 2; i += 1) {
    const read = await statementsDuring(() => stack.query(notes, { id }, advisor));
    expect(read.result.body.data!.visit.notes).toEqual(expect.any(String));
    expect(read.counts.dispatch).toBeGreaterThan(0);
    // The municipalities part holds no notes: that subgraph's answer is kept, and used the second time.
    if (i > 0) expect(read.counts.municipalities).toBe(0);
  }
  expect(await audited()).toBe(before + 2);
  // The prefecture's staff see who read them, newest first, and at once after another read (never a kept answer).
  const staff = await stack.as('PREFECTURE_STAFF', '01', 'privacy-officer-01');
  const reads = `query($id: ID!) { visit(id: $id) { notesReads { reader readAt requestId } } }`;
  const earlier = (await stack.query(reads, { id }, staff)).body.data!.visit.notesReads;
  expect(earlier).toHaveLength(2);
  expect(earlier[0]).toEqual({ reader: expect.stringMatching(/^ADVISOR:/), readAt: expect.any(String), requestId: expect.any(String) });
  const third = await stack.query(notes, { id }, advisor);
  const latest = (await stack.query(reads, { id }, staff)).body.data!.visit.notesReads;
  expect(latest).toHaveLength(3);
  expect(latest[0].requestId).toBe(third.headers.get('x-request-id'));
  expect(latest[0].readAt >= earlier[0].readAt).toBe(true);
  // The advisor who read them (and any analyst) does not: null, FORBIDDEN.
  const refused = await stack.query(reads, { id }, advisor);
  expect(refused.body.data!.visit.notesReads).toBeNull();
  expect(refused.body.errors![0].extensions!.code).toBe('FORBIDDEN');
});

it("a flood of anonymous reads, each asked once, drops none of the signed-in callers' kept answers", async () => {
  // A small store, so that the flood holds many times it: 1 MB, half of it for whole answers. A flood from as many
  // addresses as it takes, each within its points a minute: from one address, the rate limit stops it first
  // (tests/e2e/rate-limit.test.ts).
  const gateway = await startGateway(
    loadGatewayConfig({ ...stack.env, GATEWAY_PORT: '0', RESPONSE_CACHE_MB: '1', RATE_LIMIT_ANONYMOUS_POINTS_PER_MINUTE: '0' }),
  );
  try {
    const advisor = await stack.as('ADVISOR', '04', 'advisor-miyagi-flood');
    const kept = await statementsDuring(() => postGraphQL(gateway.url, REFERENCE, { p: '04' }, advisor));
    expect(kept.counts.municipalities).toBeGreaterThan(0);
    // Anyone can make answers without end (other variables each time): about 3 MB of them, none asked twice.
    const page = `query($p: ID!, $n: Int!) { municipalities(filter: { prefectureCodes: [$p] }, first: $n) { nodes { code name kana population } } }`;
    let flooded = 0;
    for (let n = 20; flooded < 3 * 2 ** 20; n += 1) {
      for (const p of ['01', '13', '23', '27', '40']) {
        const { body } = await postGraphQL(gateway.url, page, { p, n });
        expect(body.errors).toBeUndefined();
        flooded += JSON.stringify(body).length;
      }
    }
    const again = await statementsDuring(() => postGraphQL(gateway.url, REFERENCE, { p: '04' }, advisor));
    expect(again.result.body).toEqual(kept.result.body);
    expect(again.total).toBe(0); // still kept: the flood dropped only its own
  } finally {
    await gateway.stop();
  }
});

it('an answer with an error is not kept', async () => {
  const outsider = await stack.as('ADVISOR', '13', 'advisor-tokyo');
  const council = `{ municipality(code: "011002") { name council { established } } }`; // 札幌市, not the advisor's prefecture
  const first = await statementsDuring(() => stack.query(council, undefined, outsider));
  expect(first.result.body.errors?.[0].extensions?.code).toBe('FORBIDDEN');
  expect(first.result.headers.get('cache-control')).toBe('no-store');
  const again = await statementsDuring(() => stack.query(council, undefined, outsider));
  expect(again.counts.municipalities).toBe(first.counts.municipalities);
});

/** A count on the gateway's /metrics: the line whose name and labels start `prefix` and hold `label`. */
async function gatewayCount(prefix: string, label: string): Promise<number> {
  const metrics = await (await fetch(new URL('/metrics', stack.gateway.url))).text();
  const line = metrics.split('\n').find((l) => l.startsWith(prefix) && l.includes(label));
  return Number(line?.split(' ').pop() ?? 0);
}

it('a kept answer is handed out before Apollo Server (the short path) as Apollo Server sends it; what it cannot serve goes on to Apollo Server', async () => {
  const staff = await stack.as('PREFECTURE_STAFF', '05', 'staff-akita');
  const body = JSON.stringify({ query: REFERENCE, variables: { p: '05' } });
  const post = (headers: Record<string, string> = {}) =>
    fetch(stack.gateway.url, { method: 'POST', headers: { 'content-type': 'application/json', ...staff, ...headers }, body });
  const used = () =>
    Promise.all([
      gatewayCount('gateway_answers_kept_total{', 'how="used",path="short"'),
      gatewayCount('gateway_answers_kept_total{', 'how="used",path="apollo"'),
    ]);

  const first = await post(); // read and kept
  const firstText = await first.text();
  const [short0, apollo0] = await used();
  const again = await statementsDuring(() => post());
  const [short1, apollo1] = await used();
  expect([short1 - short0, apollo1 - apollo0]).toEqual([1, 0]);
  expect(again.total).toBe(0);
  // Byte for byte Apollo Server's body, and its headers.
  expect(await again.result.text()).toBe(firstText);
  for (const header of ['content-type', 'content-length', 'vary']) expect(again.result.headers.get(header)).toBe(first.headers.get(header));
  expect(again.result.headers.get('cache-control')).toMatch(/^max-age=[1-9]\d*, private$/);
  expect(again.result.headers.get('x-request-id')).toMatch(/^[\w-]{8,}$/);
  expect((await post({ 'x-request-id': 'short-path-1' })).headers.get('x-request-id')).toBe('short-path-1');
  // The other media type Apollo Server offers, chosen as it does.
  const graphqlResponse = await post({ accept: 'application/graphql-response+json' });
  expect(graphqlResponse.headers.get('content-type')).toBe('application/graphql-response+json; charset=utf-8');
  expect(await graphqlResponse.text()).toBe(firstText);
  const [short2, apollo2] = await used();
  expect([short2 - short1, apollo2 - apollo1]).toEqual([2, 0]);

  // A trusted document sent by its hash alone (as a front end built with the manifest sends it).
  const [hash, text] = Object.entries(JSON.parse(readFileSync(SAVED_QUESTIONS_MANIFEST, 'utf8')) as Record<string, string>).find(([, t]) =>
    t.includes('query PrefecturalPrograms'),
  )!;
  const byHash = () =>
    fetch(stack.gateway.url, {
      method: 'POST',
      headers: { 'content-type': 'application/json', ...staff },
      body: JSON.stringify({ documentId: `sha256:${hash.replace(/^sha256:/, '')}` }),
    });
  const firstByHash = await byHash();
  expect(firstByHash.status).toBe(200);
  const firstByHashText = await firstByHash.text();
  expect(JSON.parse(firstByHashText).data).toBeDefined();
  expect(text).toContain('PrefecturalPrograms');
  const [short2b] = await used();
  expect(await (await byHash()).text()).toBe(firstByHashText);
  expect((await used())[0] - short2b).toBe(1);

  const [short2c, apollo2c] = await used();
  // GET, and an Accept that only Apollo Server answers (406): Apollo Server, with its own checks and answers.
  const get = await fetch(`${stack.gateway.url}?query=${encodeURIComponent(REFERENCE)}&variables=${encodeURIComponent('{"p":"05"}')}`, {
    headers: { ...staff, 'apollo-require-preflight': 'true' },
  });
  expect(await get.text()).toBe(firstText);
  const notAcceptable = await post({ accept: 'text/html' });
  expect(notAcceptable.status).toBe(406);
  // A token that is not valid is refused as ever, although an answer for the same question is kept.
  const forged = await post({ authorization: `${staff.authorization}x` });
  expect(forged.status).toBe(401);
  expect(((await forged.json()) as { errors: Array<{ extensions: { code: string } }> }).errors[0].extensions.code).toBe('UNAUTHENTICATED');
  const [short3, apollo3] = await used();
  expect([short3 - short2c, apollo3 - apollo2c]).toEqual([0, 2]); // GET, and the 406 (Apollo Server refuses the type after the operation)

  // The request log has a line for a short-path request as for any other, without the variables.
  const line = stack.logLines.map((l) => JSON.parse(l) as Record<string, unknown>).find((l) => l.requestId === 'short-path-1');
  expect(line).toMatchObject({ msg: 'request', operationName: 'Towns', role: 'PREFECTURE_STAFF', subgraphFetches: 0, errorCodes: [] });
  expect(JSON.stringify(line)).not.toContain('"05"');
});

it('counts what it kept and used in the gateway metrics', async () => {
  const metrics = await (await fetch(new URL('/metrics', stack.gateway.url))).text();
  const count = (prefix: string, label: string) =>
    Number(
      metrics
        .split('\n')
        .find((line) => line.startsWith(prefix) && line.includes(label))
        ?.split(' ')
        .pop(),
    );
  expect(count('gateway_answers_kept_total{', 'how="used"')).toBeGreaterThanOrEqual(4);
  expect(count('gateway_answers_kept_total{', 'how="stale"')).toBeGreaterThanOrEqual(1);
  expect(count('gateway_subgraph_fetches_shared_total{', 'how="cached"')).toBeGreaterThanOrEqual(1);
});

it('no read moves a data version: saved questions, notes and their audit, API keys, exports and import files, by every kind of caller', async () => {
  const { gatewaySecret } = loadGatewayConfig(stack.env);
  const subgraphs = [stack.municipalities, stack.supportCenters, stack.bases, stack.dispatch];
  const versions = () =>
    Promise.all(
      subgraphs.map(async ({ subgraph }) => {
        const asked = await fetch(new URL(DATA_VERSION_PATH, subgraph.url), { headers: { [GATEWAY_SECRET_HEADER]: gatewaySecret } });
        return ((await asked.json()) as { version: string }).version;
      }),
    );
  const staff = await stack.as('PREFECTURE_STAFF', '01', 'staff-01-reads');
  const issued = await stack.query(
    'mutation($i: IssueApiKeyInput!) { issueApiKey(input: $i) { key } }',
    { i: { name: '読むだけ', scope: 'PREFECTURE', prefectureCode: '01', expiresOn: addDays(todayInJapan(), 30) } },
    staff,
  );
  const callers = [
    {},
    stack.asAdmin,
    staff,
    await stack.as('ADVISOR', '01', 'advisor-01-reads'),
    await stack.as('ANALYST'),
    { 'x-api-key': issued.body.data!.issueApiKey.key },
  ];
  const [visit] = await stack.dispatch.subgraph.dataSource.query(`SELECT id FROM visit WHERE prefecture_code = '01' LIMIT 1`);
  const reads = [
    ...savedOperations().map((o) => o.query),
    `{ visit(id: "${visit.id}") { notes summary notesReads { reader } } prefecture(code: "01") { notesReads(first: 5) { nodes { reader } } } apiKeys { lastUsedAt } }`,
  ];
  const before = await versions();
  for (const headers of callers) {
    for (const read of reads) await stack.query(read, undefined, headers);
    for (const path of [
      '/export/municipality-status.csv',
      '/export/visits.csv',
      '/export/notes-reads.csv?prefecture=01',
      '/import/visits.csv',
      '/import/advisors.xlsx',
    ]) {
      await (await fetch(new URL(path, stack.gateway.url), { headers })).arrayBuffer();
    }
  }
  expect(await versions()).toEqual(before);
});

it("answers the gateway's version question before express, and only the gateway's", async () => {
  const { gatewaySecret } = loadGatewayConfig(stack.env);
  const url = new URL(DATA_VERSION_PATH, stack.dispatch.subgraph.url);
  const asked = await fetch(url, { headers: { [GATEWAY_SECRET_HEADER]: gatewaySecret } });
  expect(asked.status).toBe(200);
  expect(asked.headers.get('cache-control')).toBe('no-store');
  const { version } = (await asked.json()) as { version: string };
  expect(version).toMatch(/^[\w-]+\.\d+$/);
  // The same while nothing changes (a write moving it is in the tests above: every kept answer asks it).
  const again = (await (await fetch(url, { headers: { [GATEWAY_SECRET_HEADER]: gatewaySecret } })).json()) as { version: string };
  expect(again.version).toBe(version);
  for (const secret of [undefined, 'guess']) {
    const refused = await fetch(url, { headers: secret ? { [GATEWAY_SECRET_HEADER]: secret } : {} });
    expect(refused.status).toBe(401);
    const body = (await refused.json()) as { errors: { extensions: { code: string; messageJa: string } }[] };
    expect(body.errors[0].extensions).toMatchObject({ code: 'UNAUTHENTICATED', messageJa: expect.stringMatching(/ゲートウェイ/) });
  }
  // Counted on the subgraph's /metrics.
  const metrics = await (await fetch(new URL('/metrics', stack.dispatch.subgraph.url))).text();
  expect(Number(metrics.match(/^data_version_questions_total(?:\{[^}]*\})? (\d+)/m)?.[1])).toBeGreaterThanOrEqual(4);
});

/**
 * Class 3 — an idempotent replay is authorized like the first request. Keys belong to their actor,
 * the whole payload is hashed, and a stored answer goes only to whoever may write that record now.
 */
import { startTestStack } from '../helpers/stack';
import { SAMPLE_UNTIL } from '../../subgraphs/dispatch/sample/generate';
import { IDEMPOTENCY_KEY_DAYS } from '../../shared/write-path';

let stack: Awaited<ReturnType<typeof startTestStack>>;
let visit: { id: string; version: number };
let advisorId: string;
const ADVISOR_SUBJECT = 'sample-advisor-01-1';
beforeAll(async () => {
  stack = await startTestStack();
  const db = stack.dispatch.subgraph.dataSource;
  [{ id: advisorId }] = await db.query('SELECT id FROM advisor WHERE subject = $1', [ADVISOR_SUBJECT]);
  [visit] = await db.query(
    "SELECT v.id, v.version FROM visit v JOIN visit_advisor a ON a.visit_id = v.id WHERE a.advisor_id = $1 AND v.status = 'ACTIVE' AND v.visited_on <= $2 ORDER BY v.visited_on DESC LIMIT 1",
    [advisorId, SAMPLE_UNTIL], // a visit of the fixed log: the dates below come after it
  );
});
afterAll(() => stack?.stop());

const UPDATE = `mutation($id: ID!, $v: Int!, $key: String) { updateVisit(id: $id, version: $v, idempotencyKey: $key, input: { topics: ["共同設置の協議"] }) {
  id topics advisors { name } followUps { id } } }`;

it("gives an anonymous or foreign replay of an advisor's updateVisit FORBIDDEN or UNAUTHENTICATED and no data", async () => {
  const variables = { id: visit.id, v: visit.version, key: 'tablet-replay-0001' };
  const first = await stack.query(UPDATE, variables, await stack.as('ADVISOR', '01', ADVISOR_SUBJECT));
  expect(first.body.errors).toBeUndefined();
  for (const [headers, code] of [
    [{}, 'UNAUTHENTICATED'],
    [await stack.as('ADVISOR', '13', 'sample-advisor-13-1'), 'FORBIDDEN'],
    [await stack.as('PREFECTURE_STAFF', '01', 'staff-01'), 'FORBIDDEN'],
    [await stack.as('ANALYST'), 'FORBIDDEN'],
  ] as const) {
    const replay = await stack.query(UPDATE, variables, headers);
    expect(replay.body.errors![0].extensions!.code).toBe(code);
    expect(replay.body.data?.updateVisit ?? null).toBeNull();
    expect(JSON.stringify(replay.body)).not.toContain('共同設置');
  }
  // The advisor's own replay returns the first answer without writing again.
  const again = await stack.query(UPDATE, variables, await stack.as('ADVISOR', '01', ADVISOR_SUBJECT));
  expect(again.body.data).toEqual(first.body.data);
  const [{ count }] = await stack.dispatch.subgraph.dataSource.query(
    "SELECT count(*)::int AS count FROM history WHERE entity_id = $1 AND action = 'updateVisit'",
    [visit.id],
  );
  expect(count).toBe(1);
});

it('replays a core center update anonymously as UNAUTHENTICATED, without the center', async () => {
  const [center] = await stack.supportCenters.subgraph.dataSource.query("SELECT id, version FROM core_center WHERE prefecture_code = '01' ORDER BY id LIMIT 1");
  const update =
    'mutation($id: ID!, $v: Int!) { updateCoreCenter(id: $id, version: $v, idempotencyKey: "center-replay-0001", input: { staff: { specialists: 3 } }) { id name operatorName } }';
  const first = await stack.query(update, { id: center.id, v: center.version }, await stack.as('PREFECTURE_STAFF', '01', 'staff-01'));
  expect(first.body.errors).toBeUndefined();
  const anonymous = await stack.query(update, { id: center.id, v: center.version }, {});
  expect(anonymous.body.errors![0].extensions!.code).toBe('UNAUTHENTICATED');
  expect(anonymous.body.data?.updateCoreCenter ?? null).toBeNull();
});

it("scopes keys to their actor: one prefecture's key never blocks another's write", async () => {
  const create = (prefectureCode: string, code: string) =>
    `mutation { createBase(idempotencyKey: "the-same-key-everywhere", input: { prefectureCode: "${prefectureCode}", name: "拠点 ${code}", model: NETWORKED,
      municipalityCodes: ["${code}"], establishedOn: "2024-04-01", functions: [CONSULTATION], emergencyPreregistrations: 0 }) { id name } }`;
  const hokkaido = await stack.query(create('01', '011002'), undefined, await stack.as('PREFECTURE_STAFF', '01', 'staff-01'));
  const tokyo = await stack.query(create('13', '131016'), undefined, await stack.as('PREFECTURE_STAFF', '13', 'staff-13'));
  expect(hokkaido.body.errors).toBeUndefined();
  expect(tokyo.body.errors).toBeUndefined();
  expect(tokyo.body.data!.createBase.id).not.toBe(hokkaido.body.data!.createBase.id);
});

it('hashes the whole payload: the same key with another completedOn is CONFLICT, not the first answer', async () => {
  const advisor = await stack.as('ADVISOR', '01', ADVISOR_SUBJECT);
  const created = await stack.query(
    `mutation($v: ID!) { createFollowUp(visitId: $v, idempotencyKey: "follow-up-create-01", input: { municipalityCode: "${await visitMunicipality()}", description: "資料送付", ownerKind: ADVISOR, ownerAdvisorId: "${advisorId}", dueOn: "2026-12-31" }) { id version } }`,
    { v: visit.id },
    advisor,
  );
  expect(created.body.errors).toBeUndefined();
  const { id, version } = created.body.data!.createFollowUp;
  const complete = (completedOn: string) =>
    stack.query(
      `mutation { completeFollowUp(id: "${id}", version: ${version}, completedOn: "${completedOn}", idempotencyKey: "follow-up-done-01") { completedOn } }`,
      undefined,
      advisor,
    );
  expect((await complete('2026-01-10')).body.data!.completeFollowUp.completedOn).toBe('2026-01-10');
  expect((await complete('2026-01-10')).body.data!.completeFollowUp.completedOn).toBe('2026-01-10'); // a true replay
  expect((await complete('2026-02-20')).body.errors![0].extensions!.code).toBe('CONFLICT');
});

async function visitMunicipality(): Promise<string> {
  const [{ code }] = await stack.dispatch.subgraph.dataSource.query('SELECT municipality_code AS code FROM visit_municipality WHERE visit_id = $1 LIMIT 1', [
    visit.id,
  ]);
  return code.trim();
}

it('takes an idempotency key on recordAssessment, createRequest and updateRequest, and replays them', async () => {
  const advisor = await stack.as('ADVISOR', '01', ADVISOR_SUBJECT);
  const code = await visitMunicipality();
  const request = `mutation { createRequest(idempotencyKey: "request-create-01", input: { municipalityCode: "${code}", summary: "研修の開催", raisedOn: "2025-06-01" }) { id version } }`;
  const first = await stack.query(request, undefined, advisor);
  expect(first.body.errors).toBeUndefined();
  expect((await stack.query(request, undefined, advisor)).body.data).toEqual(first.body.data);
  const { id, version } = first.body.data!.createRequest;
  const update = `mutation { updateRequest(id: "${id}", version: ${version}, idempotencyKey: "request-update-01", input: { status: ANSWERED, response: "対応します" }) { version } }`;
  const updated = await stack.query(update, undefined, advisor);
  expect(updated.body.data).toEqual({ updateRequest: { version: version + 1 } });
  expect((await stack.query(update, undefined, advisor)).body.data).toEqual({ updateRequest: { version: version + 1 } });
  const items: Array<{ item_id: string }> = await stack.dispatch.subgraph.dataSource.query(
    "SELECT item_id FROM checklist_item WHERE template_id = 'council-guideline-2025' ORDER BY position",
  );
  const assessment = `mutation($i: RecordAssessmentInput!) { recordAssessment(idempotencyKey: "assessment-01", input: $i) { id metCount } }`;
  const input = {
    templateId: 'council-guideline-2025',
    municipalityCode: code,
    assessedOn: '2025-06-02',
    results: items.map((i) => ({ itemId: i.item_id, result: 'MET' })),
  };
  const recorded = await stack.query(assessment, { i: input }, advisor);
  expect(recorded.body.errors).toBeUndefined();
  expect((await stack.query(assessment, { i: input }, advisor)).body.data).toEqual(recorded.body.data);
});

it(`keeps a key ${IDEMPOTENCY_KEY_DAYS} days: used again after that it is a new request, and each write removes keys that expired`, async () => {
  const staff = await stack.as('PREFECTURE_STAFF', '01', 'staff-01');
  const db = stack.bases.subgraph.dataSource;
  const create = `mutation { createBase(idempotencyKey: "base-key-kept-30-days", input: { prefectureCode: "01", name: "拠点 期限の確認", model: NETWORKED,
    municipalityCodes: ["011002"], establishedOn: "2024-04-01", functions: [CONSULTATION], emergencyPreregistrations: 0 }) { id } }`;
  const first = await stack.query(create, undefined, staff);
  expect((await stack.query(create, undefined, staff)).body.data).toEqual(first.body.data); // within the period: the first answer
  // Thirty-one days on (the key's row made older), with others' keys that expired too.
  await db.query(`UPDATE idempotency_key SET created_at = now() - interval '31 days' WHERE key = 'base-key-kept-30-days'`);
  await db.query(
    `INSERT INTO idempotency_key (actor, key, operation, request_hash, entity_id, prefecture_code, created_at)
     SELECT 'PREFECTURE_STAFF:someone-' || n, 'old-key-' || n, 'createBase', 'x', gen_random_uuid(), '01', now() - interval '40 days' FROM generate_series(1, 5) n`,
  );
  const later = await stack.query(create, undefined, staff);
  expect(later.body.errors).toBeUndefined();
  expect(later.body.data!.createBase.id).not.toBe(first.body.data!.createBase.id);
  const keys = await db.query(
    `SELECT key, created_at > now() - interval '1 day' AS fresh FROM idempotency_key WHERE key LIKE 'old-key-%' OR key = 'base-key-kept-30-days'`,
  );
  expect(keys).toEqual([{ key: 'base-key-kept-30-days', fresh: true }]);
  // And from now on the key answers the later write.
  expect((await stack.query(create, undefined, staff)).body.data).toEqual(later.body.data);
});

/**
 * The advisor registry on real data (SAMPLE_DATA=false): prefectural staff register advisors and link
 * sign-in subjects; a linked advisor records and edits visits without naming itself; the rules hold.
 */
import { importAdvisors } from '../../subgraphs/dispatch/import';
import { startTestStack } from '../helpers/stack';

let stack: Awaited<ReturnType<typeof startTestStack>>;
beforeAll(async () => {
  stack = await startTestStack({ SAMPLE_DATA: 'false' });
});
afterAll(() => stack?.stop());

const CREATE = `mutation($i: CreateAdvisorInput!, $k: String) { createAdvisor(input: $i, idempotencyKey: $k) { id name subject version active prefecture { code } } }`;
const RECORD = `mutation($i: RecordVisitInput!) { recordVisit(input: $i) { id version advisors { id name } } }`;
const visitInput = (extra: Record<string, unknown> = {}) => ({
  prefectureCode: '01',
  date: '2026-06-01',
  municipalityCodes: ['014702'],
  format: 'ON_SITE',
  purposes: ['CORE_CENTER'],
  ...extra,
});

it('lets staff register an advisor and link a subject, whose token then records and edits visits without naming itself', async () => {
  const staff = await stack.as('PREFECTURE_STAFF', '01', 'staff-01');
  const created = await stack.query(
    CREATE,
    {
      i: {
        prefectureCode: '01',
        name: '北海 花子',
        affiliation: '○○基幹相談支援センター',
        qualifications: ['主任相談支援専門員'],
        activeFrom: '2026-04-01',
        subject: 'idp|hanako',
      },
      k: 'advisor-create-0001',
    },
    staff,
  );
  expect(created.body.errors).toBeUndefined();
  const advisor = created.body.data!.createAdvisor;
  expect(advisor).toMatchObject({ name: '北海 花子', subject: 'idp|hanako', version: 1, active: true, prefecture: { code: '01' } });

  const hanako = await stack.as('ADVISOR', '01', 'idp|hanako');
  expect((await stack.query('{ currentAdvisor { id name } }', undefined, hanako)).body.data).toEqual({ currentAdvisor: { id: advisor.id, name: '北海 花子' } });
  const recorded = await stack.query(RECORD, { i: visitInput() }, hanako);
  expect(recorded.body.errors).toBeUndefined();
  const visit = recorded.body.data!.recordVisit;
  expect(visit.advisors).toEqual([{ id: advisor.id, name: '北海 花子' }]);

  const update = `mutation($id: ID!, $v: Int!) { updateVisit(id: $id, version: $v, input: { summary: "共同設置の協議" }) { version } }`;
  expect((await stack.query(update, { id: visit.id, v: visit.version }, hanako)).body.data).toEqual({ updateVisit: { version: 2 } });

  // Another advisor of the prefecture, linked to another subject, may not edit a visit it did not take part in.
  const other = await stack.query(CREATE, { i: { prefectureCode: '01', name: '札幌 太郎', activeFrom: '2026-04-01', subject: 'idp|taro' } }, staff);
  expect(other.body.errors).toBeUndefined();
  const taro = await stack.as('ADVISOR', '01', 'idp|taro');
  expect((await stack.query(update, { id: visit.id, v: 2 }, taro)).body.errors![0].extensions!.code).toBe('FORBIDDEN');

  // The visit is in the municipality's log and on the worklist.
  const seen = await stack.query(
    '{ municipality(code: "014702") { visits(first: 5) { nodes { id } } lastVisit { id date } } prefecture(code: "01") { advisorWorklist(filter: { populationBelow: 700 }) { municipality { code } lastVisit { id } } } }',
    undefined,
    staff,
  );
  expect(seen.body.errors).toBeUndefined();
  expect(seen.body.data!.municipality.visits.nodes).toEqual([{ id: visit.id }]);
  expect(seen.body.data!.municipality.lastVisit).toEqual({ id: visit.id, date: '2026-06-01' });
  const row = seen.body.data!.prefecture.advisorWorklist.find((w: { municipality: { code: string } }) => w.municipality.code === '014702');
  expect(row?.lastVisit ?? null).toEqual({ id: visit.id });
});

it('refuses a token linked to no advisor, a subject linked twice, other roles and other prefectures', async () => {
  const staff = await stack.as('PREFECTURE_STAFF', '01', 'staff-01');
  const unlinked = await stack.query(RECORD, { i: visitInput() }, await stack.as('ADVISOR', '01', 'idp|nobody'));
  expect(unlinked.body.errors![0].extensions).toMatchObject({ code: 'BAD_USER_INPUT', argument: 'input.advisorIds' });
  // The advisor the sign-in is linked to cannot be on the visit (not active on its date), and no advisors given: the
  // problem is named on advisorIds, which the caller can give, saying the advisor came from the sign-in (not advisorIds[0]).
  const beforeTerm = await stack.query(RECORD, { i: visitInput({ date: '2026-03-15' }) }, await stack.as('ADVISOR', '01', 'idp|hanako'));
  expect(beforeTerm.body.errors![0].extensions).toMatchObject({
    code: 'BAD_USER_INPUT',
    argument: 'input.advisorIds',
    reason: expect.stringContaining('the advisor your sign-in is linked to cannot be on this visit (advisor 北海 花子 was not active on 2026-03-15'),
    reasonJa: expect.stringContaining('このサインインに紐付くアドバイザー'),
  });
  // Linked to an advisor of another prefecture (a token of 13 for hanako of 01): the registry outranks the token,
  // and the sign-in is refused whole (tests/security/12-registry-sign-ins.test.ts has the class).
  const elsewhere = await stack.query(
    RECORD,
    { i: visitInput({ prefectureCode: '13', municipalityCodes: ['131016'] }) },
    await stack.as('ADVISOR', '13', 'idp|hanako'),
  );
  expect(elsewhere.status).toBe(403);
  expect(elsewhere.body.errors![0].extensions).toMatchObject({ code: 'FORBIDDEN', reason: expect.stringContaining('an advisor of prefecture 01') });
  const twice = await stack.query(CREATE, { i: { prefectureCode: '01', name: '重複', activeFrom: '2026-04-01', subject: 'idp|hanako' } }, staff);
  expect(twice.body.errors![0].extensions!.code).toBe('CONFLICT');
  const tokyoStaff = await stack.query(
    CREATE,
    { i: { prefectureCode: '01', name: '越境', activeFrom: '2026-04-01' } },
    await stack.as('PREFECTURE_STAFF', '13'),
  );
  expect(tokyoStaff.body.errors![0].extensions!.code).toBe('FORBIDDEN');
  const byAdvisor = await stack.query(
    CREATE,
    { i: { prefectureCode: '01', name: '自称', activeFrom: '2026-04-01' } },
    await stack.as('ADVISOR', '01', 'idp|hanako'),
  );
  expect(byAdvisor.body.errors![0].extensions!.code).toBe('FORBIDDEN');
  const anonymous = await stack.query(CREATE, { i: { prefectureCode: '01', name: '匿名', activeFrom: '2026-04-01' } }, {});
  expect(anonymous.body.errors![0].extensions!.code).toBe('UNAUTHENTICATED');
  // Analysts see advisors, but not their sign-in subjects.
  const analyst = await stack.query('{ advisors(prefectureCode: "01") { name subject } }', undefined, await stack.as('ANALYST'));
  expect(analyst.body.data!.advisors.every((a: { subject: unknown }) => a.subject === null)).toBe(true);
  expect(analyst.body.errors!.every((e) => e.extensions!.code === 'FORBIDDEN')).toBe(true);
});

it('gives one subject to one advisor when several are registered with it at the same moment: the others are CONFLICT', async () => {
  const staff = await stack.as('PREFECTURE_STAFF', '01', 'staff-01');
  const answers = await Promise.all(
    [1, 2, 3, 4].map((n) =>
      stack.query(CREATE, { i: { prefectureCode: '01', name: `同時 ${n}`, activeFrom: '2026-04-01', subject: 'idp|same-moment' } }, staff),
    ),
  );
  expect(answers.filter((a) => a.body.data?.createAdvisor)).toHaveLength(1);
  expect(answers.flatMap((a) => a.body.errors ?? []).map((e) => e.extensions!.code)).toEqual(['CONFLICT', 'CONFLICT', 'CONFLICT']);
});

it('deactivates, unlinks and relinks with version checks, keeping the advisor on past visits', async () => {
  const staff = await stack.as('PREFECTURE_STAFF', '01', 'staff-01');
  const [{ id, version }] = await stack.dispatch.subgraph.dataSource.query("SELECT id, version FROM advisor WHERE subject = 'idp|hanako'");
  const stale = await stack.query(
    `mutation { deactivateAdvisor(id: "${id}", version: ${version + 5}, activeUntil: "2026-07-01") { version } }`,
    undefined,
    staff,
  );
  expect(stale.body.errors![0].extensions!.code).toBe('CONFLICT');
  const ended = await stack.query(
    `mutation { deactivateAdvisor(id: "${id}", version: ${version}, activeUntil: "2026-07-01") { activeUntil lastDay: active(asOf: "2026-07-01") active(asOf: "2026-07-02") version } }`,
    undefined,
    staff,
  );
  // The last day of the term is included (委嘱終了日, as a prefecture writes it).
  expect(ended.body.data).toEqual({ deactivateAdvisor: { activeUntil: '2026-07-01', lastDay: true, active: false, version: version + 1 } });
  // Whose term has ended signs in for nothing: the registry outranks the token.
  const after = await stack.query(RECORD, { i: visitInput({ date: '2026-07-02' }) }, await stack.as('ADVISOR', '01', 'idp|hanako'));
  expect(after.status).toBe(403);
  expect(after.body.errors![0].extensions).toMatchObject({ code: 'FORBIDDEN', reason: expect.stringContaining('your term as an advisor') });
  const unlinked = await stack.query(`mutation { unlinkAdvisorSubject(id: "${id}", version: ${version + 1}) { subject version } }`, undefined, staff);
  expect(unlinked.body.data).toEqual({ unlinkAdvisorSubject: { subject: null, version: version + 2 } });
  const past = await stack.query('{ municipality(code: "014702") { visits(first: 5) { nodes { advisors { name } } } } }', undefined, staff);
  expect(past.body.data!.municipality.visits.nodes[0].advisors).toEqual([{ name: '北海 花子' }]);
  const history = await stack.dispatch.subgraph.dataSource.query("SELECT action FROM history WHERE entity = 'advisor' AND entity_id = $1 ORDER BY id", [id]);
  expect(history.map((h: { action: string }) => h.action)).toEqual(['createAdvisor', 'deactivateAdvisor', 'unlinkAdvisorSubject']);
});

it('stores a term of one day: the first and the last day are the same (委嘱開始日 = 委嘱終了日)', async () => {
  const staff = await stack.as('PREFECTURE_STAFF', '01', 'staff-01');
  const { body } = await stack.query(
    `mutation { createAdvisor(input: { prefectureCode: "01", name: "研修 一日", activeFrom: "2026-05-01", activeUntil: "2026-05-01" }) {
       activeUntil before: active(asOf: "2026-04-30") on: active(asOf: "2026-05-01") after: active(asOf: "2026-05-02") } }`,
    undefined,
    staff,
  );
  expect(body.errors).toBeUndefined();
  expect(body.data!.createAdvisor).toEqual({ activeUntil: '2026-05-01', before: false, on: true, after: false });
});

it('imports advisors from CSV: all or nothing, matched on advisor_id, subjects kept unique', async () => {
  const db = stack.dispatch.subgraph.dataSource;
  const header = 'advisor_id,prefecture_code,name,affiliation,qualifications,active_from,active_until,subject,sample\n';
  const file = `${header}01-ADV-001,01,旭川 一郎,△△相談支援事業所,主任相談支援専門員;社会福祉士,2025-04-01,,idp|ichiro,false\n01-ADV-002,01,函館 二郎,,,2025-04-01,,,false\n`;
  const first = await importAdvisors(db, file, { actor: 'test', prefectures: ['01'] });
  expect(first).toMatchObject({ inserted: 2, updated: 0, applied: true, problems: [] });
  expect(await importAdvisors(db, file, { actor: 'test', prefectures: ['01'] })).toMatchObject({ inserted: 0, updated: 0, unchanged: 2 });
  const bad = await importAdvisors(
    db,
    `${header}01-ADV-003,01,小樽 三郎,,,2025-04-01,2025-03-01,idp|taro,false\n13-ADV-001,13,東京 四郎,,,2025-04-01,,,false\n`,
    { actor: 'test', prefectures: ['01'] },
  );
  expect(bad.applied).toBe(false);
  expect(bad.problems.map((p) => `${p.line}:${p.column}`)).toEqual(['2:active_until', '3:']);
  const [{ count }] = await db.query("SELECT count(*)::int AS count FROM advisor WHERE external_id LIKE '%-ADV-%'");
  expect(count).toBe(2);
});

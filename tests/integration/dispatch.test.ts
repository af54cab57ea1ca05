/** The dispatch subgraph against a real PostgreSQL: writes that never lose or garble a record. */
import { ANONYMOUS, type Viewer } from '../../shared/context';
import { dispatchSubgraph } from '../../subgraphs/dispatch';
import type { DispatchLoaders } from '../../subgraphs/dispatch/data/loaders';
import { importChecklistTemplates, seedDispatch } from '../../subgraphs/dispatch/import';
import { type TestSubgraph, startTestSubgraph } from '../helpers/stack';
import { SAMPLE_UNTIL } from '../../subgraphs/dispatch/sample/generate';

let t: TestSubgraph<DispatchLoaders>;
let advisorId: string;
const ADVISOR: Viewer = { subject: 'sample-advisor-01-1', role: 'ADVISOR', prefectureCode: '01' };
beforeAll(async () => {
  t = await startTestSubgraph(dispatchSubgraph);
  [{ id: advisorId }] = await t.subgraph.dataSource.query(`SELECT id FROM advisor WHERE prefecture_code = '01' ORDER BY external_id LIMIT 1`);
});
afterAll(() => t?.subgraph.stop());

const RECORD = `mutation($input: RecordVisitInput!, $key: String) { recordVisit(input: $input, idempotencyKey: $key) { id version date purposes } }`;
const UPDATE = `mutation($id: ID!, $version: Int!, $input: UpdateVisitInput!) { updateVisit(id: $id, version: $version, input: $input) { id version summary } }`;
const input = () => ({
  prefectureCode: '01',
  date: '2025-06-01',
  advisorIds: [advisorId],
  municipalityCodes: ['014702'],
  format: 'ON_SITE',
  purposes: ['CORE_CENTER'],
  topics: ['基幹相談支援センターの設置検討'],
  summary: '設置に向けた庁内検討の進め方を助言',
  notes: '個人に関する記録（テスト）',
});

async function counts() {
  const [row] = await t.subgraph.dataSource.query(`SELECT
    (SELECT count(*) FROM visit)::int AS visits, (SELECT count(*) FROM visit_advisor)::int AS advisors,
    (SELECT count(*) FROM visit_municipality)::int AS municipalities, (SELECT count(*) FROM follow_up)::int AS follow_ups,
    (SELECT count(*) FROM history)::int AS history, (SELECT count(*) FROM idempotency_key)::int AS keys`);
  return row;
}

it('loads the sample log: the 39 prefectures of the sample program, their advisors, follow-ups in every state, the council template', async () => {
  const ds = t.subgraph.dataSource;
  const codes = async (sql: string) => (await ds.query(sql)).map((r: { prefecture_code: string }) => r.prefecture_code);
  const implementing = await codes('SELECT prefecture_code FROM prefectural_program WHERE fiscal_year = 2025 AND implemented ORDER BY 1');
  expect(implementing).toHaveLength(39);
  expect(await codes('SELECT DISTINCT prefecture_code FROM visit ORDER BY 1')).toEqual(implementing);
  expect(await codes('SELECT DISTINCT prefecture_code FROM advisor ORDER BY 1')).toEqual(implementing);
  const states = (await ds.query('SELECT DISTINCT status FROM follow_up ORDER BY 1')).map((r: { status: string }) => r.status);
  expect(states).toEqual(['DONE', 'DROPPED', 'OPEN']);
  const [{ overdue }] = await ds.query(`SELECT count(*)::int AS overdue FROM follow_up WHERE status = 'OPEN' AND due_on < '2025-10-31'`);
  expect(overdue).toBeGreaterThan(0);
  const { data } = await t.execute('{ checklistTemplates { id items { itemId section } } }');
  expect(data!.checklistTemplates).toEqual([expect.objectContaining({ id: 'council-guideline-2025' })]);
  expect(data!.checklistTemplates[0].items).toHaveLength(12);
});

it('loads a newer sample version over an older one: records it already has stay as they are, none twice', async () => {
  const ds = t.subgraph.dataSource;
  const before = await counts();
  await ds.query("UPDATE visit SET summary = '編集済み' WHERE external_id = 'S-VIS-01-1'");
  await ds.query("UPDATE data_import SET checksum = 'dispatch-sample-0' WHERE dataset = 'dispatch.sample'");
  await seedDispatch(ds, undefined, true);
  expect(await counts()).toEqual(before);
  expect(await ds.query("SELECT summary FROM visit WHERE external_id = 'S-VIS-01-1'")).toEqual([{ summary: '編集済み' }]);
});

it('records a visit once for a retried request with the same idempotency key; another payload under it is CONFLICT', async () => {
  const before = await counts();
  const first = await t.execute(RECORD, { input: input(), key: 'visit-key-000001' }, ADVISOR);
  expect(first.errors).toBeUndefined();
  const again = await t.execute(RECORD, { input: input(), key: 'visit-key-000001' }, ADVISOR);
  expect(again.data!.recordVisit.id).toBe(first.data!.recordVisit.id);
  const after = await counts();
  expect(after.visits).toBe(before.visits + 1);
  expect(after.history).toBe(before.history + 1);
  const other = await t.execute(RECORD, { input: { ...input(), summary: '別の内容' }, key: 'visit-key-000001' }, ADVISOR);
  expect(other.errors![0].extensions!.code).toBe('CONFLICT');
  expect(await counts()).toEqual(after);
});

it('lets exactly one of two concurrent updates with the same version win; the other is CONFLICT', async () => {
  const { id } = (await t.execute(RECORD, { input: input() }, ADVISOR)).data!.recordVisit;
  const results = await Promise.all(['A', 'B'].map((who) => t.execute(UPDATE, { id, version: 1, input: { summary: `更新${who}` } }, ADVISOR)));
  const codes = results.map((r) => r.errors?.[0]?.extensions?.code ?? 'OK').sort();
  expect(codes).toEqual(['CONFLICT', 'OK']);
  const winner = results.find((r) => !r.errors)!.data!.updateVisit;
  expect(winner.version).toBe(2);
  const [stored] = await t.subgraph.dataSource.query('SELECT summary, version FROM visit WHERE id = $1', [id]);
  expect(stored).toEqual({ summary: winner.summary, version: 2 });
  const history = await t.subgraph.dataSource.query('SELECT action FROM history WHERE entity_id = $1 ORDER BY id', [id]);
  expect(history.map((h: { action: string }) => h.action)).toEqual(['recordVisit', 'updateVisit']);
});

it.each([
  ['a date in the future', { date: '2999-01-01' }, 'input.date'],
  ['no purpose', { purposes: [] }, 'input.purposes'],
  ['no municipality', { municipalityCodes: [] }, 'input.municipalityCodes'],
  ['a municipality of another prefecture', { municipalityCodes: ['131016'] }, 'input.municipalityCodes[0]'],
  ['a bad check digit', { municipalityCodes: ['014703'] }, 'input.municipalityCodes[0]'],
  ['an unknown advisor', { advisorIds: ['00000000-0000-4000-8000-000000000000'] }, 'input.advisorIds[0]'],
])('refuses %s with BAD_USER_INPUT and leaves no row behind', async (_case, change, argument) => {
  const before = await counts();
  const { errors } = await t.execute(RECORD, { input: { ...input(), ...change }, key: `bad-${argument}-${Date.now()}` }, ADVISOR);
  expect(errors![0].extensions).toMatchObject({ code: 'BAD_USER_INPUT', argument });
  expect(await counts()).toEqual(before);
});

it('keeps every change in the history, cancels softly, and tracks follow-ups to done', async () => {
  const { id } = (await t.execute(RECORD, { input: input() }, ADVISOR)).data!.recordVisit;
  const followUp = await t.execute(
    `mutation($id: ID!) { createFollowUp(visitId: $id, input: {municipalityCode: "014702", description: "庁内検討会を開く", ownerKind: MUNICIPALITY, dueOn: "2025-07-01"}) { id version status overdue(asOf: "2025-07-02") } }`,
    { id },
    ADVISOR,
  );
  expect(followUp.data!.createFollowUp).toMatchObject({ version: 1, status: 'OPEN', overdue: true });
  const done = await t.execute(
    'mutation($id: ID!) { completeFollowUp(id: $id, version: 1, completedOn: "2025-06-20") { status completedOn version } }',
    { id: followUp.data!.createFollowUp.id },
    ADVISOR,
  );
  expect(done.data!.completeFollowUp).toEqual({ status: 'DONE', completedOn: '2025-06-20', version: 2 });
  const cancelled = await t.execute('mutation($id: ID!) { cancelVisit(id: $id, version: 1, reason: "重複登録") { status version } }', { id }, ADVISOR);
  expect(cancelled.data!.cancelVisit).toEqual({ status: 'CANCELLED', version: 2 });
  expect((await t.subgraph.dataSource.query('SELECT count(*)::int AS n FROM visit WHERE id = $1', [id]))[0].n).toBe(1);
  const history = await t.subgraph.dataSource.query(`SELECT entity, action, actor FROM history WHERE entity_id = $1 OR entity_id = $2 ORDER BY id`, [
    id,
    followUp.data!.createFollowUp.id,
  ]);
  expect(history).toEqual([
    { entity: 'visit', action: 'recordVisit', actor: 'ADVISOR:sample-advisor-01-1' },
    { entity: 'follow_up', action: 'createFollowUp', actor: 'ADVISOR:sample-advisor-01-1' },
    { entity: 'follow_up', action: 'completeFollowUp', actor: 'ADVISOR:sample-advisor-01-1' },
    { entity: 'visit', action: 'cancelVisit', actor: 'ADVISOR:sample-advisor-01-1' },
  ]);
});

it('shows notes only to the prefecture, and refuses writes from other prefectures and anonymous callers', async () => {
  const { id } = (await t.execute(RECORD, { input: input() }, ADVISOR)).data!.recordVisit;
  const QUERY = 'query($id: ID!) { visit(id: $id) { summary notes } }';
  expect((await t.execute(QUERY, { id }, ADVISOR)).data!.visit.notes).toBe('個人に関する記録（テスト）');
  const audit = await t.subgraph.dataSource.query('SELECT reader FROM notes_read_audit WHERE visit_id = $1', [id]);
  expect(audit).toEqual([{ reader: 'ADVISOR:sample-advisor-01-1' }]);
  // An advisor of another prefecture does not see the visit at all; an analyst sees it without free text.
  const outsider = await t.execute(QUERY, { id }, { subject: 'x', role: 'ADVISOR', prefectureCode: '13' });
  expect(outsider.data!.visit).toBeNull();
  expect(outsider.errors![0].extensions!.code).toBe('FORBIDDEN');
  const analyst = await t.execute('query($id: ID!) { visit(id: $id) { date summary notes } }', { id }, { subject: 'a', role: 'ANALYST', prefectureCode: null });
  expect(analyst.data!.visit).toEqual({ date: '2025-06-01', summary: null, notes: null });
  expect(analyst.errors!.map((e) => e.extensions!.code)).toEqual(['FORBIDDEN', 'FORBIDDEN']);
  expect(await t.subgraph.dataSource.query('SELECT count(*)::int AS n FROM notes_read_audit WHERE visit_id = $1', [id])).toEqual([{ n: 1 }]);
  expect((await t.execute(RECORD, { input: input() }, ANONYMOUS)).errors![0].extensions!.code).toBe('UNAUTHENTICATED');
  expect((await t.execute(RECORD, { input: input() }, { subject: 'x', role: 'ADVISOR', prefectureCode: '13' })).errors![0].extensions!.code).toBe('FORBIDDEN');
});

it('pages visits of many municipalities with one statement, counting with one more', async () => {
  const codes = (await t.subgraph.dataSource.query('SELECT DISTINCT municipality_code AS code FROM visit_municipality ORDER BY 1 LIMIT 100')).map(
    (r: { code: string }) => r.code,
  );
  const { result, statements } = await t.sql.during(() =>
    t.execute(
      `query($r: [_Any!]!) { _entities(representations: $r) { ... on Municipality {
         visits(first: 3) { totalCount nodes { date } } lastVisit { date } openFollowUps { dueOn } latestAssessment { metCount }
         one: visits(first: 1) { pageInfo { hasNextPage } nodes { date } }
       } } }`,
      { r: codes.map((code: string) => ({ __typename: 'Municipality', code })) },
    ),
  );
  expect(result.errors).toBeUndefined();
  const first = result.data!._entities[0];
  expect(first.visits.nodes.length).toBeGreaterThan(0);
  expect(first.lastVisit.date).toBe(first.visits.nodes[0].date);
  for (const m of result.data!._entities) {
    // Pages of one, read with the pages of three, are still cut to one and know whether more follow.
    expect(m.one.nodes).toEqual(m.visits.nodes.slice(0, 1));
    expect(m.one.pageInfo.hasNextPage).toBe(m.visits.totalCount > 1);
  }
  // visit pages of every size (first 3, first 1, last visit) in one; counts; open follow-ups; latest assessments
  expect(statements).toHaveLength(4);
});

it('ties an advisor to the token subject', async () => {
  const { data } = await t.execute('{ currentAdvisor { id prefecture { code } } }', undefined, ADVISOR);
  expect(data!.currentAdvisor).toEqual({ id: advisorId, prefecture: { code: '01' } });
  expect((await t.execute('{ currentAdvisor { id } }', undefined, ANONYMOUS)).data!.currentAdvisor).toBeNull();
});

it('loads more checklist templates from CSV, all or nothing, and records an assessment of every item', async () => {
  const header = 'template_id,template_name,source,item_id,section,text\n';
  const csv = `${header}visit-check,訪問時確認,県,a,基本,担当者が決まっているか\nvisit-check,訪問時確認,県,b,基本,会議録があるか\n`;
  expect(await importChecklistTemplates(t.subgraph.dataSource, csv)).toMatchObject({ applied: true, inserted: 2 });
  expect(await importChecklistTemplates(t.subgraph.dataSource, csv)).toMatchObject({ applied: true, unchanged: 2 });
  const bad = await importChecklistTemplates(
    t.subgraph.dataSource,
    `${header}Bad Id,x,y,a,s,t\nvisit-check,訪問時確認,県,a,基本,重複\nvisit-check,訪問時確認,県,a,基本,重複\n`,
  );
  expect(bad.applied).toBe(false);
  expect(bad.problems.map((p) => [p.line, p.column])).toEqual([
    [2, 'template_id'],
    [4, 'item_id'],
  ]);

  const RECORD_ASSESSMENT = `mutation($results: [AssessmentItemInput!]!) { recordAssessment(input: {templateId: "visit-check",
    municipalityCode: "014702", assessedOn: "2025-06-01", results: $results}) { metCount notMetCount } }`;
  const partial = await t.execute(RECORD_ASSESSMENT, { results: [{ itemId: 'a', result: 'MET' }] }, ADVISOR);
  expect(partial.errors![0].extensions).toMatchObject({ code: 'BAD_USER_INPUT', argument: 'input.results' });
  const full = await t.execute(
    RECORD_ASSESSMENT,
    {
      results: [
        { itemId: 'a', result: 'MET' },
        { itemId: 'b', result: 'NOT_MET' },
      ],
    },
    ADVISOR,
  );
  expect(full.data!.recordAssessment).toEqual({ metCount: 1, notMetCount: 1 });
  const latest = await t.execute(
    'query($r: [_Any!]!) { _entities(representations: $r) { ... on Municipality { latestAssessment(templateId: "visit-check") { assessedOn metCount } } } }',
    { r: [{ __typename: 'Municipality', code: '014702' }] },
  );
  expect(latest.data!._entities[0].latestAssessment).toEqual({ assessedOn: '2025-06-01', metCount: 1 });

  // Four identical assessments at the same moment (each checks there is none, then inserts): one is
  // recorded, the others are told it exists — the write path runs a write that met another again.
  const results = [
    { itemId: 'a', result: 'MET' },
    { itemId: 'b', result: 'MET' },
  ];
  const race = RECORD_ASSESSMENT.replace('2025-06-01', '2025-06-02');
  const answers = await Promise.all([1, 2, 3, 4].map(() => t.execute(race, { results }, ADVISOR)));
  expect(answers.filter((a) => a.data?.recordAssessment)).toHaveLength(1);
  expect(answers.flatMap((a) => a.errors ?? []).map((e) => [e.extensions?.code, e.extensions?.argument])).toEqual(
    Array.from({ length: 3 }, () => ['BAD_USER_INPUT', 'input.assessedOn']),
  );
});

it('keeps a municipality’s newest visits and count right through date changes and cancellation', async () => {
  // A municipality the living sample has not visited since the fixed log ended, so the dates below are its
  // newest; counts are relative to what is there.
  const [{ code }] = await t.subgraph.dataSource.query(
    `SELECT m.code FROM (SELECT DISTINCT municipality_code AS code FROM visit_municipality) m
     WHERE m.code LIKE '01%' AND NOT EXISTS (SELECT 1 FROM visit_municipality vm JOIN visit v ON v.id = vm.visit_id
       WHERE vm.municipality_code = m.code AND v.visited_on > $1) ORDER BY 1 LIMIT 1`,
    [SAMPLE_UNTIL],
  );
  const PAGE = `query($r: [_Any!]!) { _entities(representations: $r) { ... on Municipality {
    visits(first: 2) { totalCount nodes { id date } } lastVisit { id } } } }`;
  const page = async () => (await t.execute(PAGE, { r: [{ __typename: 'Municipality', code }] })).data!._entities[0];
  const record = async (date: string) =>
    (await t.execute(RECORD, { input: { ...input(), municipalityCodes: [code], date } }, ADVISOR)).data!.recordVisit.id as string;
  const base = (await page()).visits.totalCount as number;
  const older = await record('2026-01-05');
  const newer = await record('2026-01-20');
  expect(await page()).toEqual({
    visits: {
      totalCount: base + 2,
      nodes: [
        { id: newer, date: '2026-01-20' },
        { id: older, date: '2026-01-05' },
      ],
    },
    lastVisit: { id: newer },
  });

  // Moving the older visit after the newer one changes the order …
  const moved = await t.execute(UPDATE, { id: older, version: 1, input: { date: '2026-02-10' } }, ADVISOR);
  expect(moved.errors).toBeUndefined();
  expect((await page()).lastVisit).toEqual({ id: older });
  // … and a cancelled visit leaves both the page and the count.
  await t.execute('mutation($id: ID!) { cancelVisit(id: $id, version: 2, reason: "誤登録") { status } }', { id: older }, ADVISOR);
  const after = await page();
  expect(after.visits.totalCount).toBe(base + 1);
  expect(after.visits.nodes[0]).toEqual({ id: newer, date: '2026-01-20' });
  expect(after.lastVisit).toEqual({ id: newer });
});

describe('visit counts kept by the database', () => {
  /** Municipalities whose kept count differs from a count of their active visit links. */
  const mismatches = () =>
    t.subgraph.dataSource.query(`
      SELECT coalesce(c.municipality_code, l.municipality_code) AS code, c.active_visits AS kept, l.counted
      FROM municipality_visit_count c
      FULL JOIN (SELECT municipality_code, count(*)::int AS counted FROM visit_municipality WHERE active GROUP BY 1) l USING (municipality_code)
      WHERE coalesce(c.active_visits, 0) <> coalesce(l.counted, 0)`);
  const totalCount = async (code: string) =>
    (
      await t.execute('query($r: [_Any!]!) { _entities(representations: $r) { ... on Municipality { visits { totalCount } } } }', {
        r: [{ __typename: 'Municipality', code }],
      })
    ).data!._entities[0].visits.totalCount as number;

  it('agree with the links after the sample, a visit recorded, moved to other municipalities and cancelled', async () => {
    expect(await mismatches()).toEqual([]);
    const before = { sapporo: await totalCount('011002'), hakodate: await totalCount('012025'), otaru: await totalCount('012033') };
    const { id } = (await t.execute(RECORD, { input: { ...input(), municipalityCodes: ['011002', '012025'] } }, ADVISOR)).data!.recordVisit;
    expect([await totalCount('011002'), await totalCount('012025')]).toEqual([before.sapporo + 1, before.hakodate + 1]);

    const moved = await t.execute(UPDATE, { id, version: 1, input: { municipalityCodes: ['012025', '012033'] } }, ADVISOR);
    expect(moved.errors).toBeUndefined();
    expect([await totalCount('011002'), await totalCount('012025'), await totalCount('012033')]).toEqual([
      before.sapporo,
      before.hakodate + 1,
      before.otaru + 1,
    ]);

    await t.execute('mutation($id: ID!) { cancelVisit(id: $id, version: 2, reason: "誤登録") { status } }', { id }, ADVISOR);
    expect([await totalCount('012025'), await totalCount('012033')]).toEqual([before.hakodate, before.otaru]);
    expect(await mismatches()).toEqual([]);
  });

  it('agree with a count of the links for filtered pages too, which count the links themselves', async () => {
    const [{ counted }] = await t.subgraph.dataSource.query(
      `SELECT count(*)::int AS counted FROM visit_municipality WHERE municipality_code = '011002' AND active AND visited_on >= '2024-04-01'`,
    );
    const { data } = await t.execute(
      'query($r: [_Any!]!) { _entities(representations: $r) { ... on Municipality { visits(since: "2024-04-01") { totalCount } } } }',
      {
        r: [{ __typename: 'Municipality', code: '011002' }],
      },
    );
    expect(data!._entities[0].visits.totalCount).toBe(counted);
  });
});

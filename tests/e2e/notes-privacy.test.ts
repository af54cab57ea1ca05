/**
 * What the prefecture's staff do for the people in visit notes (要配慮個人情報), through the gateway:
 * - review who read the notes of the prefecture's visits, by period and reader (Prefecture.notesReads);
 * - erase notes from a visit and from every history entry that held them, a cancelled visit included: no
 *   table of the dispatch database holds them afterwards, and the erasure is recorded without them.
 * - export the audit for Excel (GET /export/notes-reads.csv|.xlsx), never the notes.
 * No one else may do any of it.
 */
import { EXPORTS } from '../../gateway/exports';
import { readCsv } from '../../shared/csv';
import { addDays, timeInJapan, todayInJapan } from '../../shared/dates';
import { startTestStack } from '../helpers/stack';
import { tablesHolding as tablesOf } from '../helpers/tables';

let stack: Awaited<ReturnType<typeof startTestStack>>;
beforeAll(async () => {
  stack = await startTestStack();
});
afterAll(() => stack?.stop());

const RECORD = `mutation($i: RecordVisitInput!, $k: String) { recordVisit(input: $i, idempotencyKey: $k) { id version } }`;
const UPDATE = `mutation($i: UpdateVisitInput!, $k: String) { updateVisit(input: $i, idempotencyKey: $k) { id version } }`;
const CANCEL = `mutation($i: CancelVisitInput!) { cancelVisit(input: $i) { id version status } }`;
const ERASE = `mutation($i: EraseVisitNotesInput!, $k: String) {
  eraseVisitNotes(input: $i, idempotencyKey: $k) { id version status notes notesErasures { erasedBy erasedAt reason historyEntries } }
}`;
const ERASURES = `query($id: ID!) { visit(id: $id) { notesErasures { erasedBy reason historyEntries } } }`;

/** The tables of the dispatch database whose rows, as text, contain `marker`. */
const tablesHolding = (marker: string) => tablesOf(stack.dispatch.subgraph.dataSource, marker);

/** An active advisor of 北海道 with a sign-in: the registry's id, and the headers of the sign-in. */
async function signedInAdvisor(): Promise<{ advisorId: string; advisor: Record<string, string> }> {
  const [{ id, subject }] = await stack.dispatch.subgraph.dataSource.query(
    `SELECT id, subject FROM advisor WHERE prefecture_code = '01' AND subject IS NOT NULL AND active_until IS NULL ORDER BY name LIMIT 1`,
  );
  return { advisorId: id, advisor: await stack.as('ADVISOR', '01', subject) };
}

/** Who may not erase on a visit of 北海道, and the code each is refused with: its advisor, another prefecture's staff, an analyst, anyone. */
const refusedErasers = async (advisor: Record<string, string>) =>
  [
    [advisor, 'FORBIDDEN'],
    [await stack.as('PREFECTURE_STAFF', '13'), 'FORBIDDEN'],
    [await stack.as('ANALYST'), 'FORBIDDEN'],
    [{}, 'UNAUTHENTICATED'],
  ] as const;

it("erases a visit's notes from the visit and its whole history, a cancelled visit too; the erasure is recorded without them", async () => {
  const { advisorId, advisor } = await signedInAdvisor();
  const first = `erasure-first-${Date.now()}`;
  const second = `erasure-second-${Date.now()}`;
  const recordInput = {
    prefectureCode: '01',
    date: '2025-06-12',
    advisorIds: [advisorId],
    municipalityCodes: ['014702'],
    format: 'ON_SITE',
    purposes: ['CORE_CENTER'],
    topics: ['相談'],
    summary: '面談',
    issuesFound: '',
    attendees: [],
    notes: `本人の状況 ${first}`,
  };
  const recordKey = `erasure-record-${Date.now()}`;
  const recorded = await stack.query(RECORD, { i: recordInput, k: recordKey }, advisor);
  expect(recorded.body.errors).toBeUndefined();
  const { id } = recorded.body.data!.recordVisit;
  const updated = await stack.query(UPDATE, { i: { id, version: 1, notes: `訂正 ${second}` }, k: `erasure-update-${Date.now()}` }, advisor);
  expect(updated.body.errors).toBeUndefined();
  const cancelled = await stack.query(CANCEL, { i: { id, version: 2, reason: '誤登録' } }, advisor);
  expect(cancelled.body.data!.cancelVisit.status).toBe('CANCELLED');
  // Before the erasure both versions of the notes are held: the visit (the second) and its history (both).
  expect(await tablesHolding(first)).toEqual(['history']);
  expect((await tablesHolding(second)).sort()).toEqual(['history', 'visit']);

  const input = { id, version: 3, reason: '本人からの削除請求（受付番号 2026-001）' };
  // Only the prefecture's staff and admins erase notes: not its advisors, nor another prefecture's staff, nor analysts.
  for (const [who, code] of await refusedErasers(advisor)) {
    const refused = await stack.query(ERASE, { i: input }, who);
    expect(refused.body.errors![0].extensions!.code).toBe(code);
  }
  const staff = await stack.as('PREFECTURE_STAFF', '01', 'privacy-officer-01');
  const blank = await stack.query(ERASE, { i: { ...input, reason: '  ' } }, staff);
  expect(blank.body.errors![0].extensions).toMatchObject({ code: 'BAD_USER_INPUT', argument: 'input.reason' });
  const stale = await stack.query(ERASE, { i: { ...input, version: 2 } }, staff);
  expect(stale.body.errors![0].extensions!.code).toBe('CONFLICT');
  expect((await tablesHolding(second)).sort()).toEqual(['history', 'visit']); // nothing was erased by a refusal

  const erased = await stack.query(ERASE, { i: input, k: 'erase-notes-0001' }, staff);
  expect(erased.body.errors).toBeUndefined();
  expect(erased.body.data!.eraseVisitNotes).toMatchObject({
    id,
    version: 4,
    status: 'CANCELLED',
    notes: null,
    // recordVisit's entry (after), updateVisit's (before and after), cancelVisit's (before and after)
    notesErasures: [{ erasedBy: 'PREFECTURE_STAFF:privacy-officer-01', erasedAt: expect.any(String), reason: input.reason, historyEntries: 3 }],
  });
  expect(await tablesHolding(first)).toEqual([]);
  expect(await tablesHolding(second)).toEqual([]);
  // Nor a hash of them: the idempotency keys of the writes that held them (a hash of a short note can be matched
  // against guesses) forget their request's hash; the erasure's own key keeps its own (no notes in it).
  const hashes = await stack.dispatch.subgraph.dataSource.query(
    `SELECT operation, request_hash IS NOT NULL AS kept FROM idempotency_key WHERE entity_id = $1 ORDER BY created_at, operation`,
    [id],
  );
  expect(hashes).toEqual([
    { operation: 'recordVisit', kept: false },
    { operation: 'updateVisit', kept: false },
    { operation: 'eraseVisitNotes', kept: true },
  ]);
  // A retry of the first write with its key still answers that visit, writing nothing (its notes could not be compared).
  const visitsBefore = await stack.dispatch.subgraph.dataSource.query('SELECT count(*)::int AS n FROM visit');
  const retriedRecord = await stack.query(RECORD, { i: recordInput, k: recordKey }, advisor);
  expect(retriedRecord.body.data!.recordVisit.id).toBe(id);
  expect(await stack.dispatch.subgraph.dataSource.query('SELECT count(*)::int AS n FROM visit')).toEqual(visitsBefore);
  // The history still tells what happened, and that the notes were erased.
  const actions = await stack.dispatch.subgraph.dataSource.query(`SELECT action FROM history WHERE entity_id = $1 ORDER BY id`, [id]);
  expect(actions.map((a: { action: string }) => a.action)).toEqual(['recordVisit', 'updateVisit', 'cancelVisit', 'eraseVisitNotes']);

  // A retry with the same key answers the same and erases (and records) nothing again.
  const retried = await stack.query(ERASE, { i: input, k: 'erase-notes-0001' }, staff);
  expect(retried.body.data!.eraseVisitNotes.version).toBe(4);
  expect(retried.body.data!.eraseVisitNotes.notesErasures).toHaveLength(1);

  // Who erased them is for the prefecture's staff and admins; the advisor gets null with FORBIDDEN.
  const admin = await stack.query(ERASURES, { id }, await stack.as('ADMIN'));
  expect(admin.body.data!.visit.notesErasures).toEqual([{ erasedBy: 'PREFECTURE_STAFF:privacy-officer-01', reason: input.reason, historyEntries: 3 }]);
  // The reason is free text: an answer holding it is kept for its reader only, never handed to a colleague.
  await stack.query(ERASURES, { id }, staff);
  const statements = stack.dispatch.sql.statements.length;
  const colleague = await stack.query(ERASURES, { id }, await stack.as('PREFECTURE_STAFF', '01', 'privacy-officer-01-deputy'));
  expect(colleague.body.data!.visit.notesErasures).toHaveLength(1);
  expect(stack.dispatch.sql.statements.length).toBeGreaterThan(statements);
  const hidden = await stack.query(ERASURES, { id }, advisor);
  expect(hidden.body.data!.visit.notesErasures).toBeNull();
  expect(hidden.body.errors![0].extensions!.code).toBe('FORBIDDEN');
});

it('a visit without notes records an erasure of nothing', async () => {
  const [{ id, version }] = await stack.dispatch.subgraph.dataSource.query(
    `SELECT id, version FROM visit WHERE prefecture_code = '01' AND notes IS NULL AND status = 'ACTIVE' ORDER BY id LIMIT 1`,
  );
  const staff = await stack.as('PREFECTURE_STAFF', '01');
  const erased = await stack.query(ERASE, { i: { id, version, reason: '確認のため' } }, staff);
  expect(erased.body.errors).toBeUndefined();
  expect(erased.body.data!.eraseVisitNotes).toMatchObject({ version: version + 1, notes: null, notesErasures: [{ historyEntries: 0 }] });
});

const AUDIT = `query($p: ID!, $first: Int, $after: String, $since: LocalDate, $until: LocalDate, $reader: String) {
  prefecture(code: $p) {
    notesReads(first: $first, after: $after, since: $since, until: $until, reader: $reader) {
      nodes { reader readerAdvisor { name } readAt requestId visit { id date } }
      pageInfo { hasNextPage endCursor }
    }
  }
}`;

it("erases the earlier versions of a visit's texts and of its requests' from the history, keeping what they hold now", async () => {
  const { advisorId, advisor } = await signedInAdvisor();
  const person = `山田花子-${Date.now()}`; // a name written where it should not have been
  const recorded = await stack.query(
    RECORD,
    {
      i: {
        prefectureCode: '01',
        date: '2025-06-13',
        advisorIds: [advisorId],
        municipalityCodes: ['014702'],
        format: 'ON_SITE',
        purposes: ['CORE_CENTER'],
        topics: [`${person}さんの件`, '相談体制'],
        summary: `${person}さん（統合失調症）の支援について協議`,
        issuesFound: `${person}さんの受入先`,
        attendees: [
          { role: `${person}さんの家族`, count: 1 },
          { role: '相談支援専門員', count: 2 },
        ],
        notes: '訪問メモ',
      },
      k: `earlier-texts-record-${Date.now()}`,
    },
    advisor,
  );
  expect(recorded.body.errors).toBeUndefined();
  const { id } = recorded.body.data!.recordVisit;
  const db = stack.dispatch.subgraph.dataSource;
  const request = await stack.query(
    `mutation($i: CreateRequestInput!) { createRequest(input: $i) { id version } }`,
    { i: { municipalityCode: '014702', visitId: id, raisedOn: '2025-06-13', summary: `${person}さんの移行支援について` } },
    advisor,
  );
  expect(request.body.errors).toBeUndefined();
  const followUp = await stack.query(
    `mutation($i: CreateFollowUpInput!) { createFollowUp(input: $i) { id version } }`,
    { i: { visitId: id, municipalityCode: '014702', description: '資料送付', ownerKind: 'MUNICIPALITY', dueOn: '2025-07-31' } },
    advisor,
  );
  expect(followUp.body.errors).toBeUndefined();
  // The texts corrected on the person's request; the history still holds every earlier version.
  const corrected = await stack.query(
    UPDATE,
    {
      i: {
        id,
        version: 1,
        topics: ['相談体制'],
        summary: '利用者の支援について協議',
        issuesFound: '受入先',
        attendees: [
          { role: '家族', count: 1 },
          { role: '相談支援専門員', count: 2 },
        ],
      },
    },
    advisor,
  );
  expect(corrected.body.errors).toBeUndefined();
  const requestId = request.body.data!.createRequest.id;
  const updatedRequest = await stack.query(
    `mutation($i: UpdateRequestInput!) { updateRequest(input: $i) { version } }`,
    { i: { id: requestId, version: 1, summary: '移行支援について', status: 'IN_PROGRESS' } },
    advisor,
  );
  expect(updatedRequest.body.errors).toBeUndefined();
  expect(await tablesHolding(person)).toEqual(['history']);

  const ERASE_EARLIER = `mutation($i: EraseEarlierVisitTextsInput!, $k: String) {
    eraseEarlierVisitTexts(input: $i, idempotencyKey: $k) { version summary topics notes notesErasures { kind erasedBy reason historyEntries } } }`;
  const input = { id, version: 2, reason: '本人からの削除請求（受付番号 2026-002）' };
  for (const [who, code] of await refusedErasers(advisor)) {
    expect((await stack.query(ERASE_EARLIER, { i: input }, who)).body.errors![0].extensions!.code).toBe(code);
  }
  const staff = await stack.as('PREFECTURE_STAFF', '01', 'privacy-officer-01');
  expect((await stack.query(ERASE_EARLIER, { i: { ...input, reason: ' ' } }, staff)).body.errors![0].extensions).toMatchObject({
    code: 'BAD_USER_INPUT',
    argument: 'input.reason',
  });
  expect((await stack.query(ERASE_EARLIER, { i: { ...input, version: 1 } }, staff)).body.errors![0].extensions!.code).toBe('CONFLICT');
  expect(await tablesHolding(person)).toEqual(['history']); // nothing was erased by a refusal

  const erased = await stack.query(ERASE_EARLIER, { i: input, k: 'erase-earlier-0001' }, staff);
  expect(erased.body.errors).toBeUndefined();
  expect(erased.body.data!.eraseEarlierVisitTexts).toMatchObject({
    version: 3,
    // What the visit holds now stays, the notes too (they were never changed).
    summary: '利用者の支援について協議',
    topics: ['相談体制'],
    notes: '訪問メモ',
    // recordVisit's entry (after), updateVisit's (before); createRequest's (after), updateRequest's (before).
    notesErasures: [{ kind: 'EARLIER_TEXTS', erasedBy: 'PREFECTURE_STAFF:privacy-officer-01', reason: input.reason, historyEntries: 4 }],
  });
  expect(await tablesHolding(person)).toEqual([]);
  // The history still tells what changed, with the texts the records hold now.
  const entries = await db.query(`SELECT action, before->>'summary' AS before, after->>'summary' AS after FROM history WHERE entity_id = $1 ORDER BY id`, [id]);
  expect(entries).toEqual([
    { action: 'recordVisit', before: null, after: null },
    { action: 'updateVisit', before: null, after: '利用者の支援について協議' },
    { action: 'eraseEarlierVisitTexts', before: '利用者の支援について協議', after: '利用者の支援について協議' },
  ]);
  // The request whose history held them moved on (a front end holding its old version reloads); the follow-up, whose did not, stays.
  const [{ version: requestVersion }] = await db.query('SELECT version FROM municipal_request WHERE id = $1', [requestId]);
  expect(requestVersion).toBe(3);
  const [{ version: followUpVersion }] = await db.query('SELECT version FROM follow_up WHERE id = $1', [followUp.body.data!.createFollowUp.id]);
  expect(followUpVersion).toBe(1);
  // The request hashes of the writes that held them are forgotten.
  const kept = await db.query(`SELECT operation FROM idempotency_key WHERE entity_id = $1 AND request_hash IS NOT NULL`, [id]);
  expect(kept).toEqual([{ operation: 'eraseEarlierVisitTexts' }]);
  // A retry answers the same and erases (and records) nothing again; a second erasure finds nothing left.
  const retried = await stack.query(ERASE_EARLIER, { i: input, k: 'erase-earlier-0001' }, staff);
  expect(retried.body.data!.eraseEarlierVisitTexts.notesErasures).toHaveLength(1);
  const again = await stack.query(ERASE_EARLIER, { i: { ...input, version: 3 } }, staff);
  expect(again.body.data!.eraseEarlierVisitTexts.notesErasures[0]).toMatchObject({ kind: 'EARLIER_TEXTS', historyEntries: 0 });
});

it('erases earlier texts in as many SQL statements whatever the number of history entries and records', async () => {
  const { advisorId, advisor } = await signedInAdvisor();
  const staff = await stack.as('PREFECTURE_STAFF', '01');
  /** A visit corrected `corrections` times, with as many requests: the statements its erasure ran. */
  const erasureOf = async (corrections: number) => {
    const base = { prefectureCode: '01', date: '2025-06-14', advisorIds: [advisorId], municipalityCodes: ['014702'], format: 'ONLINE', purposes: ['COUNCIL'] };
    const { id } = (await stack.query(RECORD, { i: { ...base, summary: '版 0' } }, advisor)).body.data!.recordVisit;
    for (let n = 1; n <= corrections; n++) {
      expect((await stack.query(UPDATE, { i: { id, version: n, summary: `版 ${n}` } }, advisor)).body.errors).toBeUndefined();
      const request = await stack.query(
        `mutation($i: CreateRequestInput!) { createRequest(input: $i) { id } }`,
        { i: { municipalityCode: '014702', visitId: id, raisedOn: '2025-06-14', summary: `要望 ${n}` } },
        advisor,
      );
      expect(request.body.errors).toBeUndefined();
    }
    const { result, statements } = await stack.dispatch.sql.during(() =>
      stack.query(
        'mutation($i: EraseEarlierVisitTextsInput!) { eraseEarlierVisitTexts(input: $i) { notesErasures { historyEntries } } }',
        { i: { id, version: corrections + 1, reason: '確認' } },
        staff,
      ),
    );
    // recordVisit's entry and each correction's (its requests' summaries are as written: nothing of theirs).
    expect(result.body.data!.eraseEarlierVisitTexts.notesErasures[0].historyEntries).toBe(corrections + 1);
    return statements.length;
  };
  expect(await erasureOf(6)).toBe(await erasureOf(1));
});

it("lists every read of the notes of the prefecture's visits, newest first, by page, period and reader, for its staff only", async () => {
  const db = stack.dispatch.subgraph.dataSource;
  const visits: Array<{ id: string }> = await db.query(`SELECT id FROM visit WHERE prefecture_code = '02' AND status = 'ACTIVE' ORDER BY id LIMIT 2`);
  await db.query(`UPDATE visit SET notes = '青森の記録' WHERE id = ANY($1::uuid[])`, [visits.map((v) => v.id)]);
  const notes = `query($id: ID!) { visit(id: $id) { notes } }`;
  const first = await stack.as('ADVISOR', '02', 'audit-advisor-1');
  const second = await stack.as('ADVISOR', '02', 'audit-advisor-2');
  const requestIds: string[] = [];
  for (const [who, id] of [
    [first, visits[0].id],
    [second, visits[1].id],
    [first, visits[1].id],
  ] as const) {
    const read = await stack.query(notes, { id }, who);
    expect(read.body.data!.visit.notes).toBe('青森の記録');
    requestIds.push(read.headers.get('x-request-id')!);
  }
  // Another prefecture's reads are not in this one's audit.
  const elsewhere = (await db.query(`SELECT id FROM visit WHERE prefecture_code = '03' AND notes IS NOT NULL LIMIT 1`))[0];
  if (elsewhere) await stack.query(notes, { id: elsewhere.id }, await stack.as('ADVISOR', '03'));

  const staff = await stack.as('PREFECTURE_STAFF', '02', 'privacy-officer-02');
  const all = await stack.query(AUDIT, { p: '02' }, staff);
  expect(all.body.errors).toBeUndefined();
  const reads = all.body.data!.prefecture.notesReads.nodes;
  expect(reads.map((r: { requestId: string }) => r.requestId)).toEqual([...requestIds].reverse());
  expect(reads[0]).toEqual({
    reader: 'ADVISOR:audit-advisor-1',
    readerAdvisor: null, // a sign-in linked to no advisor of the registry
    readAt: expect.any(String),
    requestId: requestIds[2],
    visit: { id: visits[1].id, date: expect.any(String) },
  });

  // Page by page: the same reads in the same order.
  const page1 = (await stack.query(AUDIT, { p: '02', first: 2 }, staff)).body.data!.prefecture.notesReads;
  expect(page1.pageInfo.hasNextPage).toBe(true);
  const page2 = (await stack.query(AUDIT, { p: '02', first: 2, after: page1.pageInfo.endCursor }, staff)).body.data!.prefecture.notesReads;
  expect(page2.pageInfo.hasNextPage).toBe(false);
  expect([...page1.nodes, ...page2.nodes]).toEqual(reads);

  // By reader, and by days in Japan: today holds them all, yesterday none.
  const byReader = (await stack.query(AUDIT, { p: '02', reader: 'ADVISOR:audit-advisor-1' }, staff)).body.data!.prefecture.notesReads.nodes;
  expect(byReader.map((r: { requestId: string }) => r.requestId)).toEqual([requestIds[2], requestIds[0]]);
  const today = todayInJapan();
  expect((await stack.query(AUDIT, { p: '02', since: today, until: today }, staff)).body.data!.prefecture.notesReads.nodes).toHaveLength(3);
  const yesterday = addDays(today, -1);
  expect((await stack.query(AUDIT, { p: '02', until: yesterday }, staff)).body.data!.prefecture.notesReads.nodes).toEqual([]);
  const backwards = await stack.query(AUDIT, { p: '02', since: today, until: yesterday }, staff);
  expect(backwards.body.errors![0].extensions).toMatchObject({ code: 'BAD_USER_INPUT', argument: 'until' });

  // Never a kept answer: a read a moment ago is listed at once.
  const fourth = await stack.query(notes, { id: visits[0].id }, second);
  const latest = (await stack.query(AUDIT, { p: '02', first: 1 }, staff)).body.data!.prefecture.notesReads.nodes;
  expect(latest[0].requestId).toBe(fourth.headers.get('x-request-id'));

  // The advisors, another prefecture's staff and analysts get null with FORBIDDEN.
  for (const who of [first, await stack.as('PREFECTURE_STAFF', '13'), await stack.as('ANALYST')]) {
    const refused = await stack.query(AUDIT, { p: '02' }, who);
    expect(refused.body.data?.prefecture?.notesReads ?? null).toBeNull();
    expect(refused.body.errors![0].extensions!.code).toBe('FORBIDDEN');
  }
});

it("exports the prefecture's notes-read audit for Excel, for its staff only, never the notes", async () => {
  const [[{ id }]] = await stack.dispatch.subgraph.dataSource.query(
    `UPDATE visit SET notes = '岩手の記録' WHERE id = (SELECT id FROM visit WHERE prefecture_code = '03' ORDER BY id LIMIT 1) RETURNING id`,
  );
  // The reader's sign-in is linked to an advisor of the registry: the review reads their name beside the sign-in.
  const [[{ name }]] = await stack.dispatch.subgraph.dataSource.query(
    `UPDATE advisor SET subject = 'export-advisor' WHERE id = (SELECT id FROM advisor WHERE prefecture_code = '03' ORDER BY id LIMIT 1) RETURNING name`,
  );
  const read = await stack.query(`query($id: ID!) { visit(id: $id) { notes } }`, { id }, await stack.as('ADVISOR', '03', 'export-advisor'));
  expect(read.body.data!.visit.notes).toBe('岩手の記録');
  // Another's sign-in linked to no advisor: no name.
  await stack.query(`query($id: ID!) { visit(id: $id) { notes } }`, { id }, await stack.as('PREFECTURE_STAFF', '03', 'unlinked-staff'));
  const staff = await stack.as('PREFECTURE_STAFF', '03', 'privacy-officer-03');
  const get = (query: string, headers: Record<string, string> = staff) => fetch(`${new URL(stack.gateway.url).origin}/export/${query}`, { headers });

  const csv = await get('notes-reads.csv?prefecture=03');
  expect(csv.status).toBe(200);
  const { columns, rows } = readCsv(await csv.text());
  expect(columns).toEqual([...EXPORTS.find((e) => e.name === 'notes-reads')!.columns]);
  const api = (await stack.query(AUDIT, { p: '03', first: 1000 }, staff)).body.data!.prefecture.notesReads.nodes;
  expect(rows.map((r) => r.values.read_request_id)).toEqual(api.map((r: { requestId: string }) => r.requestId));
  expect(rows.slice(0, 2).map((r) => [r.values.reader, r.values.reader_name])).toEqual([
    ['PREFECTURE_STAFF:unlinked-staff', ''],
    ['ADVISOR:export-advisor', name],
  ]);
  expect(api.slice(0, 2).map((r: { readerAdvisor: { name: string } | null }) => r.readerAdvisor)).toEqual([null, { name }]);
  expect(rows[1].values).toMatchObject({
    as_of: todayInJapan(),
    read_at: timeInJapan(api[1].readAt),
    reader: 'ADVISOR:export-advisor',
    read_request_id: read.headers.get('x-request-id'),
    visit_id: id,
    municipality_codes: expect.stringMatching(/^03\d{4}(;03\d{4})*$/),
  });
  expect(rows[0].values.read_at).toMatch(/^\d{4}-\d\d-\d\d \d\d:\d\d:\d\d$/);
  expect(JSON.stringify(rows)).not.toContain('岩手の記録');
  // A fiscal year before any read: the header alone. A workbook: the same rows.
  expect(readCsv(await (await get('notes-reads.csv?prefecture=03&fiscalYear=2020')).text()).rows).toEqual([]);
  const workbook = await get('notes-reads.xlsx?prefecture=03');
  expect(workbook.status).toBe(200);
  expect(workbook.headers.get('content-type')).toContain('spreadsheetml');

  // Only the prefecture's staff and admins: advisors, analysts and another prefecture's staff are refused.
  for (const who of [await stack.as('ADVISOR', '03'), await stack.as('ANALYST'), await stack.as('PREFECTURE_STAFF', '13')]) {
    expect((await get('notes-reads.csv?prefecture=03', who)).status).toBe(403);
  }
  // The staff's own prefecture without ?prefecture=; an admin, who reads every prefecture, is asked which.
  const own = await get('notes-reads.csv');
  expect(own.status).toBe(200);
  expect(readCsv(await own.text()).rows.map((r) => r.values.read_request_id)).toEqual(rows.map((r) => r.values.read_request_id));
  expect((await get('notes-reads.csv', stack.asAdmin)).status).toBe(400);
});

it("erases the notes of a prefecture's visits before a day at once (a retention period), after a dry run that erases nothing", async () => {
  const db = stack.dispatch.subgraph.dataSource;
  // The day after the third oldest visit of 山形: at least three visits before it (the sample follows today's date).
  const [{ cutoff }] = await db.query(
    `SELECT to_char(visited_on + 1, 'YYYY-MM-DD') AS cutoff FROM visit WHERE prefecture_code = '06' ORDER BY visited_on OFFSET 2 LIMIT 1`,
  );
  const old: Array<{ id: string }> = await db.query(`SELECT id FROM visit WHERE prefecture_code = '06' AND visited_on < $1 ORDER BY id`, [cutoff]);
  const recent: Array<{ id: string }> = await db.query(`SELECT id FROM visit WHERE prefecture_code = '06' AND visited_on >= $1 ORDER BY id LIMIT 1`, [cutoff]);
  const other: Array<{ id: string }> = await db.query(`SELECT id FROM visit WHERE prefecture_code = '05' AND visited_on < $1 ORDER BY id LIMIT 1`, [cutoff]);
  expect([old.length >= 3, recent.length, other.length]).toEqual([true, 1, 1]);
  await db.query(`UPDATE visit SET notes = '山形の古い記録' WHERE id = ANY($1::uuid[])`, [old.map((v) => v.id)]);
  await db.query(`UPDATE visit SET notes = '山形の新しい記録' WHERE id = ANY($1::uuid[])`, [recent.map((v) => v.id)]);
  await db.query(`UPDATE visit SET notes = '秋田の古い記録' WHERE id = ANY($1::uuid[])`, [other.map((v) => v.id)]);
  // One old visit's notes were cleared through the API: its history still holds them, and they are erased too.
  const staff = await stack.as('PREFECTURE_STAFF', '06', 'privacy-officer-06');
  const [{ version }] = await db.query('SELECT version FROM visit WHERE id = $1', [old[0].id]);
  const cleared = await stack.query(
    'mutation($i: UpdateVisitInput!) { updateVisit(input: $i) { notes } }',
    { i: { id: old[0].id, version, notes: null } },
    stack.asAdmin,
  );
  expect(cleared.body.errors).toBeUndefined();

  const ERASE_BEFORE = `mutation($i: EraseVisitNotesBeforeInput!, $k: String) { eraseVisitNotesBefore(input: $i, idempotencyKey: $k) { id visits historyEntries } }`;
  const input = { prefectureCode: '06', visitedBefore: cutoff, reason: '保存期間（5年）の経過' };
  const dry = await stack.query(ERASE_BEFORE, { i: { ...input, dryRun: true } }, staff);
  expect(dry.body.data!.eraseVisitNotesBefore).toEqual({ id: null, visits: old.length, historyEntries: 1 });
  expect((await tablesHolding('山形の古い記録')).sort()).toEqual(['history', 'visit']); // the dry run erased nothing

  // Only the prefecture's staff and admins, and not a day to come.
  for (const who of [await stack.as('ADVISOR', '06'), await stack.as('PREFECTURE_STAFF', '05'), await stack.as('ANALYST')]) {
    for (const dryRun of [true, false])
      expect((await stack.query(ERASE_BEFORE, { i: { ...input, dryRun } }, who)).body.errors![0].extensions!.code).toBe('FORBIDDEN');
  }
  const future = await stack.query(ERASE_BEFORE, { i: { ...input, visitedBefore: addDays(todayInJapan(), 2) } }, staff);
  expect(future.body.errors![0].extensions).toMatchObject({ code: 'BAD_USER_INPUT', argument: 'input.visitedBefore' });

  const erased = await stack.query(ERASE_BEFORE, { i: input, k: 'retention-06-2026' }, staff);
  expect(erased.body.errors).toBeUndefined();
  const batch = erased.body.data!.eraseVisitNotesBefore;
  expect(batch).toEqual({ id: expect.any(String), visits: old.length, historyEntries: 1 });
  expect(await tablesHolding('山形の古い記録')).toEqual([]);
  // Later visits and other prefectures keep theirs.
  expect((await tablesHolding('山形の新しい記録')).sort()).toEqual(['visit']);
  expect(await tablesHolding('秋田の古い記録')).toEqual(['visit']);
  // Each visit's erasure names the batch; a retry with the same key answers the same and erases nothing again.
  for (const [visit, historyEntries] of [
    [old[0], 1],
    [old[1], 0],
  ] as const) {
    const erasures = await stack.query(
      `query($id: ID!) { visit(id: $id) { notes notesErasures { erasedBy reason historyEntries batchId } } }`,
      { id: visit.id },
      staff,
    );
    expect(erasures.body.data!.visit).toEqual({
      notes: null,
      notesErasures: [{ erasedBy: 'PREFECTURE_STAFF:privacy-officer-06', reason: input.reason, historyEntries, batchId: batch.id }],
    });
  }
  expect((await stack.query(ERASE_BEFORE, { i: input, k: 'retention-06-2026' }, staff)).body.data!.eraseVisitNotesBefore).toEqual(batch);
  expect((await stack.query(ERASE_BEFORE, { i: { ...input, dryRun: true } }, staff)).body.data!.eraseVisitNotesBefore).toEqual({
    id: null,
    visits: 0,
    historyEntries: 0,
  });
});

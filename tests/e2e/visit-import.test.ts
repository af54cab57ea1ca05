/**
 * The visit log from Excel (`POST /import/visits`, 派遣記録): a prefecture's past visits, as its staff kept
 * them, load through the same import as every other file — Japanese headers and labels, advisors by their
 * roster ids, the API's rules — and show at once through the gateway. Notes (要配慮個人情報) never travel in
 * files: a notes column is left out unread, and an import keeps the notes recorded through the API.
 */
import { readCsv } from '../../shared/csv';
import { todayInJapan } from '../../shared/dates';
import { fiscalYearOf } from '../../shared/fiscal-year';
import { startTestStack } from '../helpers/stack';
import { tablesHolding } from '../helpers/tables';

let stack: Awaited<ReturnType<typeof startTestStack>>;
let staff01: Record<string, string>;
let advisor: { external_id: string; name: string };
beforeAll(async () => {
  // A download limit below the sample's national log (4,331 visits) and above one prefecture's.
  stack = await startTestStack({ IMPORT_DOWNLOAD_MAX_ROWS: '1000' });
  staff01 = await stack.as('PREFECTURE_STAFF', '01');
  [advisor] = await stack.dispatch.subgraph.dataSource.query(
    `SELECT external_id, name FROM advisor WHERE prefecture_code = '01' AND active_from <= '2023-04-01' AND active_until IS NULL ORDER BY external_id LIMIT 1`,
  );
});
afterAll(() => stack?.stop());

const url = (path: string) => `${new URL(stack.gateway.url).origin}${path}`;
const uploadTo = async (kind: string, file: string, headers = staff01, query = '') => {
  const response = await fetch(url(`/import/${kind}${query}`), { method: 'POST', body: file, headers: { ...headers, 'content-type': 'text/csv' } });
  return { status: response.status, report: await response.json() };
};
const upload = (file: string, headers = staff01, query = '') => uploadTo('visits', file, headers, query);
const revert = async (importId: string) => {
  const response = await fetch(url(`/import/visits/${importId}/revert`), { method: 'POST', headers: staff01 });
  return { status: response.status, body: await response.json() };
};
const visitsOf = async (code: string) =>
  (
    await stack.query(
      'query($c: ID!) { municipality(code: $c) { visits(first: 50) { nodes { id date summary formatLabel purposes notes advisors { name } } } } }',
      { c: code },
      staff01,
    )
  ).body.data!.municipality.visits.nodes as Array<{ id: string; date: string; summary: string; formatLabel: string; purposes: string[]; notes: string | null }>;

/** A visit loaded from a file under `id`, then cancelled through the API (as recorded in error): its id. */
async function cancelledVisit(id: string, summary: string): Promise<string> {
  expect((await upload(japaneseLog(id, summary))).report).toMatchObject({ problems: [], inserted: 1 });
  const [visit] = await stack.dispatch.subgraph.dataSource.query('SELECT id FROM visit WHERE external_id = $1', [id]);
  const cancelled = await stack.query(
    'mutation($id: ID!) { cancelVisit(input: { id: $id, version: 1, reason: "誤登録" }) { status } }',
    { id: visit.id },
    stack.asAdmin,
  );
  expect(cancelled.body.errors).toBeUndefined();
  return visit.id;
}

/** recordAssessment of the council-guideline checklist, every item met, on 2026-01-01. */
async function recordAssessment(municipalityCode: string, visitId: string | null, headers: Record<string, string>) {
  const items: Array<{ item_id: string }> = await stack.dispatch.subgraph.dataSource.query(
    `SELECT item_id FROM checklist_item WHERE template_id = 'council-guideline-2025'`,
  );
  return stack.query(
    'mutation($i: RecordAssessmentInput!) { recordAssessment(input: $i) { id } }',
    {
      i: {
        templateId: 'council-guideline-2025',
        municipalityCode,
        assessedOn: '2026-01-01',
        visitId,
        results: items.map((i) => ({ itemId: i.item_id, result: 'MET', comment: '' })),
      },
    },
    headers,
  );
}

/** A log as a prefecture keeps it in Excel: Japanese headers, 令和 dates, labels and marks, a remarks column. */
const japaneseLog = (id: string, summary: string, notes = '本人Aさんの支援について（個人情報）') =>
  [
    '派遣記録ID,都道府県コード,訪問日,アドバイザーID,市町村コード,市町村名,実施形態,業務区分,概要,把握した課題,出席者,備考',
    `${id},01,令和5年6月12日,${advisor.external_id},012025,函館市,訪問,（イ）;ウ,${summary},相談支援専門員の不足,市町村障害福祉担当:2;相談支援事業所:1,${notes}`,
  ].join('\n');

it('loads a Japanese visit log from Excel and shows it at once through the gateway; the notes column is left out unread', async () => {
  const before = await visitsOf('012025');
  const { status, report } = await upload(japaneseLog('HKD-2023-001', '基幹相談支援センター設置の相談'));
  expect({ status, problems: report.problems }).toEqual({ status: 200, problems: [] });
  expect(report).toMatchObject({ applied: true, inserted: 1, importId: expect.any(String) });
  // The remarks column is named in a warning, its cells never quoted.
  expect(report.warnings).toEqual([expect.objectContaining({ column: '備考', reasonJa: expect.stringContaining('「備考」列は取り込みません') })]);
  expect(JSON.stringify(report)).not.toContain('個人情報');
  const after = await visitsOf('012025');
  expect(after.length).toBe(before.length + 1);
  expect(after).toContainEqual(
    expect.objectContaining({
      date: '2023-06-12',
      summary: '基幹相談支援センター設置の相談',
      formatLabel: '訪問',
      purposes: ['CORE_CENTER', 'COUNCIL'],
      notes: null,
      advisors: [{ name: advisor.name }],
    }),
  );
});

it('reads a log that names its advisors rather than giving their ids, the one of the prefecture with that name, and refuses a name two advisors share', async () => {
  const [other] = await stack.dispatch.subgraph.dataSource.query(
    `SELECT external_id, name FROM advisor WHERE prefecture_code = '01' AND external_id <> $1 AND active_from <= '2023-04-01' AND active_until IS NULL ORDER BY external_id LIMIT 1`,
    [advisor.external_id],
  );
  // Spaced as people type names: 山田 太郎, 山田\u3000太郎 (a full-width space), 山田太郎 are one. The date as a
  // cell formatted yyyy/m/d(aaa) saves it, with its weekday.
  const spaced = (name: string) => name.replace(/^(\S)/u, '$1　');
  const log = (rows: string[]) => ['派遣記録ID,都道府県コード,訪問日,派遣アドバイザー,市町村コード,実施形態,業務区分,概要', ...rows].join('\n');
  const named = log([`HKD-NAMES-1,01,2023/7/3(月),"${spaced(advisor.name)}、${other.name}",012025,訪問,ア,名前で記録`]);
  const { status, report } = await upload(named);
  expect({ status, problems: report.problems }).toEqual({ status: 200, problems: [] });
  expect(report.warnings.map((w: { reasonJa: string }) => w.reasonJa).sort()).toEqual(
    [
      `アドバイザー「${spaced(advisor.name)}」をID ${advisor.external_id} として読みました`,
      `アドバイザー「${other.name}」をID ${other.external_id} として読みました`,
    ].sort(),
  );
  const [stored] = await stack.dispatch.subgraph.dataSource.query(
    `SELECT array(SELECT a.external_id FROM visit_advisor va JOIN advisor a ON a.id = va.advisor_id WHERE va.visit_id = v.id ORDER BY 1) AS advisors
       FROM visit v WHERE external_id = 'HKD-NAMES-1'`,
  );
  expect(stored.advisors).toEqual([advisor.external_id, other.external_id].sort());
  // The same file again changes nothing: the names read as the ids that are stored.
  expect((await upload(named)).report).toMatchObject({ problems: [], unchanged: 1, inserted: 0, updated: 0 });

  // A follow-up's owner likewise.
  const followUps = [
    'フォローアップID,都道府県コード,派遣記録ID,市町村コード,対応事項,担当,担当アドバイザー,期限',
    `FU-NAMES-1,01,HKD-NAMES-1,012025,名前で担当,アドバイザー,${spaced(other.name)},2023/9/30`,
  ].join('\n');
  const owned = await uploadTo('follow-ups', followUps);
  expect({ status: owned.status, problems: owned.report.problems }).toEqual({ status: 200, problems: [] });
  expect(owned.report.warnings).toEqual([
    expect.objectContaining({ column: 'owner_advisor_id', reasonJa: `アドバイザー「${spaced(other.name)}」をID ${other.external_id} として読みました` }),
  ]);
  const [owner] = await stack.dispatch.subgraph.dataSource.query(
    `SELECT a.external_id FROM follow_up f JOIN advisor a ON a.id = f.owner_advisor_id WHERE f.external_id = 'FU-NAMES-1'`,
  );
  expect(owner).toEqual({ external_id: other.external_id });

  // A second advisor of the same name, active on the same day: not guessed.
  const twin = await stack.query(
    'mutation($i: CreateAdvisorInput!) { createAdvisor(input: $i) { id } }',
    { i: { prefectureCode: '01', name: other.name, activeFrom: '2020-04-01' } },
    staff01,
  );
  expect(twin.body.errors).toBeUndefined();
  const unsure = await upload(log([`HKD-NAMES-2,01,2023-07-04,${other.name},012025,訪問,ア,同名`]));
  expect(unsure.status).toBe(422);
  expect(unsure.report.problems).toEqual([
    expect.objectContaining({
      line: 2,
      column: 'advisor_ids',
      value: other.name,
      reasonJa: `名簿に「${other.name}」という名前のアドバイザーが2人います（${[other.external_id, twin.body.data!.createAdvisor.id].sort().join(';')}）。IDで指定してください`,
    }),
  ]);
  const unsureOwner = await uploadTo('follow-ups', followUps.replace('FU-NAMES-1', 'FU-NAMES-2'));
  expect(unsureOwner.report.problems).toEqual([
    expect.objectContaining({ line: 2, column: 'owner_advisor_id', reasonJa: expect.stringContaining('2人います') }),
  ]);
});

it('reads an advisor named with the common form of a variant kanji (高橋 for 髙橋, 崎 for 﨑) as the one the roster names so, by name or beside the id', async () => {
  const created = await stack.query(
    'mutation($i: CreateAdvisorInput!) { createAdvisor(input: $i) { id } }',
    { i: { prefectureCode: '01', name: '髙橋 﨑子', activeFrom: '2020-04-01' } },
    staff01,
  );
  expect(created.body.errors).toBeUndefined();
  const id = created.body.data!.createAdvisor.id;
  // As a file saved in Shift_JIS (JIS X 0208) or typed on another machine writes the name.
  const byName = await upload(
    [
      '派遣記録ID,都道府県コード,訪問日,派遣アドバイザー,市町村コード,実施形態,業務区分,概要',
      'HKD-VARIANT-1,01,2023-07-05,高橋崎子,012025,訪問,ア,異体字',
    ].join('\n'),
  );
  expect({ status: byName.status, problems: byName.report.problems }).toEqual({ status: 200, problems: [] });
  expect(byName.report.warnings).toEqual([expect.objectContaining({ column: 'advisor_ids', reasonJa: `アドバイザー「高橋崎子」をID ${id} として読みました` })]);
  const besideId = await upload(
    [
      '派遣記録ID,都道府県コード,訪問日,アドバイザーID,アドバイザー氏名,市町村コード,実施形態,業務区分,概要',
      `HKD-VARIANT-2,01,2023-07-06,${id},高橋 崎子,012025,訪問,ア,異体字`,
    ].join('\n'),
  );
  expect({ status: besideId.status, problems: besideId.report.problems }).toEqual({ status: 200, problems: [] });
});

it('reads an advisor given as id and name in one cell (a drop-down list), when they are one advisor, and refuses an id beside another’s name', async () => {
  const log = (cell: string, id: string) =>
    ['派遣記録ID,都道府県コード,訪問日,派遣アドバイザー,市町村コード,実施形態,業務区分,概要', `${id},01,2023-07-07,"${cell}",012025,訪問,ア,一覧から選択`].join(
      '\n',
    );
  for (const [cell, id] of [
    [`${advisor.external_id} ${advisor.name}`, 'HKD-PAIR-1'],
    [`${advisor.name}（${advisor.external_id}）`, 'HKD-PAIR-2'],
  ]) {
    const { status, report } = await upload(log(cell, id), staff01, '?dryRun=true');
    expect({ cell, status, problems: report.problems }).toEqual({ cell, status: 200, problems: [] });
    expect(report.warnings).toEqual([expect.objectContaining({ reasonJa: `アドバイザー「${cell}」をID ${advisor.external_id} として読みました` })]);
  }
  const [other] = await stack.dispatch.subgraph.dataSource.query(
    `SELECT name FROM advisor WHERE prefecture_code = '01' AND external_id <> $1 AND name <> $2 ORDER BY external_id LIMIT 1`,
    [advisor.external_id, advisor.name],
  );
  const mismatched = await upload(log(`${advisor.external_id} ${other.name}`, 'HKD-PAIR-3'), staff01, '?dryRun=true');
  expect(mismatched.status).toBe(422);
  expect(mismatched.report.problems).toEqual([expect.objectContaining({ column: 'advisor_ids', value: `${advisor.external_id} ${other.name}` })]);
});

it('refuses rows the API would refuse, naming the column and the value, in English and Japanese', async () => {
  const file = [
    'visit_id,prefecture_code,visited_on,advisor_ids,municipality_codes,format,purposes,summary',
    `BAD-1,01,2023-06-12,NO-SUCH-ADVISOR,012025,ON_SITE,CORE_CENTER,x`,
    `BAD-2,01,2099-01-01,${advisor.external_id},012025,ON_SITE,CORE_CENTER,x`,
    `BAD-3,01,2023-06-12,${advisor.external_id},131016,ON_SITE,CORE_CENTER,x`,
    `BAD-4,01,2023-06-12,${advisor.external_id},012025,ON_SITE,,x`,
    `BAD-5,01,2023-06-12,${advisor.external_id},012025,電話,CORE_CENTER,x`,
  ].join('\n');
  const { status, report } = await upload(file);
  expect(status).toBe(422);
  expect(report.applied).toBe(false);
  const byLine = (line: number) => report.problems.filter((p: { line: number }) => p.line === line);
  // As the API says it (the date's range, shared/input-rules.ts DATE_RANGES).
  expect(byLine(3)).toEqual([expect.objectContaining({ column: 'visited_on', reasonJa: expect.stringContaining('（今日）までの日付') })]);
  expect(byLine(4)).toEqual([expect.objectContaining({ column: 'municipality_codes' })]);
  expect(byLine(5)).toEqual([expect.objectContaining({ column: 'purposes' })]);
  expect(byLine(6)).toEqual([expect.objectContaining({ column: 'format', value: '電話', reasonJa: expect.stringContaining('訪問') })]);
  // The advisors are checked once the rows read cleanly: a file of that row alone.
  const unknown = await upload(file.split('\n').slice(0, 2).join('\n'));
  expect(unknown.report.problems).toEqual([
    expect.objectContaining({ line: 2, column: 'advisor_ids', value: 'NO-SUCH-ADVISOR', reasonJa: expect.stringContaining('登録されていません') }),
  ]);
  const [tokyoAdvisor] = await stack.dispatch.subgraph.dataSource.query(`SELECT external_id FROM advisor WHERE prefecture_code = '13' LIMIT 1`);
  const other = await upload(file.split('\n')[0] + `\nBAD-6,01,2023-06-12,${tokyoAdvisor.external_id},012025,ON_SITE,CORE_CENTER,x`);
  // Another prefecture's advisor is answered as none at all: staff of 01 may not read 13's advisors, nor learn their names.
  expect(other.report.problems).toEqual([
    expect.objectContaining({
      column: 'advisor_ids',
      value: tokyoAdvisor.external_id,
      reason: `no advisor of prefecture 01 has id ${tokyoAdvisor.external_id}`,
    }),
  ]);
  expect(unknown.report.problems[0].reason).toBe('no advisor of prefecture 01 has id NO-SUCH-ADVISOR');
});

it('updates what the file carries and keeps the notes recorded through the API; the revert puts the visit back', async () => {
  const first = await upload(japaneseLog('HKD-2023-002', '最初の概要'));
  expect(first.report).toMatchObject({ problems: [], inserted: 1 });
  const visit = (await visitsOf('012025')).find((v) => v.summary === '最初の概要')!;
  const noted = await stack.query(
    'mutation($id: ID!, $v: Int!) { updateVisit(id: $id, version: $v, input: { notes: "APIで記録したメモ" }) { version } }',
    { id: visit.id, v: 1 },
    stack.asAdmin,
  );
  expect(noted.body.errors).toBeUndefined();
  const again = await upload(japaneseLog('HKD-2023-002', '最初の概要'));
  expect(again.report).toMatchObject({ problems: [], inserted: 0, updated: 0, unchanged: 1 });
  const edited = await upload(japaneseLog('HKD-2023-002', 'Excelで直した概要'));
  expect(edited.report).toMatchObject({ problems: [], updated: 1 });
  const read = async () => (await visitsOf('012025')).find((v) => v.id === visit.id)!;
  expect(await read()).toMatchObject({ summary: 'Excelで直した概要', notes: 'APIで記録したメモ' });
  expect((await revert(edited.report.importId)).body).toMatchObject({ restored: 1, removed: 0 });
  expect(await read()).toMatchObject({ summary: '最初の概要', notes: 'APIで記録したメモ' });
  // The first import added the visit; since then it has notes: removing it would take them, so the revert is refused.
  const refused = await revert(first.report.importId);
  expect(refused.status).toBe(409);
  expect(refused.body).toMatchObject({ code: 'CONFLICT', messageJa: expect.stringContaining('HKD-2023-002') });
  expect(await read()).toBeDefined();
  // Erased, the notes leave the history (the imports' rows never held them: files carry no notes).
  const db = stack.dispatch.subgraph.dataSource;
  const holding = async () => (await db.query(`SELECT count(*)::int AS n FROM history WHERE strpos(history::text, 'APIで記録したメモ') > 0`))[0].n;
  expect(await holding()).toBe(1); // updateVisit's
  const [{ version }] = await db.query('SELECT version FROM visit WHERE id = $1', [visit.id]);
  const erased = await stack.query(
    'mutation($id: ID!, $v: Int!) { eraseVisitNotes(input: { id: $id, version: $v, reason: "本人からの削除請求" }) { notes notesErasures { historyEntries } } }',
    { id: visit.id, v: version },
    staff01,
  );
  expect(erased.body.data!.eraseVisitNotes).toMatchObject({ notes: null, notesErasures: [{ historyEntries: expect.any(Number) }] });
  expect(await holding()).toBe(0);
});

it("erases the earlier texts an import's rows hold, and the import can then no longer be reverted onto them", async () => {
  const first = await upload(japaneseLog('HKD-2023-ERASE', '田中一郎さんの件で協議'));
  expect(first.report).toMatchObject({ problems: [], inserted: 1 });
  const corrected = await upload(japaneseLog('HKD-2023-ERASE', '利用者の件で協議'));
  expect(corrected.report).toMatchObject({ problems: [], updated: 1 });
  const db = stack.dispatch.subgraph.dataSource;
  const holding = async () => (await db.query(`SELECT count(*)::int AS n FROM history WHERE strpos(history::text, '田中一郎') > 0`))[0].n;
  expect(await holding()).toBe(2); // the first import's row (after) and the correction's (before)
  const [{ id, version }] = await db.query(`SELECT id, version FROM visit WHERE external_id = 'HKD-2023-ERASE'`);
  const erased = await stack.query(
    'mutation($id: ID!, $v: Int!) { eraseEarlierVisitTexts(input: { id: $id, version: $v, reason: "本人からの削除請求" }) { summary notesErasures { kind historyEntries } } }',
    { id, v: version },
    staff01,
  );
  expect(erased.body.data!.eraseEarlierVisitTexts).toMatchObject({
    summary: '利用者の件で協議',
    notesErasures: [{ kind: 'EARLIER_TEXTS', historyEntries: 2 }],
  });
  expect(await holding()).toBe(0);
  // Reverting the correction would put back a summary no longer kept: refused, the visit as it is.
  const refused = await revert(corrected.report.importId);
  expect(refused.status).toBe(409);
  expect(refused.body).toMatchObject({ code: 'CONFLICT', messageJa: expect.stringContaining('消去されたため、取り消せません') });
  expect((await visitsOf('012025')).find((v) => v.id === id)).toMatchObject({ summary: '利用者の件で協議' });
});

it('removes, on revert, the visits an import added that nothing has touched since', async () => {
  const { report } = await upload(japaneseLog('HKD-2023-003', '取り消す訪問'));
  expect(report).toMatchObject({ problems: [], inserted: 1 });
  expect((await visitsOf('012025')).some((v) => v.summary === '取り消す訪問')).toBe(true);
  expect((await revert(report.importId)).body).toMatchObject({ removed: 1 });
  expect((await visitsOf('012025')).some((v) => v.summary === '取り消す訪問')).toBe(false);
});

it('keys a visit recorded through the API by its id, so its row in the download updates it', async () => {
  const recorded = await stack.query(
    `mutation($i: RecordVisitInput!) { recordVisit(input: $i) { id } }`,
    {
      i: {
        prefectureCode: '01',
        date: '2024-05-01',
        advisorIds: [(await stack.dispatch.subgraph.dataSource.query('SELECT id FROM advisor WHERE external_id = $1', [advisor.external_id]))[0].id],
        municipalityCodes: ['012025'],
        format: 'ONLINE',
        purposes: ['COUNCIL'],
        topics: [],
        summary: 'APIで記録した訪問',
        issuesFound: '',
        attendees: [],
      },
    },
    await stack.as('ADVISOR', '01'),
  );
  expect(recorded.body.errors).toBeUndefined();
  const id = recorded.body.data!.recordVisit.id;
  const csv = await (await fetch(url('/import/visits.csv'), { headers: staff01 })).text();
  const row = readCsv(csv).rows.find((r) => r.values.visit_id === id)!;
  expect(row.values).toMatchObject({ advisor_ids: advisor.external_id, format: 'ONLINE', summary: 'APIで記録した訪問' });
  const header = csv.split('\n')[0].replace(/^\uFEFF/, '');
  const line = readCsv(csv)
    .columns.map((c) => (c === 'summary' ? 'Excelで直した訪問' : row.values[c]))
    .join(',');
  const { report } = await upload(`${header}\n${line}`);
  expect(report).toMatchObject({ problems: [], inserted: 0, updated: 1 });
});

it('checks the names beside several codes, in any order, and refuses a row whose names are not its codes', async () => {
  const header = 'visit_id,prefecture_code,visited_on,advisor_ids,municipality_codes,市町村名,format,purposes,summary';
  const row = (names: string) => `HKD-2023-NAMES,01,2023-07-03,${advisor.external_id},012025;012360,${names},MEETING,NETWORK_BUILDING,圏域会議`;
  const checked = await upload(`${header}\n${row('北斗市・函館市')}`, staff01, '?dryRun=true');
  expect(checked.report).toMatchObject({ problems: [], inserted: 1 });
  const { status, report } = await upload(`${header}\n${row('函館市;七飯町')}`, staff01, '?dryRun=true');
  expect(status).toBe(422);
  expect(report.problems).toEqual([
    expect.objectContaining({ column: 'municipality_name', value: '函館市;七飯町', reasonJa: expect.stringContaining('「函館市;北斗市」です') }),
  ]);
});

it("downloads the log with the advisors' and municipalities' names beside their ids, and checks them on the way back", async () => {
  const csv = readCsv(await (await fetch(url('/import/visits.csv?lang=ja'), { headers: staff01 })).text());
  expect(csv.columns.slice(0, 8)).toEqual([
    '派遣記録ID',
    '都道府県コード',
    '訪問日',
    'アドバイザーID',
    'アドバイザー氏名',
    '訪問先市町村コード',
    '市町村名',
    '実施形態',
  ]);
  const row = csv.rows.find((r) => r.values['アドバイザーID'] === advisor.external_id)!.values;
  expect(row['アドバイザー氏名']).toBe(advisor.name);
  expect(row['市町村名']).not.toBe('');
  const file = (values: Record<string, string>) => [csv.columns.join(','), csv.columns.map((c) => JSON.stringify(values[c])).join(',')].join('\n');
  // Another advisor's id pasted without the name: refused, naming who the id is.
  const [other] = await stack.dispatch.subgraph.dataSource.query(
    `SELECT external_id, name FROM advisor WHERE prefecture_code = '01' AND external_id <> $1 AND active_until IS NULL ORDER BY external_id LIMIT 1`,
    [advisor.external_id],
  );
  const { status, report } = await upload(file({ ...row, アドバイザーID: other.external_id }), staff01, '?dryRun=true');
  expect(status).toBe(422);
  expect(report.problems).toEqual([
    expect.objectContaining({ column: 'advisor_names', value: advisor.name, reasonJa: expect.stringContaining(`「${other.name}」です`) }),
  ]);
});

it('tells a log without ids (a No. column only) what the id column is for', async () => {
  const file = [
    'No.,都道府県コード,訪問日,アドバイザーID,市町村コード,実施形態,業務区分,概要',
    `1,01,2023-06-12,${advisor.external_id},012025,訪問,イ,相談`,
  ].join('\n');
  const { status, report } = await upload(file);
  expect(status).toBe(422);
  expect(report.problems).toEqual([expect.objectContaining({ column: 'visit_id', reasonJa: expect.stringContaining('行ごとに固有のID') })]);
});

it('writes a log in the same number of SQL statements whatever its length (inserts, then updates)', async () => {
  const header = 'visit_id,prefecture_code,visited_on,advisor_ids,municipality_codes,format,purposes,summary,topics,attendees';
  const log = (n: number, summary: string, named = advisor.external_id, prefix = 'BATCH') =>
    [
      header,
      ...Array.from(
        { length: n },
        (_, i) => `${prefix}-${n}-${i},01,2023-07-${String((i % 28) + 1).padStart(2, '0')},${named},012025,ON_SITE,COUNCIL,${summary},協議会;部会,担当:1`,
      ),
    ].join('\n');
  const statements = async (file: string) => (await stack.dispatch.sql.during(() => upload(file))).statements.length;
  const [small, large] = [await statements(log(2, '追加')), await statements(log(40, '追加'))];
  expect(small).toBeGreaterThan(5);
  expect(large).toBe(small);
  const [smallUpdate, largeUpdate] = [await statements(log(2, '更新')), await statements(log(40, '更新'))];
  expect(largeUpdate).toBe(smallUpdate);
  // Advisors named by name rather than id: one statement more (the prefecture's roster), whatever the length.
  const [smallNamed, largeNamed] = [await statements(log(2, '氏名', advisor.name, 'NAMED')), await statements(log(40, '氏名', advisor.name, 'NAMED'))];
  expect(smallNamed).toBe(small + 1);
  expect(largeNamed).toBe(smallNamed);
});

it("keeps a visit's follow-ups true to it: a change that would leave one for a municipality not visited, or due before the visit, is refused (API and import)", async () => {
  const [row] = await stack.dispatch.subgraph.dataSource.query(
    `SELECT v.id, v.external_id, v.version, v.visited_on, f.municipality_code, f.due_on
     FROM visit v JOIN follow_up f ON f.visit_id = v.id
     WHERE v.prefecture_code = '01' AND v.status = 'ACTIVE' AND (SELECT count(*) FROM visit_municipality m WHERE m.visit_id = v.id) = 1
       AND f.due_on < CURRENT_DATE
     ORDER BY v.visited_on, v.external_id LIMIT 1`,
  );
  const other = row.municipality_code === '012025' ? '012033' : '012025';
  const update = 'mutation($i: UpdateVisitInput!) { updateVisit(input: $i) { id } }';
  const moved = await stack.query(update, { i: { id: row.id, version: row.version, municipalityCodes: [other] } }, stack.asAdmin);
  expect(moved.body.errors![0].extensions).toMatchObject({
    code: 'BAD_USER_INPUT',
    argument: 'input.municipalityCodes',
    reasonJa: expect.stringContaining('フォローアップ'),
  });
  const later = await stack.query(update, { i: { id: row.id, version: row.version, date: todayInJapan() } }, stack.asAdmin);
  expect(later.body.errors![0].extensions).toMatchObject({ code: 'BAD_USER_INPUT', argument: 'input.date' });
  // The same through the visits file.
  const csv = readCsv(await (await fetch(url('/import/visits.csv'), { headers: staff01 })).text());
  const values: Record<string, string> = {
    ...csv.rows.find((r) => r.values.visit_id === row.external_id)!.values,
    municipality_codes: other,
    municipality_name: '',
  };
  const { status, report } = await upload([csv.columns.join(','), csv.columns.map((c) => JSON.stringify(values[c])).join(',')].join('\n'));
  expect(status).toBe(422);
  // One problem per follow-up left wrong.
  expect(report.problems.length).toBeGreaterThan(0);
  expect(report.problems).toEqual(
    report.problems.map(() => expect.objectContaining({ column: 'municipality_codes', reasonJa: expect.stringContaining('フォローアップ') })),
  );
});

it("loads a visit's follow-ups from Excel (Japanese headers and labels); an open one past due is overdue in the worklist at once", async () => {
  const visits = await upload(japaneseLog('HKD-2023-FU', '協議会の立ち上げ相談'));
  expect(visits.report).toMatchObject({ problems: [], inserted: 1 });
  const overdue = async () =>
    (
      await stack.query('{ municipality(code: "012025") { openFollowUps { description overdue } } }', undefined, staff01)
    ).body.data!.municipality.openFollowUps.filter((f: { description: string }) => f.description.startsWith('Excel'));
  expect(await overdue()).toEqual([]);
  const file = [
    'フォローアップID,都道府県コード,派遣記録ID,市町村コード,対応事項,担当,担当アドバイザーID,期限,状況,完了日,取りやめの理由',
    `FU-1,01,HKD-2023-FU,012025,Excelから: 協議会の要綱案を作る,市町村,,令和5年9月30日,対応中,,`,
    `FU-2,01,HKD-2023-FU,012025,Excelから: 委員の候補を挙げる,アドバイザー,${advisor.external_id},2023/8/31,完了,2023/8/20,`,
  ].join('\n');
  const { status, report } = await uploadTo('follow-ups', file);
  expect({ status, problems: report.problems }).toEqual({ status: 200, problems: [] });
  expect(report).toMatchObject({ inserted: 2 });
  expect(await overdue()).toEqual([{ description: 'Excelから: 協議会の要綱案を作る', overdue: true }]);
});

it('refuses follow-ups the API would refuse: not on a visit of the prefecture, for a municipality not visited, done without a date', async () => {
  const [tokyoVisit] = await stack.dispatch.subgraph.dataSource.query(`SELECT external_id FROM visit WHERE prefecture_code = '13' LIMIT 1`);
  const file = [
    'follow_up_id,prefecture_code,visit_id,municipality_code,description,owner_kind,due_on,status,completed_on',
    `FU-BAD-1,01,${tokyoVisit.external_id},012025,x,MUNICIPALITY,2023-09-30,OPEN,`,
    `FU-BAD-2,01,HKD-2023-FU,011002,x,MUNICIPALITY,2023-09-30,OPEN,`,
    `FU-BAD-3,01,HKD-2023-FU,012025,x,MUNICIPALITY,2023-09-30,DONE,`,
  ].join('\n');
  const { status, report } = await uploadTo('follow-ups', file);
  expect(status).toBe(422);
  const { problems } = report;
  // Rules of the row alone first: the row done without a date.
  expect(problems).toEqual([expect.objectContaining({ line: 4, column: 'completed_on', reasonJa: expect.stringContaining('完了日') })]);
  const rest = await uploadTo('follow-ups', file.split('\n').slice(0, 3).join('\n'));
  expect(rest.report.problems).toEqual([
    expect.objectContaining({ line: 2, column: 'visit_id', reason: `no visit of prefecture 01 has id ${tokyoVisit.external_id} (import the visits first)` }),
    expect.objectContaining({ line: 3, column: 'municipality_code', value: '011002' }),
  ]);
});

it("downloads follow-ups with the owner's name beside the roster id, and refuses a row whose name is not the id's", async () => {
  const csv = readCsv(await (await fetch(url('/import/follow-ups.csv'), { headers: staff01 })).text());
  expect(csv.columns).toEqual(expect.arrayContaining(['owner_advisor_id', 'owner_advisor_name', 'municipality_name']));
  expect(csv.columns.indexOf('owner_advisor_name')).toBe(csv.columns.indexOf('owner_advisor_id') + 1);
  const row = csv.rows.find((r) => r.values.follow_up_id === 'FU-2')!.values;
  expect(row).toMatchObject({ owner_advisor_id: advisor.external_id, owner_advisor_name: advisor.name });
  const { status, report } = await uploadTo(
    'follow-ups',
    [csv.columns.join(','), csv.columns.map((c) => JSON.stringify(c === 'owner_advisor_name' ? '別の人' : row[c])).join(',')].join('\n'),
    staff01,
    '?dryRun=true',
  );
  expect(status).toBe(422);
  expect(report.problems).toEqual([
    expect.objectContaining({ column: 'owner_advisor_name', value: '別の人', reasonJa: expect.stringContaining(`「${advisor.name}」です`) }),
  ]);
  // A name with no id beside it (the owner made the municipality) is refused, not dropped unchecked.
  const municipal: Record<string, string> = { ...row, owner_kind: 'MUNICIPALITY', owner_advisor_id: '' };
  const nameOnly = await uploadTo(
    'follow-ups',
    [csv.columns.join(','), csv.columns.map((c) => JSON.stringify(municipal[c])).join(',')].join('\n'),
    staff01,
    '?dryRun=true',
  );
  expect(nameOnly.report.problems).toEqual([
    expect.objectContaining({
      column: 'owner_advisor_name',
      reason: expect.stringContaining('owner_advisor_id is empty'),
      reasonJa: expect.stringContaining('担当アドバイザーIDが空欄'),
    }),
  ]);
});

it('refuses a row of a visit cancelled in the system, naming it, rather than updating it and leaving it cancelled', async () => {
  await cancelledVisit('HKD-2023-010', '後で取りやめる訪問');
  for (const summary of ['後で取りやめる訪問', 'Excelで直した概要']) {
    const again = await upload(japaneseLog('HKD-2023-010', summary));
    expect(again.status).toBe(422);
    expect(again.report).toMatchObject({ applied: false, inserted: 0, updated: 0 });
    expect(again.report.problems).toEqual([
      expect.objectContaining({ line: 2, column: 'visit_id', value: 'HKD-2023-010', reasonJa: expect.stringContaining('取りやめ') }),
    ]);
  }
  const [row] = await stack.dispatch.subgraph.dataSource.query(`SELECT status, summary FROM visit WHERE external_id = 'HKD-2023-010'`);
  expect(row).toEqual({ status: 'CANCELLED', summary: '後で取りやめる訪問' });
  // Nor does it take a follow-up from a file: said so, rather than "no such visit".
  const followUp = await uploadTo(
    'follow-ups',
    [
      'follow_up_id,prefecture_code,visit_id,municipality_code,description,owner_kind,due_on',
      'FU-CANCELLED,01,HKD-2023-010,012025,連絡する,市町村,2026-01-31',
    ].join('\n'),
  );
  expect(followUp.report.problems).toEqual([
    expect.objectContaining({ column: 'visit_id', value: 'HKD-2023-010', reasonJa: expect.stringContaining('取りやめ') }),
  ]);
});

it('downloads one fiscal year of the log and of its follow-ups (?fiscalYear=2025, 令和7年度, R7); the files that have no year refuse one', async () => {
  const rowsOf = async (path: string) => {
    const response = await fetch(url(path), { headers: staff01 });
    expect([path, response.status]).toEqual([path, 200]);
    return readCsv(await response.text()).rows.map((r) => r.values);
  };
  const all = await rowsOf('/import/visits.csv');
  const year = await rowsOf('/import/visits.csv?fiscalYear=2025');
  const inYear = (date: string) => date >= '2025-04-01' && date <= '2026-03-31';
  expect(year.length).toBeGreaterThan(0);
  expect(year.length).toBeLessThan(all.length);
  expect(year).toEqual(all.filter((v) => inYear(v.visited_on)));
  for (const written of ['令和7年度', 'R7', '2025年度']) expect(await rowsOf(`/import/visits.csv?fiscalYear=${encodeURIComponent(written)}`)).toEqual(year);
  const visitIds = new Set(year.map((v) => v.visit_id));
  const followUps = await rowsOf('/import/follow-ups.csv');
  const followUpsOfYear = await rowsOf('/import/follow-ups.csv?fiscalYear=2025');
  expect(followUpsOfYear.length).toBeGreaterThan(0);
  expect(followUpsOfYear).toEqual(followUps.filter((f) => visitIds.has(f.visit_id)));

  const refused = async (path: string) => {
    const response = await fetch(url(path), { headers: staff01 });
    return { status: response.status, body: await response.json() };
  };
  expect(await refused('/import/core-centers.xlsx?fiscalYear=2025')).toEqual({
    status: 400,
    body: expect.objectContaining({ code: 'BAD_USER_INPUT', field: 'fiscalYear', value: 2025, messageJa: expect.stringContaining('年度では絞れません') }),
  });
  // A year not begun, as the exports refuse it.
  const next = fiscalYearOf(todayInJapan()) + 1;
  expect(await refused(`/import/visits.csv?fiscalYear=${next}`)).toEqual({
    status: 400,
    body: expect.objectContaining({ code: 'BAD_USER_INPUT', field: 'fiscalYear', value: next, messageJa: expect.stringContaining('まだ始まっていません') }),
  });
  expect(await refused('/import/visits.xlsx?fiscalYear=%E4%BB%A4%E5%92%8C%E5%85%83%E5%B9%B4%E5%BA%A6x')).toEqual({
    status: 400,
    body: expect.objectContaining({ code: 'BAD_USER_INPUT', field: 'fiscalYear', value: '令和元年度x' }),
  });
});

it('refuses a download larger than IMPORT_DOWNLOAD_MAX_ROWS before reading it, saying how to ask for fewer', async () => {
  const response = await fetch(url('/import/visits.xlsx'), { headers: stack.asAdmin });
  expect(response.status).toBe(400);
  const body = await response.json();
  expect(body).toMatchObject({ code: 'QUERY_LIMIT_EXCEEDED', messageJa: expect.stringContaining('上限の 1,000 行') });
  expect(body.error).toMatch(/would hold [\d,]+ rows, more than 1,000 \(IMPORT_DOWNLOAD_MAX_ROWS\): ask for fewer with \?prefecture=01 or \?fiscalYear=2025/);
  // What it says works: one prefecture's log.
  expect((await fetch(url('/import/visits.xlsx?prefecture=01'), { headers: stack.asAdmin })).status).toBe(200);
});

it('keeps requests and checklist assessments true to the visit they were recorded at, as follow-ups (API and import)', async () => {
  const { report } = await upload(japaneseLog('HKD-2023-RQ', '要望を受けた訪問'));
  expect(report).toMatchObject({ problems: [], inserted: 1 });
  const [visit] = await stack.dispatch.subgraph.dataSource.query(`SELECT id, version FROM visit WHERE external_id = 'HKD-2023-RQ'`);
  const advisor01 = await stack.as('ADVISOR', '01');
  const createRequest = (raisedOn: string, visitId = visit.id) =>
    stack.query(
      'mutation($i: CreateRequestInput!) { createRequest(input: $i) { id } }',
      { i: { municipalityCode: '012025', visitId, summary: '相談支援体制についての要望', raisedOn } },
      advisor01,
    );
  // Raised before the visit it was raised at: refused, as a follow-up due before it is.
  const early = await createRequest('2023-06-11');
  expect(early.body.errors![0].extensions).toMatchObject({ code: 'BAD_USER_INPUT', argument: 'input.raisedOn', value: '2023-06-11' });
  const raised = await createRequest('2023-06-12');
  expect(raised.body.errors).toBeUndefined();
  const requestId = raised.body.data!.createRequest.id;
  // The visit cannot move past the request, nor leave its municipality: the request is named by id, not by its text.
  const update = 'mutation($i: UpdateVisitInput!) { updateVisit(input: $i) { id } }';
  const moved = await stack.query(update, { i: { id: visit.id, version: visit.version, date: '2023-06-13' } }, stack.asAdmin);
  expect(moved.body.errors![0].extensions).toMatchObject({
    code: 'BAD_USER_INPUT',
    argument: 'input.date',
    reasonJa: expect.stringContaining(`要望 ${requestId}`),
  });
  expect(JSON.stringify(moved.body.errors)).not.toContain('相談支援体制');
  const fileLater = japaneseLog('HKD-2023-RQ', '要望を受けた訪問').replace('令和5年6月12日', '令和5年6月13日');
  const refused = await upload(fileLater);
  expect(refused.status).toBe(422);
  expect(refused.report.problems).toEqual([expect.objectContaining({ column: 'visited_on', reasonJa: expect.stringContaining(`要望 ${requestId}`) })]);
  // A cancelled visit takes no new request or assessment (as it takes no follow-up).
  const cancelledId = await cancelledVisit('HKD-2023-RQ-CANCELLED', '取りやめる訪問');
  const onCancelled = await createRequest('2026-01-01', cancelledId);
  expect(onCancelled.body.errors![0].extensions).toMatchObject({ code: 'NOT_FOUND', argument: 'input.visitId' });
  // Another prefecture's visit is none either: the refusal names none of its municipalities.
  const [tokyo] = await stack.dispatch.subgraph.dataSource.query(`SELECT id FROM visit WHERE prefecture_code = '13' AND status = 'ACTIVE' LIMIT 1`);
  const onOther = await createRequest('2026-01-01', tokyo.id);
  expect(onOther.body.errors![0].extensions).toMatchObject({ code: 'NOT_FOUND', argument: 'input.visitId' });
  expect(JSON.stringify(onOther.body.errors)).not.toMatch(/13\d{4}/);
  const assessment = await recordAssessment('012025', cancelledId, advisor01);
  expect(assessment.body.errors![0].extensions).toMatchObject({ code: 'NOT_FOUND', argument: 'input.visitId' });
  // On another prefecture's visit: tests/security/6-input-limits.test.ts.
});

it('refuses a request or an assessment for a well-formed code of no municipality (it would be stored and never shown)', async () => {
  const advisor01 = await stack.as('ADVISOR', '01');
  const before = await stack.dispatch.subgraph.dataSource.query(`SELECT count(*)::int AS n FROM municipal_request`);
  // 019992: two digits of 北海道, the right check digit, and no such municipality.
  const request = await stack.query(
    'mutation($i: CreateRequestInput!) { createRequest(input: $i) { id } }',
    { i: { municipalityCode: '019992', summary: '存在しない市町村への要望', raisedOn: '2026-01-01' } },
    advisor01,
  );
  expect(request.body.errors![0].extensions).toMatchObject({
    code: 'BAD_USER_INPUT',
    argument: 'input.municipalityCode',
    value: '019992',
    reasonJa: expect.stringContaining('市町村コード 019992 の市町村はありません'),
  });
  const assessment = await recordAssessment('019992', null, advisor01);
  expect(assessment.body.errors![0].extensions).toMatchObject({ code: 'BAD_USER_INPUT', argument: 'input.municipalityCode', value: '019992' });
  expect(await stack.dispatch.subgraph.dataSource.query(`SELECT count(*)::int AS n FROM municipal_request`)).toEqual(before);
});

it("loads municipalities' requests (要望) from Excel, at a visit or not, and shows them at once; the answer can be recorded in the file", async () => {
  expect((await upload(japaneseLog('HKD-2023-YB', '要望を受けた訪問（ファイル）'))).report).toMatchObject({ problems: [], inserted: 1 });
  const requestsOf = async (code: string) =>
    (
      await stack.query('query($c: ID!) { municipality(code: $c) { requests { summary statusLabel raisedOn response visit { date } } } }', { c: code }, staff01)
    ).body.data!.municipality.requests.filter((q: { summary: string }) => q.summary.startsWith('Excelから'));
  const file = [
    '要望ID,都道府県コード,市町村コード,市町村名,受付日,要望内容,派遣記録ID,状況,回答',
    'YB-1,01,012025,函館市,令和5年6月12日,Excelから: 研修の講師派遣,HKD-2023-YB,受付,',
    'YB-2,1,11002,札幌市,2024/5/1,Excelから: 協議会の運営助言,,回答済,次回訪問で助言します',
  ].join('\n');
  const { status, report } = await uploadTo('requests', file);
  expect({ status, problems: report.problems }).toEqual({ status: 200, problems: [] });
  expect(report).toMatchObject({ inserted: 2, importId: expect.any(String) });
  // Codes Excel mangled are repaired, with a warning each.
  expect(report.warnings.map((w: { column: string }) => w.column)).toEqual(['prefecture_code', 'municipality_code']);
  expect(await requestsOf('012025')).toEqual([
    { summary: 'Excelから: 研修の講師派遣', statusLabel: '受付', raisedOn: '2023-06-12', response: null, visit: { date: '2023-06-12' } },
  ]);
  expect(await requestsOf('011002')).toEqual([
    { summary: 'Excelから: 協議会の運営助言', statusLabel: '回答済', raisedOn: '2024-05-01', response: '次回訪問で助言します', visit: null },
  ]);
  // Answered in the file later: updated, not copied.
  const answered = await uploadTo('requests', file.replace('HKD-2023-YB,受付,', 'HKD-2023-YB,回答済,研修講師を紹介しました'));
  expect(answered.report).toMatchObject({ problems: [], inserted: 0, updated: 1, unchanged: 1 });
  expect((await requestsOf('012025'))[0]).toMatchObject({ statusLabel: '回答済', response: '研修講師を紹介しました' });
  // One fiscal year of them: raised in it.
  const ofYear = readCsv(await (await fetch(url('/import/requests.csv?fiscalYear=令和5年度'), { headers: staff01 })).text()).rows.map((r) => r.values);
  expect(ofYear.map((r) => r.request_id)).toContain('YB-1');
  expect(ofYear.map((r) => r.request_id)).not.toContain('YB-2');
  expect(ofYear.every((r) => r.raised_on >= '2023-04-01' && r.raised_on <= '2024-03-31')).toBe(true);
});

it('refuses requests the API would refuse, naming each cell and never quoting what was asked', async () => {
  const [tokyoVisit] = await stack.dispatch.subgraph.dataSource.query(
    `SELECT external_id FROM visit WHERE prefecture_code = '13' AND status = 'ACTIVE' LIMIT 1`,
  );
  const file = [
    'request_id,prefecture_code,municipality_code,raised_on,summary,visit_id,status,response',
    'RQ-BAD-1,01,131016,2024-01-10,他県の市町村への要望,,,',
    'RQ-BAD-2,01,019992,2024-01-10,存在しない市町村への要望,,,',
    'RQ-BAD-3,01,012025,2099-01-10,未来の要望,,,',
    'RQ-BAD-4,01,012025,2024-01-10,"　",,,',
    'RQ-BAD-5,01,012025,2024-01-10,要望,,保留,',
  ].join('\n');
  const { status, report } = await uploadTo('requests', file);
  expect(status).toBe(422);
  expect(report.problems).toEqual([
    expect.objectContaining({ line: 2, column: 'municipality_code', value: '131016', reasonJa: expect.stringContaining('都道府県 01 の市町村ではありません') }),
    expect.objectContaining({ line: 3, column: 'municipality_code', value: '019992', reasonJa: expect.stringContaining('の市町村はありません') }),
    expect.objectContaining({ line: 4, column: 'raised_on', reasonJa: expect.stringContaining('今日') }),
    expect.objectContaining({ line: 5, column: 'summary', reasonJa: '空欄にはできません' }),
    expect.objectContaining({ line: 6, column: 'status', value: '保留' }),
  ]);
  expect(report.problems[3].value).toBeUndefined();
  // On visits: raised before the visit, another prefecture's visit (none), a cancelled visit.
  await cancelledVisit('HKD-2023-YB-CANCEL', '取りやめる訪問');
  const onVisits = [
    'request_id,prefecture_code,municipality_code,raised_on,summary,visit_id',
    'RQ-BAD-6,01,012025,2023-06-11,訪問の前日の要望,HKD-2023-YB-CANCEL',
    `RQ-BAD-7,01,012025,2024-01-10,他県の訪問での要望,${tokyoVisit.external_id}`,
    'RQ-BAD-8,01,011002,2023-06-20,訪問先でない市町村の要望,HKD-2023-001',
    'RQ-BAD-9,01,012025,2023-06-11,訪問の前日の要望,HKD-2023-001',
  ].join('\n');
  const refused = await uploadTo('requests', onVisits);
  expect(refused.status).toBe(422);
  expect(refused.report.problems).toEqual([
    expect.objectContaining({ line: 2, column: 'visit_id', reasonJa: expect.stringContaining('取りやめた訪問には要望を付けられません') }),
    expect.objectContaining({ line: 3, column: 'visit_id', reason: `no visit of prefecture 01 has id ${tokyoVisit.external_id} (import the visits first)` }),
    expect.objectContaining({ line: 4, column: 'municipality_code', value: '011002' }),
    expect.objectContaining({ line: 5, column: 'raised_on', value: '2023-06-11', reasonJa: expect.stringContaining('訪問日（2023-06-12）より前') }),
  ]);
  expect(JSON.stringify([report, refused.report])).not.toMatch(/への要望|未来の要望|前日の要望|他県の訪問|訪問先でない/);
  expect(await stack.dispatch.subgraph.dataSource.query(`SELECT count(*)::int AS n FROM municipal_request WHERE external_id LIKE 'RQ-BAD-%'`)).toEqual([
    { n: 0 },
  ]);
});

it("loads municipalities' checklist self-checks from Excel (○ △ ×, the item's text beside its id), and a corrected sheet updates them", async () => {
  const items: Array<{ item_id: string; text: string }> = await stack.dispatch.subgraph.dataSource.query(
    `SELECT item_id, text FROM checklist_item WHERE template_id = 'council-guideline-2025' ORDER BY position`,
  );
  const marks = ['○', '△', '×'];
  const sheet = (date: string, mark: (i: number) => string) =>
    [
      '都道府県コード,市町村コード,市町村名,実施日,チェックリストID,項目ID,項目,評価,コメント',
      ...items.map((item, i) => `01,012025,函館市,${date},council-guideline-2025,${item.item_id},"${item.text}",${mark(i)},${i === 0 ? '事務局と要相談' : ''}`),
    ].join('\n');
  const latest = async () =>
    (
      await stack.query(
        '{ municipality(code: "012025") { latestAssessment { assessedOn metCount partlyCount notMetCount results { itemId resultLabel comment } } } }',
        undefined,
        staff01,
      )
    ).body.data!.municipality.latestAssessment;
  const { status, report } = await uploadTo(
    'assessments',
    sheet('令和8年4月10日', (i) => marks[i % 3]),
  );
  expect({ status, problems: report.problems }).toEqual({ status: 200, problems: [] });
  expect(report).toMatchObject({ inserted: items.length, importId: expect.any(String) });
  const loaded = await latest();
  expect(loaded).toMatchObject({
    assessedOn: '2026-04-10',
    metCount: items.filter((_, i) => i % 3 === 0).length,
    partlyCount: items.filter((_, i) => i % 3 === 1).length,
    notMetCount: items.filter((_, i) => i % 3 === 2).length,
  });
  expect(loaded.results[0]).toEqual({ itemId: items[0].item_id, resultLabel: 'できている', comment: '事務局と要相談' });
  // A corrected sheet (every item met now) updates the answers, adding nothing.
  const corrected = await uploadTo(
    'assessments',
    sheet('2026/4/10', () => 'できている'),
  );
  expect(corrected.report).toMatchObject({ problems: [], inserted: 0, updated: items.filter((_, i) => i % 3 !== 0).length });
  expect(await latest()).toMatchObject({ assessedOn: '2026-04-10', metCount: items.length, notMetCount: 0 });
  // The download of that year has it, item by item, and imports back unchanged.
  const downloaded = await (await fetch(url('/import/assessments.csv?fiscalYear=2026'), { headers: staff01 })).text();
  const rows = readCsv(downloaded)
    .rows.map((r) => r.values)
    .filter((r) => r.municipality_code === '012025');
  expect(rows.map((r) => [r.item_id, r.item_text, r.result])).toEqual(items.map((i) => [i.item_id, i.text, 'MET']));
  expect((await uploadTo('assessments', downloaded)).report).toMatchObject({ problems: [], inserted: 0, updated: 0 });
  // Undone: the assessment is gone, as before the first import.
  const undo = await fetch(url(`/import/assessments/${corrected.report.importId}/revert`), { method: 'POST', headers: staff01 });
  expect(undo.status).toBe(200);
  expect((await latest()).notMetCount).toBe(items.filter((_, i) => i % 3 === 2).length);
  expect((await fetch(url(`/import/assessments/${report.importId}/revert`), { method: 'POST', headers: staff01 })).status).toBe(200);
  expect((await latest())?.assessedOn).not.toBe('2026-04-10');
});

it("erases a self-check's earlier comments a corrected sheet replaced; the imports that held them can no longer be reverted", async () => {
  const items: Array<{ item_id: string; text: string }> = await stack.dispatch.subgraph.dataSource.query(
    `SELECT item_id, text FROM checklist_item WHERE template_id = 'council-guideline-2025' ORDER BY position`,
  );
  const person = `高橋三郎-${Date.now()}`; // a name written where it should not have been
  const sheet = (comment: string) =>
    [
      'prefecture_code,municipality_code,assessed_on,template_id,item_id,item_text,result,comment',
      ...items.map((item, i) => `01,012025,2026-06-01,council-guideline-2025,${item.item_id},"${item.text}",MET,${i === 0 ? comment : ''}`),
    ].join('\n');
  const first = await uploadTo('assessments', sheet(`${person}さんの件で要相談`));
  expect(first.report).toMatchObject({ problems: [], inserted: items.length });
  const corrected = await uploadTo('assessments', sheet('事務局と要相談'));
  expect(corrected.report).toMatchObject({ problems: [], updated: 1 });
  const db = stack.dispatch.subgraph.dataSource;
  expect(await tablesHolding(db, person)).toEqual(['history']);
  const [{ id }] = await db.query(`SELECT id FROM assessment WHERE municipality_code = '012025' AND assessed_on = '2026-06-01'`);

  const ERASE = `mutation($i: EraseEarlierAssessmentTextsInput!, $k: String) {
    eraseEarlierAssessmentTexts(input: $i, idempotencyKey: $k) { results { comment } textErasures { erasedBy reason historyEntries } } }`;
  const input = { id, reason: '本人からの削除請求（受付番号 2026-004）' };
  for (const [who, code] of [
    [await stack.as('ADVISOR', '01'), 'FORBIDDEN'],
    [await stack.as('PREFECTURE_STAFF', '13'), 'FORBIDDEN'],
    [await stack.as('ANALYST'), 'FORBIDDEN'],
    [{}, 'UNAUTHENTICATED'],
  ] as const) {
    expect((await stack.query(ERASE, { i: input }, who)).body.errors![0].extensions!.code).toBe(code);
  }
  expect((await stack.query(ERASE, { i: { ...input, reason: '' } }, staff01)).body.errors![0].extensions).toMatchObject({
    code: 'BAD_USER_INPUT',
    argument: 'input.reason',
  });
  expect(await tablesHolding(db, person)).toEqual(['history']); // nothing was erased by a refusal
  const erased = await stack.query(ERASE, { i: input, k: 'erase-assessment-0001' }, staff01);
  expect(erased.body.errors).toBeUndefined();
  const { results, textErasures } = erased.body.data!.eraseEarlierAssessmentTexts;
  expect(results[0].comment).toBe('事務局と要相談'); // what the answer holds now stays
  // The first import's row (after) and the corrected sheet's (before).
  expect(textErasures).toEqual([{ erasedBy: expect.stringMatching(/^PREFECTURE_STAFF:/), reason: input.reason, historyEntries: 2 }]);
  expect(await tablesHolding(db, person)).toEqual([]);
  // Either import reverted would put the comment back: both are refused, saying why.
  for (const importId of [corrected.report.importId, first.report.importId]) {
    const reverted = await fetch(url(`/import/assessments/${importId}/revert`), { method: 'POST', headers: staff01 });
    expect(reverted.status).toBe(409);
    expect(await reverted.json()).toMatchObject({ code: 'CONFLICT', messageJa: expect.stringContaining('消去された') });
  }
  // A retry records nothing twice; the record is the prefecture's staff's to read.
  expect((await stack.query(ERASE, { i: input, k: 'erase-assessment-0001' }, staff01)).body.data!.eraseEarlierAssessmentTexts.textErasures).toHaveLength(1);
  const read = await stack.query(
    '{ municipality(code: "012025") { latestAssessment { assessedOn textErasures { historyEntries } } } }',
    undefined,
    await stack.as('ADVISOR', '01'),
  );
  expect(read.body.errors?.[0]?.extensions?.code).toBe('FORBIDDEN');
});

it('refuses self-check rows recordAssessment would refuse: a new one missing items, an unknown item, a mismatched text, one visit per assessment', async () => {
  const items: Array<{ item_id: string; text: string }> = await stack.dispatch.subgraph.dataSource.query(
    `SELECT item_id, text FROM checklist_item WHERE template_id = 'council-guideline-2025' ORDER BY position`,
  );
  const header = 'prefecture_code,municipality_code,assessed_on,template_id,item_id,item_text,result,comment,visit_id';
  const row = (item: string, text: string, extra = ',MET,,') => `01,012025,2026-05-01,council-guideline-2025,${item},"${text}"${extra}`;
  // Two items only: a new assessment answers all of them.
  const partial = await uploadTo('assessments', [header, row(items[0].item_id, items[0].text), row(items[1].item_id, items[1].text)].join('\n'));
  expect(partial.status).toBe(422);
  expect(partial.report.problems).toEqual([
    expect.objectContaining({
      line: 2,
      column: 'item_id',
      reasonJa: expect.stringContaining(
        `不足: ${items
          .slice(2)
          .map((i) => i.item_id)
          .join('、')}`,
      ),
    }),
  ]);
  const wrong = [
    header,
    ...items.map((item, i) =>
      i === 0 ? row('99', item.text) : i === 1 ? row(item.item_id, items[2].text) : row(item.item_id, item.text, i === 2 ? ',MET,,HKD-2023-001' : ',MET,,'),
    ),
  ].join('\n');
  const refused = await uploadTo('assessments', wrong);
  expect(refused.status).toBe(422);
  expect(refused.report.problems).toEqual(
    expect.arrayContaining([
      expect.objectContaining({ line: 2, column: 'item_id', value: '99', reasonJa: expect.stringContaining('項目 99 はありません') }),
      expect.objectContaining({ line: 3, column: 'item_text', reasonJa: expect.stringContaining('項目IDを確かめてください') }),
      expect.objectContaining({ line: 4, column: 'visit_id', reasonJa: expect.stringContaining('すべて同じ派遣記録ID') }),
    ]),
  );
  // A template id of no template's form (the key joins its parts with |) is refused, never a server error.
  const oddTemplate = await uploadTo('assessments', [header, `01,012025,2026-05-01,council|guideline,1,,MET,,`].join('\n'));
  expect(oddTemplate.status).toBe(422);
  expect(oddTemplate.report.problems).toEqual([expect.objectContaining({ column: 'template_id', value: 'council|guideline' })]);
  // A comment is free text: never quoted.
  const withComment = await uploadTo('assessments', [header, row(items[0].item_id, items[0].text, ',保留,本人Bさんの件,')].join('\n'));
  expect(withComment.report.problems).toEqual([expect.objectContaining({ column: 'result', value: '保留' })]);
  expect(JSON.stringify(withComment.report)).not.toContain('本人Bさん');
  expect(await stack.dispatch.subgraph.dataSource.query(`SELECT count(*)::int AS n FROM assessment WHERE assessed_on = '2026-05-01'`)).toEqual([{ n: 0 }]);
});

it('imports back unchanged a file of requests and self-checks whose visit was cancelled since (only a new one may not name it)', async () => {
  expect((await upload(japaneseLog('HKD-2023-LATER-CANCELLED', '後で取りやめる訪問（記録あり）'))).report).toMatchObject({ problems: [], inserted: 1 });
  const items: Array<{ item_id: string }> = await stack.dispatch.subgraph.dataSource.query(
    `SELECT item_id FROM checklist_item WHERE template_id = 'council-guideline-2025' ORDER BY position`,
  );
  const request = await uploadTo(
    'requests',
    [
      'request_id,prefecture_code,municipality_code,raised_on,summary,visit_id',
      'RQ-ON-CANCELLED,01,012025,2023-06-12,取りやめ前の要望,HKD-2023-LATER-CANCELLED',
    ].join('\n'),
  );
  const selfCheck = await uploadTo(
    'assessments',
    [
      'prefecture_code,municipality_code,assessed_on,template_id,item_id,result,visit_id',
      ...items.map((i) => `01,012025,2023-06-12,council-guideline-2025,${i.item_id},MET,HKD-2023-LATER-CANCELLED`),
    ].join('\n'),
  );
  expect([request.report.problems, selfCheck.report.problems]).toEqual([[], []]);
  const [visit] = await stack.dispatch.subgraph.dataSource.query(`SELECT id FROM visit WHERE external_id = 'HKD-2023-LATER-CANCELLED'`);
  const cancelled = await stack.query(
    'mutation($id: ID!) { cancelVisit(input: { id: $id, version: 1, reason: "誤登録" }) { status } }',
    { id: visit.id },
    stack.asAdmin,
  );
  expect(cancelled.body.errors).toBeUndefined();
  for (const kind of ['requests', 'assessments']) {
    const file = await (await fetch(url(`/import/${kind}.csv?fiscalYear=2023`), { headers: staff01 })).text();
    expect(file).toContain('HKD-2023-LATER-CANCELLED');
    const again = await uploadTo(kind, file);
    expect({ kind, status: again.status, problems: again.report.problems }).toEqual({ kind, status: 200, problems: [] });
    expect(again.report).toMatchObject({ inserted: 0, updated: 0 });
  }
  // A new record may not name it.
  const added = await uploadTo(
    'requests',
    [
      'request_id,prefecture_code,municipality_code,raised_on,summary,visit_id',
      'RQ-NEW-ON-CANCELLED,01,012025,2023-06-12,新しい要望,HKD-2023-LATER-CANCELLED',
    ].join('\n'),
  );
  expect(added.report.problems).toEqual([expect.objectContaining({ column: 'visit_id', reasonJa: expect.stringContaining('取りやめ') })]);
});

it("keeps a visit in its prefecture: a file row moving it to another (even with that prefecture's advisors and towns) is refused", async () => {
  expect((await upload(japaneseLog('HKD-2023-MOVE', '動かせない訪問'))).report).toMatchObject({ problems: [], inserted: 1 });
  const [tokyoAdvisor] = await stack.dispatch.subgraph.dataSource.query(
    `SELECT external_id FROM advisor WHERE prefecture_code = '13' AND active_from <= '2023-06-12' AND (active_until IS NULL OR active_until >= '2023-06-12') ORDER BY external_id LIMIT 1`,
  );
  const moved = [
    'visit_id,prefecture_code,visited_on,advisor_ids,municipality_codes,format,purposes,summary',
    `HKD-2023-MOVE,13,2023-06-12,${tokyoAdvisor.external_id},131016,ON_SITE,CORE_CENTER,動かせない訪問`,
  ].join('\n');
  const { status, report } = await upload(moved, stack.asAdmin);
  expect(status).toBe(422);
  expect(report.problems).toEqual([
    expect.objectContaining({ column: 'prefecture_code', value: '13', reasonJa: expect.stringContaining('都道府県 01 のもの') }),
  ]);
  const [visit] = await stack.dispatch.subgraph.dataSource.query(
    `SELECT v.prefecture_code, array_agg(m.municipality_code) AS codes FROM visit v JOIN visit_municipality m ON m.visit_id = v.id WHERE v.external_id = 'HKD-2023-MOVE' GROUP BY v.prefecture_code`,
  );
  expect(visit).toEqual({ prefecture_code: '01', codes: ['012025'] });
});

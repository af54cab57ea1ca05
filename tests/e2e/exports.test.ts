/** CSV exports through the gateway: run GraphQL through the supergraph, one row per record, documented header. */
import { readFileSync } from 'node:fs';
import ExcelJS from 'exceljs';
import { projectPath } from '../../shared/paths';
import { readCsv } from '../../shared/csv';
import { japaneseColumnName } from '../../gateway/export-columns';
import { EXPORTS } from '../../gateway/exports';
import { startTestStack } from '../helpers/stack';

let stack: Awaited<ReturnType<typeof startTestStack>>;
beforeAll(async () => {
  // This file downloads every export in both formats, many times a minute — past any person's or BI tool's pace:
  // no points a minute here (tests/e2e/rate-limit.test.ts has them, exports included).
  stack = await startTestStack({ RATE_LIMIT_POINTS_PER_MINUTE: '0' });
});
afterAll(() => stack?.stop());

const origin = () => new URL(stack.gateway.url).origin;
const get = (path: string, headers: Record<string, string> = stack.asAdmin) => fetch(`${origin()}${path}`, { headers });
const columnsOf = (name: string) => EXPORTS.find((e) => e.name === name)!.columns;

it('exports the status of all 1,741 municipalities, one row each, with the documented header, for a spreadsheet', async () => {
  const response = await get('/export/municipality-status.csv?asOf=2025-04-01');
  expect(response.status).toBe(200);
  expect(response.headers.get('content-type')).toContain('text/csv');
  const bytes = Buffer.from(await response.arrayBuffer());
  expect([...bytes.subarray(0, 3)]).toEqual([0xef, 0xbb, 0xbf]); // BOM: Excel reads the file as UTF-8
  const text = bytes.toString('utf8');
  const { columns, rows } = readCsv(text);
  expect(columns).toEqual([...columnsOf('municipality-status')]);
  expect(rows).toHaveLength(1741);
  expect(new Set(rows.map((r) => r.values.code)).size).toBe(1741);
  const sapporo = rows.find((r) => r.values.code === '011002')!.values;
  expect(sapporo).toMatchObject({
    name: '札幌市',
    prefecture: '北海道',
    population: '1955678',
    core_center_coverage: 'SINGLE',
    core_center_coverage_label: '単独設置',
    council_established: 'true',
  });
  expect(rows.filter((r) => r.values.core_center_coverage !== 'NONE')).toHaveLength(1147);
});

it('lists every export at /export, with its parameters and files, each of which answers', async () => {
  const response = await get('/export');
  expect(response.status).toBe(200);
  const { exports } = (await response.json()) as { exports: Array<{ name: string; parameters: string[]; files: string[] }> };
  expect(exports.map((e) => e.name)).toEqual(EXPORTS.map((e) => e.name));
  expect(exports.find((e) => e.name === 'visits')).toMatchObject({
    parameters: ['prefecture', 'fiscalYear', 'asOf', 'lang'],
    files: ['/export/visits.csv', '/export/visits.xlsx'],
  });
  expect(await (await get('/export/')).json()).toEqual({ exports });
});

it("exports a prefecture's visit log across pages, without notes", async () => {
  const response = await get('/export/visits.csv?prefecture=01');
  expect(response.status).toBe(200);
  const { columns, rows } = readCsv(await response.text());
  expect(columns).toEqual([...columnsOf('visits')]);
  expect(columns).not.toContain('notes');
  const [{ n }] = await stack.dispatch.subgraph.dataSource.query(`SELECT count(*)::int AS n FROM visit WHERE prefecture_code = '01' AND status = 'ACTIVE'`);
  expect(rows).toHaveLength(n);
  expect(n).toBeGreaterThan(50); // more than one page of 50
  // The Japanese labels are the API's own, every duty's included ("(エ) 広域的課題…" holds parentheses of its own).
  const { body } = await stack.query('{ prefecture(code: "01") { visits(first: 1000) { nodes { id formatLabel purposeLabels { label } } } } }');
  const labels = new Map(body.data!.prefecture.visits.nodes.map((v: any) => [v.id, v]));
  for (const { values } of rows) {
    const visit: any = labels.get(values.id);
    expect([values.id, values.format_label, values.purpose_labels]).toEqual([
      values.id,
      visit.formatLabel,
      visit.purposeLabels.map((p: { label: string }) => p.label).join(';'),
    ]);
  }
  expect(new Set(rows.flatMap((r) => r.values.purposes.split(';'))).size).toBe(6); // every duty checked
});

it('lets no cache keep an export, a refusal or an import file: a proxy the offices share, a shared PC’s browser', async () => {
  const values = { asOf: '2025-04-01', prefecture: '01', fiscalYear: '2024' };
  const files = EXPORTS.flatMap(({ name, parameters }) =>
    ['csv', 'xlsx'].map((format) => `/export/${name}.${format}?${new URLSearchParams(parameters.map((p) => [p, values[p]]))}`),
  );
  for (const path of files) expect([path, (await get(path)).status]).toEqual([path, 200]);
  const paths = [
    ...files,
    '/export/visits.csv', // refused: no prefecture
    '/export/nothing.csv',
    '/import/visits.xlsx?prefecture=01',
    '/import/nothing.csv',
  ];
  for (const path of paths) {
    const response = await get(path);
    await response.arrayBuffer();
    expect({ path, cacheControl: response.headers.get('cache-control'), vary: response.headers.get('vary') }).toEqual({
      path,
      cacheControl: 'private, no-store',
      vary: expect.stringContaining('authorization'),
    });
  }
});

it('exports coverage statistics, and refuses bad parameters and bad tokens clearly', async () => {
  const stats = readCsv(await (await get('/export/coverage-statistics.csv?asOf=2025-04-01')).text());
  expect(stats.rows.find((r) => r.values.subject === 'coreCenters' && r.values.group === 'NATIONAL')!.values.covered).toBe('1147');
  expect((await get('/export/visits.csv')).status).toBe(400);
  expect((await get('/export/municipality-status.csv?asOf=2025-13-01')).status).toBe(400);
  expect((await get('/export/nothing.csv')).status).toBe(404);
  // anonymous callers may not export records: they are asked to sign in
  expect((await get('/export/municipality-status.csv', {})).status).toBe(401);
  expect((await fetch(`${origin()}/export/municipality-status.csv`, { headers: { authorization: 'Bearer forged' } })).status).toBe(401);
});

it("gives a prefecture-bound role only its own prefecture's rows, and refuses another's", async () => {
  const advisor = await stack.as('ADVISOR', '01');
  const own = readCsv(await (await get('/export/municipality-status.csv', advisor)).text());
  expect(own.rows).toHaveLength(179);
  expect(own.rows.every((r) => r.values.prefecture_code === '01')).toBe(true);
  expect((await get('/export/visits.csv?prefecture=13', advisor)).status).toBe(403);
  // An export of one prefecture is of the caller's own without ?prefecture= (as a refresh set up by staff asks it);
  // a caller who reads every prefecture is asked which.
  for (const [path, headers] of [
    ['/export/visits.csv', advisor],
    ['/export/notes-reads.csv', await stack.as('PREFECTURE_STAFF', '01')],
  ] as const) {
    const response = await get(path, headers);
    expect([path, response.status]).toEqual([path, 200]);
    const ownRows = readCsv(await response.text()).rows;
    if (path === '/export/visits.csv') expect(ownRows.length > 0 && ownRows.every((r) => r.values.prefecture_code === '01')).toBe(true);
  }
  const which = await get('/export/visits.csv', await stack.as('ANALYST'));
  expect(which.status).toBe(400);
  expect(await which.json()).toMatchObject({ code: 'BAD_USER_INPUT', field: 'prefecture', messageJa: expect.stringContaining('都道府県ごと') });
  // Analysts get the visit log without the free text that may identify a person: those columns stay empty.
  const analyst = await get('/export/visits.csv?prefecture=13', await stack.as('ANALYST'));
  expect(analyst.status).toBe(200);
  const rows = readCsv(await analyst.text()).rows;
  expect(rows.length).toBeGreaterThan(50);
  expect(rows.every((r) => r.values.topics === '' && r.values.summary === '' && r.values.issues_found === '' && r.values.date !== '')).toBe(true);
});

it("exports self-plans by MHLW's twelve classes then 全国, as counts beside the rates, matching the API", async () => {
  const file = readCsv(await (await get('/export/self-plans-by-class.csv?asOf=2024-03-31', await stack.as('ANALYST'))).text());
  expect(file.columns).toEqual(columnsOf('self-plans-by-class'));
  expect(file.rows.map((r) => r.values.label)).toEqual([
    '政令指定都市',
    '特別区',
    '中核市',
    '一般市（人口20万人以上）',
    '一般市（人口10万～20万人未満）',
    '一般市（人口5万～10万人未満）',
    '一般市（人口5万人未満）',
    '町村（人口2万人以上）',
    '町村（人口1万～2万人未満）',
    '町村（人口5千～1万人未満）',
    '町村（人口3千～5千人未満）',
    '町村（人口3千人未満）',
    '全国',
  ]);
  const national = file.rows[12].values;
  expect(national).toMatchObject({ as_of: '2024-03-31', municipalities: '1741', planning_rate_percent: '15.8', child_rate_percent: '30.7' });
  const sum = (column: string) => file.rows.slice(0, 12).reduce((n, r) => n + Number(r.values[column]), 0);
  expect(sum('planning_plans')).toBe(Number(national.planning_plans));
  expect(sum('child_self_plans')).toBe(Number(national.child_self_plans));
  // The rate is the ratio of the counts in every row.
  for (const { values: v } of file.rows) {
    expect(Number(v.planning_rate_percent)).toBe(Math.round((Number(v.planning_self_plans) / Number(v.planning_plans)) * 1000) / 10);
  }
});

it('exports core centers, bases and the worklist, one row each, for the prefectures the caller may read', async () => {
  const staff = await stack.as('PREFECTURE_STAFF', '01', 'staff-01');
  const centers = readCsv(await (await get('/export/core-centers.csv?asOf=2025-04-01', staff)).text());
  expect(centers.columns).toEqual(columnsOf('core-centers'));
  expect(centers.rows.length).toBeGreaterThan(10);
  expect(centers.rows.every((r) => r.values.prefecture_code === '01' && /^(単独設置|共同設置)$/.test(r.values.setup_label))).toBe(true);
  const national = readCsv(await (await get('/export/core-centers.csv?asOf=2025-04-01', await stack.as('ANALYST'))).text());
  expect(national.rows).toHaveLength(1462); // MHLW's national count of 2025-04-01, as the sample reproduces it
  const bases = readCsv(await (await get('/export/bases.csv?asOf=2025-04-01', staff)).text());
  expect(bases.columns).toEqual(columnsOf('bases'));
  expect(bases.rows.length).toBeGreaterThan(10);
  expect(bases.rows.every((r) => r.values.prefecture_code === '01' && ['true', 'false'].includes(r.values.review_overdue))).toBe(true);
  const worklist = readCsv(await (await get('/export/worklist.csv', staff)).text());
  expect(worklist.columns).toEqual(columnsOf('worklist'));
  const { body } = await stack.query('{ prefecture(code: "01") { advisorWorklist { municipality { code } } } }', undefined, staff);
  expect(worklist.rows.map((r) => r.values.municipality_code)).toEqual(body.data!.prefecture.advisorWorklist.map((w: any) => w.municipality.code));
  expect(worklist.rows[0].values.reason_labels).toMatch(/[\u3040-\u9fff]/);
});

it('starts every export with as_of, the day its figures are as of', () => {
  expect(EXPORTS.filter((e) => e.columns[0] !== 'as_of').map((e) => e.name)).toEqual([]);
});

it('documents in the README the parameters each export takes, as it takes them', () => {
  const readme = readFileSync(projectPath('README.md'), 'utf8');
  for (const { name, parameters } of EXPORTS) {
    const row = readme.split('\n').find((line) => line.startsWith(`| \`${name}.csv\` |`))!;
    const documented = [...row.split(' | ')[1].matchAll(/`(\w+)`/g)].map((m) => m[1]);
    expect({ name, documented: documented.sort() }).toEqual({ name, documented: [...parameters].sort() });
  }
});

it('names every column of every export in Japanese', () => {
  const unnamed = EXPORTS.flatMap((e) => e.columns.filter((c) => !japaneseColumnName(c)).map((c) => `${e.name}.${c}`));
  expect(unnamed).toEqual([]);
});

it('exports a workbook beside every CSV file: Japanese names over the English keys, frozen, codes as text, dates as dates', async () => {
  const values = { asOf: '2025-04-01', prefecture: '01', fiscalYear: '2024' };
  for (const { name, parameters } of EXPORTS) {
    const response = await get(`/export/${name}.xlsx?${new URLSearchParams(parameters.map((p) => [p, values[p]]))}`);
    expect([name, response.status]).toEqual([name, 200]);
    expect(response.headers.get('content-type')).toContain('spreadsheetml');
  }
  const response = await get('/export/municipality-status.xlsx?asOf=2025-04-01');
  const workbook = new ExcelJS.Workbook();
  await workbook.xlsx.load(await response.arrayBuffer());
  const sheet = workbook.worksheets[0];
  const columns = columnsOf('municipality-status');
  expect((sheet.getRow(1).values as unknown[]).slice(1)).toEqual(columns.map((c) => japaneseColumnName(c)));
  expect((sheet.getRow(2).values as unknown[]).slice(1)).toEqual([...columns]);
  expect(sheet.views[0]).toMatchObject({ state: 'frozen', ySplit: 2 });
  expect(sheet.rowCount).toBe(2 + 1741);
  const codeColumn = columns.indexOf('code') + 1;
  const sapporo = sheet.getRows(3, 1741)!.find((r) => r.getCell(codeColumn).value === '011002')!;
  expect(sapporo.getCell(codeColumn).type).toBe(ExcelJS.ValueType.String);
  expect(sapporo.getCell(columns.indexOf('prefecture_code') + 1).value).toBe('01');
  expect(sapporo.getCell(columns.indexOf('population') + 1).value).toBe(1955678);
  const visited = sheet.getRows(3, 1741)!.find((r) => r.getCell(columns.indexOf('last_visit_date') + 1).value)!;
  expect(visited.getCell(columns.indexOf('last_visit_date') + 1).value).toBeInstanceOf(Date);
});

it('gives the CSV header in Japanese with lang=ja, and refuses another language', async () => {
  const { columns } = readCsv(await (await get('/export/core-centers.csv?prefecture=01&lang=ja')).text());
  expect(columns).toEqual(columnsOf('core-centers').map((c) => japaneseColumnName(c)));
  expect(columns).toContain('設置形態');
  expect((await get('/export/core-centers.csv?lang=fr')).status).toBe(400);
});

it('applies asOf to every column and says so in as_of: the last visit and open follow-ups as of the day, the worklist of the day', async () => {
  const { rows } = readCsv(await (await get('/export/municipality-status.csv?asOf=2024-04-01&prefecture=01')).text());
  expect(rows.every((r) => r.values.as_of === '2024-04-01')).toBe(true);
  expect(rows.filter((r) => r.values.last_visit_date).every((r) => r.values.last_visit_date <= '2024-04-01')).toBe(true);
  const then = readCsv(await (await get('/export/worklist.csv?asOf=2024-04-01&prefecture=01')).text()).rows;
  const { body } = await stack.query('{ prefecture(code: "01") { onDate(asOf: "2024-04-01") { advisorWorklist { municipality { code } } } } }');
  expect(then.map((r) => r.values.municipality_code)).toEqual(body.data!.prefecture.onDate.advisorWorklist.map((w: any) => w.municipality.code));
  expect(then.every((r) => r.values.as_of === '2024-04-01' && (!r.values.last_visit_date || r.values.last_visit_date <= '2024-04-01'))).toBe(true);
  const visits = readCsv(await (await get('/export/visits.csv?prefecture=01&asOf=2024-04-01')).text()).rows;
  expect(visits.length).toBeGreaterThan(0);
  expect(visits.every((r) => r.values.date <= '2024-04-01')).toBe(true);
  // One fiscal year of the log, up to asOf when it falls in the year; none when it is before.
  const inYear = (date: string) => date >= '2024-04-01' && date <= '2025-03-31';
  const wholeLog = readCsv(await (await get('/export/visits.csv?prefecture=01')).text()).rows;
  const ofYear = readCsv(await (await get('/export/visits.csv?prefecture=01&fiscalYear=2024')).text()).rows;
  expect(ofYear.length).toBeGreaterThan(0);
  expect(ofYear.map((r) => r.values.id)).toEqual(wholeLog.filter((r) => inYear(r.values.date)).map((r) => r.values.id));
  expect(ofYear.every((r) => r.values.as_of === '2025-03-31')).toBe(true);
  const partOfYear = readCsv(await (await get('/export/visits.csv?prefecture=01&fiscalYear=2024&asOf=2024-09-30')).text()).rows;
  expect(partOfYear.map((r) => r.values.id)).toEqual(ofYear.filter((r) => r.values.date <= '2024-09-30').map((r) => r.values.id));
  expect(readCsv(await (await get('/export/visits.csv?prefecture=01&fiscalYear=2024&asOf=2024-03-01')).text()).rows).toEqual([]);
  const year = readCsv(await (await get('/export/activity-indicators.csv?fiscalYear=2024')).text()).rows;
  expect(year[0].values.as_of).toBe('2025-03-31');
  // A date as staff write it (a Power BI parameter, say): the same export.
  const onDate = await (await get('/export/municipality-status.csv?prefecture=01&asOf=2024-04-01')).text();
  for (const written of ['2024/4/1', '令和6年4月1日', 'R6.4.1']) {
    const same = await (await get(`/export/municipality-status.csv?prefecture=01&asOf=${encodeURIComponent(written)}`)).text();
    expect({ written, same: same === onDate }).toEqual({ written, same: true });
  }
  // The prefecture as staff write it: Excel's number, full-width digits, its name with or without 道.
  for (const written of ['1', '０１', '北海道', '北海']) {
    const same = await (await get(`/export/municipality-status.csv?prefecture=${encodeURIComponent(written)}&asOf=2024-04-01`)).text();
    expect({ written, same: same === onDate }).toEqual({ written, same: true });
  }
  // The fiscal year as staff write it (a Power BI parameter, say): the same export.
  for (const written of ['令和6年度', 'R6', '2024年度', '２０２４']) {
    const same = readCsv(await (await get(`/export/activity-indicators.csv?fiscalYear=${encodeURIComponent(written)}`)).text()).rows;
    expect({ written, rows: same }).toEqual({ written, rows: year });
  }
});

it('refuses every bad export request as the API does: code, field, value where safe, English and Japanese', async () => {
  const JAPANESE = /[\p{Script=Hiragana}\p{Script=Katakana}\p{Script=Han}]/u;
  const refusalOf = async (path: string, headers?: Record<string, string>) => {
    const answer = await get(path, headers);
    return { status: answer.status, body: (await answer.json()) as Record<string, unknown> };
  };
  const cases: Array<[string, number, Record<string, unknown>]> = [
    ['/export/municipality-status.csv?asOf=2025-02-30', 400, { code: 'BAD_USER_INPUT', field: 'asOf', value: '2025-02-30' }],
    ['/export/municipality-status.csv?prefecture=99', 400, { code: 'BAD_USER_INPUT', field: 'prefecture', value: '99' }],
    ['/export/municipality-status.csv?prefecture=%E6%9C%AD%E5%B9%8C%E5%B8%82', 400, { code: 'BAD_USER_INPUT', field: 'prefecture', value: '札幌市' }],
    ['/export/municipality-status.csv?asOf=R7.2.30', 400, { code: 'BAD_USER_INPUT', field: 'asOf', value: 'R7.2.30' }],
    ['/export/activity-indicators.csv?fiscalYear=R', 400, { code: 'BAD_USER_INPUT', field: 'fiscalYear', value: 'R' }],
    // No such year of that era: 平成 ended in 2019 (平成31年度 = 令和元年度).
    [
      '/export/activity-indicators.csv?fiscalYear=%E5%B9%B3%E6%88%9032%E5%B9%B4%E5%BA%A6',
      400,
      { code: 'BAD_USER_INPUT', field: 'fiscalYear', value: '平成32年度' },
    ],
    ['/export/activity-indicators.csv?fiscalYear=1800', 400, { code: 'BAD_USER_INPUT', field: 'fiscalYear', value: 1800 }],
    ['/export/activity-indicators.csv', 400, { code: 'BAD_USER_INPUT', field: 'fiscalYear' }],
    ['/export/core-centers.csv?lang=fr', 400, { code: 'BAD_USER_INPUT', field: 'lang', value: 'fr' }],
    // A parameter exports do not take is refused, not ignored (this one would have exported every prefecture).
    ['/export/municipality-status.csv?prefectureCode=01', 400, { code: 'BAD_USER_INPUT', field: 'prefectureCode' }],
    // Nor one that export does not take: coverage statistics are every prefecture's, activity indicators a year's.
    [
      '/export/coverage-statistics.csv?prefecture=01',
      400,
      { code: 'BAD_USER_INPUT', field: 'prefecture', error: expect.stringContaining('they take asOf, lang') },
    ],
    ['/export/activity-indicators.csv?fiscalYear=2024&asOf=2024-06-01', 400, { code: 'BAD_USER_INPUT', field: 'asOf' }],
    [
      '/export/municipality-status.csv?fiscalYear=2024',
      400,
      { code: 'BAD_USER_INPUT', field: 'fiscalYear', messageJa: expect.stringContaining('municipality-status の出力') },
    ],
    // Nor is one given twice read as one of them (shared/http.ts routeParameters, as imports).
    ['/export/municipality-status.csv?prefecture=01&prefecture=02', 400, { code: 'BAD_USER_INPUT', field: 'prefecture' }],
    ['/export/nothing.csv', 404, { code: 'NOT_FOUND', field: 'file', value: 'nothing.csv' }],
  ];
  for (const [path, status, expected] of cases) {
    const refused = await refusalOf(path);
    expect({ path, status: refused.status }).toEqual({ path, status });
    expect(refused.body).toMatchObject({ error: expect.any(String), messageJa: expect.stringMatching(JAPANESE), ...expected });
  }
  // A date in a form exports read, but not of the calendar: the refusal names the forms they read.
  expect((await refusalOf('/export/municipality-status.csv?asOf=R7.2.30')).body).toMatchObject({
    error: expect.stringContaining('2025/4/1, 令和7年4月1日 or R7.4.1'),
    messageJa: expect.stringContaining('令和7年4月1日'),
  });
  const anonymous = await refusalOf('/export/municipality-status.csv', {});
  expect(anonymous).toMatchObject({ status: 401, body: { code: 'UNAUTHENTICATED', messageJa: expect.stringMatching(JAPANESE) } });
  const otherPrefecture = await refusalOf('/export/visits.csv?prefecture=13', await stack.as('ADVISOR', '01'));
  expect(otherPrefecture).toMatchObject({ status: 403, body: { code: 'FORBIDDEN', messageJa: expect.stringContaining('都道府県 13') } });
  // A blank parameter, as a spreadsheet's empty cell leaves it in a URL, is no parameter.
  expect((await get('/export/municipality-status.csv?asOf=&prefecture=01')).status).toBe(200);
});

it('answers a failure of the server as one (500, logged with the request id the caller is given), never as the caller’s', async () => {
  const spec = EXPORTS.find((e) => e.name === 'core-centers')!;
  const produce = jest.spyOn(spec, 'produce').mockRejectedValueOnce(new TypeError('a bug in the export'));
  try {
    const response = await get('/export/core-centers.csv?prefecture=01', { ...stack.asAdmin, 'x-request-id': 'export-failure-1' });
    expect(response.status).toBe(500);
    expect(await response.json()).toMatchObject({ code: 'INTERNAL_SERVER_ERROR', requestId: 'export-failure-1', messageJa: expect.any(String) });
    const logged = stack.logLines.map((l) => JSON.parse(l)).find((l) => l.requestId === 'export-failure-1' && l.msg === 'export failed');
    expect(logged).toMatchObject({ level: 50, export: 'core-centers', err: expect.objectContaining({ message: 'a bug in the export' }) });
  } finally {
    produce.mockRestore();
  }
});

it('stops reading an export its caller left (a cancelled refresh): no further pages are read', async () => {
  // 07 福島県's log ten times over: some 40 pages of 50 visits.
  await stack.dispatch.subgraph.dataSource.query(`
    INSERT INTO visit (id, prefecture_code, visited_on, format, purposes, topics, summary, issues_found, attendees, status, sample, created_by, updated_by)
    SELECT gen_random_uuid(), prefecture_code, visited_on, format, purposes, topics, summary, issues_found, attendees, status, sample, created_by, updated_by
    FROM visit, generate_series(1, 10) WHERE prefecture_code = '07'`);
  const pages = (requestId: string) => stack.fetchesOf(requestId).filter((s) => s === 'dispatch').length;
  const whole = `export-whole-${Date.now()}`;
  const all = await get('/export/visits.csv?prefecture=07', { ...stack.asAdmin, 'x-request-id': whole });
  expect(readCsv(await all.text()).rows.length).toBeGreaterThan(2000);
  expect(pages(whole)).toBeGreaterThan(40);

  const left = `export-left-${Date.now()}`;
  const controller = new AbortController();
  const response = await fetch(`${origin()}/export/visits.csv?prefecture=07`, {
    headers: { ...stack.asAdmin, 'x-request-id': left, 'cache-control': 'no-cache' }, // read again, not from kept answers
    signal: controller.signal,
  });
  await response.body!.getReader().read(); // the first rows
  controller.abort();
  await new Promise((done) => setTimeout(done, 1500));
  const read = pages(left);
  expect(read).toBeGreaterThan(0);
  expect(read).toBeLessThan(pages(whole) / 2);
  await new Promise((done) => setTimeout(done, 500));
  expect(pages(left)).toBe(read); // and none after
  expect(stack.logLines.map((line) => JSON.parse(line))).toContainEqual(expect.objectContaining({ requestId: left, msg: 'export stopped: its caller left' }));
});

it('answers HEAD with the file’s name and type, checked as GET is, without reading a record', async () => {
  const head = (path: string, headers: Record<string, string> = stack.asAdmin) => {
    const requestId = `head-${Math.random().toString(16).slice(2)}`;
    return fetch(`${origin()}${path}`, { method: 'HEAD', headers: { ...headers, 'x-request-id': requestId } }).then((response) => ({
      response,
      fetches: stack.fetchesOf(requestId),
    }));
  };
  const path = '/export/visits.xlsx?prefecture=01&fiscalYear=2024&lang=ja';
  const file = await get(path);
  const { response, fetches } = await head(path);
  expect(response.status).toBe(200);
  expect(response.headers.get('content-disposition')).toBe(file.headers.get('content-disposition'));
  expect(response.headers.get('content-type')).toBe(file.headers.get('content-type'));
  expect(fetches).toEqual([]); // a national visit log is not read to be thrown away
  // Refused as GET would be: no credentials, another parameter, no such file — with no file name to save a refusal under.
  for (const [refused, status] of [
    [await head(path, {}), 401],
    [await head('/export/visits.xlsx?prefectureCode=01'), 400],
    [await head('/export/nothing.csv'), 404],
  ] as const) {
    expect(refused.response.status).toBe(status);
    expect(refused.response.headers.get('content-disposition')).toBeNull();
    expect(refused.response.headers.get('content-type')).toContain('application/json');
  }
});

it('names no file on a refusal that comes after the checks of its parameters (a 429 of the points a minute)', async () => {
  const limited = await startTestStack({ QUERY_MAX_COST: '20000', QUERY_HEAVY_COST: '20000', RATE_LIMIT_POINTS_PER_MINUTE: '20000' });
  try {
    const download = () => fetch(`${new URL(limited.gateway.url).origin}/export/municipality-status.csv?prefecture=01`, { headers: limited.asAdmin });
    expect((await download()).headers.get('content-disposition')).toContain('municipality-status_01_');
    const refused = await download();
    expect(refused.status).toBe(429);
    expect(refused.headers.get('content-disposition')).toBeNull();
    expect(refused.headers.get('content-type')).toContain('application/json');
  } finally {
    await limited.stop();
  }
});

/** The prefectural program (都道府県相談支援体制整備事業) through the gateway: the national table, records, imports. */
import { importPrograms } from '../../subgraphs/dispatch/import';
import { SAMPLE_PREFECTURES } from '../../subgraphs/dispatch/sample/generate';
import { startTestStack } from '../helpers/stack';

let stack: Awaited<ReturnType<typeof startTestStack>>;
beforeAll(async () => {
  stack = await startTestStack();
});
afterAll(() => stack?.stop());

it("reproduces MHLW's 2025 survey on the sample: 39 of 47 (83.0 %), the seven duty counts and the real model-project prefectures", async () => {
  const { body } = await stack.query(
    `{ prefecturalPrograms(fiscalYear: 2025) { fiscalYearLabel answered implemented implementedPercent
        duties { duty label prefectures percentOfImplemented } modelProjectPrefectures { code name } programs { sample implemented prefecture { code } } } }`,
    undefined,
    await stack.as('ANALYST'),
  );
  expect(body.errors).toBeUndefined();
  const table = body.data!.prefecturalPrograms;
  expect(table).toMatchObject({ fiscalYearLabel: '令和7年度', answered: 47, implemented: 39, implementedPercent: 83 });
  expect(table.duties.map((d: { prefectures: number }) => d.prefectures)).toEqual([37, 34, 31, 29, 32, 26, 12]);
  expect(table.duties.map((d: { percentOfImplemented: number }) => d.percentOfImplemented)).toEqual([94.9, 87.2, 79.5, 74.4, 82.1, 66.7, 30.8]);
  expect(table.duties[0].label).toBe('① 地域のネットワーク構築に向けた指導・調整');
  expect(table.modelProjectPrefectures.map((p: { name: string }) => p.name)).toEqual([
    '福島県',
    '東京都',
    '神奈川県',
    '新潟県',
    '福井県',
    '島根県',
    '高知県',
    '沖縄県',
  ]);
  expect(table.programs.every((p: { sample: boolean }) => p.sample)).toBe(true);
  // The prefectures of the sample visit log all implement the program (their advisors' visits would contradict it otherwise).
  const implementing = new Set(
    table.programs.filter((p: { implemented: boolean }) => p.implemented).map((p: { prefecture: { code: string } }) => p.prefecture.code),
  );
  expect(SAMPLE_PREFECTURES.filter((code) => !implementing.has(code))).toEqual([]);
});

it("records a prefecture's program through the write path: its staff only, a version to change it, rules named", async () => {
  const staff = await stack.as('PREFECTURE_STAFF', '01', 'staff-01');
  const record = `mutation($i: RecordPrefecturalProgramInput!, $v: Int) { recordPrefecturalProgram(input: $i, version: $v) { fiscalYear fiscalYearLabel implemented duties advisorPositions { occupation count } version sample } }`;
  const input = {
    prefectureCode: '01',
    fiscalYear: 2026,
    implemented: true,
    duties: ['COUNCIL', 'NETWORK_BUILDING'],
    advisorPositions: [{ occupation: '主任相談支援専門員', count: 2 }],
  };
  const first = await stack.query(record, { i: input }, staff);
  expect(first.body.data!.recordPrefecturalProgram).toEqual({
    fiscalYear: 2026,
    fiscalYearLabel: '令和8年度',
    implemented: true,
    duties: ['NETWORK_BUILDING', 'COUNCIL'],
    advisorPositions: [{ occupation: '主任相談支援専門員', count: 2 }],
    version: 1,
    sample: false,
  });
  expect((await stack.query(record, { i: input }, staff)).body.errors![0].extensions!.code).toBe('CONFLICT'); // a second "first" record
  expect((await stack.query(record, { i: { ...input, modelProject: true }, v: 1 }, staff)).body.data!.recordPrefecturalProgram.version).toBe(2);
  expect((await stack.query(record, { i: input }, await stack.as('PREFECTURE_STAFF', '13'))).body.errors![0].extensions!.code).toBe('FORBIDDEN');
  expect((await stack.query(record, { i: input }, await stack.as('ADVISOR', '01'))).body.errors![0].extensions!.code).toBe('FORBIDDEN');
  const notImplemented = await stack.query(record, { i: { ...input, fiscalYear: 2027, implemented: false } }, staff);
  expect(notImplemented.body.errors![0].extensions).toMatchObject({ code: 'BAD_USER_INPUT', argument: 'input.duties' });
  // A year nobody has answered for: no share, not 0 %.
  const unanswered = await stack.query('{ prefecturalPrograms(fiscalYear: 2031) { answered implemented implementedPercent } }', undefined, staff);
  expect(unanswered.body.data!.prefecturalPrograms).toEqual({ answered: 0, implemented: 0, implementedPercent: null });
  const badYear = await stack.query('{ prefecturalPrograms(fiscalYear: 1999) { implemented } }', undefined, staff);
  expect(badYear.body.errors![0].extensions).toMatchObject({ code: 'BAD_USER_INPUT', argument: 'fiscalYear', value: 1999 });
  const onPrefecture = await stack.query(
    '{ prefecture(code: "01") { prefecturalProgram(fiscalYear: 2026) { modelProject version } } }',
    undefined,
    await stack.as('ANALYST'),
  );
  expect(onPrefecture.body.data).toEqual({ prefecture: { prefecturalProgram: { modelProject: true, version: 2 } } });
});

it('imports programs from CSV, keyed by prefecture and fiscal year', async () => {
  const db = stack.dispatch.subgraph.dataSource;
  const header = 'prefecture_code,fiscal_year,implemented,duties,advisor_positions,model_project,source_name,source_as_of,sample\n';
  const file = `${header}13,2024,true,NETWORK_BUILDING;STAFF_TRAINING,主任相談支援専門員:3;社会福祉士:1,true,令和6年度 調査,2024-07-01,false\n`;
  expect(await importPrograms(db, file, { actor: 'test', prefectures: ['13'] })).toMatchObject({ inserted: 1, applied: true, problems: [] });
  expect(await importPrograms(db, file, { actor: 'test', prefectures: ['13'] })).toMatchObject({ inserted: 0, unchanged: 1 });
  // The fiscal year as the program's documents write it is the same year (the same row, unchanged).
  for (const written of ['令和6年度', 'R6', '2024年度']) {
    expect(await importPrograms(db, file.replace(',2024,', `,${written},`), { actor: 'test', prefectures: ['13'] })).toMatchObject({
      unchanged: 1,
      problems: [],
    });
  }
  const noSuchYear = await importPrograms(db, file.replace(',2024,', ',平成36年度,'), { actor: 'test', prefectures: ['13'] });
  expect(noSuchYear.problems).toMatchObject([{ line: 2, column: 'fiscal_year', reasonJa: expect.stringContaining('令和7年度') }]);
  const refused = await importPrograms(db, `${header}13,2024,false,COUNCIL,,false,x,2024-07-01,false\n01,2024,true,,,false,x,2024-07-01,false\n`, {
    actor: 'test',
    prefectures: ['13'],
  });
  expect(refused.applied).toBe(false);
  expect(refused.problems.map((p) => `${p.line}:${p.column}`)).toEqual(['2:duties', '3:']);
  const { body } = await stack.query(
    '{ prefecture(code: "13") { prefecturalProgram(fiscalYear: 2024) { fiscalYearLabel advisorPositions { occupation count } } } }',
  );
  expect(body.data!.prefecture.prefecturalProgram).toEqual({
    fiscalYearLabel: '令和6年度',
    advisorPositions: [
      { occupation: '主任相談支援専門員', count: 3 },
      { occupation: '社会福祉士', count: 1 },
    ],
  });
});

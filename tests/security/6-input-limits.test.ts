/**
 * Class 6 — every input has limits: text length, list counts, date ranges that make sense for the
 * field, references within the caller's prefecture. Checked at the gateway before any subgraph fetch.
 */
import { randomBytes } from 'node:crypto';
import { readCsv, writeCsv } from '../../shared/csv';
import { supergraphApiSchema } from '../helpers/schema';
import { IMPORT_KINDS, KINDS_KEYED_BY_OWN_ID } from '../helpers/import-kinds';
import { startTestStack } from '../helpers/stack';
import { DATE_RANGES, LIST_LIMITS, TEXT_LIMITS } from '../../shared/input-rules';
import { getNamedType, isInputObjectType, isListType, isNonNullType, isObjectType, type GraphQLInputType } from 'graphql';

let stack: Awaited<ReturnType<typeof startTestStack>>;
let advisorId: string;
beforeAll(async () => {
  stack = await startTestStack();
  [{ id: advisorId }] = await stack.dispatch.subgraph.dataSource.query("SELECT id FROM advisor WHERE prefecture_code = '01' ORDER BY id LIMIT 1");
});
afterAll(() => stack?.stop());

const RECORD = 'mutation($i: RecordVisitInput!) { recordVisit(input: $i) { id } }';
const visit = (extra: Record<string, unknown>) => ({
  prefectureCode: '01',
  date: '2025-06-01',
  advisorIds: [advisorId],
  municipalityCodes: ['011002'],
  format: 'ONLINE',
  purposes: ['COUNCIL'],
  ...extra,
});

it.each([
  ['100 KB of notes', { notes: 'あ'.repeat(100_000) }, 'input.notes', /at most 10000 characters/],
  ['a 100 KB summary', { summary: 'x'.repeat(100_000) }, 'input.summary', /at most 4000 characters/],
  ['10,000 topics', { topics: Array.from({ length: 10_000 }, (_, i) => `t${i}`) }, 'input.topics', /at most 30 items/],
  ['a topic of 5,000 characters', { topics: ['x'.repeat(5_000)] }, 'input.topics[0]', /at most 200 characters/],
  ['10,000 attendees', { attendees: Array.from({ length: 10_000 }, () => ({ role: '担当', count: 1 })) }, 'input.attendees', /at most 30 items/],
  ['a visit date in 9999', { date: '9999-12-31' }, 'input.date', /must be from 2000-01-01/],
])('refuses %s before any subgraph fetch', async (_case, extra, argument, reason) => {
  const { response, fetches } = await stack.countFetches(RECORD, { i: visit(extra) }, await stack.as('ADVISOR', '01'));
  expect(response.status).toBe(400);
  expect(response.body.errors![0].extensions).toMatchObject({ code: 'BAD_USER_INPUT', argument });
  expect(response.body.errors![0].extensions!.reason).toMatch(reason);
  expect(response.body.errors![0].extensions!.reasonJa).toEqual(expect.any(String));
  expect(JSON.stringify(response.body)).not.toContain('あああ'); // free text is never quoted back
  expect(fetches).toEqual([]);
});

it.each([
  [
    'dueOn',
    'mutation { createFollowUp(visitId: "7d7d7d7d-0000-4000-8000-000000000000", input: { municipalityCode: "011002", description: "x", ownerKind: MUNICIPALITY, dueOn: "9999-12-31" }) { id } }',
    'input.dueOn',
  ],
  ['raisedOn', 'mutation { createRequest(input: { municipalityCode: "011002", summary: "x", raisedOn: "9999-12-31" }) { id } }', 'input.raisedOn'],
  [
    'establishedOn',
    'mutation { createBase(input: { prefectureCode: "01", name: "x", model: NETWORKED, municipalityCodes: ["011002"], establishedOn: "9999-12-31", functions: [], emergencyPreregistrations: 0 }) { id } }',
    'input.establishedOn',
  ],
  [
    'sourceAsOf',
    'mutation { createCoreCenter(input: { prefectureCode: "01", name: "x", setup: SINGLE, municipalityCodes: ["011002"], operation: DIRECT, establishedOn: "2020-04-01", functions: [], sourceAsOf: "9999-12-31" }) { id } }',
    'input.sourceAsOf',
  ],
])('refuses %s far in the future', async (_field, mutation, argument) => {
  const { body } = await stack.query(mutation);
  expect(body.errors![0].extensions).toMatchObject({ code: 'BAD_USER_INPUT', argument, value: '9999-12-31' });
});

it("refuses an assessment that points at another prefecture's visit", async () => {
  const [tokyoVisit] = await stack.dispatch.subgraph.dataSource.query("SELECT id FROM visit WHERE prefecture_code = '13' LIMIT 1");
  const items: Array<{ item_id: string }> = await stack.dispatch.subgraph.dataSource.query(
    "SELECT item_id FROM checklist_item WHERE template_id = 'council-guideline-2025'",
  );
  const { body } = await stack.query(
    'mutation($i: RecordAssessmentInput!) { recordAssessment(input: $i) { id } }',
    {
      i: {
        templateId: 'council-guideline-2025',
        municipalityCode: '011002',
        assessedOn: '2025-06-01',
        visitId: tokyoVisit.id,
        results: items.map((i) => ({ itemId: i.item_id, result: 'MET' })),
      },
    },
    await stack.as('ADVISOR', '01'),
  );
  // Answered as none (as createRequest answers it): FORBIDDEN told the caller that the visit exists.
  expect(body.errors![0].extensions).toMatchObject({ code: 'NOT_FOUND', argument: 'input.visitId' });
  expect(JSON.stringify(body.errors)).not.toMatch(/13\d{4}/);
});

it('has a stated limit for every text, list and date input of the API', () => {
  const schema = supergraphApiSchema();
  const missing: string[] = [];
  const check = (name: string, type: GraphQLInputType, where: string) => {
    const inner = isNonNullType(type) ? type.ofType : type;
    const named = getNamedType(type);
    if (isListType(inner) && !(name in LIST_LIMITS) && name !== 'representations') missing.push(`list ${where}.${name}`);
    if (['String', 'ID'].includes(named.name) && !(name in TEXT_LIMITS)) missing.push(`text ${where}.${name}`);
    if (named.name === 'LocalDate' && where.startsWith('Mutation') && !(name in DATE_RANGES)) missing.push(`date ${where}.${name}`);
  };
  for (const type of Object.values(schema.getTypeMap())) {
    if (type.name.startsWith('__')) continue;
    if (isObjectType(type))
      for (const field of Object.values(type.getFields())) for (const arg of field.args) check(arg.name, arg.type, `${type.name}.${field.name}`);
    // Filters are read-side (any date of a century); the other input types are what mutations take.
    if (isInputObjectType(type))
      for (const field of Object.values(type.getFields()))
        check(field.name, field.type, type.name.endsWith('Filter') ? type.name : `Mutation input ${type.name}`);
  }
  expect(missing).toEqual([]);
});

it.each([
  ['an argument', '{ prefecture(code: "01") { name activityIndicators(fiscalYear: 1999) { fiscalYear } } }', 'fiscalYear', 1999],
  [
    'a year to compare with',
    '{ prefecture(code: "01") { activityIndicatorsChange(fiscalYear: 2025, sinceFiscalYear: 2101) { fiscalYear } } }',
    'sinceFiscalYear',
    2101,
  ],
])('refuses a fiscal year out of range in %s before any subgraph fetch, as a date out of range is', async (_case, query, argument, value) => {
  const { response, fetches } = await stack.countFetches(query, undefined, await stack.as('PREFECTURE_STAFF', '01'));
  expect(response.status).toBe(400);
  expect(response.body.errors![0].extensions).toMatchObject({ code: 'BAD_USER_INPUT', argument, value, reasonJa: expect.stringContaining('年度') });
  expect(fetches).toEqual([]);
});

// Files: the same limits as the API (shared/csv-import.ts), ids included — a key longer than a database index
// entry holds (some 2,700 bytes) made the import a server error.
it.each(KINDS_KEYED_BY_OWN_ID)('refuses a %s row whose %s is longer than the API takes (100), as a problem on the cell', async (kind, key) => {
  const origin = new URL(stack.gateway.url).origin;
  const staff = await stack.as('PREFECTURE_STAFF', '01');
  const { columns, rows } = readCsv(await (await fetch(`${origin}/import/${kind}.csv`, { headers: staff })).text());
  const response = await fetch(`${origin}/import/${kind}`, {
    method: 'POST',
    body: writeCsv(columns, [
      { ...rows[0].values, [key]: randomBytes(3_000).toString('base64url').slice(0, 3_000), ...(kind === 'advisors' ? { subject: '' } : {}) },
    ]),
    headers: { ...staff, 'content-type': 'text/csv' },
  });
  expect(response.status).toBe(422);
  expect((await response.json()).problems).toEqual([
    expect.objectContaining({
      line: 2,
      column: key,
      reason: 'must be at most 100 characters, got 3000',
      reasonJa: '100文字以内で入力してください（3000文字）',
    }),
  ]);
});

// No cell makes an import fail on the server: in every column of every kind's own file, a NUL (which PostgreSQL
// cannot store) is a problem on the cell, and 3,000 random characters are either taken or a problem — never a 500
// (the checklist-template file, read apart from the other kinds, failed with both).
it.each(IMPORT_KINDS)('answers a %s file with a NUL or 3,000 characters in any cell without a server error', async (kind) => {
  const origin = new URL(stack.gateway.url).origin;
  const { columns, rows } = readCsv(await (await fetch(`${origin}/import/${kind}.csv?prefecture=01`, { headers: stack.asAdmin })).text());
  expect(rows.length).toBeGreaterThan(0);
  const post = (column: string, value: string) =>
    fetch(`${origin}/import/${kind}`, {
      method: 'POST',
      body: writeCsv(columns, [{ ...rows[0].values, [column]: value }]),
      headers: { ...stack.asAdmin, 'content-type': 'text/csv' },
    });
  const answers: Record<string, number[]> = {};
  for (const column of columns) {
    const nul = await post(column, `a\u0000b`);
    const long = await post(column, randomBytes(3_000).toString('base64url').slice(0, 3_000));
    answers[column] = [nul.status, long.status];
    if (nul.status === 422) expect((await nul.json()).problems).toContainEqual(expect.objectContaining({ column, line: 2 }));
    if (long.status === 200) {
      const { importId } = await long.json();
      if (importId) {
        const reverted = await fetch(`${origin}/import/${kind}/${importId}/revert`, { method: 'POST', headers: stack.asAdmin });
        expect({ column, revert: reverted.status, body: reverted.status === 200 ? '' : await reverted.text() }).toEqual({ column, revert: 200, body: '' });
      }
    }
  }
  // Every NUL refused (422) — or, in a column the import reads only to check it (a municipality's name), refused as
  // that; and no 5xx for anything.
  for (const [column, [nul, long]] of Object.entries(answers)) {
    expect({ column, nul }).toEqual({ column, nul: 422 });
    expect({ column, long: long < 500 }).toEqual({ column, long: true });
  }
});

// No cell is slow to read: every cell of three rows made of what makes a search go back and forth (long runs of
// spaces, brackets, separators, digits and dots) — 30,000 characters each, within Excel's limit. Before, a date
// column took about 2 s per such cell (a regular expression whose time grew with the square of the cell's length), its
// service answering nobody meanwhile; the lint rule regexp/no-super-linear-move keeps such expressions out. The
// report stays small too: reasons quoting a cell are shortened, and a list cell names at most its limit of items.
const SLOW_CELLS = [
  `1${' '.repeat(30_000)}x`,
  `${'1,'.repeat(15_000)}x`,
  `${'a;'.repeat(15_000)}`,
  `${'('.repeat(30_000)}x`,
  `${'*'.repeat(30_000)}x`,
  `${'1.'.repeat(15_000)}`,
  `${'年 '.repeat(15_000)}x`,
  `${'['.repeat(30_000)}`,
  `${'1/'.repeat(15_000)}x`,
];
it.each(IMPORT_KINDS)('reads a %s file of cells made to be slow to read, and answers a short report', async (kind) => {
  const origin = new URL(stack.gateway.url).origin;
  const { columns } = readCsv(await (await fetch(`${origin}/import/${kind}.csv?prefecture=01`, { headers: stack.asAdmin })).text());
  const rows = [0, 1, 2].map((r) => Object.fromEntries(columns.map((column, c) => [column, SLOW_CELLS[(r * 4 + c) % SLOW_CELLS.length]])));
  const response = await fetch(`${origin}/import/${kind}?dryRun=true`, {
    method: 'POST',
    body: writeCsv(columns, rows),
    headers: { ...stack.asAdmin, 'content-type': 'text/csv' },
  });
  expect(response.status).toBe(422);
  const text = await response.text();
  const { problems } = JSON.parse(text) as { problems: Array<{ reason: string; reasonJa: string }> };
  expect(problems.length).toBeGreaterThan(0);
  for (const { reason, reasonJa } of problems) expect(Math.max(reason.length, reasonJa.length)).toBeLessThanOrEqual(500);
  expect(text.length).toBeLessThan(1_000_000); // the file is 3 × 30,000 characters a column
});

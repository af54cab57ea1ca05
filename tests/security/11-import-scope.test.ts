/**
 * Class 11 — an import writes only what its importer may write: prefectural staff change their own
 * prefecture's records and no other's, whether a row says it is another prefecture's or claims to be their
 * own under another prefecture's id (matched on that id, it would overwrite the other prefecture's record).
 * Every import kind with prefectures' records, over HTTP; the other prefecture's records stay as they were.
 */
import { readCsv } from '../../shared/csv';
import { SUBGRAPH_DEFINITIONS } from '../../subgraphs';
import { KINDS_KEYED_BY_OWN_ID } from '../helpers/import-kinds';
import { startTestStack } from '../helpers/stack';

let stack: Awaited<ReturnType<typeof startTestStack>>;
let staff01: Record<string, string>;
beforeAll(async () => {
  stack = await startTestStack();
  staff01 = await stack.as('PREFECTURE_STAFF', '01');
});
afterAll(() => stack?.stop());

const url = (path: string) => `${new URL(stack.gateway.url).origin}${path}`;
/** A kind's records of one prefecture, as the import's CSV (an admin's download). */
const stored = async (kind: string, prefecture: string) =>
  readCsv(await (await fetch(url(`/import/${kind}.csv?prefecture=${prefecture}`), { headers: stack.asAdmin })).text());
const line = (columns: string[], values: Record<string, string>) => columns.map((c) => JSON.stringify(values[c] ?? '')).join(',');
const importAsStaff01 = async (kind: string, csv: string) => {
  const response = await fetch(url(`/import/${kind}`), { method: 'POST', body: csv, headers: { ...staff01, 'content-type': 'text/csv' } });
  return { status: response.status, report: await response.json() };
};

// Every kind but the national checklist templates (admins only): a new kind is covered as soon as it is defined.
const KINDS = SUBGRAPH_DEFINITIONS.flatMap((d) => Object.keys(d.importers ?? {})).filter((kind) => kind !== 'checklist-template');

it.each(KINDS)('refuses %s rows of another prefecture, changing nothing', async (kind) => {
  const before = await stored(kind, '13');
  expect(before.rows.length).toBeGreaterThan(0);
  const { status, report } = await importAsStaff01(kind, [before.columns.join(','), line(before.columns, before.rows[0].values)].join('\n'));
  expect(status).toBe(422);
  expect(report.applied).toBe(false);
  expect(await stored(kind, '13')).toEqual(before);
});

it.each(KINDS_KEYED_BY_OWN_ID)("refuses a %s row of one's own prefecture under another prefecture's id (%s), changing nothing", async (kind, key) => {
  const theirs = await stored(kind, '13');
  const ours = await stored(kind, '01');
  const row = { ...ours.rows[0].values, [key]: theirs.rows[0].values[key] };
  // A sign-in subject is one advisor's: left empty, so that only the id is in question.
  if (kind === 'advisors') row.subject = '';
  const { status, report } = await importAsStaff01(kind, [ours.columns.join(','), line(ours.columns, row)].join('\n'));
  expect(status).toBe(422);
  expect(report.problems).toEqual([
    expect.objectContaining({ line: 2, column: key, value: theirs.rows[0].values[key], reasonJa: expect.stringContaining('他の都道府県の記録のID') }),
  ]);
  expect(await stored(kind, '13')).toEqual(theirs);
});

// An admin may write every prefecture, but a record stays in its own (no mutation moves one either).
it.each([
  ['advisors', 'advisor_id'],
  ['visits', 'visit_id'],
])("refuses an admin's %s row that would move a record to another prefecture, changing nothing", async (kind, key) => {
  const ours = await stored(kind, '01');
  const theirs = await stored(kind, '13');
  // 01's record under its own id, with everything else a 13 record's (its advisors, its towns): only the move is wrong.
  const row = { ...theirs.rows[0].values, [key]: ours.rows[0].values[key] };
  if (kind === 'advisors') row.subject = '';
  const response = await fetch(url(`/import/${kind}`), {
    method: 'POST',
    body: [theirs.columns.join(','), line(theirs.columns, row)].join('\n'),
    headers: { ...stack.asAdmin, 'content-type': 'text/csv' },
  });
  const report = await response.json();
  expect(response.status).toBe(422);
  expect(report.problems).toEqual([
    expect.objectContaining({ line: 2, column: 'prefecture_code', value: '13', reasonJa: expect.stringContaining('都道府県 01 のもの') }),
  ]);
  expect(await stored(kind, '01')).toEqual(ours);
});

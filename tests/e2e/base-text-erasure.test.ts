/**
 * Erasing the earlier versions of a base's free texts (以前の記述の消去), through the gateway: a review's summary
 * that named a person, replaced by recording the review again on its date, stays in the change history (the
 * request that wrote it, an import's row) until the prefecture's staff erase it there. What the reviews hold now
 * stays; no table of the bases database holds the earlier text afterwards; an import whose rows held it can no
 * longer be reverted. No one else may do it.
 */
import { readFileSync } from 'node:fs';
import { readCsv, writeCsv } from '../../shared/csv';
import { SAMPLE_FILES } from '../../subgraphs/bases/import';
import { startTestStack } from '../helpers/stack';
import { tablesHolding as tablesOf } from '../helpers/tables';

let stack: Awaited<ReturnType<typeof startTestStack>>;
let staff: Record<string, string>;
beforeAll(async () => {
  stack = await startTestStack();
  staff = await stack.as('PREFECTURE_STAFF', '01', 'privacy-officer-01');
});
afterAll(() => stack?.stop());

const CREATE = `mutation($i: CreateBaseInput!) { createBase(input: $i) { id version } }`;
const REVIEW = `mutation($i: RecordBaseReviewInput!, $k: String) { recordBaseReview(input: $i, idempotencyKey: $k) { version } }`;
const ERASE = `mutation($i: EraseEarlierBaseTextsInput!, $k: String) {
  eraseEarlierBaseTexts(input: $i, idempotencyKey: $k) { version reviews { reviewedOn summary } textErasures { erasedBy reason historyEntries } }
}`;

/** The tables of the bases database whose rows, as text, contain `marker`. */
const tablesHolding = (marker: string) => tablesOf(stack.bases.subgraph.dataSource, marker);

async function newBase(name: string): Promise<{ id: string; version: number }> {
  const created = await stack.query(
    CREATE,
    {
      i: {
        prefectureCode: '01',
        name,
        model: 'MULTIFUNCTIONAL',
        municipalityCodes: ['014702'],
        establishedOn: '2024-04-01',
        functions: ['CONSULTATION'],
      },
    },
    staff,
  );
  expect(created.body.errors).toBeUndefined();
  return created.body.data!.createBase;
}

it("erases a review's earlier summaries from the history, keeping what the reviews hold now; for the prefecture's staff and admins only", async () => {
  const person = `佐藤一郎-${Date.now()}`; // a name written where it should not have been
  const { id } = await newBase(`消去確認拠点-${Date.now()}`);
  const review = (summary: string, k?: string) => stack.query(REVIEW, { i: { baseId: id, reviewedOn: '2025-03-10', summary }, k }, staff);
  expect((await review(`${person}さんの緊急時対応を検証した`, `review-${Date.now()}`)).body.errors).toBeUndefined();
  // Corrected on the person's request: the review recorded again on its date replaces the summary.
  const corrected = await review('緊急時対応の実績を検証した');
  expect(corrected.body.errors).toBeUndefined();
  expect(corrected.body.data!.recordBaseReview.version).toBe(3);
  expect(await tablesHolding(person)).toEqual(['history']);

  const input = { id, version: 3, reason: '本人からの削除請求（受付番号 2026-003）' };
  const advisor = await stack.as('ADVISOR', '01');
  for (const [who, code] of [
    [advisor, 'FORBIDDEN'],
    [await stack.as('PREFECTURE_STAFF', '13'), 'FORBIDDEN'],
    [await stack.as('ANALYST'), 'FORBIDDEN'],
    [{}, 'UNAUTHENTICATED'],
  ] as const) {
    expect((await stack.query(ERASE, { i: input }, who)).body.errors![0].extensions!.code).toBe(code);
  }
  expect((await stack.query(ERASE, { i: { ...input, reason: ' ' } }, staff)).body.errors![0].extensions).toMatchObject({
    code: 'BAD_USER_INPUT',
    argument: 'input.reason',
  });
  expect((await stack.query(ERASE, { i: { ...input, version: 2 } }, staff)).body.errors![0].extensions!.code).toBe('CONFLICT');
  expect(await tablesHolding(person)).toEqual(['history']); // nothing was erased by a refusal

  const erased = await stack.query(ERASE, { i: input, k: 'erase-base-texts-0001' }, staff);
  expect(erased.body.errors).toBeUndefined();
  expect(erased.body.data!.eraseEarlierBaseTexts).toEqual({
    version: 4,
    reviews: [{ reviewedOn: '2025-03-10', summary: '緊急時対応の実績を検証した' }],
    // The first review's request held it.
    textErasures: [{ erasedBy: 'PREFECTURE_STAFF:privacy-officer-01', reason: input.reason, historyEntries: 1 }],
  });
  expect(await tablesHolding(person)).toEqual([]);
  // The history still tells what was done, with the summary the review holds now.
  const entries = await stack.bases.subgraph.dataSource.query(
    `SELECT action, after->'request'->>'summary' AS summary FROM history WHERE entity_id = $1 ORDER BY id`,
    [id],
  );
  expect(entries).toEqual([
    { action: 'createBase', summary: null },
    { action: 'recordBaseReview', summary: null },
    { action: 'recordBaseReview', summary: '緊急時対応の実績を検証した' },
    { action: 'eraseEarlierBaseTexts', summary: null },
  ]);
  // The request hashes of the writes on the base are forgotten, but the erasure's own.
  const kept = await stack.bases.subgraph.dataSource.query(`SELECT operation FROM idempotency_key WHERE entity_id = $1 AND request_hash IS NOT NULL`, [id]);
  expect(kept).toEqual([{ operation: 'eraseEarlierBaseTexts' }]);
  // A retry answers the same and records nothing again; a second erasure finds nothing left.
  expect((await stack.query(ERASE, { i: input, k: 'erase-base-texts-0001' }, staff)).body.data!.eraseEarlierBaseTexts.textErasures).toHaveLength(1);
  const again = await stack.query(ERASE, { i: { ...input, version: 4 } }, staff);
  expect(again.body.data!.eraseEarlierBaseTexts.textErasures[0]).toMatchObject({ historyEntries: 0 });
  // The record of erasures is the prefecture's staff's and admins' to read.
  const read = (who: Record<string, string>) => stack.query('query($id: ID!) { base(id: $id) { textErasures { reason } } }', { id }, who);
  expect((await read(await stack.as('ADMIN'))).body.data!.base.textErasures).toHaveLength(2);
  expect((await read(advisor)).body.errors![0].extensions!.code).toBe('FORBIDDEN');
});

it("refuses to revert an import whose rows held a review's summary erased since", async () => {
  const person = `鈴木次郎-${Date.now()}`;
  const { columns, rows } = readCsv(readFileSync(SAMPLE_FILES.bases, 'utf8'));
  const row = { ...rows.find((r) => r.values.prefecture_code === '01')!.values };
  Object.assign(row, { base_id: `ERASE-${Date.now()}`, last_review_on: '2025-03-11', last_review_summary: `${person}さんの件を検証` });
  const imported = await fetch(new URL('/import/bases', stack.gateway.url), {
    method: 'POST',
    body: writeCsv(columns, [row]),
    headers: { ...staff, 'content-type': 'text/csv' },
  });
  const report = (await imported.json()) as { importId: string };
  expect(imported.status).toBe(200);
  const [base] = await stack.bases.subgraph.dataSource.query('SELECT id, version FROM base WHERE external_id = $1', [row.base_id]);
  const corrected = await stack.query(REVIEW, { i: { baseId: base.id, reviewedOn: '2025-03-11', summary: '運用状況を検証' } }, staff);
  expect(corrected.body.errors).toBeUndefined();
  const erased = await stack.query(ERASE, { i: { id: base.id, version: base.version + 1, reason: '本人からの削除請求' } }, staff);
  expect(erased.body.data!.eraseEarlierBaseTexts.textErasures[0].historyEntries).toBe(1);
  expect(await tablesHolding(person)).toEqual([]);
  // Reverting would put back what was erased.
  const reverted = await fetch(new URL(`/import/bases/${report.importId}/revert`, stack.gateway.url), { method: 'POST', headers: staff });
  expect(reverted.status).toBe(409);
  expect(await reverted.json()).toMatchObject({ code: 'CONFLICT', messageJa: expect.stringContaining('消去された') });
  expect(await tablesHolding(person)).toEqual([]);
});

it("erases a base's earlier texts in as many SQL statements whatever the number of history entries", async () => {
  const erasureOf = async (corrections: number) => {
    const { id } = await newBase(`文数確認拠点-${corrections}-${Date.now()}`);
    for (let n = 0; n <= corrections; n++) {
      const recorded = await stack.query(REVIEW, { i: { baseId: id, reviewedOn: '2025-03-12', summary: `版 ${n}` } }, staff);
      expect(recorded.body.errors).toBeUndefined();
    }
    const { result, statements } = await stack.bases.sql.during(() =>
      stack.query(
        'mutation($i: EraseEarlierBaseTextsInput!) { eraseEarlierBaseTexts(input: $i) { textErasures { historyEntries } } }',
        { i: { id, version: corrections + 2, reason: '確認' } },
        staff,
      ),
    );
    expect(result.body.data!.eraseEarlierBaseTexts.textErasures[0].historyEntries).toBe(corrections);
    return statements.length;
  };
  expect(await erasureOf(6)).toBe(await erasureOf(1));
});

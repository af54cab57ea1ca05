/**
 * The API's shapes as a client meets them through the gateway: every mutation takes its one input object
 * (the older loose arguments still work, and a value given both ways differently is refused); the long
 * lists sort with `orderBy` and page through the sort without skipping or repeating a row.
 */
import { startTestStack } from '../helpers/stack';

let stack: Awaited<ReturnType<typeof startTestStack>>;
beforeAll(async () => {
  stack = await startTestStack();
});
afterAll(() => stack?.stop());

async function ok(query: string, variables?: Record<string, unknown>) {
  const { body } = await stack.query(query, variables);
  expect(body.errors).toBeUndefined();
  return body.data!;
}

async function recordVisit(): Promise<{ id: string; version: number }> {
  const [{ id: advisorId }] = await stack.dispatch.subgraph.dataSource.query("SELECT id FROM advisor WHERE prefecture_code = '01' ORDER BY id LIMIT 1");
  const data = await ok('mutation($i: RecordVisitInput!) { recordVisit(input: $i) { id version } }', {
    i: { prefectureCode: '01', date: '2026-11-30', advisorIds: [advisorId], municipalityCodes: ['011002'], format: 'ONLINE', purposes: ['COUNCIL'] },
  });
  return data.recordVisit;
}

it('takes every change as one input object: update, follow-up, cancel', async () => {
  const visit = await recordVisit();
  const updated = await ok('mutation($i: UpdateVisitInput!) { updateVisit(input: $i) { version format } }', {
    i: { id: visit.id, version: visit.version, format: 'MEETING' },
  });
  expect(updated.updateVisit).toEqual({ version: visit.version + 1, format: 'MEETING' });
  const followUp = await ok('mutation($i: CreateFollowUpInput!) { createFollowUp(input: $i) { id version status } }', {
    i: { visitId: visit.id, municipalityCode: '011002', description: '協議会の部会設置を確認', dueOn: '2027-01-31', ownerKind: 'MUNICIPALITY' },
  });
  expect(followUp.createFollowUp.status).toBe('OPEN');
  const done = await ok('mutation($i: CompleteFollowUpInput!) { completeFollowUp(input: $i) { status } }', {
    i: { id: followUp.createFollowUp.id, version: followUp.createFollowUp.version, completedOn: '2026-11-30' },
  });
  expect(done.completeFollowUp.status).toBe('DONE');
  const cancelled = await ok('mutation($i: CancelVisitInput!) { cancelVisit(input: $i) { status } }', {
    i: { id: visit.id, version: visit.version + 1, reason: '重複して記録した' },
  });
  expect(cancelled.cancelVisit.status).toBe('CANCELLED');
});

it('still takes the deprecated arguments, and refuses a value given both ways differently', async () => {
  const visit = await recordVisit();
  const old = await ok('mutation($id: ID!, $v: Int!) { updateVisit(id: $id, version: $v, input: { format: TRAINING }) { version format } }', {
    id: visit.id,
    v: visit.version,
  });
  expect(old.updateVisit.format).toBe('TRAINING');
  const { body } = await stack.query(
    'mutation($id: ID!) { cancelVisit(id: $id, input: { id: "5b0c7e58-0000-4000-8000-000000000000", version: 2, reason: "x" }) { id } }',
    {
      id: visit.id,
    },
  );
  expect(body.errors?.[0].extensions).toMatchObject({ code: 'BAD_USER_INPUT', argument: 'input.id' });
  const missing = await stack.query('mutation { closeBase(input: null) { id } }');
  expect(missing.body.errors?.[0].extensions).toMatchObject({ code: 'BAD_USER_INPUT', argument: 'input.id' });
});

it.each([
  ['coreCenters', 'NAME', 'DESC', 'SELECT id FROM core_center ORDER BY name DESC, id DESC', () => stack.supportCenters],
  ['bases', 'ESTABLISHED_ON', 'ASC', 'SELECT id FROM base ORDER BY established_on ASC, id ASC', () => stack.bases],
] as const)('sorts %s by %s %s and pages through the sort', async (list, field, direction, sql, subgraph) => {
  const expected = ((await subgraph().subgraph.dataSource.query(sql)) as Array<{ id: string }>).map((r) => r.id);
  const seen: string[] = [];
  let after: string | null = null;
  do {
    const data = await ok(
      `query($after: String, $orderBy: ${list === 'bases' ? 'BaseOrder' : 'CoreCenterOrder'}) {
        page: ${list}(first: 500, after: $after, orderBy: $orderBy) { pageInfo { hasNextPage endCursor } nodes { id } } }`,
      { after, orderBy: { field, direction } },
    );
    seen.push(...data.page.nodes.map((n: { id: string }) => n.id));
    after = data.page.pageInfo.hasNextPage ? data.page.pageInfo.endCursor : null;
  } while (after);
  expect(seen).toEqual(expected);
  // A cursor of one ordering is refused in another.
  const first = await ok(`{ page: ${list}(first: 1, orderBy: { field: ${field}, direction: ${direction} }) { pageInfo { endCursor } } }`);
  const { body } = await stack.query(`query($after: String) { ${list}(first: 1, after: $after) { nodes { id } } }`, { after: first.page.pageInfo.endCursor });
  expect(body.errors?.[0].extensions).toMatchObject({ code: 'BAD_USER_INPUT', argument: 'after' });
});

/**
 * The authorization matrix through the gateway: every role × field group × own or other prefecture,
 * reads and writes. Prints its size and result.
 */
import type { Role } from '../../shared/context';
import { startTestStack } from '../helpers/stack';

let stack: Awaited<ReturnType<typeof startTestStack>>;
const advisorOf: Record<string, string> = {};
let visitOf13: string;
/** Visits to erase the notes of, one per attempt (a successful erasure moves the visit's version). */
const visitsToErase: Record<string, Array<{ id: string; version: number }>> = {};
beforeAll(async () => {
  stack = await startTestStack();
  for (const code of ['01', '13']) {
    [{ id: advisorOf[code] }] = await stack.dispatch.subgraph.dataSource.query('SELECT id FROM advisor WHERE prefecture_code = $1 LIMIT 1', [code]);
  }
  [{ id: visitOf13 }] = await stack.dispatch.subgraph.dataSource.query(`SELECT id FROM visit WHERE prefecture_code = '13' LIMIT 1`);
  for (const code of ['01', '13']) {
    visitsToErase[code] = await stack.dispatch.subgraph.dataSource.query('SELECT id, version FROM visit WHERE prefecture_code = $1 ORDER BY id LIMIT 10', [
      code,
    ]);
  }
  // Writes an admin made with idempotency keys: every other caller's "replay" of them is a write of their own.
  for (const side of ['own', 'other'] as const) {
    const { body } = await stack.query(REPLAYED_VISIT, replayedVisit(side));
    if (body.errors) throw new Error(JSON.stringify(body.errors));
  }
});

const REPLAYED_VISIT = 'mutation($i: RecordVisitInput!, $k: String) { recordVisit(input: $i, idempotencyKey: $k) { id topics } }';
const replayedVisit = (side: Side) => ({
  k: `matrix-replay-${side}`,
  i: {
    prefectureCode: PREFECTURE[side],
    date: '2025-06-02',
    advisorIds: [advisorOf[PREFECTURE[side]]],
    municipalityCodes: [MUNICIPALITY[side]],
    format: 'ONLINE',
    purposes: ['COUNCIL'],
    topics: ['再送'],
  },
});
afterAll(() => stack?.stop());

type Who = 'ANONYMOUS' | Role;
type Outcome = 'ok' | 'FORBIDDEN' | 'UNAUTHENTICATED';
const WHO: Who[] = ['ANONYMOUS', 'ADVISOR', 'PREFECTURE_STAFF', 'ANALYST', 'ADMIN'];
const MUNICIPALITY = { own: '011002', other: '131016' };
const PREFECTURE = { own: '01', other: '13' };
type Side = 'own' | 'other';

/** Each group: the operation, and who may run it on their own / another prefecture. */
const GROUPS: Array<{ name: string; write?: boolean; query: (side: Side) => [string, Record<string, unknown>]; allowed: (who: Who, side: Side) => boolean }> =
  [];
const signedIn = (who: Who) => who !== 'ANONYMOUS';
const readsRecords = (who: Who, side: Side) => who === 'ADMIN' || who === 'ANALYST' || ((who === 'ADVISOR' || who === 'PREFECTURE_STAFF') && side === 'own');
const readsFreeText = (who: Who, side: Side) => who !== 'ANALYST' && readsRecords(who, side);
const field = (name: string, selection: string, allowed: (who: Who, side: Side) => boolean) =>
  GROUPS.push({ name, query: (side) => [`query($c: ID!) { municipality(code: $c) { ${selection} } }`, { c: MUNICIPALITY[side] }], allowed });
field('reference data', 'name population', () => true);
field('core-center coverage', 'coreCenterCoverage', readsRecords);
field('core centers', 'coreCenters { name }', readsRecords);
field('base coverage', 'baseCoverage', readsRecords);
field('council status', 'council { established }', readsRecords);
field('visits', 'visits(first: 1) { totalCount }', readsRecords);
GROUPS.push({
  name: 'visit free text',
  query: (side) => [`query($p: ID!) { prefecture(code: $p) { visits(first: 1) { nodes { summary } } } }`, { p: PREFECTURE[side] }],
  allowed: readsFreeText,
});
GROUPS.push({
  name: 'visit topics and writers',
  query: (side) => [`query($p: ID!) { prefecture(code: $p) { visits(first: 1) { nodes { topics createdBy updatedBy } } } }`, { p: PREFECTURE[side] }],
  allowed: readsFreeText,
});
GROUPS.push({
  name: "follow-up's visit",
  query: (side) => [`query($c: ID!) { municipality(code: $c) { openFollowUps { visit { date } } } }`, { c: MUNICIPALITY[side] }],
  allowed: readsRecords,
});
GROUPS.push({
  name: "who read a visit's notes",
  query: (side) => [`query($p: ID!) { prefecture(code: $p) { visits(first: 1) { nodes { notesReads { reader } } } } }`, { p: PREFECTURE[side] }],
  allowed: (who, side) => who === 'ADMIN' || (who === 'PREFECTURE_STAFF' && side === 'own'),
});
GROUPS.push({
  name: "who read the notes of a prefecture's visits",
  query: (side) => [`query($p: ID!) { prefecture(code: $p) { notesReads(first: 1) { nodes { reader } } } }`, { p: PREFECTURE[side] }],
  allowed: (who, side) => who === 'ADMIN' || (who === 'PREFECTURE_STAFF' && side === 'own'),
});
GROUPS.push({
  name: "who erased a visit's notes",
  query: (side) => [`query($p: ID!) { prefecture(code: $p) { visits(first: 1) { nodes { notesErasures { erasedBy } } } } }`, { p: PREFECTURE[side] }],
  allowed: (who, side) => who === 'ADMIN' || (who === 'PREFECTURE_STAFF' && side === 'own'),
});
GROUPS.push({
  name: "who erased a base's earlier texts",
  query: (side) => [`query($p: ID!) { bases(filter: { prefectureCodes: [$p] }, first: 1) { nodes { textErasures { erasedBy } } } }`, { p: PREFECTURE[side] }],
  allowed: (who, side) => who === 'ADMIN' || (who === 'PREFECTURE_STAFF' && side === 'own'),
});
GROUPS.push({
  name: 'visit notes',
  query: (side) => [`query($p: ID!) { prefecture(code: $p) { visits(first: 1) { nodes { notes } } } }`, { p: PREFECTURE[side] }],
  allowed: readsFreeText,
});
GROUPS.push({
  name: 'visit by id (IDOR)',
  // The visit belongs to prefecture 13 on both sides: a prefecture-bound viewer (of 01) may not read it.
  query: () => [`query($id: ID!) { visit(id: $id) { date } }`, { id: visitOf13 }],
  allowed: (who) => readsRecords(who, 'other'),
});
GROUPS.push({
  name: 'statistics',
  query: () => ['{ coverageStatistics(asOf: "2025-04-01") { coreCenters { national { covered } } } }', {}],
  allowed: signedIn,
});
GROUPS.push({
  name: 'worklist',
  query: (side) => [`query($p: ID!) { prefecture(code: $p) { advisorWorklist(filter: {populationBelow: 2000}) { priority } } }`, { p: PREFECTURE[side] }],
  allowed: readsRecords,
});
GROUPS.push({
  name: 'write core center',
  write: true,
  query: (side) => [
    `mutation($i: CreateCoreCenterInput!) { createCoreCenter(input: $i) { id } }`,
    {
      i: {
        prefectureCode: PREFECTURE[side],
        name: 'マトリクス',
        setup: 'SINGLE',
        municipalityCodes: [MUNICIPALITY[side]],
        operation: 'DIRECT',
        establishedOn: '2025-01-01',
        functions: ['CONSULTATION'],
      },
    },
  ],
  allowed: (who, side) => who === 'ADMIN' || (who === 'PREFECTURE_STAFF' && side === 'own'),
});
GROUPS.push({
  name: 'write base',
  write: true,
  query: (side) => [
    `mutation($i: CreateBaseInput!) { createBase(input: $i) { id } }`,
    {
      i: {
        prefectureCode: PREFECTURE[side],
        name: 'マトリクス',
        model: 'NETWORKED',
        municipalityCodes: [MUNICIPALITY[side]],
        establishedOn: '2025-01-01',
        functions: ['CONSULTATION'],
      },
    },
  ],
  allowed: (who, side) => who === 'ADMIN' || (who === 'PREFECTURE_STAFF' && side === 'own'),
});
GROUPS.push({
  name: 'write visit',
  write: true,
  query: (side) => [
    `mutation($i: RecordVisitInput!) { recordVisit(input: $i) { id } }`,
    {
      i: {
        prefectureCode: PREFECTURE[side],
        date: '2025-06-01',
        advisorIds: [advisorOf[PREFECTURE[side]]],
        municipalityCodes: [MUNICIPALITY[side]],
        format: 'ONLINE',
        purposes: ['COUNCIL'],
      },
    },
  ],
  allowed: (who, side) => who === 'ADMIN' || (who === 'ADVISOR' && side === 'own'),
});
GROUPS.push({
  name: "erase a visit's notes",
  write: true,
  query: (side) => [
    `mutation($i: EraseVisitNotesInput!) { eraseVisitNotes(input: $i) { id } }`,
    { i: { ...visitsToErase[PREFECTURE[side]].shift(), reason: 'マトリクス' } },
  ],
  allowed: (who, side) => who === 'ADMIN' || (who === 'PREFECTURE_STAFF' && side === 'own'),
});
GROUPS.push({
  name: "erase a prefecture's notes before a day",
  write: true,
  query: (side) => [
    `mutation($i: EraseVisitNotesBeforeInput!) { eraseVisitNotesBefore(input: $i) { visits } }`,
    { i: { prefectureCode: PREFECTURE[side], visitedBefore: '2000-01-02', reason: 'マトリクス' } },
  ],
  allowed: (who, side) => who === 'ADMIN' || (who === 'PREFECTURE_STAFF' && side === 'own'),
});
GROUPS.push({
  name: "replay of an admin's keyed visit",
  write: true,
  query: (side) => [REPLAYED_VISIT, replayedVisit(side)],
  allowed: (who, side) => who === 'ADMIN' || (who === 'ADVISOR' && side === 'own'),
});

const expected = (who: Who, group: (typeof GROUPS)[number], side: Side): Outcome => {
  if (group.allowed(who, side)) return 'ok';
  return group.write && who === 'ANONYMOUS' ? 'UNAUTHENTICATED' : 'FORBIDDEN';
};

/** Whether `path` leads to a field of `data` (the last step may be null: the refused field). */
function pathInAnswer(data: unknown, path: ReadonlyArray<string | number>): boolean {
  let at = data;
  for (const step of path) {
    if (at === null || typeof at !== 'object' || !(step in at)) return data === null && path.length === 1;
    at = (at as Record<string | number, unknown>)[step];
  }
  return true;
}

it('allows and refuses exactly as the role table says', async () => {
  const results: Array<{ case: string; expected: Outcome; actual: string }> = [];
  const misplaced: string[] = [];
  for (const who of WHO) {
    const headers = who === 'ANONYMOUS' ? {} : await stack.as(who, who === 'ADVISOR' || who === 'PREFECTURE_STAFF' ? '01' : undefined);
    for (const group of GROUPS) {
      for (const side of ['own', 'other'] as const) {
        const [query, variables] = group.query(side);
        const { body } = await stack.query(query, variables, headers);
        const actual = body.errors?.length ? String(body.errors[0].extensions?.code) : 'ok';
        results.push({ case: `${who} · ${group.name} · ${side}`, expected: expected(who, group, side), actual });
        // A refusal names a field of the answer, once: not one per item of a list the gateway fetched
        // for a computed field (the worklist's municipalities), at paths the answer does not have.
        for (const error of body.errors ?? []) {
          if (error.path && !pathInAnswer(body.data, error.path)) misplaced.push(`${who} · ${group.name} · ${side}: ${error.path.join('.')}`);
        }
        const paths = (body.errors ?? []).map((e) => JSON.stringify([e.path, e.extensions?.code]));
        if (new Set(paths).size !== paths.length) misplaced.push(`${who} · ${group.name} · ${side}: ${paths.length} errors, ${new Set(paths).size} distinct`);
      }
    }
  }
  const wrong = results.filter((r) => r.expected !== r.actual);
  process.stdout.write(
    `authorization matrix: ${results.length} cases (${WHO.length} roles × ${GROUPS.length} groups × own/other), ${results.length - wrong.length} as expected\n`,
  );
  expect(wrong).toEqual([]);
  expect(misplaced).toEqual([]);
});

it('never lets planted notes reach a response or a log line, whichever way the write is refused', async () => {
  const SECRET = 'PLANTED-NOTES-本人の病歴-7f3c';
  const advisor = await stack.as('ADVISOR', '01');
  const record = `mutation($i: RecordVisitInput!) { recordVisit(input: $i) { id } }`;
  const base = { prefectureCode: '01', advisorIds: [advisorOf['01']], municipalityCodes: ['011002'], format: 'ONLINE', purposes: ['COUNCIL'], notes: SECRET };
  const failures = [
    { ...base, date: '2999-01-01' }, // refused by validation
    { ...base, date: '2025-06-01', format: 'TELEPATHY' }, // refused by GraphQL coercion
    { ...base, date: '2025-06-01', attendees: [{ role: 'bad\u0000role', count: 1 }] }, // refused before PostgreSQL (NUL)
  ];
  const before = stack.logLines.length;
  for (const input of failures) {
    const response = await stack.query(record, { i: input }, advisor);
    expect(response.body.errors?.length).toBeGreaterThan(0);
    expect(JSON.stringify(response.body)).not.toContain(SECRET);
  }
  const logged = stack.logLines.slice(before).join('\n');
  expect(logged).not.toContain(SECRET);
  expect(logged).not.toContain('PLANTED');
});

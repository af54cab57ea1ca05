/** The bases subgraph against a real PostgreSQL, through Apollo's executeOperation. */
import { ANONYMOUS, type Viewer } from '../../shared/context';
import { basesSubgraph } from '../../subgraphs/bases';
import type { BaseLoaders } from '../../subgraphs/bases/data/loaders';
import { importBaseParticipants, importBases } from '../../subgraphs/bases/import';
import { BASE_COLUMNS } from '../../subgraphs/bases/sample/columns';
import { type TestSubgraph, startTestSubgraph } from '../helpers/stack';
import { english } from '../helpers/problems';

let t: TestSubgraph<BaseLoaders>;
beforeAll(async () => {
  t = await startTestSubgraph(basesSubgraph);
});
afterAll(() => t?.subgraph.stop());

const STAFF_01: Viewer = { subject: 'staff-01', role: 'PREFECTURE_STAFF', prefectureCode: '01' };
const coveredCodes = async (limit: number): Promise<string[]> =>
  (await t.subgraph.dataSource.query('SELECT DISTINCT municipality_code AS code FROM base_municipality ORDER BY 1 LIMIT $1', [limit])).map(
    (r: { code: string }) => r.code,
  );

async function snapshot() {
  const ds = t.subgraph.dataSource;
  const all = async (table: string) => ds.query(`SELECT * FROM ${table} ORDER BY 1, 2`);
  return {
    base: await ds.query('SELECT id, version, name, closed_on FROM base ORDER BY id'),
    municipalities: await all('base_municipality'),
    functions: await all('base_function'),
    participants: await all('base_participant'),
    coordinators: await all('base_coordinator'),
    reviews: await all('base_review'),
  };
}

describe('batched reads', () => {
  it('resolves coverage and the bases with all their parts for 200 municipalities in one statement per kind', async () => {
    const codes = await coveredCodes(200);
    const { result, statements } = await t.sql.during(() =>
      t.execute(
        `query($r: [_Any!]!) { _entities(representations: $r) { ... on Municipality {
           baseCoverage(asOf: "2025-07-01")
           bases(asOf: "2025-07-01") { name functions { function provided participants { organizationName } }
             coordinators { count funding } coordinatorCount(asOf: "2025-07-01") reviews { reviewedOn } reviewOverdue(asOf: "2025-07-01") }
        } } }`,
        { r: codes.map((code) => ({ __typename: 'Municipality', code })) },
      ),
    );
    expect(result.errors).toBeUndefined();
    expect(result.data!._entities.every((m: { baseCoverage: string; bases: unknown[] }) => m.baseCoverage !== 'NONE' && m.bases.length > 0)).toBe(true);
    // coverage, bases, participants, coordinators, reviews
    expect(statements).toHaveLength(5);
  });

  it('answers the gap question for all prefectures in one statement', async () => {
    const codes = await coveredCodes(2000);
    const byPrefecture = new Map<string, Array<{ code: string; population: number }>>();
    for (const code of [...codes, '016951']) byPrefecture.set(code.slice(0, 2), [...(byPrefecture.get(code.slice(0, 2)) ?? []), { code, population: 5000 }]);
    const { result, statements } = await t.sql.during(() =>
      t.execute(
        `query($r: [_Any!]!) { _entities(representations: $r) { ... on Prefecture {
           baseGaps(asOf: "2025-07-01", missing: [NO_BASE]) { municipality { code } gaps missingFunctions } } } }`,
        { r: [...byPrefecture].map(([code, municipalities]) => ({ __typename: 'Prefecture', code, municipalities })) },
      ),
    );
    expect(result.errors).toBeUndefined();
    const gaps = result.data!._entities.flatMap((p: { baseGaps: unknown[] }) => p.baseGaps);
    expect(gaps).toEqual([{ municipality: { code: '016951' }, gaps: ['NO_BASE'], missingFunctions: expect.arrayContaining(['CONSULTATION']) }]);
    expect(statements).toHaveLength(1);
  });
});

describe('writes', () => {
  const CREATE = 'mutation($input: CreateBaseInput!) { createBase(input: $input) { id version providedFunctions missingFunctions } }';
  const input = {
    prefectureCode: '01',
    name: 'テスト拠点',
    model: 'NETWORKED',
    municipalityCodes: ['014702', '014711'],
    establishedOn: '2025-04-01',
    functions: ['CONSULTATION', 'EMERGENCY_RESPONSE'],
  };

  it('creates a base, adds a participant, a coordinator and a review, each bumping the version', async () => {
    const created = await t.execute(CREATE, { input }, STAFF_01);
    expect(created.errors).toBeUndefined();
    const { id } = created.data!.createBase;
    expect(created.data!.createBase.missingFunctions).toEqual(['EXPERIENCE_OPPORTUNITIES', 'SPECIALIST_DEVELOPMENT', 'COMMUNITY_COORDINATION']);
    const add = await t.execute(
      'mutation($id: ID!) { addBaseParticipant(baseId: $id, input: {function: EMERGENCY_RESPONSE, organizationName: "ショートステイA", organizationKind: SHORT_STAY}) { version functions { function participants { id organizationName } } } }',
      { id },
      STAFF_01,
    );
    expect(add.data!.addBaseParticipant.version).toBe(2);
    const coordinator = await t.execute(
      'mutation($id: ID!) { recordBaseCoordinator(baseId: $id, input: {count: 2, funding: FEE_ADDITION, hostOrganization: "相談支援事業所B", startedOn: "2025-05-01", endedOn: "2026-03-31"}) { coordinatorCount(asOf: "2025-06-01") lastDay: coordinatorCount(asOf: "2026-03-31") after: coordinatorCount(asOf: "2026-04-01") } }',
      { id },
      STAFF_01,
    );
    // The last day of the assignment (endedOn) is one they work.
    expect(coordinator.data!.recordBaseCoordinator).toEqual({ coordinatorCount: 2, lastDay: 2, after: 0 });
    const review = await t.execute(
      'mutation($id: ID!) { recordBaseReview(baseId: $id, reviewedOn: "2025-06-15", summary: "協議会で検証") { version reviewOverdue(asOf: "2025-07-01") lastReviewOn(asOf: "2025-07-01") } }',
      { id },
      STAFF_01,
    );
    expect(review.data!.recordBaseReview).toEqual({ version: 4, reviewOverdue: false, lastReviewOn: '2025-06-15' });
    const history = await t.subgraph.dataSource.query(
      `SELECT action, (before->>'version')::int AS before, (after->'base'->>'version')::int AS after FROM history WHERE entity_id = $1 ORDER BY id`,
      [id],
    );
    expect(history).toEqual([
      { action: 'createBase', before: null, after: 1 },
      { action: 'addBaseParticipant', before: 1, after: 2 },
      { action: 'recordBaseCoordinator', before: 2, after: 3 },
      { action: 'recordBaseReview', before: 3, after: 4 },
    ]);
  });

  it.each([
    [
      'a participant in a function the base lacks',
      'mutation($id: ID!) { addBaseParticipant(baseId: $id, input: {function: SPECIALIST_DEVELOPMENT, organizationName: "X", organizationKind: OTHER}) { id } }',
      'BAD_USER_INPUT',
    ],
    [
      'a coordinator count of 0',
      'mutation($id: ID!) { recordBaseCoordinator(baseId: $id, input: {count: 0, funding: OTHER, hostOrganization: "X", startedOn: "2025-05-01"}) { id } }',
      'BAD_USER_INPUT',
    ],
    ['a stale version', 'mutation($id: ID!) { updateBase(id: $id, version: 1, input: {name: "上書き"}) { id } }', 'CONFLICT'],
    ['a bad check digit', 'mutation($id: ID!) { updateBase(id: $id, version: 4, input: {municipalityCodes: ["014703"]}) { id } }', 'BAD_USER_INPUT'],
  ])('refuses %s and leaves the database unchanged', async (_case, mutation, code) => {
    const [{ id }] = await t.subgraph.dataSource.query(`SELECT id FROM base WHERE name = 'テスト拠点'`);
    const before = await snapshot();
    const { errors } = await t.execute(mutation, { id }, STAFF_01);
    expect(errors![0].extensions!.code).toBe(code);
    expect(await snapshot()).toEqual(before);
  });

  it('refuses anonymous writers and other prefectures', async () => {
    expect((await t.execute(CREATE, { input }, ANONYMOUS)).errors![0].extensions!.code).toBe('UNAUTHENTICATED');
    const other: Viewer = { subject: 's', role: 'PREFECTURE_STAFF', prefectureCode: '02' };
    expect((await t.execute(CREATE, { input }, other)).errors![0].extensions!.code).toBe('FORBIDDEN');
  });
});

describe('CSV import', () => {
  const row = (id: string, change: Record<string, string> = {}) => {
    const values: Record<string, string> = {
      base_id: id,
      prefecture_code: '47',
      name: '沖縄テスト拠点',
      model: 'HYBRID',
      municipality_codes: '473014',
      established_on: '2023-04-01',
      closed_on: '',
      functions: 'CONSULTATION;EMERGENCY_RESPONSE',
      emergency_preregistrations: '5',
      coordinator_count: '1',
      coordinator_funding: 'FEE_ADDITION',
      coordinator_host: '那覇テスト事業所',
      coordinator_started_on: '2023-04-01',
      last_review_on: '2025-03-01',
      last_review_summary: '県調査で確認',
      source_name: '令和7年度 県調査',
      source_as_of: '2025-07-01',
      sample: 'false',
      ...change,
    };
    return BASE_COLUMNS.map((c) => values[c]).join(',');
  };
  const file = (...rows: string[]) => [BASE_COLUMNS.join(','), ...rows].join('\n') + '\n';
  /** A base's cells when it has no coordinator and no review. */
  const NO_COORDINATOR_NOR_REVIEW = {
    coordinator_count: '0',
    coordinator_funding: '',
    coordinator_host: '',
    coordinator_started_on: '',
    last_review_on: '',
    last_review_summary: '',
  };

  it('takes Japanese labels for every coded value, and names the wrong one in a list', async () => {
    const labelled = file(
      row('OKI-B9', {
        model: '面的整備型',
        functions: '相談;緊急時の受け入れ・対応;地域の体制づくり',
        coordinator_funding: '地域生活支援事業',
        established_on: '令和5年4月1日',
        coordinator_started_on: '2023/4/1',
      }),
    );
    expect(await importBases(t.subgraph.dataSource, labelled)).toMatchObject({ applied: true, inserted: 1, problems: [] });
    const [stored] = await t.subgraph.dataSource.query(
      `SELECT b.model, b.established_on::text, ARRAY(SELECT f.function FROM base_function f WHERE f.base_id = b.id ORDER BY 1) AS functions, c.funding
       FROM base b JOIN base_coordinator c ON c.base_id = b.id WHERE b.external_id = 'OKI-B9'`,
    );
    expect(stored).toEqual({
      model: 'NETWORKED',
      established_on: '2023-04-01',
      functions: ['COMMUNITY_COORDINATION', 'CONSULTATION', 'EMERGENCY_RESPONSE'],
      funding: 'COMMUNITY_LIFE_SUPPORT_PROGRAM',
    });
    const wrong = await importBases(t.subgraph.dataSource, file(row('OKI-B9', { functions: '相談;送迎' })));
    expect(wrong.problems).toEqual([
      expect.objectContaining({
        line: 2,
        column: 'functions',
        reason: expect.stringContaining('unknown value "送迎"'),
        reasonJa: expect.stringContaining('「送迎」'),
      }),
    ]);
  });

  it('imports bases with their coordinator and review; the same file again changes nothing', async () => {
    const csv = file(row('OKI-B1'), row('OKI-B2', NO_COORDINATOR_NOR_REVIEW));
    expect(await importBases(t.subgraph.dataSource, csv)).toMatchObject({ applied: true, inserted: 2, problems: [] });
    const before = await snapshot();
    expect(await importBases(t.subgraph.dataSource, csv)).toMatchObject({ applied: true, inserted: 0, updated: 0, unchanged: 2 });
    expect(await snapshot()).toEqual(before);
    const changed = await importBases(
      t.subgraph.dataSource,
      file(
        row('OKI-B1', { coordinator_count: '0', coordinator_funding: '', coordinator_host: '', coordinator_started_on: '' }),
        row('OKI-B2', NO_COORDINATOR_NOR_REVIEW),
      ),
    );
    expect(changed).toMatchObject({ updated: 1, unchanged: 1 });
    const [{ n }] = await t.subgraph.dataSource.query(
      `SELECT count(*)::int AS n FROM base_coordinator c JOIN base b ON b.id = c.base_id WHERE b.external_id = 'OKI-B1'`,
    );
    expect(n).toBe(0);
  });

  it('rejects a file with a bad row, reporting line and column, and writes nothing', async () => {
    const before = await snapshot();
    const report = await importBases(
      t.subgraph.dataSource,
      file(row('OKI-B3'), row('OKI-B4', { municipality_codes: '473015', coordinator_count: '2', coordinator_host: '' })),
    );
    expect(report.applied).toBe(false);
    expect(english(report.problems)).toEqual([
      { line: 3, column: 'municipality_codes', reason: '"473015": check digit should be 4, not 5' },
      { line: 3, column: 'coordinator_host', reason: 'is required' },
    ]);
    expect(await snapshot()).toEqual(before);
  });

  it('refuses a coordinator or review cell filled in on a row that has none, rather than dropping it', async () => {
    const none = NO_COORDINATOR_NOR_REVIEW;
    const report = await importBases(
      t.subgraph.dataSource,
      file(
        row('OKI-B7', { ...none, coordinator_funding: 'FEE_ADDITION', coordinator_host: '那覇テスト事業所' }),
        row('OKI-B8', { ...none, last_review_summary: '山田さんの件を確認' }),
      ),
    );
    expect(report.applied).toBe(false);
    expect(report.problems).toEqual([
      expect.objectContaining({ line: 2, column: 'coordinator_funding', reason: expect.stringContaining('coordinator_count is 0'), value: 'FEE_ADDITION' }),
      expect.objectContaining({ line: 2, column: 'coordinator_host', reasonJa: expect.stringContaining('配置人数が0') }),
      {
        line: 3,
        column: 'last_review_summary',
        reason: expect.stringContaining('last_review_on is empty'),
        reasonJa: expect.stringContaining('検証・検討日が空欄'),
      },
    ]);
    expect(JSON.stringify(report)).not.toContain('山田'); // a review's summary is free text: never quoted
    expect(await importBases(t.subgraph.dataSource, file(row('OKI-B7', none)), { dryRun: true })).toMatchObject({ problems: [] });
  });

  it('imports participants only for functions their imported base provides', async () => {
    const header = 'base_id,function,organization_name,organization_kind\n';
    const ok = `${header}OKI-B1,EMERGENCY_RESPONSE,那覇ショートステイ,SHORT_STAY\n`;
    expect(await importBaseParticipants(t.subgraph.dataSource, ok)).toMatchObject({ applied: true, inserted: 1 });
    expect(await importBaseParticipants(t.subgraph.dataSource, ok)).toMatchObject({ applied: true, unchanged: 1 });
    // A base id and an organization's name holding | (the key joins base, function and organization with it).
    const base = await importBases(t.subgraph.dataSource, file(row('OKI|B3')));
    expect(base.problems).toEqual([]);
    const piped = `${header}OKI|B3,EMERGENCY_RESPONSE,那覇|ショートステイ,SHORT_STAY\n`;
    expect((await importBaseParticipants(t.subgraph.dataSource, piped)).problems).toEqual([]);
    expect(await importBaseParticipants(t.subgraph.dataSource, piped)).toMatchObject({ applied: true, unchanged: 1, inserted: 0 });
    const bad = await importBaseParticipants(t.subgraph.dataSource, `${header}OKI-B1,SPECIALIST_DEVELOPMENT,X,OTHER\nNOPE,CONSULTATION,Y,OTHER\n`);
    expect(bad.problems).toEqual([
      { line: 2, column: 'function', reason: 'base OKI-B1 does not provide SPECIALIST_DEVELOPMENT', reasonJa: expect.stringContaining('担っていません') },
      { line: 3, column: 'base_id', reason: 'no imported base has base_id NOPE', reasonJa: expect.stringContaining('取り込まれていません') },
    ]);
  });
});

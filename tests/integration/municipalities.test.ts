/** The municipalities subgraph against a real PostgreSQL, through Apollo's executeOperation. */
import { importCouncils, importReferenceData } from '../../subgraphs/municipalities/import';
import { municipalitiesSubgraph } from '../../subgraphs/municipalities';
import type { MunicipalityLoaders } from '../../subgraphs/municipalities/data/loaders';
import { type TestSubgraph, startTestSubgraph } from '../helpers/stack';

let t: TestSubgraph<MunicipalityLoaders>;
beforeAll(async () => {
  t = await startTestSubgraph(municipalitiesSubgraph);
});
afterAll(() => t?.subgraph.stop());

const codesOf = (data: any, field = 'municipalities') => data[field].nodes.map((n: { code: string }) => n.code);

describe('reference data', () => {
  it('is loaded once: 47 prefectures and 1,741 municipalities, and a second import does nothing', async () => {
    const [{ count: prefectures }] = await t.subgraph.dataSource.query('SELECT count(*)::int AS count FROM prefecture');
    const [{ count: municipalities }] = await t.subgraph.dataSource.query('SELECT count(*)::int AS count FROM municipality');
    expect([prefectures, municipalities]).toEqual([47, 1741]);
    expect(await importReferenceData(t.subgraph.dataSource)).toBe(false);
  });

  it('is loaded again when the recorded version differs, in one transaction', async () => {
    await t.subgraph.dataSource.query(`UPDATE data_import SET checksum = 'old'`);
    await t.subgraph.dataSource.query(`UPDATE municipality SET population = 1 WHERE code = '011002'`);
    expect(await importReferenceData(t.subgraph.dataSource)).toBe(true);
    const [{ population }] = await t.subgraph.dataSource.query(`SELECT population FROM municipality WHERE code = '011002'`);
    expect(population).toBe(1955678);
  });
});

describe('municipality(code)', () => {
  it('returns 札幌市 with its population and classes', async () => {
    const { data, errors } = await t.execute(`{
      municipality(code: "011002") {
        code name kana kind kindLabel population populationAsOf populationSource
        populationBracket populationBracketLabel selfPlanClass selfPlanClassLabel
        prefecture { code name kana region regionLabel }
      }
    }`);
    expect(errors).toBeUndefined();
    expect(data!.municipality).toEqual({
      code: '011002',
      name: '札幌市',
      kana: 'さっぽろし',
      kind: 'DESIGNATED_CITY',
      kindLabel: '政令指定都市',
      population: 1955678,
      populationAsOf: '2025-01-01',
      populationSource: '住民基本台帳2025-01-01',
      populationBracket: 'FROM_500K',
      populationBracketLabel: '50万人以上',
      selfPlanClass: 'DESIGNATED_CITY',
      selfPlanClassLabel: '政令指定都市',
      prefecture: { code: '01', name: '北海道', kana: 'ほっかいどう', region: 'HOKKAIDO', regionLabel: '北海道地方' },
    });
  });

  it('fails on a bad check digit with BAD_USER_INPUT naming the argument', async () => {
    const { data, errors } = await t.execute('{ municipality(code: "011003") { name } }');
    expect(data).toEqual({ municipality: null });
    expect(errors).toHaveLength(1);
    expect(errors![0].message).toContain('check digit should be 2');
    expect(errors![0].extensions).toMatchObject({ code: 'BAD_USER_INPUT', argument: 'code' });
  });

  it('returns null for a valid code that names no municipality', async () => {
    const { data, errors } = await t.execute('{ municipality(code: "016951") { name } }');
    expect(errors).toBeUndefined();
    expect(data).toEqual({ municipality: null });
  });
});

describe('prefectures', () => {
  it('lists 47 in code order and filters by region', async () => {
    const { data } = await t.execute('{ all: prefectures { code } shikoku: prefectures(region: SHIKOKU) { name } }');
    expect(data!.all).toHaveLength(47);
    expect(data!.all[0].code).toBe('01');
    expect(data!.shikoku.map((p: { name: string }) => p.name)).toEqual(['徳島県', '香川県', '愛媛県', '高知県']);
  });

  it('gives each prefecture its municipalities, all 1,741 in one SQL statement', async () => {
    const { result, statements } = await t.sql.during(() => t.execute('{ prefectures { code municipalities { code population } } }'));
    const prefectures = result.data!.prefectures as Array<{ code: string; municipalities: Array<{ code: string }> }>;
    expect(prefectures.reduce((n, p) => n + p.municipalities.length, 0)).toBe(1741);
    expect(prefectures.find((p) => p.code === '13')!.municipalities).toHaveLength(62);
    expect(prefectures.every((p) => p.municipalities.every((m) => m.code.startsWith(p.code)))).toBe(true);
    expect(statements.filter((s) => /FROM municipality /.test(s))).toHaveLength(1);
    expect(statements).toHaveLength(2); // the prefectures, then their municipalities
  });

  it('refuses a bad prefecture code', async () => {
    const { errors } = await t.execute('{ prefecture(code: "48") { name } }');
    expect(errors![0].extensions).toMatchObject({ code: 'BAD_USER_INPUT', argument: 'code' });
  });
});

describe('municipalities(filter, orderBy, first, after)', () => {
  const count = async (filter: Record<string, unknown>) => {
    const { data, errors } = await t.execute('query($f: MunicipalityFilter) { municipalities(filter: $f) { totalCount } }', {
      f: filter,
    });
    expect(errors).toBeUndefined();
    return data!.municipalities.totalCount as number;
  };

  it('counts the five brackets as MHLW does: 543 / 684 / 237 / 242 / 35', async () => {
    expect(await count({ populationBelow: 10000 })).toBe(543);
    const brackets = ['UNDER_10K', 'FROM_10K_TO_50K', 'FROM_50K_TO_100K', 'FROM_100K_TO_500K', 'FROM_500K'];
    const counts = [];
    for (const bracket of brackets) counts.push(await count({ brackets: [bracket] }));
    expect(counts).toEqual([543, 684, 237, 242, 35]);
    expect(await count({ brackets: ['UNDER_10K', 'FROM_500K'] })).toBe(578);
    expect(await count({})).toBe(1741);
  });

  it('filters by prefecture, region, kind, population range and text', async () => {
    expect(await count({ prefectureCodes: ['13'] })).toBe(62);
    expect(await count({ prefectureCodes: ['13'], kinds: ['SPECIAL_WARD'] })).toBe(23);
    expect(await count({ kinds: ['DESIGNATED_CITY'] })).toBe(20);
    expect(await count({ regions: ['HOKKAIDO'] })).toBe(179);
    expect(await count({ populationAtLeast: 10000, populationBelow: 50000 })).toBe(684);
    expect(await count({ prefectureCodes: ['01'], populationBelow: 10000 })).toBeGreaterThan(100);
  });

  it('matches name or reading, accepting katakana and treating % literally', async () => {
    const { data } = await t.execute(
      '{ a: municipalities(filter: {text: "サッポロ"}) { nodes { name } } b: municipalities(filter: {text: "札幌"}) { nodes { name } } c: municipalities(filter: {text: "%"}) { totalCount } }',
    );
    expect(data!.a.nodes).toEqual([{ name: '札幌市' }]);
    expect(data!.b.nodes).toEqual([{ name: '札幌市' }]);
    expect(data!.c.totalCount).toBe(0);
  });

  it('orders by population and pages through every row exactly once', async () => {
    for (const orderBy of [
      { field: 'POPULATION', direction: 'ASC' },
      { field: 'POPULATION', direction: 'DESC' },
      { field: 'KANA', direction: 'ASC' },
      { field: 'CODE', direction: 'DESC' },
    ]) {
      const seen: string[] = [];
      let after: string | null = null;
      for (let page = 0; page < 10; page += 1) {
        const { data, errors }: any = await t.execute(
          `query($o: MunicipalityOrder, $after: String) {
             municipalities(filter: {prefectureCodes: ["01", "47"]}, orderBy: $o, first: 50, after: $after) {
               totalCount nodes { code population } pageInfo { hasNextPage endCursor }
             }
           }`,
          { o: orderBy, after },
        );
        expect(errors).toBeUndefined();
        seen.push(...codesOf(data));
        if (!data.municipalities.pageInfo.hasNextPage) break;
        after = data.municipalities.pageInfo.endCursor;
      }
      expect(seen).toHaveLength(179 + 41);
      expect(new Set(seen).size).toBe(seen.length);
    }
    const { data } = await t.execute('{ municipalities(orderBy: {field: POPULATION}, first: 2) { nodes { name population } } }');
    expect(data!.municipalities.nodes).toEqual([{ name: '青ヶ島村', population: 160 }, expect.objectContaining({ population: expect.any(Number) })]);
    const desc = await t.execute('{ municipalities(orderBy: {field: POPULATION, direction: DESC}, first: 1) { nodes { name } } }');
    expect(desc.data!.municipalities.nodes).toEqual([{ name: '横浜市' }]);
  });

  it('says which filter field is wrong and why', async () => {
    const cases: Array<[Record<string, unknown>, string]> = [
      [{ filter: { codes: ['011002', '011003'] } }, 'filter.codes[1]'],
      [{ filter: { prefectureCodes: ['01', '99'] } }, 'filter.prefectureCodes[1]'],
      [{ filter: { populationAtLeast: -1 } }, 'filter.populationAtLeast'],
      [{ filter: { populationAtLeast: 5000, populationBelow: 5000 } }, 'filter.populationBelow'],
      [{ filter: { text: '   ' } }, 'filter.text'],
      [{ first: 5000 }, 'first'],
      [{ after: 'nonsense' }, 'after'],
    ];
    for (const [variables, argument] of cases) {
      const { errors } = await t.execute(
        'query($filter: MunicipalityFilter, $first: Int, $after: String) { municipalities(filter: $filter, first: $first, after: $after) { totalCount } }',
        variables,
      );
      expect(errors?.[0]?.extensions).toMatchObject({ code: 'BAD_USER_INPUT', argument });
    }
  });
});

describe('_entities (the gateway fetching Municipality and Prefecture for other subgraphs)', () => {
  const ENTITIES = `query($r: [_Any!]!) { _entities(representations: $r) {
    ... on Municipality { code name population }
    ... on Prefecture { code name }
  } }`;

  it('resolves a batch of 200 municipalities and 47 prefectures with one SQL statement per type', async () => {
    const codes = (await t.subgraph.dataSource.query('SELECT code FROM municipality ORDER BY code LIMIT 200')).map((r: { code: string }) => r.code);
    const representations = [
      ...codes.map((code: string) => ({ __typename: 'Municipality', code })),
      ...Array.from({ length: 47 }, (_, i) => ({ __typename: 'Prefecture', code: String(i + 1).padStart(2, '0') })),
    ];
    const { result, statements } = await t.sql.during(() => t.execute(ENTITIES, { r: representations }));
    expect(result.errors).toBeUndefined();
    expect(result.data!._entities).toHaveLength(247);
    expect(result.data!._entities[0]).toEqual({ code: codes[0], name: expect.any(String), population: expect.any(Number) });
    expect(statements).toHaveLength(2);
    expect(statements.filter((s) => /FROM municipality /.test(s) && /ANY/.test(s))).toHaveLength(1);
    expect(statements.filter((s) => /FROM prefecture/.test(s) && /ANY/.test(s))).toHaveLength(1);
  });

  it('returns null for an unknown code and an error for a malformed one', async () => {
    const { data, errors } = await t.execute(ENTITIES, {
      r: [
        { __typename: 'Municipality', code: '016951' },
        { __typename: 'Municipality', code: '011003' },
      ],
    });
    expect(data!._entities[0]).toBeNull();
    expect(errors?.[0]?.extensions).toMatchObject({ code: 'BAD_USER_INPUT', argument: 'representations.code' });
  });
});

describe('councils and self-plan rates', () => {
  it('reads council status and rates at a date, nationally 15.8 % and 30.7 % on 2024-03-31', async () => {
    const { data, errors } = await t.execute(`{
      nationalSelfPlanRate(asOf: "2024-03-31") { planningRatePercent childRatePercent municipalities }
      before: nationalSelfPlanRate(asOf: "2024-03-30") { municipalities }
      municipality(code: "011002") { council(asOf: "2025-04-01") { established subcommittees provenance { sample } } selfPlanRate { asOf } }
    }`);
    expect(errors).toBeUndefined();
    expect(data!.nationalSelfPlanRate).toEqual({ planningRatePercent: 15.8, childRatePercent: 30.7, municipalities: 1741 });
    expect(data!.before.municipalities).toBe(0);
    expect(data!.municipality.council).toMatchObject({ established: true, provenance: { sample: true } });
    expect(data!.municipality.selfPlanRate).toEqual({ asOf: '2024-03-31' });
    const [{ n }] = await t.subgraph.dataSource.query(`SELECT count(*)::int AS n FROM council_status WHERE established`);
    expect(n).toBe(1693);
  });

  it('imports council status all or nothing, and again without change', async () => {
    const header =
      'municipality_code,as_of,established,joint,subcommittees,secretariat_with_core_center,meetings_last_year,case_review_held,source_name,sample\n';
    const csv = `${header}011002,2026-04-01,true,false,相談支援部会;こども部会,true,6,true,令和8年度 県調査,false\n`;
    expect(await importCouncils(t.subgraph.dataSource, csv)).toMatchObject({ applied: true, inserted: 1 });
    expect(await importCouncils(t.subgraph.dataSource, csv)).toMatchObject({ applied: true, unchanged: 1 });
    const bad = await importCouncils(t.subgraph.dataSource, `${header}011003,2026-04-01,false,true,,false,2,false,調査,false\n`);
    expect(bad.problems.map((p) => p.column)).toEqual(['municipality_code', 'established']);
  });
});

describe('migrations', () => {
  it('run down and up again cleanly', async () => {
    const ds = t.subgraph.dataSource;
    for (let i = 0; i < ds.migrations.length; i += 1) await ds.undoLastMigration();
    const tables = await ds.query(`SELECT count(*)::int AS n FROM information_schema.tables WHERE table_name = 'municipality'`);
    expect(tables[0].n).toBe(0);
    await ds.runMigrations();
    await importReferenceData(ds);
    const { data } = await t.execute('{ municipalities { totalCount } }');
    expect(data!.municipalities.totalCount).toBe(1741);
  });
});

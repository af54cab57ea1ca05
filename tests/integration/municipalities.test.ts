/** The municipalities subgraph against a real PostgreSQL, through Apollo's executeOperation. */
import { readFileSync } from 'node:fs';
import ExcelJS from 'exceljs';
import { readCsv } from '../../shared/csv';
import { readImportFile } from '../../shared/spreadsheet';
import { importCouncils, importReferenceData, importSelfPlanRates } from '../../subgraphs/municipalities/import';
import { SAMPLE_FILES } from '../../subgraphs/municipalities/sample/generate';
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

  it("says a designated city's ward's code is counted as its city, giving the city's code", async () => {
    const { data, errors } = await t.execute('{ municipality(code: "011011") { name } }'); // 札幌市中央区
    expect(data).toEqual({ municipality: null });
    expect(errors![0].extensions).toMatchObject({
      code: 'BAD_USER_INPUT',
      argument: 'code',
      value: '011011',
      reasonJa: '市町村コード 011011 は政令指定都市 札幌市 の区のコードです。市のコード 011002 を指定してください',
    });
    const listed = await t.execute('{ municipalities(filter: { codes: ["011002", "141011"] }) { totalCount } }');
    expect(listed.errors![0].extensions).toMatchObject({ code: 'BAD_USER_INPUT', argument: 'filter.codes[1]', reason: expect.stringContaining('141003') });
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
    // A name with katakana in it (ヶ, ケ) is found by that name, written with either ke; and by its reading.
    const found = async (text: string) =>
      (
        (await t.execute('query($t: String) { municipalities(filter: {text: $t}) { nodes { name } } }', { t: text })).data!.municipalities.nodes as Array<{
          name: string;
        }>
      ).map((n) => n.name);
    for (const text of ['鶴ヶ島', '鶴ケ島', 'つるがしま', 'ツルガシマ', '鶴\u200Bヶ島'])
      expect({ text, names: await found(text) }).toEqual({ text, names: ['鶴ヶ島市'] });
    for (const text of ['袖ケ浦', '袖ヶ浦']) expect({ text, names: await found(text) }).toEqual({ text, names: ['袖ケ浦市'] });
    // Variant kanji (異体字) as one: the common forms people type find the official older ones, and the other way.
    for (const text of ['鰺ヶ沢', '鯵ケ沢', '鯵ヶ沢町']) expect({ text, names: await found(text) }).toEqual({ text, names: ['鰺ヶ沢町'] });
    for (const text of ['梼原', '檮原']) expect({ text, names: await found(text) }).toEqual({ text, names: ['檮原町'] });
    for (const text of ['竜ヶ崎', '龍ケ崎']) expect({ text, names: await found(text) }).toEqual({ text, names: ['龍ケ崎市'] });
    expect(await found('桧')).toEqual(['檜枝岐村', '檜原村']);
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

describe('self-plans as counts (計画作成者数 and セルフプラン作成者数)', () => {
  const STATISTICS = `query($asOf: LocalDate) { selfPlanStatistics(asOf: $asOf) { asOf
    national { ...g } byClass { ...g } byPrefecture { ...g } } }
    fragment g on SelfPlanGroup { group label municipalities municipalitiesRecorded
      planning { plans selfPlans ratePercent municipalitiesReporting municipalitiesLeftOut }
      child { plans selfPlans ratePercent municipalitiesReporting municipalitiesLeftOut } }`;
  /** Each municipality's class, read from the API, so that the test groups the rows itself. */
  async function classes(): Promise<Map<string, string>> {
    const classOf = new Map<string, string>();
    let after: string | null = null;
    do {
      const { data }: { data?: any } = await t.execute(
        'query($after: String) { municipalities(first: 1000, after: $after) { pageInfo { hasNextPage endCursor } nodes { code selfPlanClass } } }',
        { after },
      );
      for (const n of data.municipalities.nodes) classOf.set(n.code, n.selfPlanClass);
      after = data.municipalities.pageInfo.hasNextPage ? data.municipalities.pageInfo.endCursor : null;
    } while (after);
    return classOf;
  }
  const round1 = (part: number, whole: number) => Math.round((part / whole) * 1000) / 10;

  it('gives the sample national rates 15.8 % and 30.7 % as count ratios, and all twelve classes with counts', async () => {
    const { data, errors } =
      await t.execute(`{ nationalSelfPlanRate(asOf: "2024-03-31") { planningRatePercent childRatePercent planning { plans selfPlans municipalitiesReporting } }
      selfPlanStatistics(asOf: "2024-03-31") { byClass { group label municipalities planning { plans selfPlans ratePercent } child { plans ratePercent } } byPrefecture { group } } }`);
    expect(errors).toBeUndefined();
    const national = data!.nationalSelfPlanRate;
    expect([national.planningRatePercent, national.childRatePercent]).toEqual([15.8, 30.7]);
    expect(round1(national.planning.selfPlans, national.planning.plans)).toBe(15.8);
    expect(national.planning.municipalitiesReporting).toBe(1741);
    const byClass = data!.selfPlanStatistics.byClass;
    expect(byClass.map((c: { label: string }) => c.label)).toEqual([
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
    ]);
    expect(byClass.reduce((n: number, c: any) => n + c.municipalities, 0)).toBe(1741);
    expect(byClass.reduce((n: number, c: any) => n + c.planning.plans, 0)).toBe(national.planning.plans);
    for (const c of byClass) expect(c.planning.plans).toBeGreaterThan(0);
    expect(data!.selfPlanStatistics.byPrefecture).toHaveLength(47);
  });

  it('sums imported counts of municipalities of very different size by prefecture and class, as a sum computed here says', async () => {
    // 札幌市 (1.96 million residents), 網走市, 当別町, 夕張市 and 新篠津村 (2,730): a later date than the sample, so these replace its rows.
    const imported: Record<string, [number, number, number, number]> = {
      '011002': [15200, 410, 9800, 1500],
      '012114': [260, 31, 150, 60],
      '013030': [118, 40, 70, 35],
      '012092': [52, 0, 20, 20],
      '013048': [18, 9, 9, 3],
    };
    const csv =
      'municipality_code,as_of,planning_plans,planning_self_plans,child_plans,child_self_plans,source_name\n' +
      Object.entries(imported)
        .map(([code, c]) => `${code},2026-03-31,${c.join(',')},令和7年度 県調査`)
        .join('\n');
    expect(await importSelfPlanRates(t.subgraph.dataSource, csv)).toMatchObject({ applied: true, inserted: 5, problems: [] });
    // Expected sums: every municipality's sample counts of 2024-03-31, the five replaced by theirs.
    const rows = new Map(
      readCsv(readFileSync(SAMPLE_FILES.selfPlanRates, 'utf8')).rows.map(({ values: v }) => [
        v.municipality_code,
        [Number(v.planning_plans), Number(v.planning_self_plans), Number(v.child_plans), Number(v.child_self_plans)],
      ]),
    );
    for (const [code, c] of Object.entries(imported)) rows.set(code, c);
    const of = await classes();
    const sums = (keep: (code: string) => boolean) => {
      const s = [0, 0, 0, 0];
      for (const [code, c] of rows) if (keep(code)) c.forEach((n, i) => (s[i] += n));
      return s;
    };
    const { data, errors } = await t.execute(STATISTICS, { asOf: '2026-03-31' });
    expect(errors).toBeUndefined();
    const statistics = data!.selfPlanStatistics;
    const hokkaido = statistics.byPrefecture.find((g: { group: string }) => g.group === '01');
    const [pp, ps, cp, cs] = sums((code) => code.startsWith('01'));
    expect(hokkaido.planning).toEqual({ plans: pp, selfPlans: ps, ratePercent: round1(ps, pp), municipalitiesReporting: 179, municipalitiesLeftOut: 0 });
    expect(hokkaido.child).toEqual({ plans: cp, selfPlans: cs, ratePercent: round1(cs, cp), municipalitiesReporting: 179, municipalitiesLeftOut: 0 });
    for (const code of Object.keys(imported)) {
      const group = of.get(code)!;
      const [p, sp] = sums((c) => of.get(c) === group);
      expect(statistics.byClass.find((g: { group: string }) => g.group === group).planning).toMatchObject({
        plans: p,
        selfPlans: sp,
        ratePercent: round1(sp, p),
      });
    }
    const [np, ns] = sums(() => true);
    expect(statistics.national.planning).toMatchObject({ plans: np, selfPlans: ns, ratePercent: round1(ns, np), municipalitiesReporting: 1741 });
    // The municipality reads its counts and the rate derived from them (not stored).
    const { data: one } = await t.execute(
      '{ municipality(code: "013048") { selfPlanRate(asOf: "2026-03-31") { planningRatePercent planning { plans selfPlans ratePercent counted } } } }',
    );
    expect(one!.municipality.selfPlanRate).toEqual({ planningRatePercent: 50, planning: { plans: 18, selfPlans: 9, ratePercent: 50, counted: true } });
    const [stored] = await t.subgraph.dataSource.query(`SELECT planning_rate FROM self_plan_rate WHERE municipality_code = '013048' AND as_of = '2026-03-31'`);
    expect(stored.planning_rate).toBeNull();
  });

  it('accepts a rates-only file with Japanese headers, marks its rows and leaves them out of the sums, saying how many', async () => {
    const csv =
      '市町村コード,基準日,計画相談支援_セルフプラン率,障害児相談支援_セルフプラン率,出典\n012025,2026-06-30,12.5,40,市町村報告\n013315,2026-06-30,33.3,,市町村報告\n';
    expect(await importSelfPlanRates(t.subgraph.dataSource, csv)).toMatchObject({ applied: true, inserted: 2, problems: [] });
    const { data: s } = await t.execute(STATISTICS, { asOf: '2026-06-30' });
    expect(s!.selfPlanStatistics.national.planning).toMatchObject({ municipalitiesReporting: 1739, municipalitiesLeftOut: 2 });
    expect(s!.selfPlanStatistics.national.child).toMatchObject({ municipalitiesReporting: 1739, municipalitiesLeftOut: 1 });
    expect(s!.selfPlanStatistics.national.municipalitiesRecorded).toBe(1741);
    const { data: one } = await t.execute('{ municipality(code: "012025") { selfPlanRate(asOf: "2026-06-30") { planning { plans ratePercent counted } } } }');
    expect(one!.municipality.selfPlanRate.planning).toEqual({ plans: null, ratePercent: 12.5, counted: false });
  });

  it('refuses bad counts naming the line, the column and the value, and imports nothing', async () => {
    const header = 'municipality_code,as_of,planning_plans,planning_self_plans,planning_rate,child_plans,child_self_plans,source_name\n';
    const report = await importSelfPlanRates(
      t.subgraph.dataSource,
      header +
        '011002,2026-09-30,100,120,,,,調査\n' + // more self-plans than plans
        '012025,2026-09-30,100,10,25,,,調査\n' + // a rate that disagrees with the counts
        '012033,2026-09-30,100,,,,,調査\n' + // one count without the other
        '012041,2026-09-30,1.5,1,,,,調査\n' + // not a whole number
        '012050,2026-09-30,,,,,,調査\n' + // nothing for either service
        '012068,2026-09-30,"1,234",100,8.1,,,調査\n', // Excel's thousands separator, and a rate that agrees: fine
    );
    expect(report.applied).toBe(false);
    expect(report.problems.map((p) => [p.line, p.column])).toEqual([
      [2, 'planning_self_plans'],
      [3, 'planning_rate'],
      [4, 'planning_self_plans'],
      [5, 'planning_plans'],
      [6, 'planning_plans'],
    ]);
    expect(report.problems[1].reason).toContain('10 of 100 is 10 %');
    expect(report.problems[3].reason).toContain('"1.5"');
    const [{ n }] = await t.subgraph.dataSource.query(`SELECT count(*)::int AS n FROM self_plan_rate WHERE as_of = '2026-09-30'`);
    expect(n).toBe(0);
  });
  it('reads a survey sheet whose header is two rows: a service merged over its three columns, their names below', async () => {
    const workbook = new ExcelJS.Workbook();
    const sheet = workbook.addWorksheet('セルフプラン率');
    sheet.addRow(['セルフプラン率の状況（令和8年9月30日現在）']);
    sheet.addRow(['市町村コード', '市町村名', '計画相談支援', null, null, '障害児相談支援', null, null, '基準日', '出典']);
    sheet.addRow([null, null, '計画作成者数', 'セルフプラン作成者数', 'セルフプラン率（％）', '計画作成者数', 'セルフプラン作成者数', 'セルフプラン率（％）']);
    sheet.addRow(['011002', '札幌市', 1200, 190, 15.8, 400, 100, 25, new Date(Date.UTC(2026, 8, 30)), '県調査']);
    sheet.addRow(['012025', '函館市', 300, 30, 10, null, null, null, new Date(Date.UTC(2026, 8, 30)), '県調査']);
    for (const range of ['A2:A3', 'B2:B3', 'C2:E2', 'F2:H2', 'I2:I3', 'J2:J3']) sheet.mergeCells(range);
    const { table } = await readImportFile(Buffer.from(await workbook.xlsx.writeBuffer()));
    const report = await importSelfPlanRates(t.subgraph.dataSource, table);
    expect(report.problems).toEqual([]);
    expect(report.warnings.map((w) => w.line)).toEqual([2, 3]); // the title above; the header's two rows
    expect(report.warnings[1].reasonJa).toContain('2段');
    const rows = await t.subgraph.dataSource.query(
      `SELECT municipality_code, planning_plans, planning_self_plans, child_plans, child_self_plans FROM self_plan_rate WHERE as_of = '2026-09-30' ORDER BY 1`,
    );
    expect(rows).toEqual([
      { municipality_code: '011002', planning_plans: 1200, planning_self_plans: 190, child_plans: 400, child_self_plans: 100 },
      { municipality_code: '012025', planning_plans: 300, planning_self_plans: 30, child_plans: null, child_self_plans: null },
    ]);
    // The same sheet saved as CSV (no merges: the group's name in its first column only) reads the same.
    const csv =
      'セルフプラン率の状況\n市町村コード,計画相談支援,,,基準日,出典\n,計画作成者数,セルフプラン作成者数,セルフプラン率,,\n013048,50,5,10,2026-09-30,県調査\n';
    const again = await importSelfPlanRates(t.subgraph.dataSource, csv, { dryRun: true });
    expect(again.problems).toEqual([]);
    expect(again.inserted).toBe(1);
  });
  it('reads rates from an Excel workbook as they were shown: a percentage cell is 15.8 %, not 0.158 %', async () => {
    const workbook = new ExcelJS.Workbook();
    const sheet = workbook.addWorksheet('セルフプラン');
    sheet.addRow([
      '市区町村コード',
      '基準日',
      '計画相談支援_計画作成者数',
      '計画相談支援_セルフプラン作成者数',
      '計画相談支援_セルフプラン率',
      '障害児相談支援_セルフプラン率',
      '出典',
    ]);
    sheet.addRow(['011002', new Date(Date.UTC(2026, 9, 31)), '１，２００', '１９０', 0.15833, null, '県調査']); // typed with an input method
    sheet.addRow(['012025', new Date(Date.UTC(2026, 9, 31)), null, null, null, { formula: '19/120', result: 19 / 120 }, '県調査']);
    for (const cell of ['E2', 'F3']) sheet.getCell(cell).numFmt = '0.0%';
    const { table } = await readImportFile(Buffer.from(await workbook.xlsx.writeBuffer()));
    const report = await importSelfPlanRates(t.subgraph.dataSource, table);
    expect(report.problems).toEqual([]);
    // A formula's 15.8333…% is kept with two decimals, and the report says so.
    expect(report.warnings).toEqual([
      expect.objectContaining({ line: 3, column: 'child_rate', reasonJa: '15.8333333333333% は小数2桁に丸めて 15.83% として取り込みます' }),
    ]);
    const rows = await t.subgraph.dataSource.query(
      `SELECT municipality_code, planning_plans, planning_self_plans, child_rate::float AS child_rate FROM self_plan_rate WHERE as_of = '2026-10-31' ORDER BY 1`,
    );
    expect(rows).toEqual([
      { municipality_code: '011002', planning_plans: 1200, planning_self_plans: 190, child_rate: null },
      { municipality_code: '012025', planning_plans: null, planning_self_plans: null, child_rate: 15.83 },
    ]);
    // A rate written with its % in a CSV (Excel's CSV of a percentage cell) reads the same; 1580 % does not.
    const header = 'municipality_code,as_of,child_rate,source_name\n';
    expect((await importSelfPlanRates(t.subgraph.dataSource, `${header}013048,2026-10-31,15.8%,調査\n`, { dryRun: true })).problems).toEqual([]);
    const refused = await importSelfPlanRates(t.subgraph.dataSource, `${header}013048,2026-10-31,1580%,調査\n`, { dryRun: true });
    expect(refused.problems).toEqual([
      expect.objectContaining({ column: 'child_rate', reason: 'must be a percentage from 0 to 100 (15.8 or 15.8%), got "1580%"' }),
    ]);
  });
});

describe('a sheet as staff keep it', () => {
  it('leaves out its totals row (合計 where a code or name would be) with a warning, and refuses any other row without a code', async () => {
    const header = '市区町村コード,市町村名,基準日,計画相談支援_計画作成者数,計画相談支援_セルフプラン作成者数,出典\n';
    const sheet = (last: string) => header + '011002,札幌市,2026-11-30,1200,190,県調査\n' + '012025,函館市,2026-11-30,300,40,県調査\n' + last;
    for (const totals of [',合計,2026-11-30,1500,230,県調査\n', '合計,,2026-11-30,1500,230,\n', '計,　合　計,,1500,230,\n']) {
      const report = await importSelfPlanRates(t.subgraph.dataSource, sheet(totals), { dryRun: true });
      expect(report).toMatchObject({ problems: [], rows: 2, inserted: 2 });
      expect(report.warnings).toEqual([
        expect.objectContaining({ line: 4, column: '', reasonJa: expect.stringMatching(/^4行目は(合計|計)の行のため読み込みません$/) }),
      ]);
    }
    // A row with no code that is not a totals row is refused, as ever.
    const refused = await importSelfPlanRates(t.subgraph.dataSource, sheet(',小樽市,2026-11-30,100,10,県調査\n'), { dryRun: true });
    expect(refused.problems).toEqual([expect.objectContaining({ line: 4, column: 'municipality_code' })]);
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

/** The cross-subgraph questions of the support-centers subgraph, through the gateway over HTTP. */
import { startTestStack } from '../helpers/stack';

let stack: Awaited<ReturnType<typeof startTestStack>>;
beforeAll(async () => {
  stack = await startTestStack();
});
afterAll(() => stack?.stop());

describe('core-center gaps (@requires across subgraphs)', () => {
  it('lists, for 北海道, only its municipalities under 10,000 with no core center, smallest first', async () => {
    const { body } = await stack.query(`{
      prefecture(code: "01") {
        name
        coreCenterGaps(populationBelow: 10000, asOf: "2025-04-01") {
          code name population populationBracket coreCenterCoverage(asOf: "2025-04-01") prefecture { code }
        }
      }
    }`);
    expect(body.errors).toBeUndefined();
    const gaps = body.data!.prefecture.coreCenterGaps as Array<{
      code: string;
      name: string;
      population: number;
      coreCenterCoverage: string;
      prefecture: { code: string };
    }>;
    expect(gaps.length).toBeGreaterThan(10);
    for (const m of gaps) {
      expect(m.code.startsWith('01')).toBe(true);
      expect(m.prefecture.code).toBe('01');
      expect(m.population).toBeLessThan(10000);
      expect(m.coreCenterCoverage).toBe('NONE');
      expect(m.name).toEqual(expect.any(String));
    }
    expect(gaps.map((m) => m.population)).toEqual([...gaps.map((m) => m.population)].sort((a, b) => a - b));
  });

  it('answers nationally in one request: 543 − 255 = 288 municipalities under 10,000 have no core center', async () => {
    const { body } = await stack.query('{ prefectures { code coreCenterGaps(populationBelow: 10000, asOf: "2025-04-01") { code } } }');
    expect(body.errors).toBeUndefined();
    const prefectures = body.data!.prefectures as Array<{ coreCenterGaps: unknown[] }>;
    expect(prefectures).toHaveLength(47);
    expect(prefectures.reduce((n, p) => n + p.coreCenterGaps.length, 0)).toBe(288);
  });

  it('counts municipalities covered on 2020-04-01 (778) and 2025-04-01 (1,147)', async () => {
    const { body } = await stack.query(`{
      prefectures { municipalities { a: coreCenterCoverage(asOf: "2020-04-01") b: coreCenterCoverage(asOf: "2025-04-01") } }
    }`);
    expect(body.errors).toBeUndefined();
    const all = (body.data!.prefectures as Array<{ municipalities: Array<{ a: string; b: string }> }>).flatMap((p) => p.municipalities);
    expect(all).toHaveLength(1741);
    expect(all.filter((m) => m.a !== 'NONE')).toHaveLength(778);
    expect(all.filter((m) => m.b !== 'NONE')).toHaveLength(1147);
  });

  it('shows a municipality with its centers, their municipalities resolved back from the municipalities subgraph', async () => {
    const { body } = await stack.query(`{
      municipality(code: "011002") {
        name coreCenterCoverage(asOf: "2025-04-01")
        coreCenters(asOf: "2025-04-01") { name setup municipalities { name } prefecture { name } provenance { sample } }
        consultationOffices(first: 1) { totalCount nodes { name municipality { name } } }
      }
    }`);
    expect(body.errors).toBeUndefined();
    const sapporo = body.data!.municipality;
    expect(sapporo.coreCenterCoverage).toBe('SINGLE');
    expect(sapporo.coreCenters[0]).toMatchObject({
      setup: 'SINGLE',
      municipalities: [{ name: '札幌市' }],
      prefecture: { name: '北海道' },
      provenance: { sample: true },
    });
    expect(sapporo.consultationOffices.nodes[0].municipality.name).toBe('札幌市');
  });
});

describe('writes through the gateway', () => {
  const CREATE = `mutation($input: CreateCoreCenterInput!) { createCoreCenter(input: $input) { id version } }`;
  const input = {
    prefectureCode: '01',
    name: 'ゲートウェイ経由テスト',
    setup: 'JOINT',
    municipalityCodes: ['014702', '014711'],
    operation: 'DIRECT',
    establishedOn: '2025-06-01',
    functions: ['CONSULTATION'],
  };

  it('lets prefectural staff create and update, with documented errors for bad input and stale versions', async () => {
    const staff = await stack.as('PREFECTURE_STAFF', '01');
    const created = await stack.query(CREATE, { input }, staff);
    expect(created.body.errors).toBeUndefined();
    const { id } = created.body.data!.createCoreCenter;

    const oneMunicipality = await stack.query(CREATE, { input: { ...input, municipalityCodes: ['014702'] } }, staff);
    expect(oneMunicipality.body.errors![0].extensions).toMatchObject({ code: 'BAD_USER_INPUT', argument: 'input.municipalityCodes' });

    const badDigit = await stack.query(CREATE, { input: { ...input, municipalityCodes: ['014702', '014712'] } }, staff);
    expect(badDigit.body.errors![0].extensions).toMatchObject({ code: 'BAD_USER_INPUT', argument: 'input.municipalityCodes[1]' });
    expect(badDigit.body.errors![0].message).toContain('check digit');

    const update = 'mutation($id: ID!, $v: Int!) { updateCoreCenter(id: $id, version: $v, input: {name: "改名"}) { version } }';
    expect((await stack.query(update, { id, v: 1 }, staff)).body.data!.updateCoreCenter.version).toBe(2);
    expect((await stack.query(update, { id, v: 1 }, staff)).body.errors![0].extensions!.code).toBe('CONFLICT');

    const [{ n }] = await stack.supportCenters.subgraph.dataSource.query(
      `SELECT count(*)::int AS n FROM core_center WHERE prefecture_code = '01' AND NOT sample`,
    );
    expect(n).toBe(1);
  });

  it('refuses writes from anonymous callers and from other prefectures', async () => {
    const anonymous = await stack.query(CREATE, { input }, {});
    expect(anonymous.status).toBe(200);
    expect(anonymous.body.errors![0].extensions!.code).toBe('UNAUTHENTICATED');
    expect(anonymous.body.errors![0].message).toMatch(/^Not authenticated: sign in to change records \/ 認証されていません$/);
    const other = await stack.query(CREATE, { input }, await stack.as('PREFECTURE_STAFF', '13'));
    expect(other.body.errors![0].extensions!.code).toBe('FORBIDDEN');
  });
});

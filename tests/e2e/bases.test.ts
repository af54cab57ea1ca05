/** The bases subgraph's cross-subgraph questions, through the gateway over HTTP. */
import { startTestStack } from '../helpers/stack';

let stack: Awaited<ReturnType<typeof startTestStack>>;
beforeAll(async () => {
  stack = await startTestStack();
});
afterAll(() => stack?.stop());

it("reads 北海道's service figures and the national totals as in the source table", async () => {
  const { body } = await stack.query(`{
    prefecture(code: "01") { communityLifeServices { service serviceLabel designatedOffices billingOffices billingRatePercent } }
    communityLifeServiceTotals { service designatedOffices billingOffices }
  }`);
  expect(body.errors).toBeUndefined();
  expect(body.data!.prefecture.communityLifeServices[0]).toEqual({
    service: 'COMMUNITY_TRANSITION',
    serviceLabel: '地域移行支援',
    designatedOffices: 257,
    billingOffices: 24,
    billingRatePercent: 9.34,
  });
  expect(body.data!.communityLifeServiceTotals).toEqual([
    { service: 'COMMUNITY_TRANSITION', designatedOffices: 4434, billingOffices: 647 },
    { service: 'COMMUNITY_SETTLEMENT', designatedOffices: 4283, billingOffices: 636 },
    { service: 'INDEPENDENT_LIVING', designatedOffices: 570, billingOffices: 352 },
  ]);
});

it('lists with missing: [NO_COORDINATOR] only municipalities whose bases all lack a coordinator, saying so', async () => {
  const { body } = await stack.query(`{
    prefecture(code: "01") {
      baseGaps(asOf: "2025-07-01", missing: [NO_COORDINATOR]) {
        gaps municipality { code name population bases(asOf: "2025-07-01") { coordinatorCount(asOf: "2025-07-01") } }
      }
    }
  }`);
  expect(body.errors).toBeUndefined();
  const gaps = body.data!.prefecture.baseGaps as Array<{
    gaps: string[];
    municipality: { code: string; population: number; bases: Array<{ coordinatorCount: number }> };
  }>;
  expect(gaps.length).toBeGreaterThan(5);
  for (const g of gaps) {
    expect(g.gaps).toContain('NO_COORDINATOR');
    expect(g.municipality.code.startsWith('01')).toBe(true);
    expect(g.municipality.bases.length).toBeGreaterThan(0);
    expect(g.municipality.bases.every((b) => b.coordinatorCount === 0)).toBe(true);
  }
  expect(gaps.map((g) => g.municipality.population)).toEqual([...gaps.map((g) => g.municipality.population)].sort((a, b) => a - b));
});

it('counts 1,282 municipalities with a base on 2025-07-01 (1,270 on 2024-04-01)', async () => {
  const { body } = await stack.query(`{ prefectures { municipalities { a: baseCoverage(asOf: "2024-04-01") b: baseCoverage(asOf: "2025-07-01") } } }`);
  expect(body.errors).toBeUndefined();
  const all = (body.data!.prefectures as Array<{ municipalities: Array<{ a: string; b: string }> }>).flatMap((p) => p.municipalities);
  expect(all.filter((m) => m.a !== 'NONE')).toHaveLength(1270);
  expect(all.filter((m) => m.b !== 'NONE')).toHaveLength(1282);
});

it('answers one municipality across all three subgraphs in one request', async () => {
  const [{ code }] = await stack.bases.subgraph.dataSource.query(
    `SELECT bm.municipality_code AS code FROM base_municipality bm JOIN base b ON b.id = bm.base_id
     WHERE b.established_on <= '2025-07-01' AND (SELECT count(*) FROM base_municipality x WHERE x.base_id = b.id) = 1
     ORDER BY 1 LIMIT 1`,
  );
  const { body } = await stack.query(
    `query($code: ID!) {
    municipality(code: $code) {
      name population coreCenterCoverage(asOf: "2025-04-01") baseCoverage(asOf: "2025-07-01")
      bases(asOf: "2025-07-01") { name modelLabel missingFunctions functions { label provided } reviewOverdue(asOf: "2025-07-01") municipalities { name } }
    }
  }`,
    { code },
  );
  expect(body.errors).toBeUndefined();
  const m = body.data!.municipality;
  expect(m.coreCenterCoverage).toEqual(expect.stringMatching(/^(NONE|SINGLE|JOINT|SINGLE_AND_JOINT)$/));
  expect(m.baseCoverage).toBe('SINGLE');
  expect(m.bases[0].municipalities).toEqual([{ name: m.name }]);
  expect(m.bases[0].functions).toHaveLength(5);
});

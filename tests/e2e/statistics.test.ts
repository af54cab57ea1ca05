/** Coverage statistics across three subgraphs through the gateway, checked against MHLW's published figures. */
import { readFileSync } from 'node:fs';
import { projectPath } from '../../shared/paths';
import { startTestStack } from '../helpers/stack';

let stack: Awaited<ReturnType<typeof startTestStack>>;
beforeAll(async () => {
  stack = await startTestStack();
});
afterAll(() => stack?.stop());

it("reproduces MHLW's bracket table of core centers on 2025-04-01, with the setup splits", async () => {
  const { body } = await stack.query(`{
    coverageStatistics(asOf: "2025-04-01") {
      coreCenters { national { covered municipalities } byBracket { group label municipalities covered ratePercent single joint singleAndJoint } byPrefecture { group covered } }
      bases { national { covered } }
      councils { national { covered } }
    }
  }`);
  expect(body.errors).toBeUndefined();
  const s = body.data!.coverageStatistics;
  expect(s.coreCenters.national).toEqual({ covered: 1147, municipalities: 1741 });
  expect(s.coreCenters.byBracket.map((b: Record<string, number>) => [b.covered, b.municipalities, b.ratePercent, b.single, b.joint, b.singleAndJoint])).toEqual(
    [
      [255, 543, 47.0, 44, 205, 6],
      [446, 684, 65.2, 236, 201, 9],
      [198, 237, 83.5, 153, 45, 0],
      [214, 242, 88.4, 191, 22, 1],
      [34, 35, 97.1, 34, 0, 0],
    ],
  );
  expect(s.coreCenters.byPrefecture).toHaveLength(47);
  expect(s.coreCenters.byPrefecture.reduce((n: number, p: { covered: number }) => n + p.covered, 0)).toBe(1147);
  expect(s.councils.national.covered).toBe(1693);
});

it('counts municipalities with a base: 1,270 on 2024-04-01 and 1,282 on 2025-07-01', async () => {
  const { body } = await stack.query(`{ coverageSeries(dates: ["2024-04-01", "2025-07-01"]) { asOf bases { national { covered } byBracket { covered } } } }`);
  expect(body.errors).toBeUndefined();
  expect(body.data!.coverageSeries.map((s: { bases: { national: { covered: number } } }) => s.bases.national.covered)).toEqual([1270, 1282]);
});

it('reads the yearly series 778, 873, 928, 973, 1,045, 1,147 as of April 1 2020–2025, in one request of two fetches', async () => {
  const dates = [2020, 2021, 2022, 2023, 2024, 2025].map((y) => `${y}-04-01`);
  const { response, fetches } = await stack.countFetches(
    'query($dates: [LocalDate!]!) { coverageSeries(dates: $dates) { asOf coreCenters { national { covered } } } }',
    { dates },
  );
  expect(response.body.errors).toBeUndefined();
  expect(response.body.data!.coverageSeries.map((s: { coreCenters: { national: { covered: number } } }) => s.coreCenters.national.covered)).toEqual([
    778, 873, 928, 973, 1045, 1147,
  ]);
  expect(fetches).toEqual(['municipalities', 'support-centers']);
});

it("measures the advisors' impact on core centers across the dispatch and support-centers subgraphs", async () => {
  const { body } = await stack.query(`{
    prefecture(code: "01") { advisorImpact(from: "2022-11-01", to: "2024-03-31") {
      visited visitedAwaitingOutcome visitedWithCenterWithin12Months visitedSharePercent comparableMunicipalities comparableSharePercent } }
  }`);
  expect(body.errors).toBeUndefined();
  // The sample is generated with a fixed seed: these are its figures (the method is unit-tested in impact.test.ts).
  expect(body.data!.prefecture.advisorImpact).toEqual({
    visited: 17,
    visitedAwaitingOutcome: 0,
    visitedWithCenterWithin12Months: 0,
    visitedSharePercent: 0,
    comparableMunicipalities: 78,
    comparableSharePercent: 7,
  });
});

it("runs the README's self-plan query verbatim: MHLW's national rates as count ratios, twelve classes with counts", async () => {
  const readme = readFileSync(projectPath('README.md'), 'utf8');
  const query = /```graphql\n(\{ nationalSelfPlanRate\(asOf: "2024-03-31"\)[\s\S]*?)```/.exec(readme)![1];
  const { body } = await stack.query(query, undefined, await stack.as('ANALYST'));
  expect(body.errors).toBeUndefined();
  expect(body.data!.nationalSelfPlanRate).toEqual({ planningRatePercent: 15.8, childRatePercent: 30.7 });
  expect(body.data!.selfPlanStatistics.byClass).toHaveLength(12);
  expect(body.data!.selfPlanStatistics.byPrefecture).toHaveLength(47);
  for (const c of body.data!.selfPlanStatistics.byClass) expect(c.planning.plans).toBeGreaterThan(0);
  expect(body.data!.municipality.selfPlanRate.planning.counted).toBe(true);
});

/** The advisors' activity indicators (活動指標) per prefecture and fiscal year, all 47 in one request. */
import { readFileSync } from 'node:fs';
import { projectPath } from '../../shared/paths';
import { startTestStack } from '../helpers/stack';

let stack: Awaited<ReturnType<typeof startTestStack>>;
beforeAll(async () => {
  stack = await startTestStack();
});
afterAll(() => stack?.stop());

const QUERY = `query($fy: Int!) { prefectures { code activityIndicators(fiscalYear: $fy) {
  fiscalYear fiscalYearLabel advisorsDeployed advisorsByQualification { qualification advisors } visits
  visitsByPurpose { purpose label visits } visitsByFormat { format visits } trainingsHeld
  municipalitiesReached smallMunicipalities smallMunicipalitiesReached smallMunicipalitiesReachedPercent
  followUpsOpened followUpsCompleted followUpsOverdueAtYearEnd } } }`;

it('answers for all 47 prefectures in one request, with a fixed number of subgraph fetches and one statement for the batch', async () => {
  const before = stack.dispatch.sql.statements.length;
  const { response, fetches } = await stack.countFetches(QUERY, { fy: 2024 }, await stack.as('ANALYST'));
  expect(response.body.errors).toBeUndefined();
  const rows = response.body.data!.prefectures;
  expect(rows).toHaveLength(47);
  expect(fetches).toEqual(['municipalities', 'dispatch']);
  expect(stack.dispatch.sql.statements.slice(before).filter((s) => /make_date/.test(s))).toHaveLength(1);
  expect(rows[0].activityIndicators.fiscalYearLabel).toBe('令和6年度');
});

it('counts what an independent count of the log finds: trainings, visits by duty, municipalities reached, advisors', async () => {
  const { body } = await stack.query(QUERY, { fy: 2024 }, await stack.as('ANALYST'));
  const hokkaido = body.data!.prefectures.find((p: { code: string }) => p.code === '01').activityIndicators;
  const db = stack.dispatch.subgraph.dataSource;
  const inYear = "prefecture_code = '01' AND status = 'ACTIVE' AND visited_on BETWEEN '2024-04-01' AND '2025-03-31'";
  const [{ trainings, visits, council }] = await db.query(
    `SELECT count(*) FILTER (WHERE format = 'TRAINING')::int AS trainings, count(*)::int AS visits, count(*) FILTER (WHERE 'COUNCIL' = ANY(purposes))::int AS council FROM visit WHERE ${inYear}`,
  );
  const [{ reached }] = await db.query(
    `SELECT count(DISTINCT municipality_code)::int AS reached FROM visit_municipality WHERE visit_id IN (SELECT id FROM visit WHERE ${inYear})`,
  );
  const [{ advisors }] = await db.query(
    "SELECT count(*)::int AS advisors FROM advisor WHERE prefecture_code = '01' AND active_from <= '2025-03-31' AND (active_until IS NULL OR active_until > '2024-04-01')",
  );
  expect(trainings).toBeGreaterThan(0);
  expect(hokkaido.trainingsHeld).toBe(trainings);
  expect(hokkaido.visits).toBe(visits);
  expect(hokkaido.visitsByPurpose.find((p: { purpose: string }) => p.purpose === 'COUNCIL').visits).toBe(council);
  expect(hokkaido.municipalitiesReached).toBe(reached);
  expect(hokkaido.advisorsDeployed).toBe(advisors);
  expect(hokkaido.smallMunicipalities).toBe(127); // 北海道's municipalities under 10,000 residents
  expect(hokkaido.smallMunicipalitiesReached).toBeLessThanOrEqual(hokkaido.municipalitiesReached);
  // A prefecture without sample advisors or visits has zero activity, not an error.
  const akita = body.data!.prefectures.find((p: { code: string }) => p.code === '05').activityIndicators;
  expect(akita).toMatchObject({ advisorsDeployed: 0, visits: 0, trainingsHeld: 0, municipalitiesReached: 0, smallMunicipalitiesReachedPercent: 0 });
});

it('refuses anonymous callers and impossible fiscal years', async () => {
  const anonymous = await stack.query('{ prefecture(code: "01") { activityIndicators(fiscalYear: 2024) { visits } } }', undefined, {});
  expect(anonymous.body.errors![0].extensions!.code).toBe('FORBIDDEN');
  const far = await stack.query('{ prefecture(code: "01") { activityIndicators(fiscalYear: 3000) { visits } } }');
  expect(far.body.errors![0].extensions).toMatchObject({ code: 'BAD_USER_INPUT', argument: 'fiscalYear' });
});

it('exports the indicators of all 47 prefectures as CSV, with the coverage at the start and end of the year', async () => {
  const response = await fetch(new URL('/export/activity-indicators.csv?fiscalYear=2024', stack.gateway.url), { headers: await stack.as('ANALYST') });
  expect(response.status).toBe(200);
  const [header, ...rows] = (await response.text())
    .replace(/^\uFEFF/, '')
    .trim()
    .split('\r\n');
  expect(header.split(',')).toContain('trainings_held');
  expect(rows).toHaveLength(47);
  const hokkaido = Object.fromEntries(header.split(',').map((c, i) => [c, rows[0].split(',')[i]]));
  expect(hokkaido).toMatchObject({ prefecture_code: '01', fiscal_year: '2024', fiscal_year_label: '令和6年度', municipalities: '179' });
  expect(Number(hokkaido.core_center_covered_at_end)).toBeGreaterThanOrEqual(0);
  const missing = await fetch(new URL('/export/activity-indicators.csv', stack.gateway.url), { headers: await stack.as('ANALYST') });
  expect(missing.status).toBe(400);
});

it('gives the coverage change of the year beside the activity, equal to the coverage statistics at its start and end', async () => {
  const { response, fetches } = await stack.countFetches(
    `{ prefectures { code coreCenterCoverageChange(fiscalYear: 2024) { fiscalYearLabel municipalities coveredAtStart coveredAtEnd change ratePercentAtEnd }
         baseCoverageChange(fiscalYear: 2024) { coveredAtStart coveredAtEnd change } }
       start: coverageStatistics(asOf: "2024-04-01") { coreCenters { byPrefecture { group covered } } bases { byPrefecture { group covered } } }
       end: coverageStatistics(asOf: "2025-03-31") { coreCenters { byPrefecture { group covered municipalities ratePercent } } bases { byPrefecture { group covered } } } }`,
    undefined,
    await stack.as('ANALYST'),
  );
  expect(response.body.errors).toBeUndefined();
  const { prefectures, start, end } = response.body.data!;
  const find = (table: any, code: string) => table.byPrefecture.find((c: { group: string }) => c.group === code);
  for (const p of prefectures) {
    expect(p.coreCenterCoverageChange).toMatchObject({
      fiscalYearLabel: '令和6年度',
      municipalities: find(end.coreCenters, p.code).municipalities,
      coveredAtStart: find(start.coreCenters, p.code).covered,
      coveredAtEnd: find(end.coreCenters, p.code).covered,
      ratePercentAtEnd: find(end.coreCenters, p.code).ratePercent,
    });
    expect(p.coreCenterCoverageChange.change).toBe(p.coreCenterCoverageChange.coveredAtEnd - p.coreCenterCoverageChange.coveredAtStart);
    expect(p.baseCoverageChange).toMatchObject({ coveredAtStart: find(start.bases, p.code).covered, coveredAtEnd: find(end.bases, p.code).covered });
  }
  expect(prefectures.reduce((n: number, p: any) => n + p.coreCenterCoverageChange.change, 0)).toBeGreaterThan(0); // the sample's centers grow over the year
  expect(new Set(fetches)).toEqual(new Set(['municipalities', 'support-centers', 'bases']));
});

it("runs the README's activity-against-progress list as an analyst, in two pages", async () => {
  const readme = readFileSync(projectPath('README.md'), 'utf8');
  const query = /```graphql\n(query\(\$after: String\) \{ municipalities\(first: 1000[\s\S]*?)```/.exec(readme)![1];
  const analyst = await stack.as('ANALYST');
  const first = await stack.query(query, {}, analyst);
  expect(first.body.errors).toBeUndefined();
  const second = await stack.query(query, { after: first.body.data!.municipalities.pageInfo.endCursor }, analyst);
  expect(second.body.errors).toBeUndefined();
  const rows = [...first.body.data!.municipalities.nodes, ...second.body.data!.municipalities.nodes];
  expect(rows).toHaveLength(1741);
  expect(rows.some((r) => r.visits.totalCount > 0 && r.coreCenterAtStart !== undefined)).toBe(true);
});

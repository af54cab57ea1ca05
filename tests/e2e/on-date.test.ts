/**
 * Any date, through the gateway: the worklist and the gaps behind it as they stood on a date the caller
 * chooses (PrefectureOnDate / MunicipalityOnDate, keyed by code and date so @requires carries the date),
 * two dates in one request, checked against the records themselves.
 */
import { startTestStack } from '../helpers/stack';
import { todayInJapan } from '../../shared/dates';

let stack: Awaited<ReturnType<typeof startTestStack>>;
beforeAll(async () => {
  stack = await startTestStack();
});
afterAll(() => stack?.stop());

const TWO_DATES = `{ prefecture(code: "01") {
  a: onDate(asOf: "2024-04-01") { asOf advisorWorklist(filter: { populationBelow: 10000 }) { municipality { code } reasons daysSinceLastVisit lastVisit { date } } }
  b: onDate(asOf: "2025-04-01") { asOf advisorWorklist(filter: { populationBelow: 10000 }) { municipality { code } reasons daysSinceLastVisit lastVisit { date } } }
} }`;

/** 北海道's municipalities under 10,000 residents. */
async function smallCodes(): Promise<string[]> {
  const rows = await stack.municipalities.subgraph.dataSource.query(
    `SELECT code FROM municipality WHERE prefecture_code = '01' AND population < 10000 ORDER BY code`,
  );
  return rows.map((r: { code: string }) => r.code);
}

/** The municipalities (of `codes`) that the records say have the gap on `date`. */
async function expectedGaps(codes: string[], date: string): Promise<Record<string, Set<string>>> {
  const covered = async (db: typeof stack.supportCenters.subgraph.dataSource, sql: string) =>
    new Set<string>((await db.query(sql, [codes, date])).map((r: { code: string }) => r.code));
  const withCenter = await covered(
    stack.supportCenters.subgraph.dataSource,
    `SELECT DISTINCT m.municipality_code AS code FROM core_center_municipality m JOIN core_center c ON c.id = m.core_center_id
     WHERE m.municipality_code = ANY($1) AND c.established_on <= $2::date AND (c.closed_on IS NULL OR c.closed_on > $2::date)`,
  );
  const withBase = await covered(
    stack.bases.subgraph.dataSource,
    `SELECT DISTINCT m.municipality_code AS code FROM base_municipality m JOIN base b ON b.id = m.base_id
     WHERE m.municipality_code = ANY($1) AND b.established_on <= $2::date AND (b.closed_on IS NULL OR b.closed_on > $2::date)`,
  );
  const visited = await covered(
    stack.dispatch.subgraph.dataSource,
    `SELECT DISTINCT vm.municipality_code AS code FROM visit_municipality vm JOIN visit v ON v.id = vm.visit_id
     WHERE vm.municipality_code = ANY($1) AND v.status = 'ACTIVE' AND v.visited_on <= $2::date AND v.visited_on >= ($2::date - interval '12 months')`,
  );
  return {
    NO_CORE_CENTER: new Set(codes.filter((c) => !withCenter.has(c))),
    NO_BASE: new Set(codes.filter((c) => !withBase.has(c))),
    NOT_VISITED_RECENTLY: new Set(codes.filter((c) => !visited.has(c))),
  };
}

it('answers the 北海道 worklist on 2024-04-01 and on 2025-04-01 in one request, each as the records of its day say', async () => {
  const { body } = await stack.query(TWO_DATES, undefined, await stack.as('ADVISOR', '01'));
  expect(body.errors).toBeUndefined();
  const codes = await smallCodes();
  for (const key of ['a', 'b'] as const) {
    const day = body.data!.prefecture[key];
    const expected = await expectedGaps(codes, day.asOf);
    const listed = new Map<string, string[]>(day.advisorWorklist.map((w: any) => [w.municipality.code, w.reasons]));
    for (const [gap, municipalities] of Object.entries(expected)) {
      const got = new Set([...listed].filter(([, reasons]) => reasons.includes(gap)).map(([code]) => code));
      expect([day.asOf, gap, [...got].sort()]).toEqual([day.asOf, gap, [...municipalities].sort()]);
    }
    for (const w of day.advisorWorklist) if (w.lastVisit) expect(w.lastVisit.date <= day.asOf).toBe(true);
  }
  // The two days differ: the lists are not one answer shown twice.
  expect(JSON.stringify(body.data!.prefecture.a.advisorWorklist)).not.toBe(JSON.stringify(body.data!.prefecture.b.advisorWorklist));
});

it('shows NO_CORE_CENTER before a center was set up and not after, for a municipality whose center came between the dates', async () => {
  const [center] = await stack.supportCenters.subgraph.dataSource.query(
    `SELECT m.municipality_code AS code, c.established_on::text AS established FROM core_center c JOIN core_center_municipality m ON m.core_center_id = c.id
     WHERE c.prefecture_code = '01' AND c.established_on > '2024-04-01' AND c.established_on <= '2025-04-01'
       AND NOT EXISTS (SELECT 1 FROM core_center_municipality m2 JOIN core_center c2 ON c2.id = m2.core_center_id
                       WHERE m2.municipality_code = m.municipality_code AND c2.established_on <= '2024-04-01')
     ORDER BY 1 LIMIT 1`,
  );
  expect(center).toBeDefined();
  const { body } = await stack.query(
    `query($code: ID!) { municipality(code: $code) {
      a: onDate(asOf: "2024-04-01") { coreCenterGapKinds coreCenterCoverage }
      b: onDate(asOf: "2025-04-01") { coreCenterGapKinds coreCenterCoverage }
    } }`,
    { code: center.code },
  );
  expect(body.errors).toBeUndefined();
  expect(body.data!.municipality.a).toEqual({ coreCenterGapKinds: ['NO_CORE_CENTER'], coreCenterCoverage: 'NONE' });
  expect(body.data!.municipality.b.coreCenterGapKinds).toEqual([]);
  expect(body.data!.municipality.b.coreCenterCoverage).not.toBe('NONE');
});

it('answers a municipality on a date from all four subgraphs: gaps, coverage, council, last visit and follow-ups as of the day', async () => {
  const { body } = await stack.query(`{ municipality(code: "011002") { onDate(asOf: "2025-04-01") {
    code asOf municipality { name } population coreCenterGapKinds baseGapKinds councilGapKinds coreCenterCoverage baseCoverage
    council { established } lastVisit { date } daysSinceLastVisit openFollowUps { dueOn status } overdueFollowUps { dueOn }
  } } }`);
  expect(body.errors).toBeUndefined();
  const day = body.data!.municipality.onDate;
  expect(day).toMatchObject({ code: '011002', asOf: '2025-04-01', municipality: { name: '札幌市' }, population: 1955678, coreCenterCoverage: 'SINGLE' });
  if (day.lastVisit) expect(day.lastVisit.date <= '2025-04-01').toBe(true);
  for (const f of day.openFollowUps) expect(f.status).toBe('OPEN');
  for (const f of day.overdueFollowUps) expect(f.dueOn < '2025-04-01').toBe(true);
});

it('is alive on the day it runs: most of the 北海道 worklist was visited in the last 12 months, reviews and follow-ups both on time and overdue', async () => {
  const { body } = await stack.query(`{ prefecture(code: "01") {
    advisorWorklist { reasons }
    small: advisorWorklist(filter: { populationBelow: 10000 }) { reasons }
  } bases(filter: { prefectureCodes: ["01"] }, first: 200) { nodes { reviewOverdue lastReviewOn } } }`);
  expect(body.errors).toBeUndefined();
  for (const list of [body.data!.prefecture.advisorWorklist, body.data!.prefecture.small]) {
    const notVisited = list.filter((w: { reasons: string[] }) => w.reasons.includes('NOT_VISITED_RECENTLY'));
    expect(list.length).toBeGreaterThan(0);
    expect(notVisited.length).toBeLessThan(list.length / 2);
  }
  const reviews = body.data!.bases.nodes.map((b: { reviewOverdue: boolean }) => b.reviewOverdue);
  expect(reviews).toContain(false);
  expect(reviews).toContain(true);
  const [{ coming, overdue }] = await stack.dispatch.subgraph.dataSource.query(
    `SELECT count(*) FILTER (WHERE due_on >= current_date)::int AS coming, count(*) FILTER (WHERE due_on < current_date)::int AS overdue
     FROM follow_up WHERE status = 'OPEN' AND due_on > current_date - 120`,
  );
  expect(coming).toBeGreaterThan(0);
  expect(overdue).toBeGreaterThan(0);
});

it('compares two dates in one request as the change: coverage tables and activity figures', async () => {
  const { body } = await stack.query(`{
    coverageStatistics(asOf: "2025-04-01") {
      coreCenters { national { covered } }
      coreCentersChange(since: "2024-04-01") { national { coveredBefore covered change ratePercentBefore ratePercent ratePointChange } byPrefecture { group change } }
      basesChange(since: "2024-04-01") { national { coveredBefore covered change } }
      councilsChange(since: "2024-04-01") { national { coveredBefore covered change } }
    }
    before: coverageStatistics(asOf: "2024-04-01") { coreCenters { national { covered ratePercent } byPrefecture { covered } } }
    prefecture(code: "01") { activityIndicatorsChange(fiscalYear: 2024, sinceFiscalYear: 2023) { visits { before after change } municipalitiesReached { change } }
      y2023: activityIndicators(fiscalYear: 2023) { visits } y2024: activityIndicators(fiscalYear: 2024) { visits } }
  }`);
  expect(body.errors).toBeUndefined();
  const change = body.data!.coverageStatistics.coreCentersChange.national;
  expect(change.covered).toBe(body.data!.coverageStatistics.coreCenters.national.covered);
  expect(change.coveredBefore).toBe(body.data!.before.coreCenters.national.covered);
  expect(change.change).toBe(change.covered - change.coveredBefore);
  expect(change.ratePointChange).toBeCloseTo(change.ratePercent - change.ratePercentBefore, 1);
  expect(change.change).toBeGreaterThan(0); // MHLW: 1,088 → 1,147 core-center municipalities
  expect(body.data!.coverageStatistics.coreCentersChange.byPrefecture.reduce((n: number, p: { change: number }) => n + p.change, 0)).toBe(change.change);
  const activity = body.data!.prefecture;
  expect(activity.activityIndicatorsChange.visits).toEqual({
    before: activity.y2023.visits,
    after: activity.y2024.visits,
    change: activity.y2024.visits - activity.y2023.visits,
  });
  const wrong = await stack.query('{ prefecture(code: "01") { activityIndicatorsChange(fiscalYear: 2024, sinceFiscalYear: 2024) { visits { change } } } }');
  expect(wrong.body.errors?.[0].extensions).toMatchObject({ code: 'BAD_USER_INPUT', argument: 'sinceFiscalYear' });
});

it('counts a follow-up open on the days before it was dropped or done, and not after', async () => {
  const db = stack.dispatch.subgraph.dataSource;
  const [visit] = await db.query(
    `SELECT v.id, vm.municipality_code AS code, v.visited_on::text AS date FROM visit v JOIN visit_municipality vm ON vm.visit_id = v.id
     WHERE v.status = 'ACTIVE' AND v.visited_on < '2025-06-01' AND v.prefecture_code = '01' ORDER BY v.visited_on DESC LIMIT 1`,
  );
  const created = await stack.query(`mutation($i: CreateFollowUpInput!) { createFollowUp(input: $i) { id version } }`, {
    i: { visitId: visit.id, municipalityCode: visit.code, description: '日付の検証', dueOn: '2025-07-01', ownerKind: 'MUNICIPALITY' },
  });
  expect(created.body.errors).toBeUndefined();
  const { id, version } = created.body.data!.createFollowUp;
  const dropped = await stack.query(`mutation($i: DropFollowUpInput!) { dropFollowUp(input: $i) { status } }`, { i: { id, version, reason: '方針変更' } });
  expect(dropped.body.data!.dropFollowUp.status).toBe('DROPPED');
  const openOn = async (date: string) => {
    const { body } = await stack.query(
      `query($c: ID!, $d: LocalDate!) { municipality(code: $c) { onDate(asOf: $d) { openFollowUps { id } overdueFollowUps { id } } } }`,
      {
        c: visit.code,
        d: date,
      },
    );
    return body.data!.municipality.onDate;
  };
  const before = await openOn('2025-08-01'); // agreed, due, not yet dropped: open and overdue then
  expect(before.openFollowUps.map((f: { id: string }) => f.id)).toContain(id);
  expect(before.overdueFollowUps.map((f: { id: string }) => f.id)).toContain(id);
  const now = await openOn(todayInJapan());
  expect(now.openFollowUps.map((f: { id: string }) => f.id)).not.toContain(id);
});

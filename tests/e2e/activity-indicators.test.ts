/** The advisors' activity indicators (活動指標) per prefecture and fiscal year, all 47 in one request. */
import { readFileSync } from 'node:fs';
import { addDays, addMonths, todayInJapan } from '../../shared/dates';
import { fiscalYearLabel, fiscalYearOf } from '../../shared/fiscal-year';
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
  expect(stack.dispatch.sql.statements.slice(before).filter((s) => /FROM advisor a WHERE/.test(s))).toHaveLength(1);
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
    "SELECT count(*)::int AS advisors FROM advisor WHERE prefecture_code = '01' AND active_from <= '2025-03-31' AND (active_until IS NULL OR active_until >= '2024-04-01')",
  );
  expect(trainings).toBeGreaterThan(0);
  expect(hokkaido.trainingsHeld).toBe(trainings);
  expect(hokkaido.visits).toBe(visits);
  expect(hokkaido.visitsByPurpose.find((p: { purpose: string }) => p.purpose === 'COUNCIL').visits).toBe(council);
  expect(hokkaido.municipalitiesReached).toBe(reached);
  expect(hokkaido.advisorsDeployed).toBe(advisors);
  expect(hokkaido.smallMunicipalities).toBe(127); // 北海道's municipalities under 10,000 residents
  expect(hokkaido.smallMunicipalitiesReached).toBeLessThanOrEqual(hokkaido.municipalitiesReached);
});

it('finds advisors at work in exactly the prefectures whose program of the year is implemented (the sample agrees with its programs)', async () => {
  const { body } = await stack.query(
    '{ prefectures { code prefecturalProgram(fiscalYear: 2025) { implemented duties } activityIndicators(fiscalYear: 2025) { advisorsDeployed visits trainingsHeld } } }',
    undefined,
    await stack.as('ANALYST'),
  );
  expect(body.errors).toBeUndefined();
  const rows = body.data!.prefectures;
  expect(rows.filter((p: any) => p.prefecturalProgram.implemented)).toHaveLength(39);
  for (const p of rows) {
    expect({ code: p.code, advisors: p.activityIndicators.advisorsDeployed > 0, visits: p.activityIndicators.visits > 0 }).toEqual({
      code: p.code,
      advisors: p.prefecturalProgram.implemented,
      visits: p.prefecturalProgram.implemented,
    });
    // Trainings for municipal staff only where the program carries out ⑤.
    if (!p.prefecturalProgram.duties.includes('STAFF_TRAINING')) expect(p.activityIndicators.trainingsHeld).toBe(0);
  }
  // A prefecture without the program has zero activity, not an error.
  const without = rows.find((p: any) => !p.prefecturalProgram.implemented).activityIndicators;
  expect(without).toMatchObject({ advisorsDeployed: 0, visits: 0, trainingsHeld: 0 });
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
  expect(rows.filter((r) => r.advisorActivity.visits > 0).length).toBeGreaterThan(500);
  expect(rows.every((r) => typeof r.coreCenterCoverageChange.coveredAtStart === 'boolean' && typeof r.baseCoverageChange.change === 'number')).toBe(true);
});

it("gives each municipality's activity beside its coverage change: counted as the log counts it, one statement per batch", async () => {
  const before = stack.dispatch.sql.statements.length;
  const { body } = await stack.query(
    `{ prefecture(code: "01") { municipalities { code advisorActivity(fiscalYear: 2024) { fiscalYearLabel visits visitsByPurpose { purpose visits }
         visitsByFormat { format visits } followUpsOpened followUpsCompleted followUpsOverdueAtYearEnd }
       coreCenterCoverageChange(fiscalYear: 2024) { coveredAtStart coveredAtEnd change } start: coreCenterCoverage(asOf: "2024-04-01") end: coreCenterCoverage(asOf: "2025-03-31")
       baseCoverageChange(fiscalYear: 2024) { coveredAtStart coveredAtEnd change } baseStart: baseCoverage(asOf: "2024-04-01") baseEnd: baseCoverage(asOf: "2025-03-31") } } }`,
    undefined,
    await stack.as('PREFECTURE_STAFF', '01', 'staff-01'),
  );
  expect(body.errors).toBeUndefined();
  const municipalities = body.data!.prefecture.municipalities;
  expect(stack.dispatch.sql.statements.slice(before).filter((s) => /visit_municipality vm JOIN visit v/.test(s))).toHaveLength(1);
  const [counted] = await stack.dispatch.subgraph.dataSource.query(
    `SELECT json_object_agg(vm.municipality_code, n) AS visits FROM (
       SELECT vm.municipality_code, count(*)::int AS n FROM visit_municipality vm JOIN visit v ON v.id = vm.visit_id
       WHERE v.prefecture_code = '01' AND v.status = 'ACTIVE' AND v.visited_on BETWEEN '2024-04-01' AND '2025-03-31' GROUP BY 1) vm`,
  );
  for (const m of municipalities) {
    expect([m.code, m.advisorActivity.visits]).toEqual([m.code, counted.visits[m.code] ?? 0]);
    expect(m.advisorActivity.fiscalYearLabel).toBe('令和6年度');
    expect(m.coreCenterCoverageChange).toEqual({
      coveredAtStart: m.start !== 'NONE',
      coveredAtEnd: m.end !== 'NONE',
      change: Number(m.end !== 'NONE') - Number(m.start !== 'NONE'),
    });
    expect(m.baseCoverageChange).toMatchObject({ coveredAtStart: m.baseStart !== 'NONE', coveredAtEnd: m.baseEnd !== 'NONE' });
  }
  expect(municipalities.reduce((n: number, m: any) => n + m.advisorActivity.followUpsOpened, 0)).toBeGreaterThan(0);
  // Another prefecture's municipalities stay closed to this staff member.
  const foreign = await stack.query(
    '{ municipality(code: "131016") { advisorActivity(fiscalYear: 2024) { visits } } }',
    undefined,
    await stack.as('PREFECTURE_STAFF', '01', 'staff-01'),
  );
  expect(foreign.body.errors![0].extensions!.code).toBe('FORBIDDEN');
});

it('exports the activity per municipality: all 1,741 for an analyst, its own prefecture for staff', async () => {
  const rowsOf = async (headers: Record<string, string>) => {
    const response = await fetch(new URL('/export/municipality-activity.csv?fiscalYear=2024', stack.gateway.url), { headers });
    expect(response.status).toBe(200);
    const [header, ...rows] = (await response.text())
      .replace(/^\uFEFF/, '')
      .trim()
      .split('\r\n');
    return rows.map((row) => Object.fromEntries(header.split(',').map((c, i) => [c, row.split(',')[i]])));
  };
  const all = await rowsOf(await stack.as('ANALYST'));
  expect(all).toHaveLength(1741);
  const own = await rowsOf(await stack.as('PREFECTURE_STAFF', '01', 'staff-01'));
  expect(own).toHaveLength(179);
  expect(own.every((r) => r.prefecture_code === '01')).toBe(true);
  expect(own.reduce((n, r) => n + Number(r.visits), 0)).toBeGreaterThan(0);
  expect(own[0]).toMatchObject({ fiscal_year: '2024', fiscal_year_label: '令和6年度', core_center_covered_at_start: expect.stringMatching(/^(true|false)$/) });
});

describe('a fiscal year in progress, and one not begun', () => {
  const today = todayInJapan();
  const fy = fiscalYearOf(today);

  it('counts the year in progress up to today: what is planned after today (a center opening, a follow-up falling due) is not counted', async () => {
    const staff = await stack.as('PREFECTURE_STAFF', '01', 'staff-01');
    const tomorrow = addDays(today, 1);
    // A center recorded ahead of its opening tomorrow, in a municipality with none today.
    const gaps = await stack.query(`{ prefecture(code: "01") { coreCenterGaps { code } } }`, undefined, staff);
    const [uncovered] = gaps.body.data!.prefecture.coreCenterGaps;
    const center = await stack.query(
      'mutation($i: CreateCoreCenterInput!) { createCoreCenter(input: $i) { id } }',
      {
        i: {
          prefectureCode: '01',
          name: '開設予定センター',
          setup: 'SINGLE',
          municipalityCodes: [uncovered.code],
          operation: 'DIRECT',
          establishedOn: tomorrow,
          functions: ['CONSULTATION'],
        },
      },
      staff,
    );
    expect(center.body.errors).toBeUndefined();
    // A visit today whose follow-up falls due tomorrow: open, not overdue.
    const [advisor] = await stack.dispatch.subgraph.dataSource.query(`SELECT id FROM advisor WHERE prefecture_code = '01' ORDER BY external_id LIMIT 1`);
    const admin = await stack.as('ADMIN');
    const visit = await stack.query(
      'mutation($i: RecordVisitInput!) { recordVisit(input: $i) { id } }',
      { i: { prefectureCode: '01', date: today, advisorIds: [advisor.id], municipalityCodes: [uncovered.code], format: 'ONLINE', purposes: ['CORE_CENTER'] } },
      admin,
    );
    expect(visit.body.errors).toBeUndefined();
    const followUp = await stack.query(
      'mutation($i: CreateFollowUpInput!) { createFollowUp(input: $i) { id } }',
      {
        i: {
          visitId: visit.body.data!.recordVisit.id,
          municipalityCode: uncovered.code,
          description: '設置要綱の確認',
          dueOn: tomorrow,
          ownerKind: 'MUNICIPALITY',
        },
      },
      admin,
    );
    expect(followUp.body.errors).toBeUndefined();

    const { body } = await stack.query(
      `query($fy: Int!, $today: LocalDate!) { prefecture(code: "01") {
         activityIndicators(fiscalYear: $fy) { asOf inProgress visits followUpsOverdueAtYearEnd }
         coreCenterCoverageChange(fiscalYear: $fy) { asOf inProgress coveredAtEnd }
         baseCoverageChange(fiscalYear: $fy) { asOf inProgress coveredAtEnd } }
       municipality(code: "${uncovered.code}") { advisorActivity(fiscalYear: $fy) { asOf inProgress visits }
         coreCenterCoverageChange(fiscalYear: $fy) { asOf inProgress coveredAtEnd } }
       today: coverageStatistics(asOf: $today) { coreCenters { byPrefecture { group covered } } bases { byPrefecture { group covered } } } }`,
      { fy, today },
      staff,
    );
    expect(body.errors).toBeUndefined();
    const { prefecture, municipality: m, today: statistics } = body.data!;
    const coveredToday = (table: any) => table.byPrefecture.find((c: { group: string }) => c.group === '01').covered;
    expect(prefecture.coreCenterCoverageChange).toEqual({ asOf: today, inProgress: true, coveredAtEnd: coveredToday(statistics.coreCenters) });
    expect(prefecture.baseCoverageChange).toEqual({ asOf: today, inProgress: true, coveredAtEnd: coveredToday(statistics.bases) });
    expect(m.coreCenterCoverageChange).toEqual({ asOf: today, inProgress: true, coveredAtEnd: false });
    expect(m.advisorActivity).toMatchObject({ asOf: today, inProgress: true });
    expect(m.advisorActivity.visits).toBeGreaterThan(0);
    const [{ overdue, visits }] = await stack.dispatch.subgraph.dataSource.query(
      `SELECT (SELECT count(*)::int FROM follow_up f JOIN visit v ON v.id = f.visit_id WHERE v.prefecture_code = '01' AND v.status = 'ACTIVE'
                 AND f.status <> 'DROPPED' AND f.due_on < $1 AND (f.completed_on IS NULL OR f.completed_on > $1)) AS overdue,
              (SELECT count(*)::int FROM visit WHERE prefecture_code = '01' AND status = 'ACTIVE' AND visited_on BETWEEN $2 AND $1) AS visits`,
      [today, `${fy}-04-01`],
    );
    expect(prefecture.activityIndicators).toEqual({ asOf: today, inProgress: true, visits, followUpsOverdueAtYearEnd: overdue });
  });

  it('compares a year in progress with the same days of the earlier one (前年同期), and a past year with the whole earlier one', async () => {
    const analyst = await stack.as('ANALYST');
    const { body } = await stack.query(
      `query($fy: Int!, $before: Int!) { prefecture(code: "01") {
         now: activityIndicatorsChange(fiscalYear: $fy, sinceFiscalYear: $before) { asOf sinceAsOf inProgress visits { before after } }
         past: activityIndicatorsChange(fiscalYear: $before, sinceFiscalYear: 2024) { asOf sinceAsOf inProgress visits { before after } } } }`,
      { fy, before: fy - 1 },
      analyst,
    );
    expect(body.errors).toBeUndefined();
    const { now, past } = body.data!.prefecture;
    const sameDay = addMonths(today, -12);
    expect(now).toMatchObject({ asOf: today, sinceAsOf: sameDay, inProgress: true });
    expect(past).toMatchObject({ asOf: `${fy}-03-31`, sinceAsOf: '2025-03-31', inProgress: false });
    const count = async (from: string, to: string) =>
      (
        await stack.dispatch.subgraph.dataSource.query(
          "SELECT count(*)::int AS n FROM visit WHERE prefecture_code = '01' AND status = 'ACTIVE' AND visited_on BETWEEN $1 AND $2",
          [from, to],
        )
      )[0].n;
    expect(now.visits.before).toBe(await count(`${fy - 1}-04-01`, sameDay));
    expect(now.visits.after).toBe(await count(`${fy}-04-01`, today));
    expect(past.visits.after).toBe(await count(`${fy - 1}-04-01`, `${fy}-03-31`));
  });

  it('refuses a year not begun, in the API and in the exports, saying so in Japanese', async () => {
    const next = fy + 1;
    const analyst = await stack.as('ANALYST');
    for (const field of [
      'prefecture(code: "01") { activityIndicators(fiscalYear: $fy) { visits } }',
      'prefecture(code: "01") { coreCenterCoverageChange(fiscalYear: $fy) { change } }',
      'prefecture(code: "01") { baseCoverageChange(fiscalYear: $fy) { change } }',
      'prefecture(code: "01") { activityIndicatorsChange(fiscalYear: $fy, sinceFiscalYear: 2024) { visits { change } } }',
      'municipality(code: "011002") { advisorActivity(fiscalYear: $fy) { visits } }',
      'municipality(code: "011002") { coreCenterCoverageChange(fiscalYear: $fy) { change } }',
      'municipality(code: "011002") { baseCoverageChange(fiscalYear: $fy) { change } }',
    ]) {
      const { body } = await stack.query(`query($fy: Int!) { ${field} }`, { fy: next }, analyst);
      expect([field, body.errors?.[0]?.extensions]).toEqual([
        field,
        expect.objectContaining({
          code: 'BAD_USER_INPUT',
          argument: 'fiscalYear',
          value: next,
          reasonJa: expect.stringContaining(`${fiscalYearLabel(next)}はまだ始まっていません`),
        }),
      ]);
    }
    for (const file of ['activity-indicators.csv', 'municipality-activity.xlsx', 'visits.csv?prefecture=01&']) {
      const url = new URL(`/export/${file.includes('?') ? file : `${file}?`}fiscalYear=${next}`, stack.gateway.url);
      const response = await fetch(url, { headers: analyst });
      expect([file, response.status]).toEqual([file, 400]);
      expect(await response.json()).toMatchObject({
        code: 'BAD_USER_INPUT',
        field: 'fiscalYear',
        value: next,
        messageJa: expect.stringContaining('まだ始まっていません'),
      });
    }
  });
});

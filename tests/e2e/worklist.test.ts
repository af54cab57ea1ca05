/** The advisor worklist across all four subgraphs, and that its subgraph fetches do not grow with its size. */
import { GAP_LABELS } from '../../shared/gaps';
import { startTestStack } from '../helpers/stack';

let stack: Awaited<ReturnType<typeof startTestStack>>;
beforeAll(async () => {
  stack = await startTestStack();
});
afterAll(() => stack?.stop());

const WORKLIST = `query($filter: WorklistFilter) {
  prefecture(code: "01") {
    advisorWorklist(filter: $filter) {
      priority reasons daysSinceLastVisit
      municipality { code name population coreCenterCoverage }
      lastVisit { date purposes }
      overdueFollowUps { description dueOn }
    }
  }
}`;

it("lists 北海道's small municipalities with their reasons, last visit and overdue follow-ups in one request", async () => {
  const { response, fetches } = await stack.countFetches(WORKLIST, { filter: { populationBelow: 10000 } });
  expect(response.body.errors).toBeUndefined();
  const items = response.body.data!.prefecture.advisorWorklist as Array<{
    priority: number;
    reasons: string[];
    municipality: { code: string; population: number; coreCenterCoverage: string };
    lastVisit: { date: string } | null;
    overdueFollowUps: unknown[];
  }>;
  expect(items.length).toBeGreaterThan(50);
  for (const item of items) {
    expect(item.municipality.code.startsWith('01')).toBe(true);
    expect(item.municipality.population).toBeLessThan(10000);
    expect(item.reasons.length).toBeGreaterThan(0);
    expect(item.reasons.includes('NO_CORE_CENTER')).toBe(item.municipality.coreCenterCoverage === 'NONE');
    expect(item.reasons.includes('OVERDUE_FOLLOW_UP')).toBe(item.overdueFollowUps.length > 0);
  }
  expect(items.some((i) => i.overdueFollowUps.length > 0)).toBe(true);
  expect(items.some((i) => i.lastVisit !== null)).toBe(true);
  const priorities = items.map((i) => i.priority);
  expect(priorities).toEqual([...priorities].sort((a, b) => b - a));
  // The worklist gathers gaps from every subgraph in one request.
  expect(new Set(fetches)).toEqual(new Set(['municipalities', 'support-centers', 'bases', 'dispatch']));

  // The national form asks the same subgraphs the same number of times, for 1,741 municipalities.
  const national = await stack.countFetches(
    `{ prefectures { advisorWorklist { priority reasons municipality { code name population coreCenterCoverage } lastVisit { date purposes } overdueFollowUps { description dueOn } daysSinceLastVisit } } }`,
  );
  expect(national.response.body.errors).toBeUndefined();
  expect(national.fetches.length).toBe(fetches.length);
});

it('filters by gap kind', async () => {
  const { response } = await stack.countFetches(WORKLIST, { filter: { gaps: ['NO_COUNCIL'] } });
  expect(response.body.errors).toBeUndefined();
  const items = response.body.data!.prefecture.advisorWorklist as Array<{ reasons: string[] }>;
  expect(items.every((i) => i.reasons.includes('NO_COUNCIL'))).toBe(true);
});

it('keeps the number of subgraph fetches of the other cross-subgraph questions fixed, whatever the result size', async () => {
  const gaps = (scope: string) => `{ ${scope} { coreCenterGaps { code name visits(first: 2) { nodes { date } } } baseGaps { gaps municipality { name } } } }`;
  const one = await stack.countFetches(gaps('prefecture(code: "47")'));
  const all = await stack.countFetches(gaps('prefectures'));
  expect(one.response.body.errors).toBeUndefined();
  expect(all.response.body.errors).toBeUndefined();
  expect(all.fetches.length).toBe(one.fetches.length);
});

it("gives HIGH_SELF_PLAN_RATE where a rate is at least 1.5 times its class's rate (from 10 plans or more), as the statistics say", async () => {
  const { body } = await stack.query(`{ prefecture(code: "01") { advisorWorklist { reasons municipality { code } }
      municipalities { code selfPlanClass selfPlanRate { planning { plans ratePercent } child { plans ratePercent } } } }
    selfPlanStatistics { byClass { group planning { ratePercent } child { ratePercent } } } }`);
  expect(body.errors).toBeUndefined();
  const { advisorWorklist, municipalities } = body.data!.prefecture;
  const classRate = new Map(body.data!.selfPlanStatistics.byClass.map((c: any) => [c.group, c]));
  const high = (f: { plans: number; ratePercent: number }, rate: number) => f.plans >= 10 && f.ratePercent > 0 && f.ratePercent >= rate * 1.5;
  const expected = municipalities
    .filter((m: any) => {
      const c: any = classRate.get(m.selfPlanClass);
      return high(m.selfPlanRate.planning, c.planning.ratePercent) || high(m.selfPlanRate.child, c.child.ratePercent);
    })
    .map((m: any) => m.code);
  const flagged = advisorWorklist.filter((i: any) => i.reasons.includes('HIGH_SELF_PLAN_RATE')).map((i: any) => i.municipality.code);
  expect(expected.length).toBeGreaterThan(5);
  expect(flagged.sort()).toEqual(expected.sort());
});

it('gives the reasons, visit formats, follow-up and base-gap kinds in Japanese beside the codes', async () => {
  const { body } = await stack.query(`{ prefecture(code: "01") {
      advisorWorklist { reasons reasonLabels lastVisit { format formatLabel status statusLabel } overdueFollowUps { status statusLabel ownerKind ownerKindLabel } }
      baseGaps { gaps gapLabels } } viewer { role roleLabel } }`);
  expect(body.errors).toBeUndefined();
  const { advisorWorklist, baseGaps } = body.data!.prefecture;
  for (const item of advisorWorklist) {
    expect(item.reasonLabels).toEqual(item.reasons.map((r: keyof typeof GAP_LABELS) => GAP_LABELS[r]));
    if (item.lastVisit) expect(item.lastVisit.formatLabel).toMatch(/^(訪問|オンライン|研修|会議)$/);
    for (const f of item.overdueFollowUps) expect([f.statusLabel, f.ownerKindLabel]).toEqual(['対応中', f.ownerKind === 'ADVISOR' ? 'アドバイザー' : '市町村']);
  }
  expect(advisorWorklist.some((i: { reasonLabels: string[] }) => i.reasonLabels.includes('基幹相談支援センター未設置'))).toBe(true);
  expect(
    baseGaps.every((g: { gaps: string[]; gapLabels: string[] }) => g.gapLabels.length === g.gaps.length && g.gapLabels.every((l) => /[\u3040-\u9fff]/.test(l))),
  ).toBe(true);
  expect(body.data!.viewer).toEqual({ role: 'ADMIN', roleLabel: '管理者' });
});

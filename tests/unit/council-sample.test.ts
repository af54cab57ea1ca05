/** The council and self-plan sample matches the source figures and is what the generator makes. */
import { readFileSync } from 'node:fs';
import { municipalityReferences } from '../../shared/reference/municipalities';
import { SAMPLE_FILES, generateSample, sampleCsv } from '../../subgraphs/municipalities/sample/generate';

const { councils, selfPlanRates } = generateSample();

it('is the committed CSV, regenerated identically', () => {
  const csv = sampleCsv();
  expect(readFileSync(SAMPLE_FILES.councils, 'utf8')).toBe(csv.councils);
  expect(readFileSync(SAMPLE_FILES.selfPlanRates, 'utf8')).toBe(csv.selfPlanRates);
});

it('has a council in 1,693 municipalities on 2025-04-01', () => {
  expect(councils.filter((c) => c.established === 'true')).toHaveLength(1693);
  expect(councils.every((c) => c.established === 'true' || (c.joint === 'false' && c.subcommittees === '' && c.meetings_last_year === '0'))).toBe(true);
});

it('gives national self-plan rates of 15.8 % and 30.7 % on 2024-03-31 as count ratios (all self-plans over all plans), widely spread', () => {
  const sum = (column: string) => selfPlanRates.reduce((s, r) => s + Number(r[column]), 0);
  const ratio = (service: 'planning' | 'child') => Math.round((sum(`${service}_self_plans`) / sum(`${service}_plans`)) * 1000) / 10;
  expect([ratio('planning'), ratio('child')]).toEqual([15.8, 30.7]);
  const population = new Map(municipalityReferences().map((m) => [m.code, m.population]));
  for (const r of selfPlanRates) {
    // Plausible for the size: about 0.75 % (adults) and 0.45 % (children) of the residents have a plan (±16 %, rounded).
    const residents = population.get(r.municipality_code)!;
    expect(Math.abs(Number(r.planning_plans) - residents * 0.0075)).toBeLessThanOrEqual(Math.max(1, residents * 0.0075 * 0.17) + 0.5);
    expect(Math.abs(Number(r.child_plans) - residents * 0.0045)).toBeLessThanOrEqual(Math.max(1, residents * 0.0045 * 0.17) + 0.5);
    expect(Number(r.planning_self_plans)).toBeLessThanOrEqual(Number(r.planning_plans));
    expect(Number(r.child_self_plans)).toBeLessThanOrEqual(Number(r.child_plans));
  }
  const rates = selfPlanRates.filter((r) => Number(r.planning_plans) >= 100).map((r) => Number(r.planning_self_plans) / Number(r.planning_plans));
  expect(rates.filter((r) => r >= 0.3).length).toBeGreaterThan(50); // "大きくばらつき": many far above the national rate
  expect(rates.filter((r) => r < 0.05).length).toBeGreaterThan(50); // and many far below
});

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

it('gives national self-plan rates of 15.8 % and 30.7 % on 2024-03-31 (population-weighted)', () => {
  const population = new Map(municipalityReferences().map((m) => [m.code, m.population]));
  const total = [...population.values()].reduce((a, b) => a + b, 0);
  const mean = (column: 'planning_rate' | 'child_rate') =>
    Math.round((selfPlanRates.reduce((s, r) => s + Number(r[column]) * population.get(r.municipality_code)!, 0) / total) * 10) / 10;
  expect([mean('planning_rate'), mean('child_rate')]).toEqual([15.8, 30.7]);
  // spread: some municipalities far above the national rate
  expect(selfPlanRates.filter((r) => Number(r.planning_rate) >= 30).length).toBeGreaterThan(50);
});

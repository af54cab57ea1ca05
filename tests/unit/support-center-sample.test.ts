/** The sample dataset reproduces the national figures of the source documents exactly. */
import { readFileSync } from 'node:fs';
import { populationBracket } from '../../shared/population-brackets';
import { municipalityReferences } from '../../shared/reference/municipalities';
import { coverageOf, CoreCenterSetup, isActiveOn } from '../../subgraphs/support-centers/rules';
import {
  COVERED_BY_YEAR,
  SAMPLE_FILES,
  SETUP_TARGETS,
  generateCoreCenters,
  generateConsultationOffices,
  sampleCsv,
} from '../../subgraphs/support-centers/sample/generate';

const centers = generateCoreCenters();
const population = new Map(municipalityReferences().map((m) => [m.code, m.population]));

function coverageOn(date: string): Map<string, string> {
  const setups = new Map<string, CoreCenterSetup[]>();
  for (const c of centers) {
    if (!isActiveOn({ establishedOn: c.established_on, closedOn: c.closed_on || null }, date)) continue;
    for (const code of c.municipality_codes.split(';')) setups.set(code, [...(setups.get(code) ?? []), c.setup as CoreCenterSetup]);
  }
  return new Map([...setups].map(([code, s]) => [code, coverageOf(s)]));
}

it('is the committed CSV, regenerated identically (run `npm run sample` after changing the generator)', () => {
  const csv = sampleCsv();
  expect(readFileSync(SAMPLE_FILES.coreCenters, 'utf8')).toBe(csv.coreCenters);
  expect(readFileSync(SAMPLE_FILES.consultationOffices, 'utf8')).toBe(csv.consultationOffices);
});

it('has 1,462 centers, 971 of which also function as a base, all labelled sample', () => {
  expect(centers).toHaveLength(1462);
  expect(centers.filter((c) => c.also_functions_as_base === 'true')).toHaveLength(971);
  expect(centers.every((c) => c.sample === 'true' && c.source_name.includes('サンプル'))).toBe(true);
});

it('covers municipalities by bracket and setup exactly as MHLW counted on 2025-04-01', () => {
  const counts: Record<string, { single: number; joint: number; both: number }> = {};
  for (const [code, coverage] of coverageOn('2025-04-01')) {
    const bracket = populationBracket(population.get(code)!);
    counts[bracket] ??= { single: 0, joint: 0, both: 0 };
    counts[bracket][coverage === 'SINGLE' ? 'single' : coverage === 'JOINT' ? 'joint' : 'both'] += 1;
  }
  expect(counts).toEqual(SETUP_TARGETS);
  expect(SETUP_TARGETS).toEqual({
    UNDER_10K: { single: 44, joint: 205, both: 6 },
    FROM_10K_TO_50K: { single: 236, joint: 201, both: 9 },
    FROM_50K_TO_100K: { single: 153, joint: 45, both: 0 },
    FROM_100K_TO_500K: { single: 191, joint: 22, both: 1 },
    FROM_500K: { single: 34, joint: 0, both: 0 },
  });
});

it('reads 778, 873, 928, 973, 1,045, 1,147 covered municipalities on April 1 of 2020–2025', () => {
  expect(COVERED_BY_YEAR.map(([date]) => coverageOn(date).size)).toEqual([778, 873, 928, 973, 1045, 1147]);
});

it('groups joint centers within one prefecture, two or more municipalities each', () => {
  for (const c of centers.filter((c) => c.setup === 'JOINT')) {
    const codes = c.municipality_codes.split(';');
    expect(codes.length).toBeGreaterThanOrEqual(2);
    expect(codes.every((code) => code.startsWith(c.prefecture_code))).toBe(true);
  }
});

it('gives about one consultation office per 11,000 residents', () => {
  const offices = generateConsultationOffices();
  expect(offices.length).toBeGreaterThan(10_000);
  expect(offices.length).toBeLessThan(13_000);
  expect(new Set(offices.map((o) => o.office_id)).size).toBe(offices.length);
});

import { advisorImpact } from '../../subgraphs/support-centers/impact';

const m = (code: string, population: number, visitDates: string[], centerFrom?: string) => ({
  code,
  population,
  visitDates,
  centers: centerFrom ? [{ establishedOn: centerFrom, closedOn: null }] : [],
});

it('compares visited municipalities with unvisited ones of the same bracket, 12 months after each visit', () => {
  const result = advisorImpact(
    [
      m('A', 5000, ['2023-05-01'], '2024-01-01'), // visited, center within 12 months
      m('B', 6000, ['2023-06-01']), // visited, no center
      m('C', 7000, ['2023-06-01'], '2020-01-01'), // visited but already covered: left out
      m('D', 8000, [], '2023-12-01'), // comparable, got a center within 12 months of both visits
      m('E', 9000, []), // comparable, none
      m('F', 60000, [], '2023-12-01'), // other bracket: not comparable
      m('G', 5500, ['2021-01-01']), // visited outside the period: comparable
    ],
    '2023-01-01',
    '2023-12-31',
    '2026-12-04',
  );
  expect(result).toEqual({
    visited: 2,
    visitedAwaitingOutcome: 0,
    visitedWithCenter: 1,
    visitedSharePercent: 50,
    comparable: 3, // D, E, G
    comparableSharePercent: 33.3, // 1 of 3 for each visited municipality
  });
});

it('gives null shares when there is nothing to compare', () => {
  expect(advisorImpact([m('A', 5000, [])], '2023-01-01', '2023-12-31', '2026-12-04')).toEqual({
    visited: 0,
    visitedAwaitingOutcome: 0,
    visitedWithCenter: 0,
    visitedSharePercent: null,
    comparable: 0,
    comparableSharePercent: null,
  });
});

it('leaves out a visit less than 12 months before today: its outcome is not known yet, not "no center"', () => {
  const municipalities = [
    m('A', 5000, ['2025-11-01'], '2026-06-01'), // 13 months ago: known, a center within 12 months
    m('B', 6000, ['2026-03-01']), // 9 months ago: the 12 months run to 2027-03-01
    m('C', 7000, ['2026-12-01']), // 3 days ago
    m('D', 8000, []), // comparable
  ];
  expect(advisorImpact(municipalities, '2025-04-01', '2026-12-04', '2026-12-04')).toEqual({
    visited: 1,
    visitedAwaitingOutcome: 2,
    visitedWithCenter: 1,
    visitedSharePercent: 100, // counted as "no center" they made it 33.3
    comparable: 1,
    comparableSharePercent: 0,
  });
  // The day the 12 months are up, B's outcome is known.
  expect(advisorImpact(municipalities, '2025-04-01', '2026-12-04', '2027-03-01')).toMatchObject({
    visited: 2,
    visitedAwaitingOutcome: 1,
    visitedWithCenter: 1,
  });
});

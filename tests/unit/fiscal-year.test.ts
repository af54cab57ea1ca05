/** Fiscal years (年度) and their Japanese labels. */
import { fiscalYearLabel, fiscalYearOf, fiscalYearRange } from '../../shared/fiscal-year';

it.each([
  ['2025-04-01', 2025],
  ['2026-03-31', 2025],
  ['2025-03-31', 2024],
  ['2024-02-29', 2023],
])('puts %s in fiscal year %i', (date, fy) => expect(fiscalYearOf(date)).toBe(fy));

it('spans 1 April to 31 March', () => expect(fiscalYearRange(2025)).toEqual({ from: '2025-04-01', to: '2026-03-31' }));

it.each([
  [2025, '令和7年度'],
  [2020, '令和2年度'],
  [2019, '令和元年度'],
  [2018, '平成30年度'],
  [1989, '平成元年度'],
  [1988, '昭和63年度'],
])('labels %i as %s', (fy, label) => expect(fiscalYearLabel(fy)).toBe(label));

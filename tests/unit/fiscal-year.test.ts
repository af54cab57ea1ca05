/** Fiscal years (年度) and their Japanese labels. */
import { countedPeriod, fiscalYearLabel, fiscalYearOf, fiscalYearRange, samePeriodBefore } from '../../shared/fiscal-year';

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

describe('the period a measurement of a fiscal year counts', () => {
  it.each([
    ['2026-12-04', 2025, { from: '2025-04-01', to: '2026-03-31', inProgress: false }],
    ['2026-12-04', 2026, { from: '2026-04-01', to: '2026-12-04', inProgress: true }],
    ['2026-04-01', 2026, { from: '2026-04-01', to: '2026-04-01', inProgress: true }],
    ['2027-03-31', 2026, { from: '2026-04-01', to: '2027-03-31', inProgress: true }],
    ['2027-04-01', 2026, { from: '2026-04-01', to: '2027-03-31', inProgress: false }],
  ])('on %s counts fiscal year %i over %j', (today, fy, period) => expect(countedPeriod(fy, 'fiscalYear', today)).toEqual({ fiscalYear: fy, ...period }));

  it('refuses a year not begun, naming the argument, the year and today in English and Japanese', () => {
    expect(() => countedPeriod(2027, 'sinceFiscalYear', '2027-03-31')).toThrow(
      expect.objectContaining({
        extensions: expect.objectContaining({
          code: 'BAD_USER_INPUT',
          argument: 'sinceFiscalYear',
          value: 2027,
          reason: 'fiscal year 2027 (令和9年度) has not begun: figures are counted up to today (2027-03-31), in fiscal year 2026 (令和8年度)',
          reasonJa: '令和9年度はまだ始まっていません。集計できるのは今日（2027-03-31、令和8年度）までです',
        }),
      }),
    );
  });

  it.each([
    ['2026-12-04', 2026, 2025, '2025-12-04'],
    ['2026-12-04', 2026, 2023, '2023-12-04'],
    ['2028-02-29', 2027, 2026, '2027-02-28'],
    ['2026-12-04', 2025, 2024, '2025-03-31'],
  ])('on %s compares fiscal year %i with %i up to %s', (today, fy, since, to) =>
    expect(samePeriodBefore(countedPeriod(fy, 'fiscalYear', today), since)).toEqual({ fiscalYear: since, from: `${since}-04-01`, to, inProgress: false }),
  );
});

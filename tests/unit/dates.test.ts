import { todayInJapan } from '../../shared/dates';
import { readSpreadsheetDate } from '../../shared/spreadsheet-dates';

it('tells today in Japan (UTC+9, no daylight saving time) at the day boundary', () => {
  expect(todayInJapan(new Date('2025-03-31T14:59:59.999Z'))).toBe('2025-03-31');
  expect(todayInJapan(new Date('2025-03-31T15:00:00.000Z'))).toBe('2025-04-01');
  expect(todayInJapan(new Date('2024-12-31T23:00:00.000Z'))).toBe('2025-01-01');
});

describe('dates as spreadsheets write them', () => {
  it.each([
    ['2019-07-01', '2019-07-01'],
    ['2019/7/1', '2019-07-01'],
    ['2019/07/01', '2019-07-01'],
    ['２０１９/７/１', '2019-07-01'],
    ['2019年7月1日', '2019-07-01'],
    ['R1.7.1', '2019-07-01'],
    ['令和元年7月1日', '2019-07-01'],
    ['H31.4.30', '2019-04-30'],
    ['平成31年4月30日', '2019-04-30'],
    ['S64.1.7', '1989-01-07'],
  ])('reads %s as %s', (raw, date) => expect(readSpreadsheetDate(raw)).toEqual({ date }));

  it.each([['平成31年5月1日'], ['昭和64年1月8日'], ['2019/2/30'], ['X1.1.1'], ['2019-7'], ['1.7.2019']])('refuses %s, quoting it', (raw) => {
    const read = readSpreadsheetDate(raw);
    expect(read).toEqual({ reason: expect.stringContaining(`"${raw.startsWith('X') ? 'X' : raw}"`) });
  });
});

import { todayInJapan } from '../../shared/dates';
import { readFiscalYear, readSpreadsheetDate } from '../../shared/spreadsheet-dates';

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
    // As Excel writes a cell that shows more than the day: its weekday, its time (a date-time cell).
    ['2023/7/3(月)', '2023-07-03'],
    ['令和5年7月3日（月）', '2023-07-03'],
    ['2023年7月3日 (月曜日)', '2023-07-03'],
    ['2023/7/3 0:00', '2023-07-03'],
    ['2023-07-03 09:30:00', '2023-07-03'],
    ['2023-07-03T00:00:00', '2023-07-03'],
    ['20230703', '2023-07-03'], // as other systems export a day
    // As forms align digits with spaces (full-width ones too), and an era's initial with 年月日, its name with dots.
    ['令和 7年 4月 1日', '2025-04-01'],
    ['令和　７年　４月　１日', '2025-04-01'],
    ['2025年 4月 1日', '2025-04-01'],
    ['2025. 4. 1', '2025-04-01'],
    ['R7年4月1日', '2025-04-01'],
    ['令和7.4.1', '2025-04-01'],
    ['H 31. 4. 30', '2019-04-30'],
    // A date-time cell formatted "General": its serial day number, with the time as a fraction.
    ['45383', '2024-04-01'],
    ['45383.5', '2024-04-01'],
    ['45383.999988426', '2024-04-01'],
  ])('reads %s as %s', (raw, date) => expect(readSpreadsheetDate(raw)).toEqual({ date }));

  // Excel saves a CSV file as its cells show: a column shown as m月d日, yy/m/d or 6年4月1日 loses part of the date.
  it.each([
    ['4月1日', 'has no year', '年がありません'],
    ['4/1', 'has no year', '年がありません'],
    ['１２／３１', 'has no year', '年がありません'],
    ['24/4/1', 'a year of two digits (2024? 令和24?)', '年が2桁'],
    ['06/04/01', 'a year of two digits (2006? 令和6?)', '年が2桁'],
    ['6年4月1日', 'has no era: write 令和6年4月1日', '元号がありません'],
    ['元年5月1日', 'has no era: write 令和元年5月1日', '元号がありません'],
  ])('refuses %s saying which part is missing', (raw, reason, reasonJa) => {
    expect(readSpreadsheetDate(raw)).toEqual({
      reason: expect.stringContaining(reason),
      reasonJa: expect.stringContaining(reasonJa),
      partMissing: true,
    });
  });

  it('refuses a date whose weekday is not its own: one of the two is wrong', () => {
    expect(readSpreadsheetDate('2023年7月3日（火）')).toEqual({
      reason: '"2023年7月3日（火）": 2023-07-03 is a 月曜日, not 火曜日 (the date or the weekday is wrong)',
      reasonJa: '「2023年7月3日（火）」: 2023-07-03 は月曜日です（火曜日ではありません）。日付か曜日のどちらかが誤っています',
    });
  });

  it.each([
    ['平成31年5月1日'],
    ['昭和64年1月8日'],
    ['2019/2/30'],
    ['X1.1.1'],
    ['2019-7'],
    ['1.7.2019'],
    ['2023-07-03T00:00:00Z'],
    ['2023/7/3 25:00'],
    ['7/3/2023'],
    ['20231332'],
    ['令和 7年 2月 30日'],
    ['R7年4月'],
  ])('refuses %s, quoting it', (raw) => {
    const read = readSpreadsheetDate(raw);
    expect(read).toEqual({ reason: expect.stringContaining(`"${raw.startsWith('X') ? 'X' : raw}"`) });
  });
});

it('refuses a text far longer than any date without searching it (a cell of 1,000,000 spaces, say)', () => {
  expect(readSpreadsheetDate(`1${' '.repeat(1_000_000)}x`)).toEqual({
    reason: 'must be a date, got 1,000,002 characters: "1                   …"',
    reasonJa: '日付として読めません（1,000,002文字あります）: 「1                   …」',
  });
  // Within the length, spaces aligning digits are read at any count.
  expect(readSpreadsheetDate(`令和 7年${' '.repeat(40)}4月 1日`)).toEqual({ date: '2025-04-01' });
});

describe('fiscal years as staff write them', () => {
  it.each([
    ['2025', 2025],
    ['2025年度', 2025],
    ['令和7年度', 2025],
    ['令和7', 2025],
    ['R7', 2025],
    ['r7年度', 2025],
    ['Ｒ７年度', 2025],
    ['令和元年度', 2019],
    // The era changed on 1 May 2019: both names of that fiscal year are in use.
    ['平成31年度', 2019],
    ['H31', 2019],
    ['平成元年度', 1989],
    ['昭和63年度', 1988],
    ['令和 7 年度', 2025],
    ['2025 年度', 2025],
    ['FY2025', 2025],
    ['fy 2025', 2025],
    // Both, as documents write them, when they agree.
    ['令和7年度（2025年度）', 2025],
    ['2025年度（令和7年度）', 2025],
    ['令和7（2025）年度', 2025],
    ['R7(2025)', 2025],
    ['令和元年度(2019年度)', 2019],
  ])('reads %s as %d', (written, year) => expect(readFiscalYear(written)).toBe(year));

  it.each(['平成32年度', '昭和64年度', 'X7', '7', '20255', '令和', '来年度', '令和7年度（2024年度）', '令和7年度（）', '(2025)'])(
    'reads %s as no fiscal year',
    (written) => expect(readFiscalYear(written)).toBeUndefined(),
  );
});

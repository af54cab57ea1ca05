/**
 * Dates as spreadsheets and Japanese forms write them, read to YYYY-MM-DD: 2019-07-01, 2019/7/1,
 * 2019/07/01, 2019年7月1日, and Japanese-calendar dates R1.7.1 / 令和元年7月1日 / H31.4.30 / R1年7月1日, with
 * the spaces forms align digits with (令和 7年 4月 1日). The eras
 * (names, initials, first years) come from the platform's Japanese calendar (ICU), not a table of ours;
 * a date outside its era (平成31年5月1日 is 令和) is refused. Full-width digits are read as digits.
 * A five-digit number is an Excel serial date (43647 = 2019-07-01; 43647.5 its noon), as a date cell formatted
 * "General" shows and saves it. A date saved without its year, its era or with two digits of the year is refused
 * saying which, and how to save it whole. Fiscal years (年度) likewise: 2025, 2025年度, 令和7年度, R7.
 */
import { isLocalDate } from './scalars';

const ERA_NAME = new Intl.DateTimeFormat('ja-JP-u-ca-japanese', { era: 'long', year: 'numeric', timeZone: 'UTC' });
const ERA_INITIAL = new Intl.DateTimeFormat('en-US-u-ca-japanese', { era: 'narrow', year: 'numeric', timeZone: 'UTC' });

const partsOf = (format: Intl.DateTimeFormat, date: Date) => {
  const parts = format.formatToParts(date);
  const year = parts.find((p) => p.type === 'year')!.value;
  return { era: parts.find((p) => p.type === 'era')!.value, year: year === '元' ? 1 : Number(year) };
};

let eras: Map<string, number> | undefined;
/** Era name or initial (令和, R, 平成, H, …) → the Gregorian year of its first year, from 1868 on. */
function eraStarts(): Map<string, number> {
  if (eras) return eras;
  eras = new Map();
  for (let year = 1868; year <= new Date().getUTCFullYear() + 1; year += 1) {
    for (const date of [new Date(Date.UTC(year, 0, 1, 12)), new Date(Date.UTC(year, 11, 31, 12))]) {
      for (const format of [ERA_NAME, ERA_INITIAL]) {
        const { era, year: eraYear } = partsOf(format, date);
        if (!eras.has(era)) eras.set(era, year - eraYear + 1);
      }
    }
  }
  return eras;
}

const pad = (n: number) => String(n).padStart(2, '0');

const WEEKDAYS = '日月火水木金土';

/** The longest a date is written, with room (令和 元年 12月 31日（火曜日） 23:59:59.999 is 31 characters): a longer text is no date, and is not searched. */
const DATE_MAX_LENGTH = 64;

/** What separates a date's parts, beside which forms put spaces to align digits. */
const DATE_SEPARATOR_AT_END = /[年月日./-]$/u;
const DATE_SEPARATOR_AT_START = /^[年月日./-]/u;

/**
 * The date, or why it cannot be read (`reasonJa` where there is more to say than that it is no date). Also as
 * Excel writes a date whose cell shows more: its weekday, `2023/7/3(月)` or `令和5年7月3日（月曜日）` (checked
 * against the date: a cell whose weekday is not the date's is refused, one of them being wrong), and a time,
 * `2023/7/3 0:00` (a date-time cell; the day is the date, as in Japan, so no time zone may be given);
 * and `20230703`, as other systems export dates.
 */
export function readSpreadsheetDate(raw: string): SpreadsheetDate {
  const normalized = raw.normalize('NFKC').trim();
  if (normalized.length > DATE_MAX_LENGTH) {
    const length = normalized.length.toLocaleString('en');
    return {
      reason: `must be a date, got ${length} characters: "${raw.slice(0, 20)}…"`,
      reasonJa: `日付として読めません（${length}文字あります）: 「${raw.slice(0, 20)}…」`,
    };
  }
  const weekday = /\(([日月火水木金土])(?:曜日?)?\)$/u.exec(normalized);
  const day = weekday ? normalized.slice(0, weekday.index).trimEnd() : normalized;
  const value = day.replace(/(?:\s|T)(?:[01]?\d|2[0-3]):[0-5]\d(?::[0-5]\d(?:\.\d+)?)?$/, '').trimEnd();
  const read = readDay(value, raw);
  if ('reason' in read || !weekday) return read;
  const actual = WEEKDAYS[new Date(`${read.date}T12:00:00Z`).getUTCDay()];
  if (actual === weekday[1]) return read;
  return {
    reason: `"${raw}": ${read.date} is a ${actual}曜日, not ${weekday[1]}曜日 (the date or the weekday is wrong)`,
    reasonJa: `「${raw}」: ${read.date} は${actual}曜日です（${weekday[1]}曜日ではありません）。日付か曜日のどちらかが誤っています`,
  };
}

/** A date read, or why not; `partMissing` when it lacks its year, its era or two digits of its year (partMissing). */
export type SpreadsheetDate = { date: string } | { reason: string; reasonJa?: string; partMissing?: true };

/**
 * Why a date that lacks a part cannot be read, in both languages. Excel saves a CSV file as its cells show, so a
 * column shown as 4月1日 (Excel's m月d日), 24/4/1 (yy/m/d) or 6年4月1日 (an era's year, the era not shown) is saved
 * without its year, with two digits of it, or without its era — the date itself is in the workbook, not the file.
 */
function partMissing(value: string, raw: string): SpreadsheetDate | undefined {
  if (/^\d{1,2}(?:[/.-]\d{1,2}|月\d{1,2}日)$/.test(value))
    return { reason: `"${raw}" has no year`, reasonJa: `「${raw}」には年がありません`, partMissing: true };
  if (/^\d{2}[/.-]\d{1,2}[/.-]\d{1,2}$/.test(value)) {
    const year = value.slice(0, 2);
    return {
      reason: `"${raw}" has a year of two digits (20${year}? 令和${Number(year)}?): write it in four digits or with its era (R6.4.1)`,
      reasonJa: `「${raw}」の年が2桁で、西暦か和暦か分かりません（年を4桁か、R6.4.1 のように元号付きで）`,
      partMissing: true,
    };
  }
  if (/^(?:\d{1,2}|元)年\d{1,2}月\d{1,2}日$/.test(value))
    return {
      reason: `"${raw}" has no era: write 令和${value} (or the Western year)`,
      reasonJa: `「${raw}」に元号がありません（「令和${value}」のように）`,
      partMissing: true,
    };
  return undefined;
}

function readDay(written: string, raw: string): SpreadsheetDate {
  const expected = 'a date such as 2019-07-01, 2019/7/1, 2019年7月1日, R1.7.1 or 令和元年7月1日';
  // Forms align their digits with spaces: 令和 7年 4月 1日, 2025. 4. 1. Spaces beside a separator are dropped.
  const value = written
    .split(/\s+/u)
    .reduce((joined, piece) => (DATE_SEPARATOR_AT_END.test(joined) || DATE_SEPARATOR_AT_START.test(piece) ? joined + piece : `${joined} ${piece}`))
    .replace(/^(\p{Script=Han}{2})\s+/u, '$1');
  // A serial day number; with a fraction (45383.5), a date-time cell formatted "General": the day is the date.
  if (/^\d{5}(?:\.\d+)?$/.test(value)) return { date: excelSerialDate(Math.floor(Number(value))) };
  let match =
    /^(\d{4})[-/.](\d{1,2})[-/.](\d{1,2})$/.exec(value) ?? /^(\d{4})年(\d{1,2})月(\d{1,2})日$/.exec(value) ?? /^((?:19|20)\d{2})(\d{2})(\d{2})$/.exec(value);
  if (match) {
    const date = `${match[1]}-${pad(Number(match[2]))}-${pad(Number(match[3]))}`;
    return isLocalDate(date) ? { date } : { reason: `"${raw}" is not a date of the calendar` };
  }
  // An era by name or initial, with either way of writing the day: R1.7.1, 令和元年7月1日, R1年7月1日, 令和1.7.1.
  match = /^([A-Za-z]|\p{Script=Han}{2})\s*(\d{1,2}|元)(?:[-/.](\d{1,2})[-/.](\d{1,2})|年(\d{1,2})月(\d{1,2})日)$/u.exec(value);
  if (!match) return partMissing(value, raw) ?? { reason: `must be ${expected}, got "${raw}"` };
  const era = /^[a-z]$/.test(match[1]) ? match[1].toUpperCase() : match[1];
  const start = eraStarts().get(era);
  if (start === undefined) return { reason: `"${match[1]}" is not an era of the Japanese calendar (got "${raw}")` };
  const eraYear = match[2] === '元' ? 1 : Number(match[2]);
  const date = `${start + eraYear - 1}-${pad(Number(match[3] ?? match[5]))}-${pad(Number(match[4] ?? match[6]))}`;
  if (!isLocalDate(date)) return { reason: `"${raw}" is not a date of the calendar` };
  // The date must lie in that era: 平成31年5月1日 does not exist (令和 began on 2019-05-01).
  const actual = partsOf(/^[A-Z]$/.test(era) ? ERA_INITIAL : ERA_NAME, new Date(`${date}T12:00:00Z`));
  if (actual.era !== era || actual.year !== eraYear) return { reason: `"${raw}" is not in that era (${date} is ${actual.era}${actual.year})` };
  return { date };
}

/** Excel's serial day number (1900 date system, days since 1899-12-30 for every date after February 1900) as YYYY-MM-DD. */
export function excelSerialDate(serial: number): string {
  return new Date(Date.UTC(1899, 11, 30) + serial * 86_400_000).toISOString().slice(0, 10);
}

/**
 * A fiscal year (年度) as staff write it, as the calendar year it starts in: 2025, 2025年度, FY2025, 令和7年度,
 * 令和元年度, R7, R7年度 (full-width digits too), and both at once as documents write it — 令和7年度（2025年度）,
 * 2025年度（令和7年度）, 令和7（2025）年度 — when the two agree; undefined when it is none of these. The era must be in
 * force during that fiscal year: 平成31年度 and 令和元年度 are both 2019 (the era changed on 1 May 2019),
 * 平成32年度 is refused (there was none).
 */
export function readFiscalYear(raw: string): number | undefined {
  const value = raw.normalize('NFKC').trim();
  const both = /^([^()]+)\(([^()]+)\)\s*(年度)?$/u.exec(value);
  if (both) {
    const [first, second] = [readFiscalYear(`${both[1]}${both[3] ?? ''}`), readFiscalYear(`${both[2]}${both[3] ?? ''}`)];
    return first !== undefined && first === second ? first : undefined;
  }
  const western = /^(?:FY\s*)?(\d{4})(?:\s*年度)?$/i.exec(value);
  if (western) return Number(western[1]);
  const match = /^([A-Za-z]|\p{Script=Han}{2})\s*(\d{1,2}|元)(?:\s*年度)?$/u.exec(value);
  if (!match) return undefined;
  const era = /^[a-z]$/.test(match[1]) ? match[1].toUpperCase() : match[1];
  const start = eraStarts().get(era);
  if (start === undefined) return undefined;
  const fiscalYear = start + (match[2] === '元' ? 1 : Number(match[2])) - 1;
  const format = /^[A-Z]$/.test(era) ? ERA_INITIAL : ERA_NAME;
  const inForce = [`${fiscalYear}-04-01`, `${fiscalYear + 1}-03-31`].some((day) => partsOf(format, new Date(`${day}T12:00:00Z`)).era === era);
  return inForce ? fiscalYear : undefined;
}

/**
 * Dates as spreadsheets and Japanese forms write them, read to YYYY-MM-DD: 2019-07-01, 2019/7/1,
 * 2019/07/01, 2019年7月1日, and Japanese-calendar dates R1.7.1 / 令和元年7月1日 / H31.4.30. The eras
 * (names, initials, first years) come from the platform's Japanese calendar (ICU), not a table of ours;
 * a date outside its era (平成31年5月1日 is 令和) is refused. Full-width digits are read as digits.
 * A five-digit number is an Excel serial date (43647 = 2019-07-01), as a date cell formatted "General"
 * shows and saves it. Fiscal years (年度) likewise: 2025, 2025年度, 令和7年度, R7.
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

/** The date, or why it cannot be read. */
export function readSpreadsheetDate(raw: string): { date: string } | { reason: string } {
  const value = raw.normalize('NFKC').trim();
  const expected = 'a date such as 2019-07-01, 2019/7/1, 2019年7月1日, R1.7.1 or 令和元年7月1日';
  if (/^\d{5}$/.test(value)) return { date: excelSerialDate(Number(value)) };
  let match = /^(\d{4})[-/.](\d{1,2})[-/.](\d{1,2})$/.exec(value) ?? /^(\d{4})年(\d{1,2})月(\d{1,2})日$/.exec(value);
  if (match) {
    const date = `${match[1]}-${pad(Number(match[2]))}-${pad(Number(match[3]))}`;
    return isLocalDate(date) ? { date } : { reason: `"${raw}" is not a date of the calendar` };
  }
  match = /^([A-Za-z])\s*(\d{1,2}|元)[-/.](\d{1,2})[-/.](\d{1,2})$/.exec(value) ?? /^(\p{Script=Han}{2})(\d{1,2}|元)年(\d{1,2})月(\d{1,2})日$/u.exec(value);
  if (!match) return { reason: `must be ${expected}, got "${raw}"` };
  const era = /^[a-z]$/.test(match[1]) ? match[1].toUpperCase() : match[1];
  const start = eraStarts().get(era);
  if (start === undefined) return { reason: `"${match[1]}" is not an era of the Japanese calendar (got "${raw}")` };
  const eraYear = match[2] === '元' ? 1 : Number(match[2]);
  const date = `${start + eraYear - 1}-${pad(Number(match[3]))}-${pad(Number(match[4]))}`;
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
 * A fiscal year (年度) as staff write it, as the calendar year it starts in: 2025, 2025年度, 令和7年度,
 * 令和元年度, R7, R7年度 (full-width digits too); undefined when it is none of these. The era must be in
 * force during that fiscal year: 平成31年度 and 令和元年度 are both 2019 (the era changed on 1 May 2019),
 * 平成32年度 is refused (there was none).
 */
export function readFiscalYear(raw: string): number | undefined {
  const value = raw.normalize('NFKC').trim();
  const western = /^(\d{4})(?:年度)?$/.exec(value);
  if (western) return Number(western[1]);
  const match = /^([A-Za-z]|\p{Script=Han}{2})\s*(\d{1,2}|元)(?:年度)?$/u.exec(value);
  if (!match) return undefined;
  const era = /^[a-z]$/.test(match[1]) ? match[1].toUpperCase() : match[1];
  const start = eraStarts().get(era);
  if (start === undefined) return undefined;
  const fiscalYear = start + (match[2] === '元' ? 1 : Number(match[2])) - 1;
  const format = /^[A-Z]$/.test(era) ? ERA_INITIAL : ERA_NAME;
  const inForce = [`${fiscalYear}-04-01`, `${fiscalYear + 1}-03-31`].some((day) => partsOf(format, new Date(`${day}T12:00:00Z`)).era === era);
  return inForce ? fiscalYear : undefined;
}

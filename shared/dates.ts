import { isLocalDate } from './scalars';

const JST_OFFSET_MS = 9 * 3_600_000;

/**
 * Today's date in Japan (YYYY-MM-DD): the default "as of" date of every status question. Japan has
 * one time zone and no daylight saving time, so UTC+9 is exact; it is also far cheaper than Intl,
 * and this runs for many fields of a request.
 */
export function todayInJapan(now?: Date): string {
  const at = now ? now.getTime() : Date.now();
  // The same answer until the next midnight in Japan: remembered, as it is asked several times a request.
  if (at >= today.from && at < today.until) return today.date;
  const japan = at + JST_OFFSET_MS;
  const from = japan - (japan % 86_400_000) - JST_OFFSET_MS;
  today = { date: new Date(japan).toISOString().slice(0, 10), from, until: from + 86_400_000 };
  return today.date;
}
let today = { date: '', from: 0, until: 0 };

/** An instant (ISO 8601) as the time in Japan, `YYYY-MM-DD HH:MM:SS`: how Excel reads a date and time in a cell. */
export function timeInJapan(instant: string): string {
  return new Date(Date.parse(instant) + JST_OFFSET_MS).toISOString().slice(0, 19).replace('T', ' ');
}

/** The given date or today in Japan; a malformed one is refused by the LocalDate scalar first. */
export function asOfOrToday(asOf: string | null | undefined): string {
  return asOf && isLocalDate(asOf) ? asOf : todayInJapan();
}

const DAY_MS = 86_400_000;

/**
 * The date `months` calendar months after `date` (before, when negative), the day kept where the
 * month has it and else the month's last day (2024-02-29 − 12 months = 2023-02-28). This is the one
 * "12 months" of every rule: review overdue, not visited recently, a center within 12 months of a visit.
 */
export function addMonths(date: string, months: number): string {
  const [y, m, d] = date.split('-').map(Number);
  const target = new Date(Date.UTC(y, m - 1 + months, 1));
  const last = new Date(Date.UTC(target.getUTCFullYear(), target.getUTCMonth() + 1, 0)).getUTCDate();
  return `${String(target.getUTCFullYear()).padStart(4, '0')}-${String(target.getUTCMonth() + 1).padStart(2, '0')}-${String(Math.min(d, last)).padStart(2, '0')}`;
}

/** The date 12 months before `date`: see `addMonths`. */
export function twelveMonthsBefore(date: string): string {
  return addMonths(date, -12);
}

/** The date `days` days after `date` (before, when negative). */
export function addDays(date: string, days: number): string {
  return new Date(Date.parse(`${date}T00:00:00Z`) + days * DAY_MS).toISOString().slice(0, 10);
}

/** Whole days from `from` to `to` (negative when `to` is earlier). */
export function daysBetween(from: string, to: string): number {
  return Math.round((Date.parse(`${to}T00:00:00Z`) - Date.parse(`${from}T00:00:00Z`)) / DAY_MS);
}

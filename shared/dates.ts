import { isLocalDate } from './scalars';

const JST_OFFSET_MS = 9 * 3_600_000;

/**
 * Today's date in Japan (YYYY-MM-DD): the default "as of" date of every status question. Japan has
 * one time zone and no daylight saving time, so UTC+9 is exact; it is also far cheaper than Intl,
 * and this runs for many fields of a request.
 */
export function todayInJapan(now: Date = new Date()): string {
  return new Date(now.getTime() + JST_OFFSET_MS).toISOString().slice(0, 10);
}

/** The given date or today in Japan; a malformed one is refused by the LocalDate scalar first. */
export function asOfOrToday(asOf: string | null | undefined): string {
  return asOf && isLocalDate(asOf) ? asOf : todayInJapan();
}

import { isLocalDate } from './scalars';

/** Today's date in Japan (YYYY-MM-DD): the default "as of" date of every status question. */
export function todayInJapan(now: Date = new Date()): string {
  return new Intl.DateTimeFormat('en-CA', { timeZone: 'Asia/Tokyo' }).format(now);
}

/** The given date or today in Japan; a malformed one is refused by the LocalDate scalar first. */
export function asOfOrToday(asOf: string | null | undefined): string {
  return asOf && isLocalDate(asOf) ? asOf : todayInJapan();
}

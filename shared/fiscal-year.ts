/**
 * Fiscal years (年度): 1 April to 31 March, named by the calendar year they start in (2025 = 令和7年度,
 * 2025-04-01 to 2026-03-31). Japanese labels come from the platform's Japanese calendar (ICU), not an era
 * table of our own.
 */
import type { GraphQLError } from 'graphql';
import { addMonths, todayInJapan } from './dates';
import { badUserInput } from './errors';
import { readFiscalYear } from './spreadsheet-dates';

export interface FiscalYearRange {
  /** First day, YYYY-04-01. */
  from: string;
  /** Last day, YYYY(+1)-03-31. */
  to: string;
}

/** The fiscal year a date falls in. */
export function fiscalYearOf(date: string): number {
  const year = Number(date.slice(0, 4));
  return date.slice(5) >= '04-01' ? year : year - 1;
}

export function fiscalYearRange(fiscalYear: number): FiscalYearRange {
  return { from: `${fiscalYear}-04-01`, to: `${fiscalYear + 1}-03-31` };
}

const ERA_YEAR = new Intl.DateTimeFormat('ja-JP-u-ca-japanese', { era: 'long', year: 'numeric', timeZone: 'Asia/Tokyo' });

/**
 * 令和7年度 for 2025. The era is the one in force on 1 May of the fiscal year, which gives the names
 * in official use across era changes: 昭和63年度 (1988), 平成元年度 (1989), 令和元年度 (2019).
 */
export function fiscalYearLabel(fiscalYear: number): string {
  const parts = ERA_YEAR.formatToParts(new Date(Date.UTC(fiscalYear, 4, 1, 3)));
  const era = parts.find((p) => p.type === 'era')?.value ?? '';
  const year = parts.find((p) => p.type === 'year')?.value ?? String(fiscalYear);
  return `${era}${year}年度`;
}

/** Fiscal years the API answers about. */
export const FIRST_FISCAL_YEAR = 2000;
export const LAST_FISCAL_YEAR = 2100;

/** Why a fiscal year given as `argument` is out of range, as a BAD_USER_INPUT error; null when it is one the API answers about. */
export function fiscalYearError(fiscalYear: number, argument = 'fiscalYear'): GraphQLError | null {
  if (Number.isInteger(fiscalYear) && fiscalYear >= FIRST_FISCAL_YEAR && fiscalYear <= LAST_FISCAL_YEAR) return null;
  return badUserInput(argument, `must be a fiscal year from ${FIRST_FISCAL_YEAR} to ${LAST_FISCAL_YEAR} (the calendar year it starts in: 2025 = 令和7年度)`, {
    value: fiscalYear,
    reasonJa: `${FIRST_FISCAL_YEAR}〜${LAST_FISCAL_YEAR}の年度（開始する年、例: 2025 = 令和7年度）を指定してください`,
  });
}

/**
 * The days a fiscal year's figures are counted over: the whole year once it has ended; while it is in
 * progress, 1 April to today (a figure "at the year's end" is then the figure today, not a guess).
 */
export interface CountedPeriod extends FiscalYearRange {
  fiscalYear: number;
  /** True while the year is in progress: `to` is today, not 31 March. */
  inProgress: boolean;
}

/** The descriptions of the fields every measurement of a fiscal year carries (`asOf`, `inProgress`), one wording in every subgraph. */
export const COUNTED_PERIOD_FIELDS = {
  asOf: 'The last day counted (集計基準日): 31 March, or today while the year is in progress (年度途中は今日まで).',
  inProgress: 'True while the fiscal year is in progress (年度途中): the figures run from 1 April to asOf, today.',
};

/** The fields every measurement of a fiscal year answers with: the year, its label and what was counted. */
export function countedPeriodFields(period: CountedPeriod): { fiscalYear: number; fiscalYearLabel: string; asOf: string; inProgress: boolean } {
  return { fiscalYear: period.fiscalYear, fiscalYearLabel: fiscalYearLabel(period.fiscalYear), asOf: period.to, inProgress: period.inProgress };
}

/**
 * The period a measurement of `fiscalYear` counts (activity, coverage at the start and end): checked like
 * any fiscal year, and refused naming `argument` when the year has not begun — there is nothing to count
 * yet. Plans (a prefectural program) may name a later year; they use `assertFiscalYear`.
 */
export function countedPeriod(fiscalYear: number, argument = 'fiscalYear', today = todayInJapan()): CountedPeriod {
  const { from, to } = fiscalYearRange(assertFiscalYear(fiscalYear, argument));
  if (from > today) {
    const current = fiscalYearOf(today);
    throw badUserInput(
      argument,
      `fiscal year ${fiscalYear} (${fiscalYearLabel(fiscalYear)}) has not begun: figures are counted up to today (${today}), in fiscal year ${current} (${fiscalYearLabel(current)})`,
      {
        value: fiscalYear,
        reasonJa: `${fiscalYearLabel(fiscalYear)}はまだ始まっていません。集計できるのは今日（${today}、${fiscalYearLabel(current)}）までです`,
      },
    );
  }
  return to < today ? { fiscalYear, from, to, inProgress: false } : { fiscalYear, from, to: today, inProgress: true };
}

/**
 * The same days of an earlier fiscal year, to compare a year in progress with (前年同期): 1 April to the
 * same day `years` years before `period.to` (29 February falls on the 28th); the whole year when
 * `period` has ended.
 */
export function samePeriodBefore(period: CountedPeriod, fiscalYear: number): CountedPeriod {
  const { from, to } = fiscalYearRange(fiscalYear);
  if (!period.inProgress) return { fiscalYear, from, to, inProgress: false };
  return { fiscalYear, from, to: addMonths(period.to, -12 * (period.fiscalYear - fiscalYear)), inProgress: false };
}

/** Checks a `fiscalYear` argument, naming it when it is out of range. */
export function assertFiscalYear(fiscalYear: number, argument = 'fiscalYear'): number {
  const error = fiscalYearError(fiscalYear, argument);
  if (error) throw error;
  return fiscalYear;
}

/** A fiscal year as staff write it in a URL or a Power BI parameter (2025, 2025年度, 令和7年度, R7), checked; refused naming `field`. */
export function fiscalYearParameter(text: string, field = 'fiscalYear'): number {
  const fiscalYear = readFiscalYear(text);
  if (fiscalYear === undefined) {
    throw badUserInput(field, 'must be a fiscal year such as 2025, 2025年度, 令和7年度 or R7 (an era in force that year)', {
      value: text.slice(0, 100),
      reasonJa: '年度は 2025、2025年度、令和7年度、R7 のように指定してください（その年度にあった元号で）',
    });
  }
  return assertFiscalYear(fiscalYear, field);
}

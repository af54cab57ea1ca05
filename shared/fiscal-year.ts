/**
 * Fiscal years (年度): 1 April to 31 March, named by the calendar year they start in (2025 = 令和7年度,
 * 2025-04-01 to 2026-03-31). Japanese labels come from the platform's Japanese calendar (ICU), not an era
 * table of our own.
 */
import type { GraphQLError } from 'graphql';
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

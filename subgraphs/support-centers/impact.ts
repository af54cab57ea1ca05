/**
 * Advisor impact on core centers, as a pure function: did municipalities visited for core-center
 * support (purpose (イ)) get a core center within 12 months more often than comparable ones that were
 * not visited? The method is stated in the schema (Prefecture.advisorImpact).
 */
import { isActiveOn } from '../../shared/coverage';
import { populationBracket } from '../../shared/population-brackets';
import { addMonths } from '../../shared/dates';
import { percentOneDecimal } from '../../shared/percent';

export interface ImpactMunicipality {
  code: string;
  population: number;
  /** Dates of (イ) visits, any order. */
  visitDates: string[];
  /** The core centers covering it (any time). */
  centers: Array<{ establishedOn: string; closedOn: string | null }>;
}

export interface ImpactResult {
  visited: number;
  visitedAwaitingOutcome: number;
  visitedWithCenter: number;
  visitedSharePercent: number | null;
  comparable: number;
  comparableSharePercent: number | null;
}

const coveredOn = (m: ImpactMunicipality, date: string) => m.centers.some((c) => isActiveOn(c, date));

/**
 * `today`: an outcome is known only once its 12 months have passed. A municipality visited less than 12 months
 * ago is counted apart (visitedAwaitingOutcome), not as one that got no center: the records of the months to
 * come are not there yet.
 */
export function advisorImpact(municipalities: readonly ImpactMunicipality[], from: string, to: string, today: string): ImpactResult {
  const firstVisit = (m: ImpactMunicipality) => m.visitDates.filter((d) => d >= from && d <= to).sort()[0];
  const eligible = municipalities
    .map((m) => ({ m, date: firstVisit(m) }))
    .filter((x): x is { m: ImpactMunicipality; date: string } => Boolean(x.date) && !coveredOn(x.m, x.date));
  const visited = eligible.filter(({ date }) => addMonths(date, 12) <= today);
  const visitedWithCenter = visited.filter(({ m, date }) => coveredOn(m, addMonths(date, 12))).length;
  const unvisited = municipalities.filter((m) => !firstVisit(m));
  // Each visited municipality gets a pool of comparable ones: same bracket (the caller passes one
  // prefecture), not visited in the period, without a core center on its visit date. The comparable
  // share is the mean over visited municipalities of the share of their pool covered 12 months later.
  const pooled = new Set<string>();
  const shares: number[] = [];
  for (const { m, date } of visited) {
    const bracket = populationBracket(m.population);
    const pool = unvisited.filter((u) => populationBracket(u.population) === bracket && !coveredOn(u, date));
    if (pool.length === 0) continue;
    pool.forEach((u) => pooled.add(u.code));
    shares.push(pool.filter((u) => coveredOn(u, addMonths(date, 12))).length / pool.length);
  }
  return {
    visited: visited.length,
    visitedAwaitingOutcome: eligible.length - visited.length,
    visitedWithCenter,
    visitedSharePercent: percentOneDecimal(visitedWithCenter, visited.length),
    comparable: pooled.size,
    comparableSharePercent: percentOneDecimal(
      shares.reduce((a, b) => a + b, 0),
      shares.length,
    ),
  };
}

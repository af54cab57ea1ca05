/**
 * The living part of the sample visit log: the fixed log (generate.ts) ends on SAMPLE_UNTIL, so without
 * this a demo started later shows every municipality NOT_VISITED_RECENTLY. On every start the sample adds
 * invented visits for the days since it last did (at most the 365 days before the day of the start), as
 * if the advisors had kept working: in each month, each municipality of a prefecture implementing the
 * program is visited with the chance that makes LIVING_SAMPLE.visitedShare of them visited in a year
 * (more for small ones); half the visits agree a follow-up, due 30–90 days later — those due before the
 * day of the start are done or still open (overdue), the others open (coming due). Each visit and
 * follow-up is drawn from a seed of its municipality and month, so a month's visits are the same whenever
 * they are made, and adding the same days twice adds nothing.
 */
import { uuidFromKey } from '../../../shared/ids';
import { SeededRandom, seedFromText } from '../../../shared/random';
import { municipalityReferences } from '../../../shared/reference/municipalities';
import { addDays, addMonths, daysBetween } from '../../../shared/dates';
import type { StoredAdvisor, StoredFollowUp, StoredVisit } from '../data/dispatch.store';
import type { StoredProgram } from '../data/program.store';
import { FollowUpStatus, VisitFormat, VisitStatus } from '../rules';
import { PURPOSE_WEIGHTS, SAMPLE_PREFECTURES, SAMPLE_SEED, TOPICS, profileOfProgram, weighted } from './generate';

/** The documented proportions of the living sample (README of sample/). */
export const LIVING_SAMPLE = {
  /** Share of a prefecture's municipalities visited in any 12 months (municipalities of 10,000 residents or more). */
  visitedShare: 0.65,
  /** The same for municipalities under 10,000 residents, which have more gaps. */
  smallVisitedShare: 0.8,
  /** Share of visits that agree a follow-up. */
  followUpShare: 0.5,
  /** Of the follow-ups due before the day of the start, the share done (the rest are open, overdue). */
  doneShare: 0.6,
} as const;

/** The chance a month has a visit, for a share visited at least once in twelve months. */
const monthlyChance = (share: number) => 1 - (1 - share) ** (1 / 12);

/**
 * The living visits and follow-ups dated from `from` to `until` (both included), for the programs'
 * implementing prefectures and their sample advisors; `today` decides which follow-ups are settled.
 */
export function livingSample(
  from: string,
  until: string,
  today: string,
  programs: readonly StoredProgram[],
  advisors: readonly StoredAdvisor[],
): { visits: StoredVisit[]; followUps: StoredFollowUp[] } {
  const visits: StoredVisit[] = [];
  const followUps: StoredFollowUp[] = [];
  if (from > until) return { visits, followUps };
  for (const program of programs) {
    if (!program.implemented) continue;
    const prefecture = program.prefectureCode;
    const own = advisors.filter((a) => a.prefectureCode === prefecture);
    const purposes = SAMPLE_PREFECTURES.includes(prefecture) ? PURPOSE_WEIGHTS : profileOfProgram(program.duties).purposes;
    if (own.length === 0 || purposes.length === 0) continue;
    for (const m of municipalityReferences().filter((r) => r.prefectureCode === prefecture)) {
      const chance = monthlyChance(m.population < 10_000 ? LIVING_SAMPLE.smallVisitedShare : LIVING_SAMPLE.visitedShare);
      for (let month = `${from.slice(0, 7)}-01`; month <= until; month = addMonths(month, 1)) {
        const rng = new SeededRandom(seedFromText(`${m.code}:${month}`, SAMPLE_SEED));
        if (!rng.chance(chance)) continue;
        const date = addDays(month, rng.int(0, daysBetween(month, addMonths(month, 1)) - 1));
        if (date < from || date > until) continue;
        const visitPurposes = [weighted(rng, purposes)];
        const visitAdvisors = rng.shuffle([...own]).slice(0, rng.int(1, Math.min(2, own.length)));
        const id = uuidFromKey(`sample-live-visit:${m.code}:${month}`);
        visits.push({
          id,
          externalId: `S-LIVE-${m.code}-${month.slice(0, 7)}`,
          prefectureCode: prefecture,
          visitedOn: date,
          advisorIds: visitAdvisors.map((a) => a.id).sort(),
          municipalityCodes: [m.code],
          format: rng.chance(0.7) ? VisitFormat.ON_SITE : VisitFormat.ONLINE,
          purposes: visitPurposes,
          topics: visitPurposes.map((p) => rng.pick(TOPICS[p])),
          summary: `${m.name}の担当者と${visitPurposes.map((p) => rng.pick(TOPICS[p])).join('、')}について協議した。（サンプル）`,
          issuesFound: rng.pick(['相談支援専門員の不足', '協議会が形骸化している', '緊急時の受け入れ先が少ない']),
          attendees: [{ role: '市町村障害福祉担当', count: rng.int(1, 3) }],
          notes: null,
          status: VisitStatus.ACTIVE,
          cancelReason: null,
          sample: true,
          createdBy: 'sample',
          createdAt: '',
          updatedBy: 'sample',
          updatedAt: '',
          version: 1,
        });
        if (!rng.chance(LIVING_SAMPLE.followUpShare)) continue;
        const dueOn = addDays(date, rng.int(30, 90));
        const done = dueOn < today && rng.chance(LIVING_SAMPLE.doneShare);
        followUps.push({
          id: uuidFromKey(`sample-live-follow-up:${id}`),
          visitId: id,
          municipalityCode: m.code,
          description: rng.pick(['次回協議会で部会再編案を提示する', '基幹相談支援センターの設置案を庁内で検討する', '関係機関リストを更新する']),
          ownerKind: 'MUNICIPALITY',
          ownerAdvisorId: null,
          dueOn,
          status: done ? FollowUpStatus.DONE : FollowUpStatus.OPEN,
          completedOn: done ? addDays(dueOn, -rng.int(0, 14)) : null,
          dropReason: null,
          version: 1,
        });
      }
    }
  }
  return { visits, followUps };
}

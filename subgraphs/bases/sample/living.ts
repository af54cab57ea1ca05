/**
 * The living part of the sample's base reviews: the sample bases' reviews (bases.sample.csv) end in 2025,
 * so without this every review would be overdue in a demo started later. On every start the sample adds
 * the annual reviews (運用状況の検証・検討) that fall in the days since it last did (at most the 365 days
 * before the day of the start): each sample base is reviewed in a calendar year with the chance
 * LIVING_REVIEWS.yearlyShare, on a day drawn from a seed of the base and the year — so some reviews are
 * recent and the others overdue, and adding the same days twice adds nothing.
 */
import { uuidFromKey } from '../../../shared/ids';
import { SeededRandom, seedFromText } from '../../../shared/random';
import type { StoredReview } from '../data/base.store';

/** The seed the living reviews are drawn from (each base and year mixed into it). */
const LIVING_REVIEWS_SEED = 20251101;

export const LIVING_REVIEWS = {
  /** Share of sample bases reviewed in a calendar year. */
  yearlyShare: 0.6,
} as const;

/** The living reviews dated from `from` to `until` (both included) of bases open on their review day. */
export function livingReviews(
  from: string,
  until: string,
  bases: ReadonlyArray<{ id: string; externalId: string; establishedOn: string; closedOn: string | null }>,
): StoredReview[] {
  const reviews: StoredReview[] = [];
  for (const base of bases) {
    for (let year = Number(from.slice(0, 4)); year <= Number(until.slice(0, 4)); year += 1) {
      const rng = new SeededRandom(seedFromText(`${base.externalId}:${year}`, LIVING_REVIEWS_SEED));
      if (!rng.chance(LIVING_REVIEWS.yearlyShare)) continue;
      const reviewedOn = rng.dateBetween(`${year}-01-01`, `${year}-12-31`);
      if (reviewedOn < from || reviewedOn > until || reviewedOn < base.establishedOn || (base.closedOn && reviewedOn >= base.closedOn)) continue;
      reviews.push({
        id: uuidFromKey(`sample-live-review:${base.externalId}:${year}`),
        baseId: base.id,
        reviewedOn,
        summary: rng.pick(['協議会の拠点部会で運用状況を検証した。（サンプル）', '緊急時対応の実績を確認し、手順を見直した。（サンプル）']),
      });
    }
  }
  return reviews;
}

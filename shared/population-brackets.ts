/**
 * MHLW's five population bands (人口規模), used in its coverage tables (e.g. 基幹相談支援センターの設置
 * 状況（人口規模別）). Shared because every subgraph's statistics and sample data group by them.
 */
import { badUserInput } from './errors';

export enum PopulationBracket {
  UNDER_10K = 'UNDER_10K',
  FROM_10K_TO_50K = 'FROM_10K_TO_50K',
  FROM_50K_TO_100K = 'FROM_50K_TO_100K',
  FROM_100K_TO_500K = 'FROM_100K_TO_500K',
  FROM_500K = 'FROM_500K',
}

export interface PopulationRange {
  /** Inclusive lower bound. */
  min: number;
  /** Exclusive upper bound; null for the open top bracket. */
  below: number | null;
}

export const BRACKETS: Record<PopulationBracket, PopulationRange & { label: string }> = {
  UNDER_10K: { min: 0, below: 10_000, label: '1万人未満' },
  FROM_10K_TO_50K: { min: 10_000, below: 50_000, label: '1～5万人未満' },
  FROM_50K_TO_100K: { min: 50_000, below: 100_000, label: '5～10万人未満' },
  FROM_100K_TO_500K: { min: 100_000, below: 500_000, label: '10～50万人未満' },
  FROM_500K: { min: 500_000, below: null, label: '50万人以上' },
};

export function populationBracket(population: number): PopulationBracket {
  const found = (Object.keys(BRACKETS) as PopulationBracket[]).find((b) => {
    const { min, below } = BRACKETS[b];
    return population >= min && (below === null || population < below);
  });
  if (!found) throw new Error(`population must be a non-negative number, got ${population}`);
  return found;
}

/** Checks a `populationBelow` argument (a gap list's upper bound: at least 1), naming `argument` when it is not. */
export function assertPopulationBelow(populationBelow: number | null | undefined, argument = 'populationBelow'): void {
  if (populationBelow !== undefined && populationBelow !== null && populationBelow < 1) {
    throw badUserInput(argument, 'must be at least 1', { value: populationBelow, reasonJa: '1以上の人口を指定してください' });
  }
}

/**
 * The deterministic sample of council status and self-plans (fixed seed; every row says `sample=true`).
 * Matches the source figures: 1,693 municipalities with a council on 2025-04-01, and national self-plan
 * rates of 15.8 % (計画相談支援) and 30.7 % (障害児相談支援) on 2024-03-31 as MHLW computes them, all
 * self-plans over all plans. The counts per municipality are invented. README.md beside this.
 */
import { readCommandLine } from '../../../shared/command-line';
import { writeFileSync } from 'node:fs';
import { writeCsv } from '../../../shared/csv';
import { LIST_SEPARATOR } from '../../../shared/csv-import';
import { projectPath } from '../../../shared/paths';
import { SeededRandom } from '../../../shared/random';
import { municipalityReferences } from '../../../shared/reference/municipalities';

export const SAMPLE_SEED = 20240331;
export const COUNCIL_AS_OF = '2025-04-01';
export const SELF_PLAN_AS_OF = '2024-03-31';
export const MUNICIPALITIES_WITH_COUNCIL = 1693;
export const NATIONAL_RATES = { planning: 15.8, child: 30.7 };
export const SAMPLE_SOURCE = 'サンプルデータ（架空、全国値に整合）';

export const COUNCIL_COLUMNS = [
  'municipality_code',
  'as_of',
  'established',
  'joint',
  'subcommittees',
  'secretariat_with_core_center',
  'meetings_last_year',
  'case_review_held',
  'source_name',
  'sample',
] as const;
export const SELF_PLAN_COLUMNS = [
  'municipality_code',
  'as_of',
  'planning_plans',
  'planning_self_plans',
  'child_plans',
  'child_self_plans',
  'source_name',
  'sample',
] as const;
/** People with a plan per resident (invented, of the order of the national totals: about 940,000 and 560,000). */
export const PLANS_PER_RESIDENT = { planning: 0.0075, child: 0.0045 };

export const SAMPLE_FILES = {
  councils: projectPath('subgraphs', 'municipalities', 'sample', 'councils.sample.csv'),
  selfPlanRates: projectPath('subgraphs', 'municipalities', 'sample', 'self-plan-rates.sample.csv'),
};

const SUBCOMMITTEES = ['相談支援部会', '地域移行部会', 'こども部会', '就労支援部会', '権利擁護部会', '精神保健福祉部会'];

/**
 * Self-plans for the given plans whose total is `target` percent of all plans (to one decimal, exactly),
 * each municipality's own rate spread around it (log-normal, `spread`), as the source says they vary widely.
 */
function selfPlansWithRatio(rng: SeededRandom, plans: number[], target: number, spread: number): number[] {
  let rates = plans.map(() => target * Math.exp(spread * (rng.next() + rng.next() + rng.next() - 1.5)));
  const total = plans.reduce((s, p) => s + p, 0);
  // Scale towards the target; rates capped at 100 % pull the ratio down, so repeat until it holds.
  for (let round = 0; round < 50; round += 1) {
    const ratio = rates.reduce((s, r, i) => s + r * plans[i], 0) / total;
    if (Math.abs(ratio - target) < 0.001) break;
    rates = rates.map((r) => Math.min(100, (r * target) / ratio));
  }
  const selfPlans = rates.map((r, i) => Math.min(plans[i], Math.round((plans[i] * r) / 100)));
  // Rounding leaves the total a few people off: the municipality with the most plans takes the difference.
  const largest = plans.indexOf(Math.max(...plans));
  selfPlans[largest] += Math.round((total * target) / 100) - selfPlans.reduce((s, n) => s + n, 0);
  return selfPlans;
}

export function generateSample(): { councils: Array<Record<string, string>>; selfPlanRates: Array<Record<string, string>> } {
  const rng = new SeededRandom(SAMPLE_SEED);
  const municipalities = municipalityReferences();
  // The municipalities without a council are drawn among the smallest, weighted towards the very small.
  const without = new Set(
    municipalities
      .map((m) => ({ code: m.code, key: Math.pow(rng.next(), Math.log10(m.population)) }))
      .sort((a, b) => b.key - a.key || a.code.localeCompare(b.code))
      .slice(0, municipalities.length - MUNICIPALITIES_WITH_COUNCIL)
      .map((x) => x.code),
  );
  const councils = municipalities.map((m) => {
    const established = !without.has(m.code);
    const small = m.population < 30_000;
    return {
      municipality_code: m.code,
      as_of: COUNCIL_AS_OF,
      established: String(established),
      joint: String(established && small && rng.chance(0.25)),
      subcommittees: established
        ? rng
            .shuffle(SUBCOMMITTEES)
            .slice(0, rng.int(small ? 0 : 1, small ? 3 : 6))
            .join(LIST_SEPARATOR)
        : '',
      secretariat_with_core_center: String(established && rng.chance(0.4)),
      meetings_last_year: String(established ? rng.int(small ? 0 : 1, small ? 4 : 8) : 0),
      case_review_held: String(established && rng.chance(0.55)),
      source_name: SAMPLE_SOURCE,
      sample: 'true',
    };
  });
  const plansOf = (perResident: number) => municipalities.map((m) => Math.max(1, Math.round(m.population * perResident * Math.exp(0.3 * (rng.next() - 0.5)))));
  const planningPlans = plansOf(PLANS_PER_RESIDENT.planning);
  const childPlans = plansOf(PLANS_PER_RESIDENT.child);
  const planningSelf = selfPlansWithRatio(rng, planningPlans, NATIONAL_RATES.planning, 1.6);
  const childSelf = selfPlansWithRatio(rng, childPlans, NATIONAL_RATES.child, 1.2);
  const selfPlanRates = municipalities.map((m, i) => ({
    municipality_code: m.code,
    as_of: SELF_PLAN_AS_OF,
    planning_plans: String(planningPlans[i]),
    planning_self_plans: String(planningSelf[i]),
    child_plans: String(childPlans[i]),
    child_self_plans: String(childSelf[i]),
    source_name: SAMPLE_SOURCE,
    sample: 'true',
  }));
  return { councils, selfPlanRates };
}

export function sampleCsv(): { councils: string; selfPlanRates: string } {
  const { councils, selfPlanRates } = generateSample();
  return { councils: writeCsv(COUNCIL_COLUMNS, councils), selfPlanRates: writeCsv(SELF_PLAN_COLUMNS, selfPlanRates) };
}

if (require.main === module) {
  readCommandLine({ usage: "Usage: npm run sample\nWrites the sample data's CSV files again (councils and self-plan rates), from their fixed seed." });
  const csv = sampleCsv();
  writeFileSync(SAMPLE_FILES.councils, csv.councils);
  writeFileSync(SAMPLE_FILES.selfPlanRates, csv.selfPlanRates);
  console.log(`Wrote ${SAMPLE_FILES.councils} and ${SAMPLE_FILES.selfPlanRates}`);
}

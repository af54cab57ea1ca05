/**
 * The deterministic sample dataset of the bases subgraph (fixed seed; every row says `sample=true`).
 * Which municipality has which base is not public in bulk; this invents bases whose coverage equals
 * the national figures of the source documents: 1,270 municipalities covered on 2024-04-01 and 1,282
 * on 2025-07-01 (地域生活支援拠点等の整備状況). Everything else is invented in documented proportions
 * (README.md beside this file). `npm run sample` rewrites the CSV files; a test checks they are current.
 */
import { readCommandLine } from '../../../shared/command-line';
import { writeFileSync } from 'node:fs';
import { writeCsv } from '../../../shared/csv';
import { LIST_SEPARATOR } from '../../../shared/csv-import';
import { SeededRandom } from '../../../shared/random';
import { type MunicipalityReference, municipalityReferences } from '../../../shared/reference/municipalities';
import { SAMPLE_FILES } from '../import';
import { BaseFunction, CoordinatorFunding, OrganizationKind } from '../rules';
import { BASE_COLUMNS, type BaseCsv, PARTICIPANT_COLUMNS, type ParticipantCsv } from './columns';
import { addDays } from '../../../shared/dates';

export const SAMPLE_SEED = 20250701;
export const SAMPLE_SOURCE = 'サンプルデータ（架空、全国値に整合、2025-07-01時点）';
export const SAMPLE_AS_OF = '2025-07-01';
/** Municipalities covered by a base on each date (地域生活支援拠点等を整備している市町村数). */
export const COVERED_ON: ReadonlyArray<[string, number]> = [
  ['2024-04-01', 1270],
  ['2025-07-01', 1282],
];
/** Documented proportions of the invented attributes. */
export const PROPORTIONS = {
  jointAmongSmall: 0.3, // covered municipalities under 50,000 served by a joint base
  models: { MULTIFUNCTIONAL: 0.1, NETWORKED: 0.7, HYBRID: 0.2 },
  functions: { CONSULTATION: 0.97, EMERGENCY_RESPONSE: 0.9, EXPERIENCE_OPPORTUNITIES: 0.75, SPECIALIST_DEVELOPMENT: 0.7, COMMUNITY_COORDINATION: 0.85 },
  withCoordinator: 0.65,
  reviewedWithinYear: 0.6,
  reviewedEarlier: 0.25, // the rest never reviewed
};

const dateBetween = (rng: SeededRandom, from: string, to: string) => rng.dateBetween(from, to);

const KINDS_BY_FUNCTION: Record<BaseFunction, OrganizationKind[]> = {
  CONSULTATION: [OrganizationKind.CONSULTATION_OFFICE],
  EMERGENCY_RESPONSE: [OrganizationKind.SHORT_STAY, OrganizationKind.GROUP_HOME, OrganizationKind.MEDICAL_INSTITUTION],
  EXPERIENCE_OPPORTUNITIES: [OrganizationKind.GROUP_HOME, OrganizationKind.DAY_ACTIVITY, OrganizationKind.SHORT_STAY],
  SPECIALIST_DEVELOPMENT: [OrganizationKind.CONSULTATION_OFFICE, OrganizationKind.MEDICAL_INSTITUTION, OrganizationKind.OTHER],
  COMMUNITY_COORDINATION: [OrganizationKind.CONSULTATION_OFFICE, OrganizationKind.HOME_HELP, OrganizationKind.OTHER],
};
const KIND_NAMES: Record<OrganizationKind, string> = {
  SHORT_STAY: '短期入所事業所',
  GROUP_HOME: 'グループホーム',
  CONSULTATION_OFFICE: '相談支援事業所',
  MEDICAL_INSTITUTION: '病院',
  DAY_ACTIVITY: '生活介護事業所',
  HOME_HELP: '居宅介護事業所',
  OTHER: '社会福祉協議会',
};
const NAMES = ['さくら', 'あおば', 'ひかり', 'みどり', 'つばさ', 'やまびこ', 'ふれあい', 'のぞみ', 'あゆみ', 'こもれび'];

function pickWeighted<T extends string>(rng: SeededRandom, weights: Record<T, number>): T {
  let r = rng.next();
  const entries = Object.entries(weights) as Array<[T, number]>;
  for (const [key, weight] of entries) if ((r -= weight) < 0) return key;
  return entries[entries.length - 1][0];
}

export function generateSample(): { bases: BaseCsv[]; participants: ParticipantCsv[] } {
  const rng = new SeededRandom(SAMPLE_SEED);
  const municipalities = municipalityReferences();
  const [[firstDate, firstCount], [lastDate, lastCount]] = COVERED_ON;

  // Larger municipalities are likelier to have a base: weighted sampling without replacement.
  const ranked = municipalities
    .map((m) => ({ m, key: Math.pow(rng.next(), 1 / (1 + Math.log10(m.population))) }))
    .sort((a, b) => b.key - a.key || a.m.code.localeCompare(b.m.code))
    .map((x) => x.m);
  const covered = ranked.slice(0, lastCount);
  // The last ones drawn are covered only after the first date, each by a base of its own.
  const late = new Set(covered.slice(firstCount).map((m) => m.code));

  const units: MunicipalityReference[][] = [];
  const byPrefecture = new Map<string, MunicipalityReference[]>();
  for (const m of covered) {
    if (late.has(m.code)) units.push([m]);
    else if (m.population < 50_000 && rng.chance(PROPORTIONS.jointAmongSmall)) {
      byPrefecture.set(m.prefectureCode, [...(byPrefecture.get(m.prefectureCode) ?? []), m]);
    } else units.push([m]);
  }
  for (const members of byPrefecture.values()) {
    let rest = [...members].sort((a, b) => a.code.localeCompare(b.code));
    if (rest.length === 1) {
      units.push(rest);
      continue;
    }
    while (rest.length > 0) {
      let size = rng.int(2, 5);
      if (size >= rest.length - 1) size = rest.length;
      units.push(rest.slice(0, size));
      rest = rest.slice(size);
    }
  }
  units.sort((a, b) => a[0].code.localeCompare(b[0].code));

  const bases: BaseCsv[] = [];
  const participants: ParticipantCsv[] = [];
  const sequence = new Map<string, number>();
  const after = (date: string) => addDays(date, 1);
  for (const unit of units) {
    const isLate = unit.length === 1 && late.has(unit[0].code);
    const count = unit.length === 1 && unit[0].population >= 500_000 ? 2 : 1; // big cities run two
    const firstOn = isLate ? dateBetween(rng, after(firstDate), lastDate) : dateBetween(rng, '2015-04-01', firstDate);
    for (let k = 0; k < count; k += 1) {
      const prefecture = unit[0].prefectureCode;
      const n = (sequence.get(prefecture) ?? 0) + 1;
      sequence.set(prefecture, n);
      const baseId = `S-${prefecture}-${String(n).padStart(4, '0')}`;
      const establishedOn = k === 0 ? firstOn : dateBetween(rng, firstOn, isLate ? lastDate : firstDate);
      const names = unit.map((m) => m.name);
      const area = unit.length > 1 ? (names.length <= 3 ? names.join('・') : `${names[0]}・${names[1]}ほか${names.length - 2}市町村`) : names[0];
      const functions = Object.values(BaseFunction).filter((f) => rng.chance(PROPORTIONS.functions[f]));
      const hasCoordinator = rng.chance(PROPORTIONS.withCoordinator);
      const r = rng.next();
      const reviewedOn =
        r < PROPORTIONS.reviewedWithinYear
          ? dateBetween(rng, '2024-07-02', '2025-06-30')
          : r < PROPORTIONS.reviewedWithinYear + PROPORTIONS.reviewedEarlier
            ? dateBetween(rng, establishedOn, '2024-06-30')
            : '';
      const validReview = reviewedOn !== '' && reviewedOn >= establishedOn && reviewedOn <= SAMPLE_AS_OF ? reviewedOn : '';
      bases.push({
        base_id: baseId,
        prefecture_code: prefecture,
        name: `${area}地域生活支援拠点${count > 1 ? `（${k === 0 ? '北部' : '南部'}）` : ''}`,
        model: pickWeighted(rng, PROPORTIONS.models),
        municipality_codes: unit.map((m) => m.code).join(LIST_SEPARATOR),
        established_on: establishedOn,
        closed_on: '',
        functions: functions.join(LIST_SEPARATOR),
        emergency_preregistrations: String(rng.int(0, 80)),
        coordinator_count: hasCoordinator ? String(rng.int(1, 3)) : '0',
        coordinator_funding: hasCoordinator
          ? pickWeighted(rng, { FEE_ADDITION: 0.5, COMMUNITY_LIFE_SUPPORT_PROGRAM: 0.35, OTHER: 0.15 } as Record<CoordinatorFunding, number>)
          : '',
        coordinator_host: hasCoordinator ? `${unit[0].name}${rng.pick(NAMES)}相談支援事業所` : '',
        coordinator_started_on: hasCoordinator ? dateBetween(rng, establishedOn, SAMPLE_AS_OF) : '',
        last_review_on: validReview,
        last_review_summary: validReview ? '協議会（地域生活支援拠点部会）で運用状況を検証し、緊急時対応の手順を見直した。' : '',
        source_name: SAMPLE_SOURCE,
        source_as_of: SAMPLE_AS_OF,
        sample: 'true',
      });
      for (const f of functions) {
        const kinds = KINDS_BY_FUNCTION[f];
        const used = new Set<string>();
        for (let p = rng.int(1, 3); p > 0; p -= 1) {
          const kind = rng.pick(kinds);
          const name = `${unit[0].name}${rng.pick(NAMES)}${KIND_NAMES[kind]}`;
          if (used.has(name)) continue;
          used.add(name);
          participants.push({ base_id: baseId, function: f, organization_name: name, organization_kind: kind });
        }
      }
    }
  }
  return { bases, participants };
}

export function sampleCsv(): { bases: string; participants: string } {
  const { bases, participants } = generateSample();
  return { bases: writeCsv(BASE_COLUMNS, bases), participants: writeCsv(PARTICIPANT_COLUMNS, participants) };
}

if (require.main === module) {
  readCommandLine({ usage: "Usage: npm run sample\nWrites the sample data's CSV files again (bases and their participants), from their fixed seed." });
  const csv = sampleCsv();
  writeFileSync(SAMPLE_FILES.bases, csv.bases);
  writeFileSync(SAMPLE_FILES.participants, csv.participants);
  console.log(`Wrote ${SAMPLE_FILES.bases} and ${SAMPLE_FILES.participants}`);
}

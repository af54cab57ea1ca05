/**
 * The deterministic sample dataset of the support-centers subgraph (fixed seed; every row says
 * `sample=true`). Per-municipality core-center status is not public in bulk, so this invents one that
 * reproduces the national figures of the source documents exactly, as of 2025-04-01
 * (「障害者相談支援事業の実施状況等について」令和7年調査, FY2025 briefing):
 *   - municipalities with a core center by bracket: 255/543, 446/684, 198/237, 214/242, 34/35 (1,147);
 *   - setup among them (single / joint / both) per bracket, SETUP_TARGETS below;
 *   - 1,462 centers, 971 of which also function as a base (拠点機能);
 *   - municipalities covered on April 1 of 2020–2025: 778, 873, 928, 973, 1,045, 1,147.
 * Joint centers group neighbouring (adjacent-code) municipalities of one prefecture. Consultation
 * offices are only plausible: about one per 11,000 residents, with invented names.
 *
 * `npm run sample` rewrites the CSV files beside this module; a test checks they are current.
 */
import { readCommandLine } from '../../../shared/command-line';
import { writeFileSync } from 'node:fs';
import { writeCsv } from '../../../shared/csv';
import { projectPath } from '../../../shared/paths';
import { PopulationBracket, populationBracket } from '../../../shared/population-brackets';
import { SeededRandom } from '../../../shared/random';
import { type MunicipalityReference, municipalityReferences } from '../../../shared/reference/municipalities';
import { CoreCenterFunction, CoreCenterOperation, CoreCenterSetup } from '../rules';
import { CORE_CENTER_COLUMNS, type CoreCenterCsv, LIST_SEPARATOR, OFFICE_COLUMNS, type OfficeCsv } from './columns';
import { addDays } from '../../../shared/dates';

export const SAMPLE_SEED = 20250401;
export const SAMPLE_SOURCE = 'サンプルデータ（架空、全国値に整合、2025-04-01時点）';
export const SAMPLE_AS_OF = '2025-04-01';

type Status = 'NONE' | 'SINGLE' | 'JOINT' | 'BOTH';

export const SETUP_TARGETS: Record<PopulationBracket, { single: number; joint: number; both: number }> = {
  UNDER_10K: { single: 44, joint: 205, both: 6 },
  FROM_10K_TO_50K: { single: 236, joint: 201, both: 9 },
  FROM_50K_TO_100K: { single: 153, joint: 45, both: 0 },
  FROM_100K_TO_500K: { single: 191, joint: 22, both: 1 },
  FROM_500K: { single: 34, joint: 0, both: 0 },
};
export const TOTAL_CENTERS = 1462;
export const CENTERS_FUNCTIONING_AS_BASE = 971;
/** Municipalities covered on each April 1 (基幹相談支援センター設置市町村数). */
export const COVERED_BY_YEAR: ReadonlyArray<[string, number]> = [
  ['2020-04-01', 778],
  ['2021-04-01', 873],
  ['2022-04-01', 928],
  ['2023-04-01', 973],
  ['2024-04-01', 1045],
  ['2025-04-01', 1147],
];
/** Core centers exist in law since 2012-04-01; the earliest sample date. */
const FIRST_DATE = '2012-04-01';

/** A date in [from, to], both YYYY-MM-DD. */
const dateBetween = (rng: SeededRandom, from: string, to: string) => rng.dateBetween(from, to);

const AREAS = ['中央', '北部', '南部', '東部', '西部', '北東部', '北西部', '南東部', '南西部'];
const OPERATORS = ['さくら', 'あおば', 'ひかり', 'みどり', 'つばさ', 'やまびこ', 'ふれあい', 'のぞみ', 'あゆみ', 'こもれび'];

function assignStatuses(rng: SeededRandom, municipalities: readonly MunicipalityReference[]): Map<string, Status> {
  const status = new Map<string, Status>();
  for (const bracket of Object.values(PopulationBracket)) {
    const inBracket = rng.shuffle(municipalities.filter((m) => populationBracket(m.population) === bracket));
    const { single, joint, both } = SETUP_TARGETS[bracket];
    inBracket.forEach((m, i) => {
      const s: Status = i < single ? 'SINGLE' : i < single + joint ? 'JOINT' : i < single + joint + both ? 'BOTH' : 'NONE';
      status.set(m.code, s);
    });
  }
  // A joint center needs two municipalities of one prefecture: a prefecture left with a single
  // joint member swaps that status with a same-bracket municipality, in the prefecture if possible.
  const isJoint = (code: string) => ['JOINT', 'BOTH'].includes(status.get(code)!);
  const byPrefecture = new Map<string, MunicipalityReference[]>();
  for (const m of municipalities) byPrefecture.set(m.prefectureCode, [...(byPrefecture.get(m.prefectureCode) ?? []), m]);
  for (let changed = true; changed;) {
    changed = false;
    for (const [prefecture, members] of byPrefecture) {
      const joint = members.filter((m) => isJoint(m.code));
      if (joint.length !== 1) continue;
      const lone = joint[0];
      const bracket = populationBracket(lone.population);
      const sameBracket = (m: MunicipalityReference) => populationBracket(m.population) === bracket && !isJoint(m.code);
      const partner =
        members.find(sameBracket) ??
        municipalities.find((m) => m.prefectureCode !== prefecture && sameBracket(m) && byPrefecture.get(m.prefectureCode)!.some((o) => isJoint(o.code)));
      if (!partner) throw new Error(`no partner for lone joint municipality ${lone.code}`);
      const s = status.get(lone.code)!;
      status.set(lone.code, status.get(partner.code)!);
      status.set(partner.code, s);
      changed = true;
    }
  }
  return status;
}

/** Splits a prefecture's joint members (in code order, so neighbours) into groups of 2 to 6. */
function jointGroups(rng: SeededRandom, members: MunicipalityReference[]): MunicipalityReference[][] {
  const groups: MunicipalityReference[][] = [];
  let rest = [...members].sort((a, b) => a.code.localeCompare(b.code));
  while (rest.length > 0) {
    let size = rng.int(2, 5);
    if (size >= rest.length - 1) size = rest.length; // never leave a lone municipality behind
    groups.push(rest.slice(0, size));
    rest = rest.slice(size);
  }
  return groups;
}

/** Splits `total` over weights by the largest remainder, deterministically. */
function apportion(total: number, weights: number[]): number[] {
  const sum = weights.reduce((a, b) => a + b, 0);
  const exact = weights.map((w) => (total * w) / sum);
  const counts = exact.map(Math.floor);
  const order = exact.map((e, i) => [e - Math.floor(e), i]).sort((a, b) => b[0] - a[0] || a[1] - b[1]);
  const remainder = total - counts.reduce((a, b) => a + b, 0);
  for (let k = 0; k < remainder; k += 1) counts[order[k][1]] += 1;
  return counts;
}

interface PlannedCenter {
  prefectureCode: string;
  name: string;
  setup: CoreCenterSetup;
  members: MunicipalityReference[];
  establishedOn: string;
}

export function generateCoreCenters(): CoreCenterCsv[] {
  const rng = new SeededRandom(SAMPLE_SEED);
  const municipalities = municipalityReferences();
  const status = assignStatuses(rng, municipalities);

  const groups: MunicipalityReference[][] = [];
  const prefectures = [...new Set(municipalities.map((m) => m.prefectureCode))];
  for (const prefecture of prefectures) {
    const members = municipalities.filter((m) => m.prefectureCode === prefecture && ['JOINT', 'BOTH'].includes(status.get(m.code)!));
    groups.push(...jointGroups(rng, members));
  }
  const singles = municipalities.filter((m) => ['SINGLE', 'BOTH'].includes(status.get(m.code)!));

  // Coverage start years: joint groups and single-only municipalities are the units that fill the
  // yearly increments exactly (a "both" municipality is covered from its joint group's date).
  const capacity = COVERED_BY_YEAR.map(([, n], i) => n - (i === 0 ? 0 : COVERED_BY_YEAR[i - 1][1]));
  const bucketOf = new Map<MunicipalityReference[] | MunicipalityReference, number>();
  for (const group of rng.shuffle(groups)) {
    const open = capacity.map((c, i) => (c >= group.length ? i : -1)).filter((i) => i >= 0);
    const weights = open.map((i) => capacity[i]);
    let pick = rng.next() * weights.reduce((a, b) => a + b, 0);
    const bucket = open.find((_, k) => (pick -= weights[k]) < 0) ?? open[open.length - 1];
    capacity[bucket] -= group.length;
    bucketOf.set(group, bucket);
  }
  const singleOnly = rng.shuffle(singles.filter((m) => status.get(m.code) === 'SINGLE'));
  for (const m of singleOnly) {
    const bucket = capacity.findIndex((c) => c > 0);
    if (bucket < 0) throw new Error('yearly capacities exhausted');
    capacity[bucket] -= 1;
    bucketOf.set(m, bucket);
  }
  const dateIn = (bucket: number) => dateBetween(rng, bucket === 0 ? FIRST_DATE : addDays(COVERED_BY_YEAR[bucket - 1][0], 1), COVERED_BY_YEAR[bucket][0]);

  const planned: PlannedCenter[] = [];
  const coveredFrom = new Map<string, string>();
  for (const group of groups) {
    const establishedOn = dateIn(bucketOf.get(group)!);
    for (const m of group) coveredFrom.set(m.code, establishedOn);
    const names = group.map((m) => m.name);
    const name = names.length <= 3 ? names.join('・') : `${names[0]}・${names[1]}ほか${names.length - 2}市町村`;
    planned.push({ prefectureCode: group[0].prefectureCode, name: `${name}基幹相談支援センター`, setup: CoreCenterSetup.JOINT, members: group, establishedOn });
  }

  // Large municipalities run several centers (e.g. one per ward): the centers beyond one per
  // single-covered municipality and one per joint group go to them by population.
  const extra = TOTAL_CENTERS - singles.length - groups.length;
  if (extra < 0) throw new Error(`too many joint groups (${groups.length}) for ${TOTAL_CENTERS} centers`);
  const large = singles.filter((m) => m.population >= 100_000);
  const extras = apportion(
    extra,
    large.map((m) => m.population),
  );
  const centersOf = new Map(singles.map((m) => [m.code, 1]));
  large.forEach((m, i) => centersOf.set(m.code, 1 + extras[i]));

  for (const m of singles) {
    const from = coveredFrom.get(m.code) ?? dateIn(bucketOf.get(m)!);
    const count = centersOf.get(m.code)!;
    for (let k = 0; k < count; k += 1) {
      // The first center starts the coverage; later ones (or a "both" municipality's own) follow it.
      const establishedOn = k === 0 && !coveredFrom.has(m.code) ? from : dateBetween(rng, from, SAMPLE_AS_OF);
      const area = count === 1 ? '' : `（${k < AREAS.length ? AREAS[k] : `第${k + 1}`}）`;
      planned.push({
        prefectureCode: m.prefectureCode,
        name: `${m.name}基幹相談支援センター${area}`,
        setup: CoreCenterSetup.SINGLE,
        members: [m],
        establishedOn,
      });
    }
  }

  planned.sort(
    (a, b) => a.prefectureCode.localeCompare(b.prefectureCode) || a.members[0].code.localeCompare(b.members[0].code) || a.name.localeCompare(b.name),
  );
  const asBase = new Set(rng.shuffle(planned.map((_, i) => i)).slice(0, CENTERS_FUNCTIONING_AS_BASE));
  const sequence = new Map<string, number>();
  return planned.map((c, i) => {
    const n = (sequence.get(c.prefectureCode) ?? 0) + 1;
    sequence.set(c.prefectureCode, n);
    const r = rng.next();
    const operation = r < 0.35 ? CoreCenterOperation.DIRECT : r < 0.9 ? CoreCenterOperation.OUTSOURCED : CoreCenterOperation.PARTLY_OUTSOURCED;
    const functions = [
      CoreCenterFunction.CONSULTATION,
      ...(rng.chance(0.85) ? [CoreCenterFunction.OTHER_LAW_CONSULTATION] : []),
      ...(rng.chance(0.8) ? [CoreCenterFunction.STAFF_SUPPORT] : []),
      ...(rng.chance(0.75) ? [CoreCenterFunction.COMMUNITY_BUILDING] : []),
    ];
    return {
      center_id: `S-${c.prefectureCode}-${String(n).padStart(4, '0')}`,
      prefecture_code: c.prefectureCode,
      name: c.name,
      setup: c.setup,
      municipality_codes: c.members.map((m) => m.code).join(LIST_SEPARATOR),
      operation,
      operator_name: operation === CoreCenterOperation.DIRECT ? '' : `社会福祉法人${rng.pick(OPERATORS)}会`,
      established_on: c.establishedOn,
      closed_on: '',
      functions: functions.join(LIST_SEPARATOR),
      chief_specialists: String(rng.int(0, 2)),
      specialists: String(rng.int(1, 4)),
      social_workers: String(rng.int(0, 3)),
      psychiatric_social_workers: String(rng.int(0, 2)),
      public_health_nurses: String(rng.int(0, 2)),
      other_staff: String(rng.int(0, 2)),
      also_functions_as_base: String(asBase.has(i)),
      runs_abuse_prevention_center: String(rng.chance(0.4)),
      has_medical_care_child_coordinator: String(rng.chance(0.25)),
      source_name: SAMPLE_SOURCE,
      source_as_of: SAMPLE_AS_OF,
      sample: 'true',
    };
  });
}

export function generateConsultationOffices(): OfficeCsv[] {
  const rng = new SeededRandom(SAMPLE_SEED + 1);
  const offices: OfficeCsv[] = [];
  for (const m of municipalityReferences()) {
    const count = Math.max(m.population >= 3000 ? 1 : rng.int(0, 1), Math.round((m.population / 11_000) * (0.7 + 0.6 * rng.next())));
    for (let n = 1; n <= count; n += 1) {
      const r = rng.next();
      const tier = r < 0.015 ? 'I' : r < 0.04 ? 'II' : r < 0.08 ? 'III' : r < 0.15 ? 'IV' : 'NONE';
      const minimum = { I: 4, II: 3, III: 3, IV: 2, NONE: 1 }[tier]!;
      const designations = ['SPECIFIED', ...(rng.chance(0.25) ? ['GENERAL'] : []), ...(rng.chance(0.65) ? ['CHILD'] : [])];
      offices.push({
        office_id: `S-${m.code}-${String(n).padStart(3, '0')}`,
        municipality_code: m.code,
        name: `${m.name}${count > 1 ? `第${n}` : ''}相談支援事業所`,
        designations: designations.join(LIST_SEPARATOR),
        fee_tier: tier,
        chief_specialists: String(tier === 'I' || tier === 'II' ? rng.int(1, 2) : rng.int(0, 1)),
        specialists: String(minimum + rng.int(0, 3)),
        contracted_for_municipal_program: String(rng.chance(0.3)),
        collaborative_arrangement: String(rng.chance(0.08)),
        source_name: SAMPLE_SOURCE,
        source_as_of: SAMPLE_AS_OF,
        sample: 'true',
      });
    }
  }
  return offices;
}

export const SAMPLE_FILES = {
  coreCenters: projectPath('subgraphs', 'support-centers', 'sample', 'core-centers.sample.csv'),
  consultationOffices: projectPath('subgraphs', 'support-centers', 'sample', 'consultation-offices.sample.csv'),
};

export function sampleCsv(): { coreCenters: string; consultationOffices: string } {
  return {
    coreCenters: writeCsv(CORE_CENTER_COLUMNS, generateCoreCenters()),
    consultationOffices: writeCsv(OFFICE_COLUMNS, generateConsultationOffices()),
  };
}

if (require.main === module) {
  readCommandLine({ usage: "Usage: npm run sample\nWrites the sample data's CSV files again (core centers and consultation offices), from their fixed seed." });
  const csv = sampleCsv();
  writeFileSync(SAMPLE_FILES.coreCenters, csv.coreCenters);
  writeFileSync(SAMPLE_FILES.consultationOffices, csv.consultationOffices);
  console.log(`Wrote ${SAMPLE_FILES.coreCenters} and ${SAMPLE_FILES.consultationOffices}`);
}

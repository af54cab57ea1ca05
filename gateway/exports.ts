/**
 * Flat exports for BI tools (Excel, Power BI, …): `GET /export/<name>.csv` and `GET /export/<name>.xlsx`.
 * Each runs GraphQL operations through the gateway itself, so it sees exactly what the caller's token
 * may see (the same `Authorization` header; a prefecture-bound role gets its own prefecture's rows) and
 * never touches a database. Rows are written as they are produced. A CSV file starts with a UTF-8
 * byte-order mark so that Excel reads the Japanese text correctly, its header the English keys (or the
 * Japanese names with `?lang=ja`); a workbook has both header rows, codes as text and dates as dates.
 */
import type { ApolloServer } from '@apollo/server';
import type { Express, Request, Response } from 'express';
import { GraphQLError } from 'graphql';
import { assertCanReadPrefecture, readablePrefectures, readsFreeText } from '../shared/authorization';
import { timeInJapan, todayInJapan } from '../shared/dates';
import { prefectureParameter } from '../shared/codes';
import { ErrorCode, badUserInput, forbidden, unauthenticated } from '../shared/errors';
import { attachmentDisposition, refusal, refusedFor, routeParameters } from '../shared/http';
import { queryDateProblem } from '../shared/input-rules';
import { csvCell } from '../shared/csv';
import { type SheetColumn, xlsxWriter } from '../shared/spreadsheet';
import { japaneseColumnName } from './export-columns';
import { countedPeriod, fiscalYearParameter, fiscalYearRange } from '../shared/fiscal-year';
import { readSpreadsheetDate } from '../shared/spreadsheet-dates';
import { clientAddressOf, contextAnswers, requestIdOf } from '../shared/request-log';
import { type CallerBudgets, rateLimitHeaders } from './rate-limit';
import type { Logger } from '../shared/log';
import { newAnswerSources } from './answer-cache';
import type { GatewayContext } from './context';
import type { CallerOf } from './api-keys';

type Row = Record<string, string | number | boolean | null | undefined>;

type Run = (query: string, variables: Record<string, unknown>) => Promise<Record<string, any>>;

/** The caller closed the connection of an export under way: its remaining pages are not read. */
class CallerLeft extends Error {}

/** Resolves when the response has room for more (the caller read what was written) or is closed. */
function drainedOrClosed(res: Response): Promise<void> {
  return new Promise((resolve) => {
    const done = () => {
      res.off('drain', done);
      res.off('close', done);
      resolve();
    };
    res.on('drain', done);
    res.on('close', done);
  });
}

/** The query parameters an export may take, besides `lang`. */
type ExportParameter = 'asOf' | 'prefecture' | 'fiscalYear';

export interface CsvExport {
  name: string;
  /** Its name for staff (the file's name with `?lang=ja`, and in `GET /export`). */
  titleJa: string;
  description: string;
  /** The parameters it takes besides `lang`; another is refused (BAD_USER_INPUT), never ignored. */
  parameters: readonly ExportParameter[];
  /** The header, in order (`as_of` in every export: the day its figures are as of); the README documents each column. */
  columns: readonly string[];
  /** Writes rows through `emit`, running GraphQL operations with `run`. */
  produce(
    params: {
      asOf: string | null;
      prefecture: string | null;
      fiscalYear: number | null;
      readable: string[] | null;
      /** Whether the caller reads free text that may identify a person (shared/authorization.ts). */
      freeText: boolean;
    },
    run: Run,
    emit: (rows: Row[]) => void,
  ): Promise<void>;
}

export const EXPORTS: CsvExport[] = [
  {
    name: 'municipality-status',
    titleJa: '市町村別の整備状況',
    parameters: ['asOf', 'prefecture'],
    description: 'One row per municipality: population, core-center, base and council status, self-plan rates, last visit.',
    columns: [
      'as_of',
      'code',
      'prefecture_code',
      'prefecture',
      'name',
      'kana',
      'kind',
      'kind_label',
      'population',
      'population_bracket',
      'population_bracket_label',
      'core_center_coverage',
      'core_center_coverage_label',
      'base_coverage',
      'base_coverage_label',
      'council_established',
      'council_case_review',
      'self_plan_rate_planning',
      'self_plan_rate_child',
      'last_visit_date',
      'open_follow_ups',
    ],
    async produce({ asOf, prefecture, readable }, run, emit) {
      const selection = `code name municipalities {
            code name kana kind kindLabel population populationBracket populationBracketLabel
            coreCenterCoverage(asOf: $asOf) coreCenterCoverageLabel(asOf: $asOf) baseCoverage(asOf: $asOf) baseCoverageLabel(asOf: $asOf)
            council(asOf: $asOf) { established caseReviewHeld } selfPlanRate(asOf: $asOf) { planningRatePercent childRatePercent }
            onDate(asOf: $asOf) { lastVisit { date } openFollowUps { id } }
          }`;
      const date = asOf ?? todayInJapan();
      for (const p of await readablePrefectureRows(run, { prefecture, readable }, '$asOf: LocalDate!', selection, { asOf: date })) {
        emit(
          p.municipalities.map((m: any) => ({
            code: m.code,
            prefecture_code: p.code,
            prefecture: p.name,
            name: m.name,
            kana: m.kana,
            kind: m.kind,
            kind_label: m.kindLabel,
            population: m.population,
            population_bracket: m.populationBracket,
            population_bracket_label: m.populationBracketLabel,
            core_center_coverage: m.coreCenterCoverage,
            core_center_coverage_label: m.coreCenterCoverageLabel,
            base_coverage: m.baseCoverage,
            base_coverage_label: m.baseCoverageLabel,
            council_established: m.council?.established,
            council_case_review: m.council?.caseReviewHeld,
            self_plan_rate_planning: m.selfPlanRate?.planningRatePercent,
            self_plan_rate_child: m.selfPlanRate?.childRatePercent,
            last_visit_date: m.onDate.lastVisit?.date,
            open_follow_ups: m.onDate.openFollowUps.length,
          })),
        );
      }
    },
  },
  {
    name: 'visits',
    titleJa: '派遣記録',
    parameters: ['prefecture', 'fiscalYear', 'asOf'],
    description:
      'The visit log of one prefecture (?prefecture=01), newest first: of one fiscal year with ?fiscalYear=2025, up to ?asOf= when given; notes are never exported, and topics, summary and issues_found are empty for analysts and API keys.',
    columns: [
      'as_of',
      'id',
      'date',
      'prefecture_code',
      'municipality_codes',
      'format',
      'format_label',
      'purposes',
      'purpose_labels',
      'topics',
      'summary',
      'issues_found',
      'advisors',
    ],
    async produce({ asOf, prefecture: asked, fiscalYear, freeText, readable }, run, emit) {
      const prefecture = onePrefecture('visits', '訪問記録', asked, readable);
      // A fiscal year's visits, up to asOf when it is earlier than the year's end.
      const { since, until } = periodOf(fiscalYear, asOf);
      if (since && until && until < since) return; // asOf before the year: none of its visits yet
      // Analysts and API keys read no free text that may identify a person: those columns stay empty.
      const text = freeText ? 'topics summary issuesFound' : '';
      let after: string | null = null;
      do {
        const data = await run(
          `query($code: ID!, $after: String, $since: LocalDate, $until: LocalDate) { prefecture(code: $code) { visits(first: 50, after: $after, since: $since, until: $until) {
            pageInfo { hasNextPage endCursor }
            nodes { id date municipalities { code } format formatLabel purposes purposeLabels { label } ${text} advisors { name } }
          } } }`,
          { code: prefecture, after, since, until },
        );
        const page = data.prefecture.visits;
        emit(
          page.nodes.map((v: any) => ({
            id: v.id,
            date: v.date,
            prefecture_code: prefecture,
            municipality_codes: v.municipalities.map((m: any) => m.code).join(';'),
            format: v.format,
            format_label: v.formatLabel,
            purposes: v.purposes.join(';'),
            purpose_labels: v.purposeLabels.map((p: { label: string }) => p.label).join(';'),
            topics: v.topics?.join(';'),
            summary: v.summary,
            issues_found: v.issuesFound,
            advisors: v.advisors.map((a: any) => a.name).join(';'),
          })),
        );
        after = page.pageInfo.hasNextPage ? page.pageInfo.endCursor : null;
      } while (after);
    },
  },
  {
    name: 'coverage-statistics',
    titleJa: '整備状況（人口規模別・都道府県別）',
    parameters: ['asOf'],
    description: 'Coverage on a date (?asOf=2025-04-01): core centers, bases, councils; national, by bracket, by prefecture.',
    columns: ['as_of', 'subject', 'group', 'label', 'municipalities', 'covered', 'rate_percent', 'single', 'joint', 'single_and_joint'],
    async produce({ asOf }, run, emit) {
      const table = '{ national { ...c } byBracket { ...c } byPrefecture { ...c } }';
      const data = await run(
        `query($asOf: LocalDate) { coverageStatistics(asOf: $asOf) { asOf coreCenters ${table} bases ${table} councils ${table} } }
         fragment c on CoverageCount { group label municipalities covered ratePercent single joint singleAndJoint }`,
        { asOf },
      );
      const s = data.coverageStatistics;
      for (const subject of ['coreCenters', 'bases', 'councils']) {
        const t = s[subject];
        emit(
          [t.national, ...t.byBracket, ...t.byPrefecture].map((c: any) => ({
            as_of: s.asOf,
            subject,
            group: c.group,
            label: c.label,
            municipalities: c.municipalities,
            covered: c.covered,
            rate_percent: c.ratePercent,
            single: c.single,
            joint: c.joint,
            single_and_joint: c.singleAndJoint,
          })),
        );
      }
    },
  },
  {
    name: 'activity-indicators',
    titleJa: 'アドバイザー活動指標（都道府県別）',
    parameters: ['fiscalYear'],
    description: "The advisors' activity per prefecture in a fiscal year (?fiscalYear=2025), with core-center and base coverage at its start and end.",
    columns: [
      'as_of',
      'prefecture_code',
      'prefecture',
      'fiscal_year',
      'fiscal_year_label',
      'advisors_deployed',
      'visits',
      'trainings_held',
      'visits_network_building',
      'visits_core_center',
      'visits_council',
      'visits_wide_area_issues',
      'visits_staff_training',
      'visits_prefectural_council',
      'municipalities_reached',
      'small_municipalities',
      'small_municipalities_reached',
      'small_municipalities_reached_percent',
      'follow_ups_opened',
      'follow_ups_completed',
      'follow_ups_overdue_at_year_end',
      'core_center_covered_at_start',
      'core_center_covered_at_end',
      'base_covered_at_start',
      'base_covered_at_end',
      'municipalities',
    ],
    async produce({ fiscalYear }, run, emit) {
      if (fiscalYear === null) throw fiscalYearNeeded('activity-indicators');
      const change = '{ municipalities coveredAtStart coveredAtEnd }';
      const data = await run(
        `query($fy: Int!) { prefectures { code name
            activityIndicators(fiscalYear: $fy) {
              fiscalYear fiscalYearLabel advisorsDeployed visits trainingsHeld visitsByPurpose { purpose visits }
              municipalitiesReached smallMunicipalities smallMunicipalitiesReached smallMunicipalitiesReachedPercent
              followUpsOpened followUpsCompleted followUpsOverdueAtYearEnd }
            coreCenterCoverageChange(fiscalYear: $fy) ${change} baseCoverageChange(fiscalYear: $fy) ${change} } }`,
        { fy: fiscalYear },
      );
      emit(
        data.prefectures.map((p: any) => {
          const a = p.activityIndicators;
          const byPurpose = (purpose: string) => a.visitsByPurpose.find((v: any) => v.purpose === purpose)?.visits ?? 0;
          return {
            prefecture_code: p.code,
            prefecture: p.name,
            fiscal_year: a.fiscalYear,
            fiscal_year_label: a.fiscalYearLabel,
            advisors_deployed: a.advisorsDeployed,
            visits: a.visits,
            trainings_held: a.trainingsHeld,
            visits_network_building: byPurpose('NETWORK_BUILDING'),
            visits_core_center: byPurpose('CORE_CENTER'),
            visits_council: byPurpose('COUNCIL'),
            visits_wide_area_issues: byPurpose('WIDE_AREA_ISSUES'),
            visits_staff_training: byPurpose('STAFF_TRAINING'),
            visits_prefectural_council: byPurpose('PREFECTURAL_COUNCIL'),
            municipalities_reached: a.municipalitiesReached,
            small_municipalities: a.smallMunicipalities,
            small_municipalities_reached: a.smallMunicipalitiesReached,
            small_municipalities_reached_percent: a.smallMunicipalitiesReachedPercent,
            follow_ups_opened: a.followUpsOpened,
            follow_ups_completed: a.followUpsCompleted,
            follow_ups_overdue_at_year_end: a.followUpsOverdueAtYearEnd,
            core_center_covered_at_start: p.coreCenterCoverageChange.coveredAtStart,
            core_center_covered_at_end: p.coreCenterCoverageChange.coveredAtEnd,
            base_covered_at_start: p.baseCoverageChange.coveredAtStart,
            base_covered_at_end: p.baseCoverageChange.coveredAtEnd,
            municipalities: p.coreCenterCoverageChange.municipalities,
          };
        }),
      );
    },
  },
  {
    name: 'municipality-activity',
    titleJa: '市町村別の派遣と整備の変化',
    parameters: ['fiscalYear', 'prefecture'],
    description:
      "The advisors' activity per municipality in a fiscal year (?fiscalYear=2025), beside its core-center and base coverage at the year's start and end.",
    columns: [
      'as_of',
      'code',
      'prefecture_code',
      'name',
      'population',
      'population_bracket',
      'fiscal_year',
      'fiscal_year_label',
      'visits',
      'visits_core_center',
      'visits_council',
      'training_visits',
      'follow_ups_opened',
      'follow_ups_completed',
      'follow_ups_overdue_at_year_end',
      'core_center_covered_at_start',
      'core_center_covered_at_end',
      'base_covered_at_start',
      'base_covered_at_end',
    ],
    async produce({ fiscalYear, prefecture, readable }, run, emit) {
      if (fiscalYear === null) throw fiscalYearNeeded('municipality-activity');
      const change = '{ coveredAtStart coveredAtEnd }';
      const selection = `code municipalities { code name population populationBracket
          advisorActivity(fiscalYear: $fy) { fiscalYear fiscalYearLabel visits visitsByPurpose { purpose visits } visitsByFormat { format visits }
            followUpsOpened followUpsCompleted followUpsOverdueAtYearEnd }
          coreCenterCoverageChange(fiscalYear: $fy) ${change} baseCoverageChange(fiscalYear: $fy) ${change} }`;
      for (const p of await readablePrefectureRows(run, { prefecture, readable }, '$fy: Int!', selection, { fy: fiscalYear })) {
        emit(
          p.municipalities.map((m: any) => {
            const a = m.advisorActivity;
            return {
              code: m.code,
              prefecture_code: p.code,
              name: m.name,
              population: m.population,
              population_bracket: m.populationBracket,
              fiscal_year: a.fiscalYear,
              fiscal_year_label: a.fiscalYearLabel,
              visits: a.visits,
              visits_core_center: a.visitsByPurpose.find((v: any) => v.purpose === 'CORE_CENTER').visits,
              visits_council: a.visitsByPurpose.find((v: any) => v.purpose === 'COUNCIL').visits,
              training_visits: a.visitsByFormat.find((v: any) => v.format === 'TRAINING').visits,
              follow_ups_opened: a.followUpsOpened,
              follow_ups_completed: a.followUpsCompleted,
              follow_ups_overdue_at_year_end: a.followUpsOverdueAtYearEnd,
              core_center_covered_at_start: m.coreCenterCoverageChange.coveredAtStart,
              core_center_covered_at_end: m.coreCenterCoverageChange.coveredAtEnd,
              base_covered_at_start: m.baseCoverageChange.coveredAtStart,
              base_covered_at_end: m.baseCoverageChange.coveredAtEnd,
            };
          }),
        );
      }
    },
  },
  {
    name: 'self-plans-by-class',
    titleJa: 'セルフプラン率（人口規模別区分）',
    parameters: ['asOf'],
    description: 'Self-plan rates by the twelve classes MHLW publishes them under (人口規模別区分), then 全国, on a date (?asOf=2024-03-31): counts and rates.',
    columns: [
      'as_of',
      'class',
      'label',
      'municipalities',
      'planning_plans',
      'planning_self_plans',
      'planning_rate_percent',
      'planning_municipalities_reporting',
      'planning_municipalities_left_out',
      'child_plans',
      'child_self_plans',
      'child_rate_percent',
      'child_municipalities_reporting',
      'child_municipalities_left_out',
    ],
    async produce({ asOf }, run, emit) {
      const aggregate = '{ plans selfPlans ratePercent municipalitiesReporting municipalitiesLeftOut }';
      const data = await run(
        `query($asOf: LocalDate) { selfPlanStatistics(asOf: $asOf) { asOf national { ...g } byClass { ...g } } }
         fragment g on SelfPlanGroup { group label municipalities planning ${aggregate} child ${aggregate} }`,
        { asOf },
      );
      const s = data.selfPlanStatistics;
      emit(
        [...s.byClass, s.national].map((g: any) => ({
          as_of: s.asOf,
          class: g.group,
          label: g.label,
          municipalities: g.municipalities,
          planning_plans: g.planning.plans,
          planning_self_plans: g.planning.selfPlans,
          planning_rate_percent: g.planning.ratePercent,
          planning_municipalities_reporting: g.planning.municipalitiesReporting,
          planning_municipalities_left_out: g.planning.municipalitiesLeftOut,
          child_plans: g.child.plans,
          child_self_plans: g.child.selfPlans,
          child_rate_percent: g.child.ratePercent,
          child_municipalities_reporting: g.child.municipalitiesReporting,
          child_municipalities_left_out: g.child.municipalitiesLeftOut,
        })),
      );
    },
  },
  {
    name: 'core-centers',
    titleJa: '基幹相談支援センター一覧',
    parameters: ['asOf', 'prefecture'],
    description: 'Core centers (基幹相談支援センター) active on a date (?asOf=, default today), of the prefectures the caller may read: one row each.',
    columns: [
      'as_of',
      'id',
      'prefecture_code',
      'name',
      'setup',
      'setup_label',
      'municipality_codes',
      'operation',
      'operation_label',
      'operator_name',
      'established_on',
      'closed_on',
      'functions',
      'function_labels',
      'staff_total',
      'also_functions_as_base',
      'sample',
    ],
    async produce({ asOf, prefecture }, run, emit) {
      await eachPage(
        run,
        `query($filter: CoreCenterFilter, $after: String) { page: coreCenters(filter: $filter, first: 500, after: $after) {
          pageInfo { hasNextPage endCursor }
          nodes { id prefecture { code } name setup setupLabel municipalities { code } operation operationLabel operatorName
            establishedOn closedOn functions functionLabels staff { total } alsoFunctionsAsBase provenance { sample } } } }`,
        { filter: { activeOn: asOf ?? todayInJapan(), ...(prefecture ? { prefectureCodes: [prefecture] } : {}) } },
        (nodes) =>
          emit(
            nodes.map((c: any) => ({
              id: c.id,
              prefecture_code: c.prefecture.code,
              name: c.name,
              setup: c.setup,
              setup_label: c.setupLabel,
              municipality_codes: c.municipalities.map((m: any) => m.code).join(';'),
              operation: c.operation,
              operation_label: c.operationLabel,
              operator_name: c.operatorName,
              established_on: c.establishedOn,
              closed_on: c.closedOn,
              functions: c.functions.join(';'),
              function_labels: c.functionLabels.join(';'),
              staff_total: c.staff.total,
              also_functions_as_base: c.alsoFunctionsAsBase,
              sample: c.provenance.sample,
            })),
          ),
      );
    },
  },
  {
    name: 'bases',
    titleJa: '地域生活支援拠点等一覧',
    parameters: ['asOf', 'prefecture'],
    description: 'Community life support bases (地域生活支援拠点等) active on a date (?asOf=, default today), of the prefectures the caller may read.',
    columns: [
      'as_of',
      'id',
      'prefecture_code',
      'name',
      'model',
      'model_label',
      'municipality_codes',
      'established_on',
      'closed_on',
      'provided_functions',
      'provided_function_labels',
      'missing_function_labels',
      'coordinators',
      'last_review_on',
      'review_overdue',
      'sample',
    ],
    async produce({ asOf, prefecture }, run, emit) {
      const date = asOf ?? todayInJapan();
      await eachPage(
        run,
        `query($filter: BaseFilter, $after: String, $asOf: LocalDate) { page: bases(filter: $filter, first: 500, after: $after) {
          pageInfo { hasNextPage endCursor }
          nodes { id prefecture { code } name model modelLabel municipalities { code } establishedOn closedOn providedFunctions
            providedFunctionLabels missingFunctionLabels coordinatorCount(asOf: $asOf) lastReviewOn(asOf: $asOf) reviewOverdue(asOf: $asOf)
            provenance { sample } } } }`,
        { filter: { activeOn: date, ...(prefecture ? { prefectureCodes: [prefecture] } : {}) }, asOf: date },
        (nodes) =>
          emit(
            nodes.map((b: any) => ({
              id: b.id,
              prefecture_code: b.prefecture.code,
              name: b.name,
              model: b.model,
              model_label: b.modelLabel,
              municipality_codes: b.municipalities.map((m: any) => m.code).join(';'),
              established_on: b.establishedOn,
              closed_on: b.closedOn,
              provided_functions: b.providedFunctions.join(';'),
              provided_function_labels: b.providedFunctionLabels.join(';'),
              missing_function_labels: b.missingFunctionLabels.join(';'),
              coordinators: b.coordinatorCount,
              last_review_on: b.lastReviewOn,
              review_overdue: b.reviewOverdue,
              sample: b.provenance.sample,
            })),
          ),
      );
    },
  },
  {
    name: 'worklist',
    titleJa: '訪問優先リスト',
    parameters: ['asOf', 'prefecture'],
    description:
      'The advisor worklist (訪問優先リスト) on a date (?asOf=, default today) of the prefectures the caller may read (?prefecture=01 for one), most urgent first: one row per municipality.',
    columns: [
      'as_of',
      'prefecture_code',
      'municipality_code',
      'name',
      'population',
      'priority',
      'reasons',
      'reason_labels',
      'last_visit_date',
      'days_since_last_visit',
      'overdue_follow_ups',
    ],
    async produce({ asOf, prefecture, readable }, run, emit) {
      const selection = `code onDate(asOf: $asOf) { advisorWorklist { priority reasons reasonLabels daysSinceLastVisit municipality { code name population }
          lastVisit { date } overdueFollowUps { id } } }`;
      for (const p of await readablePrefectureRows(run, { prefecture, readable }, '$asOf: LocalDate!', selection, { asOf: asOf ?? todayInJapan() })) {
        emit(
          (p.onDate.advisorWorklist ?? []).map((w: any) => ({
            prefecture_code: p.code,
            municipality_code: w.municipality.code,
            name: w.municipality.name,
            population: w.municipality.population,
            priority: w.priority,
            reasons: w.reasons.join(';'),
            reason_labels: w.reasonLabels.join(';'),
            last_visit_date: w.lastVisit?.date,
            days_since_last_visit: w.daysSinceLastVisit,
            overdue_follow_ups: w.overdueFollowUps.length,
          })),
        );
      }
    },
  },
  {
    name: 'notes-reads',
    titleJa: 'メモの閲覧記録',
    parameters: ['prefecture', 'fiscalYear', 'asOf'],
    description:
      "Who read the notes of one prefecture's visits (?prefecture=01), newest first (要配慮個人情報の閲覧記録): the reads of one fiscal year with ?fiscalYear=2025, up to ?asOf= when given. For the prefecture's staff and admins; the notes themselves are never exported.",
    columns: ['as_of', 'read_at', 'reader', 'reader_name', 'read_request_id', 'visit_id', 'visit_date', 'municipality_codes'],
    async produce({ asOf, prefecture: asked, fiscalYear, readable }, run, emit) {
      const prefecture = onePrefecture('notes-reads', 'メモの閲覧記録', asked, readable);
      const { since, until } = periodOf(fiscalYear, asOf);
      if (since && until && until < since) return; // asOf before the year: none of its reads yet
      await eachPage(
        run,
        `query($code: ID!, $after: String, $since: LocalDate, $until: LocalDate) { prefecture(code: $code) { page: notesReads(first: 500, after: $after, since: $since, until: $until) {
          pageInfo { hasNextPage endCursor } nodes { readAt reader readerAdvisor { name } requestId visit { id date municipalities { code } } }
        } } }`,
        { code: prefecture, since, until },
        (nodes) =>
          emit(
            nodes.map((r: any) => ({
              read_at: timeInJapan(r.readAt),
              reader: r.reader,
              reader_name: r.readerAdvisor?.name,
              read_request_id: r.requestId,
              visit_id: r.visit.id,
              visit_date: r.visit.date,
              municipality_codes: r.visit.municipalities.map((m: any) => m.code).join(';'),
            })),
          ),
        (data) => data.prefecture.page,
      );
    },
  },
];

/** The days a fiscal year's rows fall on (all of them without one), up to `asOf` when it is given and earlier. */
function periodOf(fiscalYear: number | null, asOf: string | null): { since: string | null; until: string | null } {
  const year = fiscalYear === null ? null : fiscalYearRange(fiscalYear);
  return { since: year?.from ?? null, until: year && asOf ? (asOf < year.to ? asOf : year.to) : (year?.to ?? asOf) };
}

const fiscalYearNeeded = (name: string) =>
  badUserInput('fiscalYear', `the ${name} export needs ?fiscalYear=2025 (the year it starts in)`, {
    reasonJa: `${name} の出力には ?fiscalYear=2025（年度の始まる年、2025 = 令和7年度）が必要です`,
  });

/** `?lang=`: en (English column keys, the default) or ja (Japanese column names); BAD_USER_INPUT otherwise. Exports and import downloads take it. */
export function languageParameter(lang: string | undefined): 'en' | 'ja' {
  if (lang === undefined || lang === 'en' || lang === 'ja') return lang ?? 'en';
  throw badUserInput('lang', 'must be en (English column keys) or ja (Japanese column names)', {
    value: lang.slice(0, 100),
    reasonJa: 'en（英語の列名）か ja（日本語の列名）を指定してください',
  });
}

interface ExportParameters {
  lang: 'en' | 'ja';
  asOf: string | null;
  prefecture: string | null;
  fiscalYear: number | null;
  /** The fiscal year's last day counted (31 March, or today while it is in progress). */
  fiscalYearAsOf: string | null;
}

/**
 * An export's query parameters, checked as the API checks the same arguments (the same messages). One
 * it does not take is refused, not ignored: `?prefectureCode=01` would otherwise export the whole country,
 * and `?fiscalYear=2025` on an export of a date the figures of today.
 */
function exportParameters(query: Request['query'], spec: CsvExport): ExportParameters {
  const given = routeParameters(Object.entries(query), [...spec.parameters, 'lang'], { en: `${spec.name} exports`, ja: `${spec.name} の出力` });
  // An empty parameter (`?asOf=`, as a spreadsheet's blank cell fills a URL) is no parameter.
  const text = Object.fromEntries([...given].filter(([, value]) => value !== '')) as Partial<Record<ExportParameter | 'lang', string>>;
  const lang = languageParameter(text.lang);
  // A date as staff write it in a URL or a Power BI parameter (2025/4/1, 令和7年4月1日), as imports read one.
  let asOf: string | undefined;
  if (text.asOf !== undefined) {
    const read = readSpreadsheetDate(text.asOf);
    if ('reason' in read) {
      throw badUserInput('asOf', 'must be a date of the calendar such as 2025-04-01, 2025/4/1, 令和7年4月1日 or R7.4.1', {
        value: text.asOf.slice(0, 100),
        reasonJa: '実在する日付を 2025-04-01、2025/4/1、令和7年4月1日、R7.4.1 のように指定してください',
      });
    }
    asOf = read.date;
    const asOfProblem = queryDateProblem(asOf, 'asOf');
    if (asOfProblem) throw asOfProblem;
  }
  // A prefecture as staff write it: 01, 1, or its name (北海道, 東京).
  const prefecture = text.prefecture === undefined ? undefined : prefectureParameter(text.prefecture, 'prefecture');
  // A year not begun is refused as the API refuses it: nothing of it can be counted yet.
  const period = text.fiscalYear === undefined ? null : countedPeriod(fiscalYearParameter(text.fiscalYear));
  return { lang, asOf: asOf ?? null, prefecture: prefecture ?? null, fiscalYear: period?.fiscalYear ?? null, fiscalYearAsOf: period?.to ?? null };
}

/** Runs a paged list query (its connection aliased `page`, found by `pageOf`) to the end, handing each page's nodes on. */
async function eachPage(
  run: Run,
  query: string,
  variables: Record<string, unknown>,
  handle: (nodes: any[]) => void,
  pageOf: (data: Record<string, any>) => any = (data) => data.page,
): Promise<void> {
  let after: string | null = null;
  do {
    const page: any = pageOf(await run(query, { ...variables, after }));
    handle(page.nodes);
    after = page.pageInfo.hasNextPage ? page.pageInfo.endCursor : null;
  } while (after);
}

/**
 * The one prefecture an export of one prefecture is of: the one asked for, or else the caller's own when it reads
 * only one (a prefecture's staff, advisors and API keys need not name it); admins and analysts name it.
 */
function onePrefecture(exportName: string, exportNameJa: string, asked: string | null, readable: string[] | null): string {
  if (asked) return asked;
  if (readable?.length === 1) return readable[0];
  throw badUserInput('prefecture', `the ${exportName} export is of one prefecture: give ?prefecture=01..47`, {
    reasonJa: `${exportNameJa}の出力は都道府県ごとです。?prefecture=01〜47 を指定してください`,
  });
}

/**
 * `selection` on each prefecture the caller may read (one for a prefecture-bound role, all for the
 * others) or on the one asked for; `declarations` declare the variables `selection` uses.
 */
async function readablePrefectureRows(
  run: Run,
  { prefecture, readable }: { prefecture: string | null; readable: string[] | null },
  declarations: string,
  selection: string,
  variables: Record<string, unknown>,
): Promise<any[]> {
  const wanted = prefecture ? [prefecture] : readable;
  const declared = (...more: string[]) => {
    const all = [declarations, ...more].filter(Boolean);
    return all.length > 0 ? `(${all.join(', ')})` : '';
  };
  if (!wanted) return (await run(`query${declared()} { prefectures { ${selection} } }`, variables)).prefectures;
  return Promise.all(
    wanted.map(async (code) => (await run(`query${declared('$code: ID!')} { prefecture(code: $code) { ${selection} } }`, { ...variables, code })).prefecture),
  );
}

/** Columns named like dates (`established_on`, `last_visit_date`, `as_of`) hold YYYY-MM-DD: date cells in a workbook. */
const DATE_COLUMN = /(^|_)(on|date|as_of)$/;

/** An export's columns for a workbook: key, Japanese name, date or not. */
function sheetColumns(columns: readonly string[]): SheetColumn[] {
  return columns.map((key) => ({ key, ja: japaneseColumnName(key) ?? key, date: DATE_COLUMN.test(key) }));
}

/** Mounts `GET /export/<name>.csv` (`?lang=ja` for Japanese column names) and `GET /export/<name>.xlsx` for every export. */
export function mountExports(
  app: Express,
  apollo: ApolloServer<GatewayContext>,
  options: {
    admitted: CallerOf;
    /** Each caller's points a minute: an export is charged `exportCost` once, before its first row (gateway/rate-limit.ts). */
    budgets: CallerBudgets;
    exportCost: number;
  },
  log: Logger,
): void {
  const { admitted, budgets, exportCost } = options;
  // The list of exports, for a person or a BI tool that starts from /export: the same for everyone, nothing read.
  app.get(['/export', '/export/'], (_req: Request, res: Response) => {
    res.json({
      exports: EXPORTS.map(({ name, titleJa, description, parameters }) => ({
        name,
        titleJa,
        description,
        parameters: [...parameters, 'lang'],
        files: [`/export/${name}.csv`, `/export/${name}.xlsx`],
      })),
    });
  });
  app.get('/export/:file', async (req: Request, res: Response) => {
    const [, name, format] = /^(.*?)(?:\.(csv|xlsx))?$/.exec(String(req.params.file))!;
    const spec = EXPORTS.find((e) => e.name === name);
    if (!spec || !format) {
      const available = EXPORTS.map((e) => `${e.name}.csv, ${e.name}.xlsx`).join(', ');
      refusal(
        res,
        ErrorCode.NOT_FOUND,
        `no export named ${req.params.file}; available: ${available}`,
        `出力 ${req.params.file} はありません（一覧: ${available}）`,
        {
          field: 'file',
          value: String(req.params.file).slice(0, 100),
        },
      );
      return;
    }
    let parameters: ExportParameters;
    try {
      parameters = exportParameters(req.query, spec);
    } catch (error) {
      if (!refusedFor(res, error)) throw error;
      return;
    }
    const { lang, asOf, prefecture, fiscalYear, fiscalYearAsOf } = parameters;
    const requestId = requestIdOf(req);
    let contextValue: GatewayContext;
    try {
      const caller = await admitted(req);
      if (caller.allowedOperations && !caller.allowedOperations.includes(`${name}.csv`)) {
        refusedFor(res, forbidden(`this API key may not run the ${name}.csv export`, `このAPIキーでは ${name}.csv を出力できません`));
        return;
      }
      // The export's own operations are the export: the key's list was checked on its file name.
      contextValue = {
        requestId,
        viewer: caller.viewer,
        allowedOperations: null,
        exporting: name,
        clientAddress: clientAddressOf(req),
        answerSources: newAnswerSources(req.headers['cache-control']),
        fetches: [],
      };
      contextAnswers(contextValue, req); // the export's operations describe its request in the log
    } catch (error) {
      // Refused at sign-in (a bad token 401, a departed advisor 403, the registry unavailable 503), in the sign-in's own words.
      if (!refusedFor(res, error)) throw error;
      return;
    }
    if (contextValue.viewer.role === null) {
      // No credentials at all: 401 (with WWW-Authenticate, shared/http.ts), as imports answer; a role that may not is 403.
      refusedFor(
        res,
        unauthenticated(
          'sign in to export records (a bearer token or an API key); anonymous callers see reference data only',
          'サインインしてください（トークンまたはAPIキー。サインインしない場合は参照データだけを読めます）',
        ),
      );
      return;
    }
    try {
      // Another prefecture's records: the API's own refusal, in the same words as its queries.
      if (prefecture) assertCanReadPrefecture(contextValue.viewer, prefecture);
    } catch (error) {
      if (refusedFor(res, error)) return;
      throw error;
    }
    // Every file says the day its figures are as of: the date asked for (default today), for a fiscal year
    // the end of that year or today when it has not ended.
    const asOfColumn = asOf ?? fiscalYearAsOf ?? todayInJapan();
    const readable = readablePrefectures(contextValue.viewer);
    // A prefecture-bound caller's file is of its own prefecture without ?prefecture=, and is named so.
    const filePrefecture = prefecture ?? (spec.parameters.includes('prefecture') && readable?.length === 1 ? readable[0] : null);
    // Set with the first row: a refusal before it is JSON, and must not be saved under the file's name.
    const fileHeaders = () =>
      res.type(format === 'xlsx' ? 'application/vnd.openxmlformats-officedocument.spreadsheetml.sheet' : 'text/csv; charset=utf-8').setHeader(
        'content-disposition',
        attachmentDisposition({
          name,
          nameJa: lang === 'ja' ? spec.titleJa : undefined,
          parts: [filePrefecture, fiscalYear === null ? null : `FY${fiscalYear}`, asOfColumn],
          format,
        }),
      );
    // HEAD (a link checker, a download manager asking the name): the file's headers, checked as for GET, nothing read.
    if (req.method === 'HEAD') {
      fileHeaders().status(200).end();
      return;
    }
    // One heavy operation, whatever its pages: refused here, the caller gets a clean 429 rather than a cut file.
    const charged = await budgets.charge(contextValue.viewer, contextValue.clientAddress, exportCost);
    if (charged) for (const [header, value] of rateLimitHeaders(charged)) res.setHeader(header, value);
    if (charged && !charged.allowed) {
      refusedFor(res, budgets.refusal(charged));
      return;
    }
    let left = false;
    res.once('close', () => (left = !res.writableFinished));
    const run: Run = async (query, variables) => {
      // Before each page: no faster than the caller reads (a slow one would have the file piled up here, a
      // national visit log some 100 MB), and not at all once the caller has gone (a cancelled refresh).
      if (!left && res.writableNeedDrain) await drainedOrClosed(res);
      if (left) throw new CallerLeft();
      const response = await apollo.executeOperation({ query, variables }, { contextValue });
      const result = response.body.kind === 'single' ? response.body.singleResult : undefined;
      if (!result || result.errors?.length) {
        // The first error's code decides the answer (a FORBIDDEN stays 403), with the status and headers GraphQL
        // gave it (a heavy operation refused while others run: 429, Retry-After); every message is kept.
        const [first] = result?.errors ?? [];
        throw new GraphQLError(result?.errors?.map((e) => e.message).join('; ') ?? 'unexpected response', {
          extensions: { ...first?.extensions, http: { status: response.http.status }, retryAfter: response.http.headers.get('retry-after') },
        });
      }
      return result.data as Record<string, any>;
    };
    const { columns } = spec;
    let started = false;
    let sheet: ReturnType<typeof xlsxWriter> | undefined;
    const emit = (rows: Row[]) => {
      if (!started) {
        fileHeaders().status(200);
        if (format === 'xlsx') sheet = xlsxWriter(res, name, sheetColumns(columns));
        else {
          const header = lang === 'ja' ? columns.map((c) => csvCell(japaneseColumnName(c) ?? c)) : columns;
          res.write(`\uFEFF${header.join(',')}\r\n`);
        }
        started = true;
      }
      for (const row of rows) row.as_of ??= asOfColumn;
      if (sheet) for (const row of rows) sheet.add(row);
      else for (const row of rows) res.write(`${columns.map((c) => csvCell(row[c])).join(',')}\r\n`);
    };
    try {
      await spec.produce({ asOf, prefecture, fiscalYear, readable, freeText: readsFreeText(contextValue.viewer) }, run, emit);
      if (!started) emit([]);
      if (sheet) await sheet.end();
      else res.end();
    } catch (error) {
      if (error instanceof CallerLeft) {
        log.info({ requestId, export: name }, 'export stopped: its caller left');
        return;
      }
      // Before the first row: a clean error; after it, the truncated file must not look complete.
      const refused = !started && refusedFor(res, error);
      if (refused) return;
      log.error({ requestId, export: name, err: error }, 'export failed'); // the server's fault: the operator is told
      if (started) res.destroy(error as Error);
      else refusal(res, ErrorCode.INTERNAL_SERVER_ERROR, 'the export failed on the server', 'サーバーで出力に失敗しました');
    }
  });
}

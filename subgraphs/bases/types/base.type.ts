import { Directive, Field, Float, ID, Int, ObjectType } from 'type-graphql';
import { ErasureRecord } from '../../../shared/erasure';
import { LocalDateScalar } from '../../../shared/scalars';
import { Provenance } from '../../../shared/provenance';
import type { StoredBase, StoredCoordinator, StoredParticipant, StoredReview, StoredTextErasure } from '../data/base.store';
import { BaseFunction, BaseGapKind, BaseModel, CoordinatorFunding, OrganizationKind } from '../rules';
import { CommunityLifeService, FUNCTION_LABELS, FUNDING_LABELS, MODEL_LABELS, ORGANIZATION_KIND_LABELS, SERVICE_LABELS } from './enums';
import { Municipality, Prefecture } from './federated.type';

@ObjectType({ description: 'An organization taking part in one function of a base (参加事業所・機関).' })
export class BaseParticipant {
  @Field(() => ID, { description: "The participant's id (UUID)." })
  id!: string;

  @Field({ description: 'Name (名称).' })
  organizationName!: string;

  @Field(() => OrganizationKind, { description: 'What kind of organisation it is (事業所の種別).' })
  organizationKind!: OrganizationKind;

  @Field({ description: 'The kind in Japanese (e.g. 相談支援事業所).' })
  organizationKindLabel!: string;
}

@ObjectType({ description: 'One of the five functions: whether the base provides it, and who takes part.' })
export class BaseFunctionStatus {
  @Field(() => BaseFunction, { description: 'One of the five functions of a base (機能).' })
  function!: BaseFunction;

  @Field({ description: 'Japanese name of the function, e.g. 緊急時の受け入れ・対応.' })
  label!: string;

  @Field({ description: 'False when the base lacks this function (機能なし).' })
  provided!: boolean;

  @Field(() => [BaseParticipant], { description: 'The organisations taking part in this function (参画事業所等).' })
  participants!: BaseParticipant[];
}

@ObjectType({ description: 'Base coordinators (拠点コーディネーター) assigned for a period.' })
export class BaseCoordinator {
  @Field(() => ID, { description: "The assignment's id (UUID)." })
  id!: string;

  @Field(() => Int, { description: 'How many coordinators (人数).' })
  count!: number;

  @Field(() => CoordinatorFunding, { description: 'How the coordinator is funded (配置の財源).' })
  funding!: CoordinatorFunding;

  @Field({ description: 'Japanese name of the funding, e.g. 地域生活支援拠点等機能強化加算.' })
  fundingLabel!: string;

  @Field({ description: 'The organization they work for (配置先).' })
  hostOrganization!: string;

  @Field(() => LocalDateScalar, { description: 'First day of the assignment.' })
  startedOn!: string;

  @Field(() => LocalDateScalar, { description: 'Last day of the assignment; null while it continues.', nullable: true })
  endedOn!: string | null;
}

@ObjectType({ description: 'An annual operational review (運用状況の検証・検討, 年1回以上).' })
export class BaseReview {
  @Field(() => ID, { description: "The review's id (UUID)." })
  id!: string;

  @Field(() => LocalDateScalar, { description: 'Date of the review (検証・検討の実施日).' })
  reviewedOn!: string;

  /** Read through BaseReviewResolver.summary (free text: the prefecture's own staff and advisors only). */
  summary!: string;

  /** The base's prefecture, for the summary's read rule (not a GraphQL field). */
  prefectureCode!: string;
}

@ObjectType({
  description:
    "One erasure of the earlier versions of a base's free texts (以前の記述の消去: its reviews' summaries before they were replaced): who erased them, when, why, and how many history entries held them.",
})
export class BaseTextErasure extends ErasureRecord {}

export const toTextErasure = ({ baseId: _baseId, ...erasure }: StoredTextErasure): BaseTextErasure => erasure;

@Directive('@key(fields: "id")')
@ObjectType({ description: 'A community life support base (地域生活支援拠点等, 障害者総合支援法 §77(3)).' })
export class Base {
  @Field(() => ID, { description: "The base's id (UUID)." })
  id!: string;

  @Field({ description: 'Name (名称).' })
  name!: string;

  @Field(() => Prefecture, { description: 'The prefecture it belongs to.' })
  prefecture!: Prefecture;

  @Field(() => BaseModel, { description: 'How it is organised (整備類型): MULTI_FUNCTION, AREA_NETWORK or a combination.' })
  model!: BaseModel;

  @Field({ description: 'Japanese name of the model, e.g. 面的整備型.' })
  modelLabel!: string;

  @Field(() => [Municipality], { description: 'The municipalities it covers: one, or several for a joint base.' })
  municipalities!: Municipality[];

  @Field(() => LocalDateScalar, { description: 'Date it started (整備日).' })
  establishedOn!: string;

  @Field(() => LocalDateScalar, { nullable: true, description: 'Date it closed; from this date on it no longer counts.' })
  closedOn!: string | null;

  @Field(() => [BaseFunction], { description: 'The functions it provides.' })
  providedFunctions!: BaseFunction[];

  @Field(() => [String], { description: 'The functions it provides, in Japanese (e.g. 相談, 緊急時の受け入れ・対応).' })
  providedFunctionLabels!: string[];

  @Field(() => [BaseFunction], { description: "The functions it lacks (an advisor's talking point)." })
  missingFunctions!: BaseFunction[];

  @Field(() => [String], { description: 'The functions it lacks, in Japanese.' })
  missingFunctionLabels!: string[];

  @Field(() => Int, { description: 'People pre-registered for emergencies (緊急時の事前登録者数).' })
  emergencyPreregistrations!: number;

  @Field(() => Provenance, { description: 'Where the record comes from (出典), its date, and whether it is sample data.' })
  provenance!: Provenance;

  @Field(() => Int, { description: 'Version for optimistic concurrency: pass it to updates and closes.' })
  version!: number;
}

export function toBase(b: StoredBase): Base {
  return {
    id: b.id,
    name: b.name,
    prefecture: { code: b.prefectureCode },
    model: b.model,
    modelLabel: MODEL_LABELS[b.model],
    municipalities: b.municipalityCodes.map((code) => ({ code })),
    establishedOn: b.establishedOn,
    closedOn: b.closedOn,
    providedFunctions: b.functions,
    providedFunctionLabels: b.functions.map((f) => FUNCTION_LABELS[f]),
    missingFunctions: Object.values(BaseFunction).filter((f) => !b.functions.includes(f)),
    missingFunctionLabels: Object.values(BaseFunction)
      .filter((f) => !b.functions.includes(f))
      .map((f) => FUNCTION_LABELS[f]),
    emergencyPreregistrations: b.emergencyPreregistrations,
    provenance: { sourceName: b.sourceName, asOf: b.sourceAsOf, sample: b.sample },
    version: b.version,
  };
}

export function functionStatuses(base: Base, participants: StoredParticipant[]): BaseFunctionStatus[] {
  return Object.values(BaseFunction).map((f) => ({
    function: f,
    label: FUNCTION_LABELS[f],
    provided: base.providedFunctions.includes(f),
    participants: participants
      .filter((p) => p.function === f)
      .map((p) => ({
        id: p.id,
        organizationName: p.organizationName,
        organizationKind: p.organizationKind,
        organizationKindLabel: ORGANIZATION_KIND_LABELS[p.organizationKind],
      })),
  }));
}

export const toCoordinator = (c: StoredCoordinator): BaseCoordinator => ({
  id: c.id,
  count: c.count,
  funding: c.funding,
  fundingLabel: FUNDING_LABELS[c.funding],
  hostOrganization: c.hostOrganization,
  startedOn: c.startedOn,
  endedOn: c.endedOn,
});

export const toReview = (r: StoredReview, prefectureCode: string): BaseReview => ({ id: r.id, reviewedOn: r.reviewedOn, summary: r.summary, prefectureCode });

@ObjectType({ description: 'A municipality with base gaps on a date, and which gaps apply.' })
export class BaseGap {
  @Field(() => Municipality, { description: 'The municipality with the gaps.' })
  municipality!: Municipality;

  @Field(() => [BaseGapKind], { description: 'Which base gaps apply to it on the date.' })
  gaps!: BaseGapKind[];

  @Field(() => [String], { description: 'The gaps in Japanese, in the same order (e.g. 拠点コーディネーター未配置).' })
  gapLabels!: string[];

  @Field(() => [BaseFunction], { description: 'The functions none of its bases provides (all five when it has no base).' })
  missingFunctions!: BaseFunction[];

  @Field(() => [String], { description: 'The missing functions in Japanese, in the same order (e.g. 相談).' })
  missingFunctionLabels!: string[];
}

@ObjectType({ description: 'Offices of one community-life service in a fiscal year: designated, and those that billed.' })
export class ServiceFigure {
  @Field(() => CommunityLifeService, { description: 'The service (地域移行支援・地域定着支援・自立生活援助).' })
  service!: CommunityLifeService;

  @Field({ description: 'Japanese name, e.g. 地域移行支援.' })
  serviceLabel!: string;

  @Field(() => Int, { description: 'Fiscal year (年度), e.g. 2024 for 令和6年度.' })
  fiscalYear!: number;

  @Field(() => Int, { description: 'Designated offices (実指定事業所数).' })
  designatedOffices!: number;

  @Field(() => Int, { description: 'Offices that billed at least once in the year (実算定事業所数).' })
  billingOffices!: number;

  @Field(() => Float, { nullable: true, description: 'billingOffices ÷ designatedOffices in percent, two decimals; null when none is designated.' })
  billingRatePercent!: number | null;
}

export function toServiceFigure(row: { service: string; fiscalYear: number; designated: number; billing: number }): ServiceFigure {
  const service = row.service as CommunityLifeService;
  return {
    service,
    serviceLabel: SERVICE_LABELS[service],
    fiscalYear: row.fiscalYear,
    designatedOffices: row.designated,
    billingOffices: row.billing,
    billingRatePercent: row.designated === 0 ? null : Math.round((row.billing / row.designated) * 10_000) / 100,
  };
}

/** In the order of the source table: 地域移行支援, 地域定着支援, 自立生活援助. */
export function byService(figures: ServiceFigure[]): ServiceFigure[] {
  const order = Object.values(CommunityLifeService);
  return [...figures].sort((a, b) => order.indexOf(a.service) - order.indexOf(b.service));
}

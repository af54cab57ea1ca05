import { Directive, Field, ID, Int, ObjectType } from 'type-graphql';
import { Provenance } from '../../../shared/provenance';
import { LocalDateScalar } from '../../../shared/scalars';
import type { StoredCoreCenter } from '../data/core-center.store';
import { CoreCenterFunction, CoreCenterOperation, CoreCenterSetup } from '../rules';
import { FUNCTION_LABELS, OPERATION_LABELS, SETUP_LABELS } from './enums';
import { Municipality, Prefecture } from './federated.type';

@ObjectType({ description: 'Staff of a core center by qualification (職員配置, 人数).' })
export class CoreCenterStaff {
  @Field(() => Int, { description: 'Chief consultation specialists (主任相談支援専門員).' })
  chiefSpecialists!: number;

  @Field(() => Int, { description: 'Consultation specialists (相談支援専門員).' })
  specialists!: number;

  @Field(() => Int, { description: 'Certified social workers (社会福祉士).' })
  socialWorkers!: number;

  @Field(() => Int, { description: 'Psychiatric social workers (精神保健福祉士).' })
  psychiatricSocialWorkers!: number;

  @Field(() => Int, { description: 'Public health nurses (保健師).' })
  publicHealthNurses!: number;

  @Field(() => Int, { description: 'Other staff (その他).' })
  otherStaff!: number;

  @Field(() => Int, { description: 'All staff together.' })
  total!: number;
}

@Directive('@key(fields: "id")')
@ObjectType({ description: 'A core consultation support center (基幹相談支援センター, 障害者総合支援法 §77-2).' })
export class CoreCenter {
  @Field(() => ID, { description: "The center's id (UUID)." })
  id!: string;

  @Field({ description: 'Name (名称).' })
  name!: string;

  @Field(() => Prefecture, { description: 'The prefecture of the municipalities it covers.' })
  prefecture!: Prefecture;

  @Field(() => CoreCenterSetup, { description: 'Single (単独) or joint (共同) setup.' })
  setup!: CoreCenterSetup;

  @Field({ description: 'Japanese label of the setup, e.g. 共同設置.' })
  setupLabel!: string;

  @Field(() => [Municipality], { description: 'The municipalities it covers (担当区域): one if SINGLE, two or more if JOINT.' })
  municipalities!: Municipality[];

  @Field(() => CoreCenterOperation, { description: 'Direct (直営) or outsourced (委託) operation.' })
  operation!: CoreCenterOperation;

  @Field({ description: 'Japanese label of the operation, e.g. 委託.' })
  operationLabel!: string;

  @Field(() => String, { nullable: true, description: 'The operator it is outsourced to (委託先); null when run directly.' })
  operatorName!: string | null;

  @Field(() => LocalDateScalar, { description: 'Date it started (設置日).' })
  establishedOn!: string;

  @Field(() => LocalDateScalar, { nullable: true, description: 'Date it closed (廃止日); from this date on it no longer counts.' })
  closedOn!: string | null;

  @Field(() => [CoreCenterFunction], { description: 'Which of the four functions of §77-2 it performs.' })
  functions!: CoreCenterFunction[];

  @Field(() => [String], { description: 'The functions it performs, in Japanese (e.g. 総合的・専門的な相談支援).' })
  functionLabels!: string[];

  @Field(() => [CoreCenterFunction], { description: "Which of the four functions it does not perform (an advisor's talking point)." })
  missingFunctions!: CoreCenterFunction[];

  @Field(() => [String], { description: 'The functions it does not perform, in Japanese.' })
  missingFunctionLabels!: string[];

  @Field(() => CoreCenterStaff, { description: 'Staff by profession (職員配置).' })
  staff!: CoreCenterStaff;

  @Field({ description: 'Also functions as a community life support base (地域生活支援拠点等の機能を有する).' })
  alsoFunctionsAsBase!: boolean;

  @Field({ description: 'Runs the municipal abuse-prevention center (虐待防止センターを受託).' })
  runsAbusePreventionCenter!: boolean;

  @Field({ description: 'Has a coordinator for children needing medical care (医療的ケア児等コーディネーター).' })
  hasMedicalCareChildCoordinator!: boolean;

  @Field(() => Provenance, { description: 'Where the record comes from (出典), its date, and whether it is sample data.' })
  provenance!: Provenance;

  @Field(() => Int, { description: 'Version for optimistic concurrency: pass it to updates and closes.' })
  version!: number;
}

export function toCoreCenter(c: StoredCoreCenter): CoreCenter {
  const staff = {
    chiefSpecialists: c.chiefSpecialists,
    specialists: c.specialists,
    socialWorkers: c.socialWorkers,
    psychiatricSocialWorkers: c.psychiatricSocialWorkers,
    publicHealthNurses: c.publicHealthNurses,
    otherStaff: c.otherStaff,
  };
  return {
    id: c.id,
    name: c.name,
    prefecture: { code: c.prefectureCode },
    setup: c.setup,
    setupLabel: SETUP_LABELS[c.setup],
    municipalities: c.municipalityCodes.map((code) => ({ code })),
    operation: c.operation,
    operationLabel: OPERATION_LABELS[c.operation],
    operatorName: c.operatorName,
    establishedOn: c.establishedOn,
    closedOn: c.closedOn,
    functions: c.functions,
    functionLabels: c.functions.map((f) => FUNCTION_LABELS[f]),
    missingFunctions: Object.values(CoreCenterFunction).filter((f) => !c.functions.includes(f)),
    missingFunctionLabels: Object.values(CoreCenterFunction)
      .filter((f) => !c.functions.includes(f))
      .map((f) => FUNCTION_LABELS[f]),
    staff: { ...staff, total: Object.values(staff).reduce((a, b) => a + b, 0) },
    alsoFunctionsAsBase: c.alsoFunctionsAsBase,
    runsAbusePreventionCenter: c.runsAbusePreventionCenter,
    hasMedicalCareChildCoordinator: c.hasMedicalCareChildCoordinator,
    provenance: { sourceName: c.sourceName, asOf: c.sourceAsOf, sample: c.sample },
    version: c.version,
  };
}

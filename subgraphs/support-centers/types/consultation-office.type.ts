import { Directive, Field, ID, Int, ObjectType } from 'type-graphql';
import { PageInfo } from '../../../shared/pagination';
import { Provenance } from '../../../shared/provenance';
import type { StoredOffice } from '../data/core-center.store';
import { DESIGNATION_LABELS, FEE_TIER_LABELS, FeeTier, OfficeDesignation } from './enums';
import { Municipality } from './federated.type';

@Directive('@key(fields: "id")')
@ObjectType({ description: 'A consultation support office (相談支援事業所).' })
export class ConsultationOffice {
  @Field(() => ID, { description: "The office's id (UUID)." })
  id!: string;

  @Field({ description: 'Name (事業所名).' })
  name!: string;

  @Field(() => Municipality, { description: 'The municipality it is located in (所在市町村).' })
  municipality!: Municipality;

  @Field(() => [OfficeDesignation], { description: 'Its designations (指定の種類).' })
  designations!: OfficeDesignation[];

  @Field(() => [String], { description: 'The designations in Japanese, in the same order (e.g. 指定特定相談支援).' })
  designationLabels!: string[];

  @Field(() => FeeTier, { description: 'Enhanced-function fee tier (機能強化型), or NONE.' })
  feeTier!: FeeTier;

  @Field({ description: 'The fee tier in Japanese (e.g. 機能強化型Ⅰ, 機能強化型なし).' })
  feeTierLabel!: string;

  @Field(() => Int, { description: 'Chief consultation specialists (主任相談支援専門員).' })
  chiefSpecialists!: number;

  @Field(() => Int, { description: 'Consultation specialists (相談支援専門員), chief ones included.' })
  specialists!: number;

  @Field({ description: 'Contracted for the municipal consultation program (障害者相談支援事業の委託).' })
  contractedForMunicipalProgram!: boolean;

  @Field({ description: 'Works under a collaborative arrangement with other offices (協働体制).' })
  collaborativeArrangement!: boolean;

  @Field(() => Provenance, { description: 'Where the record comes from (出典), its date, and whether it is sample data.' })
  provenance!: Provenance;
}

export function toConsultationOffice(o: StoredOffice): ConsultationOffice {
  return {
    id: o.id,
    name: o.name,
    municipality: { code: o.municipalityCode },
    designations: o.designations as OfficeDesignation[],
    designationLabels: o.designations.map((d) => DESIGNATION_LABELS[d as OfficeDesignation]),
    feeTier: o.feeTier as FeeTier,
    feeTierLabel: FEE_TIER_LABELS[o.feeTier as FeeTier],
    chiefSpecialists: o.chiefSpecialists,
    specialists: o.specialists,
    contractedForMunicipalProgram: o.contractedForMunicipalProgram,
    collaborativeArrangement: o.collaborativeArrangement,
    provenance: { sourceName: o.sourceName, asOf: o.sourceAsOf, sample: o.sample },
  };
}

@ObjectType({ description: 'A consultation office in a page, with its cursor.' })
export class ConsultationOfficeEdge {
  @Field({ description: 'Cursor of this office: pass it as `after` to read on from it.' })
  cursor!: string;

  @Field(() => ConsultationOffice, { description: 'The office.' })
  node!: ConsultationOffice;
}

@ObjectType({ description: 'A page of consultation offices (Relay connection), in name order.' })
export class ConsultationOfficeConnection {
  @Field(() => [ConsultationOfficeEdge], { description: "The page's offices with their cursors." })
  edges!: ConsultationOfficeEdge[];

  @Field(() => [ConsultationOffice], { description: "The page's offices." })
  nodes!: ConsultationOffice[];

  @Field(() => PageInfo, { description: 'Whether there is a next page, and the cursor to ask for it.' })
  pageInfo!: PageInfo;

  /** For the lazily counted `totalCount`; not GraphQL fields. */
  municipalityCode!: string;
}

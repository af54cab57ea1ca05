import { Directive, Field, ID, ObjectType } from 'type-graphql';
import { LocalDateScalar } from '../../../shared/scalars';
import type { StoredAdvisor } from '../data/dispatch.store';
import { Prefecture } from './federated.type';

@Directive('@key(fields: "id")')
@ObjectType({ description: 'A prefectural advisor (相談支援体制整備アドバイザー).' })
export class Advisor {
  @Field(() => ID)
  id!: string;

  @Field(() => Prefecture)
  prefecture!: Prefecture;

  @Field({ description: 'Name (氏名).' })
  name!: string;

  @Field({ description: 'Affiliation (所属).' })
  affiliation!: string;

  @Field(() => [String], { description: 'Qualifications (資格), e.g. 主任相談支援専門員, 社会福祉士.' })
  qualifications!: string[];

  @Field(() => LocalDateScalar)
  activeFrom!: string;

  @Field(() => LocalDateScalar, { nullable: true })
  activeUntil!: string | null;
}

export const toAdvisor = (a: StoredAdvisor): Advisor => ({
  id: a.id,
  prefecture: { code: a.prefectureCode },
  name: a.name,
  affiliation: a.affiliation,
  qualifications: a.qualifications,
  activeFrom: a.activeFrom,
  activeUntil: a.activeUntil,
});

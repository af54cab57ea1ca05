import { Directive, Field, ID, Int, ObjectType } from 'type-graphql';
import { LocalDateScalar } from '../../../shared/scalars';
import type { StoredAdvisor } from '../data/dispatch.store';
import { Prefecture } from './federated.type';

@Directive('@key(fields: "id")')
@ObjectType({ description: 'A prefectural advisor (相談支援体制整備アドバイザー).' })
export class Advisor {
  @Field(() => ID, { description: "The advisor's id (UUID)." })
  id!: string;

  @Field(() => Prefecture, { description: 'The prefecture whose advisor this is (所属都道府県).' })
  prefecture!: Prefecture;

  @Field({ description: 'Name (氏名).' })
  name!: string;

  @Field({ description: 'Affiliation (所属).' })
  affiliation!: string;

  @Field(() => [String], { description: 'Qualifications (資格), e.g. 主任相談支援専門員, 社会福祉士.' })
  qualifications!: string[];

  @Field(() => LocalDateScalar, { description: 'First day of the assignment (委嘱開始日).' })
  activeFrom!: string;

  @Field(() => LocalDateScalar, { nullable: true, description: 'The last day of the assignment (委嘱終了日), included; null while active.' })
  activeUntil!: string | null;

  @Field({ description: 'True for the generated sample advisors.' })
  sample!: boolean;

  @Field(() => Int, { description: 'Version for optimistic concurrency: pass it to updateAdvisor and the other changes.' })
  version!: number;

  /** Read through a field resolver that checks who asks (a sign-in identifier). */
  subject!: string | null;
}

export const toAdvisor = (a: StoredAdvisor): Advisor => ({
  id: a.id,
  prefecture: { code: a.prefectureCode },
  name: a.name,
  affiliation: a.affiliation,
  qualifications: a.qualifications,
  activeFrom: a.activeFrom,
  activeUntil: a.activeUntil,
  sample: a.sample,
  version: a.version,
  subject: a.subject,
});

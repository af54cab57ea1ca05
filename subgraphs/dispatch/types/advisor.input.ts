import { Field, ID, InputType } from 'type-graphql';
import { LocalDateScalar } from '../../../shared/scalars';

@InputType({ description: 'An advisor to register (アドバイザーの登録): prefectural staff of the prefecture, or an admin.' })
export class CreateAdvisorInput {
  @Field(() => ID, { description: 'Prefecture the advisor works for ("01".."47").' })
  prefectureCode!: string;

  @Field({ description: 'Name (氏名).' })
  name!: string;

  @Field({ defaultValue: '', description: 'Affiliation (所属), e.g. a core center or a consultation office.' })
  affiliation!: string;

  @Field(() => [String], { defaultValue: [], description: 'Qualifications (資格), e.g. 主任相談支援専門員, 社会福祉士.' })
  qualifications!: string[];

  @Field(() => LocalDateScalar, { description: 'First day of the assignment (委嘱開始日).' })
  activeFrom!: string;

  @Field(() => LocalDateScalar, { nullable: true, description: 'The day the assignment ended (委嘱終了日); empty while active.' })
  activeUntil?: string | null;

  @Field(() => String, { nullable: true, description: "The sign-in subject (the token's `sub`) to link at once; unique across advisors." })
  subject?: string | null;
}

@InputType({ description: "Changes to an advisor's record; omitted fields keep their values." })
export class UpdateAdvisorInput {
  @Field(() => String, { nullable: true, description: 'Name (氏名).' })
  name?: string | null;

  @Field(() => String, { nullable: true, description: 'Affiliation (所属).' })
  affiliation?: string | null;

  @Field(() => [String], { nullable: true, description: 'Qualifications (資格).' })
  qualifications?: string[] | null;

  @Field(() => LocalDateScalar, { nullable: true, description: 'First day of the assignment (委嘱開始日).' })
  activeFrom?: string | null;
}

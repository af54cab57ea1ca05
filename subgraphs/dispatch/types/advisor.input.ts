import { Field, ID, InputType, Int } from 'type-graphql';
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

  @Field(() => LocalDateScalar, { nullable: true, description: 'The last day of the assignment (委嘱終了日), included; empty while active.' })
  activeUntil?: string | null;

  @Field(() => String, { nullable: true, description: "The sign-in subject (the token's `sub`) to link at once; unique across advisors." })
  subject?: string | null;
}

@InputType({ description: "Changes to an advisor's record; omitted fields keep their values." })
export class UpdateAdvisorInput {
  @Field(() => ID, { nullable: true, description: "The advisor's id." })
  id?: string | null;

  @Field(() => Int, { nullable: true, description: 'The version you last read; a stale one is CONFLICT.' })
  version?: number | null;

  @Field(() => String, { nullable: true, description: 'Name (氏名).' })
  name?: string | null;

  @Field(() => String, { nullable: true, description: 'Affiliation (所属).' })
  affiliation?: string | null;

  @Field(() => [String], { nullable: true, description: 'Qualifications (資格).' })
  qualifications?: string[] | null;

  @Field(() => LocalDateScalar, { nullable: true, description: 'First day of the assignment (委嘱開始日).' })
  activeFrom?: string | null;
}

@InputType({ description: "The end of an advisor's assignment (委嘱終了)." })
export class DeactivateAdvisorInput {
  @Field(() => ID, { description: "The advisor's id." })
  id!: string;

  @Field(() => Int, { description: 'The version you last read; a stale one is CONFLICT.' })
  version!: number;

  @Field(() => LocalDateScalar, {
    description: 'The last day of the assignment (委嘱終了日, YYYY-MM-DD), included; from the next day the advisor cannot be named on visits or sign in.',
  })
  activeUntil!: string;
}

@InputType({ description: 'A sign-in subject to link to an advisor.' })
export class LinkAdvisorSubjectInput {
  @Field(() => ID, { description: "The advisor's id." })
  id!: string;

  @Field(() => Int, { description: 'The version you last read; a stale one is CONFLICT.' })
  version!: number;

  @Field({ description: "The sign-in subject (the token's `sub`) to link; one advisor per subject." })
  subject!: string;
}

@InputType({ description: 'An advisor whose sign-in subject is to be unlinked.' })
export class UnlinkAdvisorSubjectInput {
  @Field(() => ID, { description: "The advisor's id." })
  id!: string;

  @Field(() => Int, { description: 'The version you last read; a stale one is CONFLICT.' })
  version!: number;
}

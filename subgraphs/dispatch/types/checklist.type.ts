import { Field, ID, Int, ObjectType } from 'type-graphql';
import { LocalDateScalar } from '../../../shared/scalars';
import { AssessmentResult } from '../rules';
import { Municipality } from './federated.type';

@ObjectType({ description: 'One check item of a template (チェック項目).' })
export class ChecklistItem {
  @Field(() => ID)
  itemId!: string;

  @Field()
  section!: string;

  @Field()
  text!: string;
}

@ObjectType({ description: 'A checklist template, e.g. the council-guideline self-check (セルフチェック).' })
export class ChecklistTemplate {
  @Field(() => ID)
  id!: string;

  @Field()
  name!: string;

  @Field({ description: 'Where the items come from (出典).' })
  source!: string;
}

@ObjectType({ description: 'The result of one item in an assessment.' })
export class AssessmentItemResult {
  @Field(() => ID)
  itemId!: string;

  @Field(() => AssessmentResult)
  result!: AssessmentResult;

  @Field(() => String, { nullable: true, description: 'Comment (free text); null for analysts.' })
  comment!: string | null;
}

@ObjectType({ description: 'A checklist assessment of a municipality on a date.' })
export class Assessment {
  @Field(() => ID)
  id!: string;

  @Field(() => ID)
  templateId!: string;

  @Field(() => Municipality)
  municipality!: Municipality;

  @Field(() => LocalDateScalar)
  assessedOn!: string;

  @Field(() => [AssessmentItemResult])
  results!: AssessmentItemResult[];

  @Field(() => Int, { description: 'Items met.' })
  metCount!: number;

  @Field(() => Int, { description: 'Items partly met.' })
  partlyCount!: number;

  @Field(() => Int, { description: 'Items not met.' })
  notMetCount!: number;
}

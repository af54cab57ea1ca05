import { Field, ID, Int, ObjectType } from 'type-graphql';
import { ErasureRecord } from '../../../shared/erasure';
import { LocalDateScalar } from '../../../shared/scalars';
import type { StoredAssessmentTextErasure } from '../data/dispatch.store';
import { AssessmentResult } from '../rules';
import { Municipality } from './federated.type';

@ObjectType({ description: 'One check item of a template (チェック項目).' })
export class ChecklistItem {
  @Field(() => ID, { description: 'The item\'s id within its checklist, e.g. "3".' })
  itemId!: string;

  @Field({ description: 'The section of the guideline it belongs to.' })
  section!: string;

  @Field({ description: 'The check item as printed in the guideline.' })
  text!: string;
}

@ObjectType({ description: 'A checklist template, e.g. the council-guideline self-check (セルフチェック).' })
export class ChecklistTemplate {
  @Field(() => ID, { description: "The checklist's id, e.g. council-guideline-2025." })
  id!: string;

  @Field({ description: "The checklist's name, e.g. 協議会の設置・運営ガイドライン セルフチェック." })
  name!: string;

  @Field({ description: 'Where the items come from (出典).' })
  source!: string;
}

@ObjectType({ description: 'The result of one item in an assessment.' })
export class AssessmentItemResult {
  @Field(() => ID, { description: 'The checklist item (ChecklistItem.itemId).' })
  itemId!: string;

  @Field(() => AssessmentResult, { description: 'MET, PARTLY or NOT_MET.' })
  result!: AssessmentResult;

  @Field({ description: 'The result in Japanese: できている, 一部できている or できていない.' })
  resultLabel!: string;

  @Field(() => String, { nullable: true, description: 'Comment (free text); null for analysts and API keys.' })
  comment!: string | null;
}

@ObjectType({
  description:
    "One erasure of the earlier versions of a self-check's comments (以前の記述の消去: comments a corrected sheet replaced): who erased them, when, why, and how many history entries held them.",
})
export class AssessmentTextErasure extends ErasureRecord {}

export const toAssessmentTextErasure = ({ assessmentId: _assessmentId, ...erasure }: StoredAssessmentTextErasure): AssessmentTextErasure => erasure;

@ObjectType({ description: 'A checklist assessment of a municipality on a date.' })
export class Assessment {
  @Field(() => ID, { description: "The assessment's id (UUID)." })
  id!: string;

  @Field(() => ID, { description: 'The checklist it answers, e.g. council-guideline-2025.' })
  templateId!: string;

  @Field(() => Municipality, { description: 'The municipality assessed (自己点検した市町村).' })
  municipality!: Municipality;

  @Field(() => LocalDateScalar, { description: 'Date of the self-check (実施日).' })
  assessedOn!: string;

  @Field(() => [AssessmentItemResult], { description: "The answer to each item of the checklist, in the checklist's order." })
  results!: AssessmentItemResult[];

  @Field(() => Int, { description: 'Items met.' })
  metCount!: number;

  @Field(() => Int, { description: 'Items partly met.' })
  partlyCount!: number;

  @Field(() => Int, { description: 'Items not met.' })
  notMetCount!: number;
}

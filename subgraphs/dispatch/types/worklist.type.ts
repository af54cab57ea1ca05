import { Field, InputType, Int, ObjectType } from 'type-graphql';
import { MunicipalityGap } from '../../../shared/gaps';
import { LocalDateScalar } from '../../../shared/scalars';
import { Municipality } from './federated.type';
import { FollowUp } from './follow-up.type';
import { Visit } from './visit.type';

@InputType({ description: 'Which municipalities the worklist shows.' })
export class WorklistFilter {
  @Field(() => Int, { description: 'Only municipalities with at least this many residents.', nullable: true })
  populationAtLeast?: number;

  @Field(() => Int, { nullable: true, description: 'e.g. 10000 for the small municipalities.' })
  populationBelow?: number;

  @Field(() => [MunicipalityGap], { nullable: true, description: 'Only municipalities with at least one of these gaps.' })
  gaps?: MunicipalityGap[];

  @Field(() => LocalDateScalar, { nullable: true, description: 'Only municipalities not visited on or after this date.' })
  notVisitedSince?: string;
}

@ObjectType({ description: 'A municipality on the advisor worklist, with the reasons it is there.' })
export class WorklistItem {
  @Field(() => Municipality, { description: 'The municipality.' })
  municipality!: Municipality;

  @Field(() => [MunicipalityGap], { description: 'Every gap that applies, from all subgraphs.' })
  reasons!: MunicipalityGap[];

  @Field(() => [String], { description: 'The reasons in Japanese, in the same order, e.g. 基幹相談支援センター未設置.' })
  reasonLabels!: string[];

  @Field(() => Int, { description: 'Higher first; the rule is in the description of advisorWorklist.' })
  priority!: number;

  @Field(() => Visit, { description: 'Its most recent visit; null when never visited.', nullable: true })
  lastVisit!: Visit | null;

  @Field(() => Int, { nullable: true, description: 'Days since the last visit; null if never visited.' })
  daysSinceLastVisit!: number | null;

  @Field(() => [FollowUp], { description: 'Open follow-ups past their due date.' })
  overdueFollowUps!: FollowUp[];
}

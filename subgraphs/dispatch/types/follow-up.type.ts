import { Field, ID, Int, ObjectType } from 'type-graphql';
import { LocalDateScalar } from '../../../shared/scalars';
import type { StoredFollowUp } from '../data/dispatch.store';
import { FollowUpStatus } from '../rules';
import { FOLLOW_UP_STATUS_LABELS, FollowUpOwnerKind, OWNER_KIND_LABELS } from './enums';
import { Municipality } from './federated.type';

@ObjectType({ description: 'Something agreed on a visit, with an owner and a due date (フォローアップ).' })
export class FollowUp {
  @Field(() => ID, { description: "The follow-up's id (UUID)." })
  id!: string;

  @Field(() => Municipality, { description: 'The municipality it is about.' })
  municipality!: Municipality;

  /** description and dropReason are read through field resolvers that check who asks. */
  description!: string;

  @Field(() => FollowUpOwnerKind, { description: 'Who is to do it: the municipality or an advisor.' })
  ownerKind!: FollowUpOwnerKind;

  @Field({ description: 'Who is to do it, in Japanese: 市町村 or アドバイザー.' })
  ownerKindLabel!: string;

  /** For the ownerAdvisor field resolver. */
  ownerAdvisorId!: string | null;

  @Field(() => LocalDateScalar, { description: 'Date it is due (期限).' })
  dueOn!: string;

  @Field(() => FollowUpStatus, { description: 'OPEN, DONE or DROPPED.' })
  status!: FollowUpStatus;

  @Field({ description: 'The status in Japanese: 対応中, 完了 or 取りやめ.' })
  statusLabel!: string;

  @Field(() => LocalDateScalar, { description: 'Date it was done; null unless DONE.', nullable: true })
  completedOn!: string | null;

  dropReason!: string | null;

  @Field(() => Int, { description: 'Version for optimistic concurrency: pass it to completeFollowUp and dropFollowUp.' })
  version!: number;

  /** For the visit field resolver. */
  visitId!: string;
}

export const toFollowUp = (f: StoredFollowUp): FollowUp => ({
  id: f.id,
  visitId: f.visitId,
  municipality: { code: f.municipalityCode },
  description: f.description,
  ownerKind: f.ownerKind as FollowUpOwnerKind,
  ownerKindLabel: OWNER_KIND_LABELS[f.ownerKind as FollowUpOwnerKind],
  ownerAdvisorId: f.ownerAdvisorId,
  dueOn: f.dueOn,
  status: f.status,
  statusLabel: FOLLOW_UP_STATUS_LABELS[f.status],
  completedOn: f.completedOn,
  dropReason: f.dropReason,
  version: f.version,
});

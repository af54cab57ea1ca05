import { REQUEST_STATUS_LABELS } from './enums';
import { Field, ID, Int, ObjectType } from 'type-graphql';
import { LocalDateScalar } from '../../../shared/scalars';
import type { StoredRequest } from '../data/dispatch.store';
import { RequestStatus } from '../rules';
import { Municipality } from './federated.type';

@ObjectType({ description: 'A request a municipality raised to the prefecture (要望).' })
export class MunicipalRequest {
  @Field(() => ID, { description: "The request's id (UUID)." })
  id!: string;

  @Field(() => Municipality, { description: 'The municipality that raised it.' })
  municipality!: Municipality;

  /** summary and response are read through field resolvers that check who asks. */
  summary!: string;

  @Field(() => RequestStatus, { description: 'RECEIVED, IN_PROGRESS, ANSWERED or CLOSED.' })
  status!: RequestStatus;

  @Field({ description: 'The status in Japanese: 受付, 対応中, 回答済 or 終了.' })
  statusLabel!: string;

  response!: string | null;

  @Field(() => LocalDateScalar, { description: 'Date it was raised (受付日).' })
  raisedOn!: string;

  @Field(() => Int, { description: 'Version for optimistic concurrency: pass it to updateRequest.' })
  version!: number;

  /** The visit it was raised on, if any. */
  visitId!: string | null;
}

export const toRequest = (r: StoredRequest): MunicipalRequest => ({
  id: r.id,
  municipality: { code: r.municipalityCode },
  summary: r.summary,
  status: r.status,
  statusLabel: REQUEST_STATUS_LABELS[r.status],
  response: r.response,
  raisedOn: r.raisedOn,
  version: r.version,
  visitId: r.visitId,
});

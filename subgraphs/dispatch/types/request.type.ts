import { Field, ID, Int, ObjectType } from 'type-graphql';
import { LocalDateScalar } from '../../../shared/scalars';
import type { StoredRequest } from '../data/dispatch.store';
import { RequestStatus } from '../rules';
import { Municipality } from './federated.type';

@ObjectType({ description: 'A request a municipality raised to the prefecture (要望).' })
export class MunicipalRequest {
  @Field(() => ID)
  id!: string;

  @Field(() => Municipality)
  municipality!: Municipality;

  /** summary and response are read through field resolvers that check who asks. */
  summary!: string;

  @Field(() => RequestStatus)
  status!: RequestStatus;

  response!: string | null;

  @Field(() => LocalDateScalar)
  raisedOn!: string;

  @Field(() => Int)
  version!: number;

  /** The visit it was raised on, if any. */
  visitId!: string | null;
}

export const toRequest = (r: StoredRequest): MunicipalRequest => ({
  id: r.id,
  municipality: { code: r.municipalityCode },
  summary: r.summary,
  status: r.status,
  response: r.response,
  raisedOn: r.raisedOn,
  version: r.version,
  visitId: r.visitId,
});

import { Field, ID, ObjectType } from 'type-graphql';
import type { Role } from '../../../shared/context';
import { RoleEnum } from './enums';

@ObjectType({ description: 'Who the gateway says is asking (閲覧者), from the verified bearer token.' })
export class Viewer {
  @Field({ description: 'True when the request carried no token.' })
  anonymous!: boolean;

  @Field(() => ID, { nullable: true, description: "The token's subject (sub)." })
  subject!: string | null;

  @Field(() => RoleEnum, { description: 'The role of the token: ADVISOR, PREFECTURE_STAFF, ANALYST or ADMIN; null when anonymous.', nullable: true })
  role!: Role | null;

  /** For the `prefecture` field resolver. */
  prefectureCode!: string | null;
}

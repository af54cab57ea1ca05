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

  @Field(() => String, { nullable: true, description: 'The role in Japanese, e.g. 都道府県職員; null when anonymous.' })
  roleLabel!: string | null;

  @Field(() => ID, { nullable: true, description: 'The API key the request was made with (its id), when a machine asks; null otherwise.' })
  apiKeyId!: string | null;

  /** For the `prefecture` field resolver. */
  prefectureCode!: string | null;
}

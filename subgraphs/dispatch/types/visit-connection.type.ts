import { Field, ObjectType } from 'type-graphql';
import { PageInfo } from '../../../shared/pagination';
import { Visit } from './visit.type';

@ObjectType({ description: 'A visit in a page, with its cursor.' })
export class VisitEdge {
  @Field()
  cursor!: string;

  @Field(() => Visit)
  node!: Visit;
}

@ObjectType({ description: 'A page of visits, newest first (Relay connection).' })
export class VisitConnection {
  @Field(() => [VisitEdge])
  edges!: VisitEdge[];

  @Field(() => [Visit])
  nodes!: Visit[];

  @Field(() => PageInfo)
  pageInfo!: PageInfo;

  /** For the lazily counted `totalCount`: whose visits, and the filter; not GraphQL fields. */
  countKey!: string;
  scope!: 'municipality' | 'prefecture' | 'advisor';
}

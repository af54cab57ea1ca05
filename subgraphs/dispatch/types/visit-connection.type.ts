import { Field, ObjectType } from 'type-graphql';
import { PageInfo } from '../../../shared/pagination';
import { Visit } from './visit.type';

@ObjectType({ description: 'A visit in a page, with its cursor.' })
export class VisitEdge {
  @Field({ description: 'Cursor of this visit: pass it as `after` to read on from it.' })
  cursor!: string;

  @Field(() => Visit, { description: 'The visit.' })
  node!: Visit;
}

@ObjectType({ description: 'A page of visits, newest first (Relay connection).' })
export class VisitConnection {
  @Field(() => [VisitEdge], { description: "The page's visits with their cursors." })
  edges!: VisitEdge[];

  @Field(() => [Visit], { description: "The page's visits." })
  nodes!: Visit[];

  @Field(() => PageInfo, { description: 'Whether there is a next page, and the cursor to ask for it.' })
  pageInfo!: PageInfo;

  /** For the lazily counted `totalCount`: whose visits, and the filter; not GraphQL fields. */
  countKey!: string;
  scope!: 'municipality' | 'prefecture' | 'advisor';
}

import { Field, ObjectType } from 'type-graphql';
import { PageInfo } from '../../../shared/pagination';
import type { CoreCenterCriteria } from '../data/core-center.store';
import { CoreCenter } from './core-center.type';

@ObjectType({ description: 'A core center in a page, with its cursor.' })
export class CoreCenterEdge {
  @Field()
  cursor!: string;

  @Field(() => CoreCenter)
  node!: CoreCenter;
}

@ObjectType({ description: 'A page of core centers (Relay connection).' })
export class CoreCenterConnection {
  @Field(() => [CoreCenterEdge])
  edges!: CoreCenterEdge[];

  @Field(() => [CoreCenter])
  nodes!: CoreCenter[];

  @Field(() => PageInfo)
  pageInfo!: PageInfo;

  /** For the lazily counted `totalCount`; not a GraphQL field. */
  criteria!: CoreCenterCriteria;
}

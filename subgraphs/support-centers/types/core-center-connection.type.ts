import { Field, ObjectType } from 'type-graphql';
import { PageInfo } from '../../../shared/pagination';
import type { CoreCenterCriteria } from '../data/core-center.store';
import { CoreCenter } from './core-center.type';

@ObjectType({ description: 'A core center in a page, with its cursor.' })
export class CoreCenterEdge {
  @Field({ description: 'Cursor of this center: pass it as `after` to read on from it.' })
  cursor!: string;

  @Field(() => CoreCenter, { description: 'The center.' })
  node!: CoreCenter;
}

@ObjectType({ description: 'A page of core centers (Relay connection).' })
export class CoreCenterConnection {
  @Field(() => [CoreCenterEdge], { description: "The page's centers with their cursors." })
  edges!: CoreCenterEdge[];

  @Field(() => [CoreCenter], { description: "The page's centers." })
  nodes!: CoreCenter[];

  @Field(() => PageInfo, { description: 'Whether there is a next page, and the cursor to ask for it.' })
  pageInfo!: PageInfo;

  /** For the lazily counted `totalCount`; not a GraphQL field. */
  criteria!: CoreCenterCriteria;
}

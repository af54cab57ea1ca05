import { Field, ObjectType } from 'type-graphql';
import { PageInfo } from '../../../shared/pagination';
import type { BaseCriteria } from '../data/base.store';
import { Base } from './base.type';

@ObjectType({ description: 'A base in a page, with its cursor.' })
export class BaseEdge {
  @Field({ description: 'Cursor of this base: pass it as `after` to read on from it.' })
  cursor!: string;

  @Field(() => Base, { description: 'The base.' })
  node!: Base;
}

@ObjectType({ description: 'A page of bases (Relay connection).' })
export class BaseConnection {
  @Field(() => [BaseEdge], { description: "The page's bases with their cursors." })
  edges!: BaseEdge[];

  @Field(() => [Base], { description: "The page's bases." })
  nodes!: Base[];

  @Field(() => PageInfo, { description: 'Whether there is a next page, and the cursor to ask for it.' })
  pageInfo!: PageInfo;

  /** For the lazily counted `totalCount`; not a GraphQL field. */
  criteria!: BaseCriteria;
}

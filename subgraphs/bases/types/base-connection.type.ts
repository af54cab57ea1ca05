import { Field, ObjectType } from 'type-graphql';
import { PageInfo } from '../../../shared/pagination';
import type { BaseCriteria } from '../data/base.store';
import { Base } from './base.type';

@ObjectType({ description: 'A base in a page, with its cursor.' })
export class BaseEdge {
  @Field()
  cursor!: string;

  @Field(() => Base)
  node!: Base;
}

@ObjectType({ description: 'A page of bases (Relay connection).' })
export class BaseConnection {
  @Field(() => [BaseEdge])
  edges!: BaseEdge[];

  @Field(() => [Base])
  nodes!: Base[];

  @Field(() => PageInfo)
  pageInfo!: PageInfo;

  /** For the lazily counted `totalCount`; not a GraphQL field. */
  criteria!: BaseCriteria;
}

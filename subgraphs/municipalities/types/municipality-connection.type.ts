import { Directive, Field, ObjectType } from 'type-graphql';
import { REFERENCE_DATA_HINT } from '../../../shared/cache-control';
import { PageInfo } from '../../../shared/pagination';
import type { MunicipalityCriteria } from '../data/municipality.store';
import { Municipality } from './municipality.type';

@Directive(REFERENCE_DATA_HINT)
@ObjectType({ description: 'A municipality in a page of results, with its cursor.' })
export class MunicipalityEdge {
  @Field({ description: 'Opaque cursor; pass it as `after` to continue after this item.' })
  cursor!: string;

  @Field(() => Municipality, { description: 'The municipality.' })
  node!: Municipality;
}

@Directive(REFERENCE_DATA_HINT)
@ObjectType({ description: 'A page of municipalities (Relay connection).' })
export class MunicipalityConnection {
  @Field(() => [MunicipalityEdge], { description: "The page's municipalities with their cursors." })
  edges!: MunicipalityEdge[];

  @Field(() => [Municipality], { description: 'The same items as `edges`, without cursors.' })
  nodes!: Municipality[];

  @Field(() => PageInfo, { description: 'Whether there is a next page, and the cursor to ask for it.' })
  pageInfo!: PageInfo;

  /** The filter, for the lazily computed `totalCount`; not a GraphQL field. */
  criteria!: MunicipalityCriteria;
}

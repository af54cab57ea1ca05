import { Directive, Field, ID, ObjectType } from 'type-graphql';
import { REFERENCE_DATA_HINT } from '../../../shared/cache-control';
import { REGIONS, type Region } from '../../../shared/reference/prefectures';
import type { StoredPrefecture } from '../data/municipality.store';
import { RegionEnum } from './enums';

@Directive('@key(fields: "code")')
@Directive(REFERENCE_DATA_HINT)
@ObjectType({ description: 'A prefecture (都道府県). Owned by the municipalities subgraph; other subgraphs add fields.' })
export class Prefecture {
  @Field(() => ID, { description: 'Prefecture code (都道府県コード, JIS X 0401), "01" to "47".' })
  code!: string;

  @Field(() => ID, {
    description: 'The same as `code`, under the name caches look for (Apollo Client normalises entities by `__typename` and `id` without configuration).',
  })
  id!: string;

  @Field({ description: 'Name (名称), e.g. 北海道.' })
  name!: string;

  @Field({ description: 'Reading in hiragana (よみがな), e.g. ほっかいどう.' })
  kana!: string;

  @Field(() => RegionEnum, { description: 'Region in the eight-region division (地方区分).' })
  region!: Region;

  @Field({ description: 'Japanese name of the region, e.g. 北海道地方.' })
  regionLabel!: string;
}

export function toPrefecture(row: StoredPrefecture): Prefecture {
  const region = row.region as Region;
  return { id: row.code, code: row.code, name: row.name, kana: row.kana, region, regionLabel: REGIONS[region] };
}

import { Directive, Field, ID, Int, ObjectType } from 'type-graphql';
import { REFERENCE_DATA_HINT } from '../../../shared/cache-control';
import { LocalDateScalar } from '../../../shared/scalars';
import { BRACKETS, KIND_LABELS, MunicipalityKind, PopulationBracket, SELF_PLAN_CLASS_LABELS, SelfPlanClass, populationBracket, selfPlanClass } from '../rules';
import type { StoredMunicipality } from '../data/municipality.store';

@Directive('@key(fields: "code")')
@Directive(REFERENCE_DATA_HINT)
@ObjectType({
  description:
    'A municipality (市区町村): city, special ward, town or village. Owned by the municipalities subgraph; ' +
    'other subgraphs add fields such as core-center coverage and visits.',
})
export class Municipality {
  @Field(() => ID, {
    description: 'Local government code (全国地方公共団体コード): six digits including the check digit, e.g. 011002.',
  })
  code!: string;

  @Field(() => ID, {
    description: 'The same as `code`, under the name caches look for (Apollo Client normalises entities by `__typename` and `id` without configuration).',
  })
  id!: string;

  /** Kept for the `prefecture` field resolver; not a GraphQL field. */
  prefectureCode!: string;

  @Field({ description: 'Name (名称) without the district (郡) prefix, e.g. 当別町.' })
  name!: string;

  @Field({ description: 'Reading in hiragana (よみがな), e.g. とうべつちょう.' })
  kana!: string;

  @Field(() => MunicipalityKind, { description: 'Kind (種別): designated city, core city, city, special ward, town, village.' })
  kind!: MunicipalityKind;

  @Field({ description: 'Japanese label of the kind, e.g. 政令指定都市.' })
  kindLabel!: string;

  @Field(() => Int, { description: 'Registered residents (住民基本台帳人口, 総計) on `populationAsOf`.' })
  population!: number;

  @Field(() => LocalDateScalar, { description: 'Date the population figure refers to (基準日).' })
  populationAsOf!: string;

  @Field({ description: 'Source of the population figure (出典), e.g. 住民基本台帳2025-01-01.' })
  populationSource!: string;

  @Field(() => PopulationBracket, { description: "MHLW's population bracket (人口規模, five bands)." })
  populationBracket!: PopulationBracket;

  @Field({ description: 'Japanese label of the bracket, e.g. 1万人未満.' })
  populationBracketLabel!: string;

  @Field(() => SelfPlanClass, {
    description: 'Class used when MHLW publishes self-plan rates (セルフプラン率の人口規模別区分, twelve classes).',
  })
  selfPlanClass!: SelfPlanClass;

  @Field({ description: 'Japanese label of the self-plan class, e.g. 町村（人口3千人未満）.' })
  selfPlanClassLabel!: string;
}

export function toMunicipality(row: StoredMunicipality): Municipality {
  const kind = row.kind as MunicipalityKind;
  const bracket = populationBracket(row.population);
  const planClass = selfPlanClass(kind, row.population);
  return {
    id: row.code,
    code: row.code,
    prefectureCode: row.prefectureCode,
    name: row.name,
    kana: row.kana,
    kind,
    kindLabel: KIND_LABELS[kind],
    population: row.population,
    populationAsOf: row.populationAsOf,
    populationSource: row.populationSource,
    populationBracket: bracket,
    populationBracketLabel: BRACKETS[bracket].label,
    selfPlanClass: planClass,
    selfPlanClassLabel: SELF_PLAN_CLASS_LABELS[planClass],
  };
}

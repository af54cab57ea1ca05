import { ArgsType, Field, ID, InputType, Int } from 'type-graphql';
import { assertMunicipalityCode, assertPrefectureCode } from '../../../shared/codes';
import { assertPopulationBelow } from '../../../shared/population-brackets';
import { badUserInput } from '../../../shared/errors';
import { DEFAULT_PAGE_SIZE, MAX_PAGE_SIZE } from '../../../shared/pagination';
import type { Region } from '../../../shared/reference/prefectures';
import { searchForms } from '../../../shared/text';
import { MunicipalityKind, PopulationBracket } from '../rules';
import type { MunicipalityCriteria, MunicipalityOrdering, MunicipalitySortField } from '../data/municipality.store';
import { MunicipalityOrderField, OrderDirection, RegionEnum } from './enums';

@InputType({ description: 'Conditions on municipalities; all given conditions must hold (AND).' })
export class MunicipalityFilter {
  @Field(() => [ID], { nullable: true, description: 'Only these municipality codes.' })
  codes?: string[];

  @Field(() => [ID], { nullable: true, description: 'Only municipalities in these prefectures ("01".."47").' })
  prefectureCodes?: string[];

  @Field(() => [RegionEnum], { nullable: true, description: 'Only municipalities in these regions (地方).' })
  regions?: Region[];

  @Field(() => [MunicipalityKind], { nullable: true, description: 'Only these kinds (種別).' })
  kinds?: MunicipalityKind[];

  @Field(() => [PopulationBracket], { nullable: true, description: 'Only these population brackets (人口規模).' })
  brackets?: PopulationBracket[];

  @Field(() => Int, { nullable: true, description: 'Population at least this (以上).' })
  populationAtLeast?: number;

  @Field(() => Int, { nullable: true, description: 'Population below this (未満), e.g. 10000.' })
  populationBelow?: number;

  @Field({
    nullable: true,
    description:
      'Text found anywhere in the name or the reading (検索語); katakana and full-width input are accepted, and a kanji’s variant forms (異体字: 鯵 and 鰺, 桧 and 檜) and ヶ and ケ are alike.',
  })
  text?: string;
}

@InputType({ description: 'Sort order of municipalities.' })
export class MunicipalityOrder {
  @Field(() => MunicipalityOrderField, { description: 'What to sort by.', defaultValue: MunicipalityOrderField.CODE })
  field!: MunicipalityOrderField;

  @Field(() => OrderDirection, { description: 'ASC (smallest first) or DESC.', defaultValue: OrderDirection.ASC })
  direction!: OrderDirection;
}

/** Validates a filter and turns it into store criteria; errors name the offending field. */
export function toCriteria(filter: MunicipalityFilter | undefined | null, argument = 'filter'): MunicipalityCriteria {
  if (!filter) return {};
  const criteria: MunicipalityCriteria = {};
  if (filter.codes) {
    criteria.codes = filter.codes.map((code, i) => assertMunicipalityCode(code, `${argument}.codes[${i}]`));
  }
  if (filter.prefectureCodes) {
    criteria.prefectureCodes = filter.prefectureCodes.map((code, i) => assertPrefectureCode(code, `${argument}.prefectureCodes[${i}]`));
  }
  if (filter.regions) criteria.regions = filter.regions;
  if (filter.kinds) criteria.kinds = filter.kinds;
  if (filter.brackets) criteria.brackets = filter.brackets;
  if (filter.populationAtLeast !== undefined && filter.populationAtLeast !== null) {
    if (filter.populationAtLeast < 0) {
      throw badUserInput(`${argument}.populationAtLeast`, 'must not be negative', {
        value: filter.populationAtLeast,
        reasonJa: '0以上の人口を指定してください',
      });
    }
    criteria.populationAtLeast = filter.populationAtLeast;
  }
  if (filter.populationBelow !== undefined && filter.populationBelow !== null) {
    assertPopulationBelow(filter.populationBelow, `${argument}.populationBelow`);
    if (criteria.populationAtLeast !== undefined && filter.populationBelow <= criteria.populationAtLeast) {
      throw badUserInput(`${argument}.populationBelow`, 'must be greater than populationAtLeast', {
        value: filter.populationBelow,
        reasonJa: `populationAtLeast（${criteria.populationAtLeast}）より大きい人口を指定してください`,
      });
    }
    criteria.populationBelow = filter.populationBelow;
  }
  if (filter.text !== undefined && filter.text !== null) {
    const text = searchForms(filter.text);
    // The search text is not quoted back: it may be anything the caller typed.
    if (text.name === '') throw badUserInput(`${argument}.text`, 'must not be blank', { reasonJa: '空白だけの検索語は使えません' });
    if (text.name.length > 100) {
      throw badUserInput(`${argument}.text`, 'must be at most 100 characters', {
        reasonJa: `検索語は100文字以内にしてください（${text.name.length}文字でした）`,
      });
    }
    criteria.text = text;
  }
  return criteria;
}

const SORT_FIELD: Record<MunicipalityOrderField, MunicipalitySortField> = {
  CODE: 'code',
  POPULATION: 'population',
  KANA: 'kana',
  NAME: 'name',
};

export function toOrdering(order: MunicipalityOrder | undefined | null): MunicipalityOrdering {
  return {
    field: SORT_FIELD[order?.field ?? MunicipalityOrderField.CODE],
    descending: order?.direction === OrderDirection.DESC,
  };
}

@ArgsType()
export class MunicipalitiesArgs {
  @Field(() => MunicipalityFilter, { nullable: true, description: 'Which municipalities: prefectures, regions, kinds, population range, name or reading.' })
  filter?: MunicipalityFilter;

  @Field(() => MunicipalityOrder, { nullable: true, description: 'Default: by code, ascending.' })
  orderBy?: MunicipalityOrder;

  @Field(() => Int, { nullable: true, description: `Page size, 0 to ${MAX_PAGE_SIZE} (default ${DEFAULT_PAGE_SIZE}).` })
  first?: number;

  @Field(() => String, { nullable: true, description: 'Cursor of the last item of the previous page.' })
  after?: string;
}

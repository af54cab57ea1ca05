/**
 * The naming and shape rules of the public API (docs/clients.md, "Conventions"), checked over the whole of
 * schema.graphql, so a new field or mutation that breaks one fails here rather than in a client:
 * one input object per mutation, named after it; instants are DateTime and dates LocalDate; codes are
 * named after what they are the code of; long root lists page, filter and sort alike; a coded value has its Japanese label.
 */
import { readFileSync } from 'node:fs';
import {
  type GraphQLField,
  type GraphQLInputField,
  type GraphQLObjectType,
  buildSchema,
  getNamedType,
  isEnumType,
  isInputObjectType,
  isInterfaceType,
  isNonNullType,
  isObjectType,
} from 'graphql';
import { projectPath } from '../../shared/paths';
import { BASE_FREE_TEXTS } from '../../subgraphs/bases/data/base.store';
import { FREE_TEXTS } from '../../subgraphs/dispatch/data/dispatch.store';

const schema = buildSchema(readFileSync(projectPath('schema.graphql'), 'utf8'));
const mutations = Object.values(schema.getMutationType()!.getFields());

/** Every field and input field with its coordinate, and every argument. */
function elements(): Array<{ coordinate: string; name: string; type: string; deprecated: boolean }> {
  const all: Array<{ coordinate: string; name: string; type: string; deprecated: boolean }> = [];
  for (const type of Object.values(schema.getTypeMap())) {
    if (type.name.startsWith('__') || !(isObjectType(type) || isInterfaceType(type) || isInputObjectType(type))) continue;
    for (const field of Object.values(type.getFields()) as Array<GraphQLField<unknown, unknown> | GraphQLInputField>) {
      const coordinate = `${type.name}.${field.name}`;
      all.push({ coordinate, name: field.name, type: getNamedType(field.type).name, deprecated: Boolean(field.deprecationReason) });
      for (const arg of 'args' in field ? field.args : []) {
        all.push({ coordinate: `${coordinate}(${arg.name})`, name: arg.name, type: getNamedType(arg.type).name, deprecated: Boolean(arg.deprecationReason) });
      }
    }
  }
  return all;
}

it('gives every mutation one input object named after it, beside only idempotencyKey (older arguments deprecated)', () => {
  const wrong = mutations.flatMap((m) => {
    const expected = `${m.name[0].toUpperCase()}${m.name.slice(1)}Input`;
    const input = m.args.find((a) => a.name === 'input');
    const problems: string[] = [];
    if (!input || getNamedType(input.type).name !== expected) problems.push(`${m.name}: input should be ${expected}`);
    for (const arg of m.args) if (!['input', 'idempotencyKey'].includes(arg.name) && !arg.deprecationReason) problems.push(`${m.name}(${arg.name})`);
    return problems;
  });
  expect(wrong).toEqual([]);
  expect(mutations.every((m) => m.args.some((a) => a.name === 'idempotencyKey'))).toBe(true);
});

it('types instants as DateTime (…At) and dates as LocalDate (…On, date, asOf, as of a day)', () => {
  const wrong = elements().filter(
    (e) =>
      (/At$/.test(e.name) && e.type !== 'DateTime') || ((/On$/.test(e.name) || ['date', 'asOf', 'since', 'until'].includes(e.name)) && e.type !== 'LocalDate'),
  );
  expect(wrong.map((e) => `${e.coordinate}: ${e.type}`)).toEqual([]);
});

it("names a code after what it is the code of: its own is code(s), another's prefectureCode(s) / municipalityCode(s)", () => {
  const wrong = elements().filter((e) => /code/i.test(e.name) && !/^(code|codes|prefectureCodes?|municipalityCodes?)$/.test(e.name));
  expect(wrong.map((e) => e.coordinate)).toEqual([]);
  // A bare `code` is the key of the type it belongs to or looks up, never another's.
  const bare = elements().filter((e) => e.name === 'code' && /\(code\)$/.test(e.coordinate));
  expect(bare.map((e) => e.coordinate).sort()).toEqual(['Query.municipality(code)', 'Query.prefecture(code)']);
});

it('pages, filters and sorts the long root lists alike: first, after, filter, orderBy', () => {
  const query = schema.getQueryType()!.getFields();
  const lists = Object.values(query).filter((f) => getNamedType(f.type).name.endsWith('Connection'));
  expect(lists.map((f) => f.name).sort()).toEqual(['bases', 'coreCenters', 'municipalities']);
  for (const list of lists) expect([list.name, list.args.map((a) => a.name).sort()]).toEqual([list.name, ['after', 'filter', 'first', 'orderBy']]);
});

it('makes every free-text output field nullable, so a reader not allowed gets null with FORBIDDEN (never the whole parent)', () => {
  const freeText = Object.values(schema.getTypeMap())
    .filter((type) => !type.name.startsWith('__') && (isObjectType(type) || isInterfaceType(type)))
    .flatMap((type) => Object.values((type as GraphQLObjectType).getFields()).map((field) => ({ coordinate: `${type.name}.${field.name}`, field })))
    .filter(({ field }) => /free text|要配慮/.test(field.description ?? ''));
  expect(freeText.map((f) => f.coordinate)).toEqual(
    expect.arrayContaining(['BaseReview.summary', 'Visit.notes', 'FollowUp.description', 'AssessmentItemResult.comment']),
  );
  expect(freeText.filter(({ field }) => isNonNullType(field.type)).map((f) => f.coordinate)).toEqual([]);
});

it("erases the earlier versions of every free text of a visit's and a base's records: each is one eraseEarlierVisitTexts or eraseEarlierBaseTexts reads", () => {
  const freeTextOf = (typeName: string) =>
    Object.values((schema.getType(typeName) as GraphQLObjectType).getFields())
      .filter((field) => getNamedType(field.type).name === 'String' && /free text|要配慮/.test(field.description ?? ''))
      .map((field) => field.name);
  expect(freeTextOf('Visit').length).toBeGreaterThanOrEqual(4);
  for (const [typeName, texts] of [
    ['Visit', FREE_TEXTS.visit],
    ['FollowUp', FREE_TEXTS.followUp],
    ['MunicipalRequest', FREE_TEXTS.request],
    ['AssessmentItemResult', FREE_TEXTS.assessmentResult], // eraseEarlierAssessmentTexts
    // eraseEarlierBaseTexts erases these: a base's other texts are names of organisations, not free text.
    ['BaseReview', BASE_FREE_TEXTS.review],
    ['Base', []],
    ['BaseCoordinator', []],
    ['BaseParticipant', []],
  ] as const) {
    expect([typeName, freeTextOf(typeName).filter((name) => !(texts as readonly string[]).includes(name))]).toEqual([typeName, []]);
  }
});

it('gives every coded value a Japanese label beside it: <field>Label(s), or the label of the object it is in', () => {
  // The worklist's gap kinds are the inputs of its @requires; the worklist gives them in Japanese (reasonLabels).
  const gapKinds = /GapKinds$/;
  const singular = (name: string) => name.replace(/ies$/, 'y').replace(/s$/, '');
  const unlabelled: string[] = [];
  for (const type of Object.values(schema.getTypeMap())) {
    if (type.name.startsWith('__') || !isObjectType(type)) continue;
    const fields = type.getFields();
    for (const field of Object.values(fields)) {
      if (!isEnumType(getNamedType(field.type)) || gapKinds.test(field.name)) continue;
      const labels = [`${field.name}Label`, `${singular(field.name)}Labels`, 'label'];
      if (!labels.some((name) => name in fields)) unlabelled.push(`${type.name}.${field.name}`);
    }
  }
  expect(unlabelled).toEqual([]);
});

it('names every enum value in Japanese too, in its description (単独設置, 未整備, …)', () => {
  const withoutJapanese: string[] = [];
  for (const type of Object.values(schema.getTypeMap())) {
    if (type.name.startsWith('__') || !isEnumType(type)) continue;
    for (const value of type.getValues())
      if (!/[\u3040-\u30ff\u4e00-\u9fff]/u.test(value.description ?? '')) withoutJapanese.push(`${type.name}.${value.name}`);
  }
  expect(withoutJapanese).toEqual([]);
});

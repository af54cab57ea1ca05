/** Cache hints: which subgraph answers may be reused, and for how long (shared/cache-control.ts). */
import { type GraphQLSchema, type OperationDefinitionNode, parse, validate } from 'graphql';
import { cacheControlHeader, cachePolicyOf, secondsUntilMidnightInJapan } from '../../shared/cache-control';
import { buildDispatchSchema } from '../../subgraphs/dispatch/schema';
import { buildMunicipalitiesSchema } from '../../subgraphs/municipalities/schema';

let municipalities: GraphQLSchema;
let dispatch: GraphQLSchema;
beforeAll(async () => {
  [municipalities, dispatch] = await Promise.all([buildMunicipalitiesSchema(), buildDispatchSchema()]);
});

const policy = (schema: GraphQLSchema, query: string) => {
  const document = parse(query);
  expect(validate(schema, document)).toEqual([]); // a query the schema would answer
  const operation = document.definitions.find((d) => d.kind === 'OperationDefinition') as OperationDefinitionNode;
  return cachePolicyOf(schema, document, operation);
};
const REFERENCE = { maxAge: 300, scope: 'PRIVATE' };
const NO_CACHE = { maxAge: 0, scope: 'PUBLIC' };

describe('reference data of the municipalities subgraph', () => {
  it.each([
    ['a municipality with its prefecture', '{ municipality(code: "011002") { name population prefecture { name region } } }'],
    ['a page of municipalities', '{ municipalities(first: 5) { nodes { code } edges { cursor } pageInfo { hasNextPage } totalCount } }'],
    ['a prefecture and its municipalities', 'query P($c: ID!) { prefecture(code: $c) { name municipalities { code population councilGapKinds } } }'],
    [
      'councils and self-plan rates with provenance',
      '{ municipality(code: "011002") { council { established provenance { sourceName } } selfPlanRate { planningRatePercent } } }',
    ],
    ['the council table of coverage statistics', '{ coverageStatistics(asOf: "2025-04-01") { asOf councils { national { covered } byBracket { label } } } }'],
    ['fields through a named fragment', '{ municipality(code: "011002") { ...M } } fragment M on Municipality { name prefecture { name } }'],
    [
      'the gateway asking for entities',
      'query($representations: [_Any!]!) { _entities(representations: $representations) { ... on Municipality { __typename name population } } }',
    ],
  ])('%s: reusable for 5 minutes, by the same viewer only', (_name, query) => {
    expect(policy(municipalities, query)).toEqual(REFERENCE);
  });

  it.each([
    ['the viewer', '{ viewer { role } }'],
    ['reference data with the viewer', '{ municipality(code: "011002") { name } viewer { role } }'],
    ['introspection', '{ __schema { queryType { name } } }'],
    ['a type by introspection', '{ municipality(code: "011002") { name } __type(name: "Municipality") { name } }'],
  ])('%s: not reusable', (_name, query) => {
    expect(policy(municipalities, query)).toEqual(NO_CACHE);
  });
});

describe('data written through the API', () => {
  it('is never reusable: visits on a municipality, entity fetches included', () => {
    expect(policy(dispatch, 'query($r: [_Any!]!) { _entities(representations: $r) { ... on Municipality { lastVisit { date } } } }')).toEqual(NO_CACHE);
    expect(policy(dispatch, '{ advisors(prefectureCode: "01") { name } }')).toEqual(NO_CACHE);
  });

  it('a mutation is never reusable', () => {
    expect(policy(dispatch, 'mutation { cancelVisit(id: "x", version: 1, reason: "r") { id } }')).toEqual(NO_CACHE);
  });
});

describe('the Cache-Control header', () => {
  const at = (japanTime: string) => Date.parse(`${japanTime}+09:00`);

  it('says how long and to whom, or no-store', () => {
    expect(cacheControlHeader({ maxAge: 300, scope: 'PRIVATE' }, at('2025-04-01T12:00:00'))).toBe('max-age=300, private');
    expect(cacheControlHeader({ maxAge: 0, scope: 'PUBLIC' }, at('2025-04-01T12:00:00'))).toBe('no-store');
  });

  it('never lasts past midnight in Japan, when "today" (the default date) changes', () => {
    expect(secondsUntilMidnightInJapan(at('2025-04-01T23:59:00'))).toBe(60);
    expect(secondsUntilMidnightInJapan(at('2025-04-01T00:00:00'))).toBe(86_400);
    expect(cacheControlHeader({ maxAge: 300, scope: 'PRIVATE' }, at('2025-04-01T23:59:00'))).toBe('max-age=60, private');
  });
});

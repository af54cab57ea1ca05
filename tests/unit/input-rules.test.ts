/** Input limits (shared/input-rules.ts): what is refused, how it is named, and what is never quoted back. */
import { parse, type OperationDefinitionNode } from 'graphql';
import { checkOperationInputs, unstorableCharacter } from '../../shared/input-rules';
import { supergraphApiSchema } from '../helpers/schema';

const schema = supergraphApiSchema();
const check = (query: string, variables?: Record<string, unknown>, today = '2026-12-01') => {
  const document = parse(query);
  return checkOperationInputs(schema, document, document.definitions[0] as OperationDefinitionNode, variables, today);
};

it('finds NUL and lone surrogates, and accepts paired surrogates (emoji, rare kanji)', () => {
  expect(unstorableCharacter('ok 𠮷野家 😀')).toBeNull();
  expect(unstorableCharacter('ab\u0000')).toEqual({ position: 3, kind: 'NUL' });
  expect(unstorableCharacter('a\ud800b')).toEqual({ position: 2, kind: 'SURROGATE' });
  expect(unstorableCharacter('\udc00')).toEqual({ position: 1, kind: 'SURROGATE' });
});

it('names the path of the bad value inside inputs and lists', () => {
  const error = check('mutation($i: RecordVisitInput!) { recordVisit(input: $i) { id } }', { i: { topics: ['ok', 'x'.repeat(201)] } });
  expect(error?.extensions).toMatchObject({ code: 'BAD_USER_INPUT', argument: 'input.topics[1]' });
});

it('never quotes free text back, but quotes codes and dates', () => {
  const notes = check('mutation($i: RecordVisitInput!) { recordVisit(input: $i) { id } }', { i: { notes: '病歴'.repeat(6000) } });
  expect(notes?.extensions.value).toBeUndefined();
  expect(notes?.message).not.toContain('病歴');
  const date = check('{ coverageStatistics(asOf: "2025-02-29") { asOf } }');
  expect(date?.extensions).toMatchObject({ argument: 'asOf', value: '2025-02-29' });
});

it('takes the date ranges of changes from today in Japan, 29 February included', () => {
  const due = (dueOn: string, today: string) =>
    check(
      `mutation { createFollowUp(visitId: "x", input: { municipalityCode: "011002", description: "x", ownerKind: MUNICIPALITY, dueOn: "${dueOn}" }) { id } }`,
      undefined,
      today,
    );
  expect(due('2029-02-28', '2024-02-29')).toBeNull();
  expect(due('2029-03-01', '2024-02-29')?.extensions).toMatchObject({ argument: 'input.dueOn' });
  expect(due('1999-12-31', '2024-02-29')?.extensions).toMatchObject({ argument: 'input.dueOn' });
  // A question may ask about any date of a century either way.
  expect(check('{ coverageStatistics(asOf: "2090-04-01") { asOf } }', undefined, '2026-12-01')).toBeNull();
});

it('tells a real date out of range from a date that does not exist, years 0–99 included', () => {
  const asOf = (date: string) => check(`{ coverageStatistics(asOf: "${date}") { asOf } }`)?.extensions.reason;
  // A real date before 1900 is out of range (years under 100 once read as 19xx and called "not a date").
  for (const date of ['0001-01-01', '0099-12-31', '1899-12-31']) expect(asOf(date)).toMatch(/^must be from 1900-01-01/);
  for (const date of ['0001-02-29', '2025-02-29', '2025-00-10']) expect(asOf(date)).toMatch(/^must be a calendar date/);
});

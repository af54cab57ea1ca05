/** A subgraph refusing the gateway's own document: another release, told by schema coordinates only. */
import { releaseMismatchOf } from '../../gateway/subgraph-release';

const refusal = (...messages: string[]) => ({ errors: messages.map((message) => ({ message, extensions: { code: 'GRAPHQL_VALIDATION_FAILED' } })) });

it('names what the subgraph lacks by its schema coordinates', () => {
  expect(
    releaseMismatchOf(
      refusal(
        'Cannot query field "nextReleaseField" on type "Query".',
        'Unknown argument "asOf" on field "Municipality.baseCoverage".',
        'Field "Query.bases" argument "prefecture" of type "ID!" is required, but it was not provided.',
        'Unknown type "EraseEarlierBaseTextsInput".',
        'Field "reason" is not defined by type "CloseBaseInput".',
        'Cannot query field "nextReleaseField" on type "Query".',
      ),
    ),
  ).toEqual(['Query.nextReleaseField', 'Municipality.baseCoverage(asOf:)', 'Query.bases(prefecture:)', 'EraseEarlierBaseTextsInput', 'CloseBaseInput.reason']);
});

it('never repeats a value of the caller\'s document (a literal may be a name): any other message is "a part of the schema"', () => {
  const lacks = releaseMismatchOf(refusal('String cannot represent a non string value: "山田太郎"', 'Expected value of type "Int!", found "山田太郎".'));
  expect(lacks).toEqual(['a part of the schema']);
});

it('is no mismatch when the subgraph answered (data), or refused a value rather than the document', () => {
  expect(releaseMismatchOf({ data: { a: 1 }, errors: refusal('Cannot query field "a" on type "Query".').errors })).toBeUndefined();
  expect(releaseMismatchOf({ errors: [{ message: 'bad', extensions: { code: 'BAD_USER_INPUT' } }] })).toBeUndefined();
  expect(releaseMismatchOf({ data: null, errors: [{ message: 'Syntax Error: Unexpected "}".', extensions: { code: 'GRAPHQL_PARSE_FAILED' } }] })).toEqual([
    'a part of the schema',
  ]);
  expect(releaseMismatchOf(undefined)).toBeUndefined();
  expect(releaseMismatchOf('not json')).toBeUndefined();
});

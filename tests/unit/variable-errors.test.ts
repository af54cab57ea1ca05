/** GraphQL's errors for mistyped variables, made into BAD_USER_INPUT that never repeats free text. */
import { buildSchema, getVariableValues, parse, parseValue, validate } from 'graphql';
import { LocalDateScalar } from '../../shared/scalars';
import { describeLiteralError, describeVariableError, withoutLiteral } from '../../shared/variable-errors';

const NOTE = '山田太郎さんの件（SECRET）';

it('never repeats a mistyped free-text value, in the reason or as the value', () => {
  const message = `Variable "$input" got invalid value ["${NOTE}"] at "input.notes"; String cannot represent a non string value: ["${NOTE}"]`;
  const problem = describeVariableError(message)!;
  expect(problem).toEqual({ argument: '$input.notes', reason: 'must be a value of type String', reasonJa: 'String 型の値を指定してください' });
  expect(JSON.stringify(problem)).not.toContain('SECRET');
});

it('never repeats a whole input object (it may hold notes), even when the problem is a missing field', () => {
  const message = `Variable "$input" got invalid value { notes: "${NOTE}" } at "input"; Field "date" of required type "LocalDate!" was not provided.`;
  const problem = describeVariableError(message)!;
  expect(problem).toEqual({
    argument: '$input',
    reason: 'lacks the required field date (LocalDate!)',
    reasonJa: '必須の項目「date」（LocalDate!）がありません',
  });
});

it('quotes numbers, and the strings of dates, ids and codes', () => {
  expect(
    describeVariableError('Variable "$input" got invalid value 20250601 at "input.date"; LocalDate must be a calendar date written YYYY-MM-DD, got 20250601'),
  ).toMatchObject({
    argument: '$input.date',
    value: 20250601,
    reasonJa: '実在する日付を YYYY-MM-DD 形式で指定してください（例: 2025-04-01）',
  });
  expect(
    describeVariableError('Variable "$asOf" got invalid value "2025/04/01"; LocalDate must be a calendar date written YYYY-MM-DD, got "2025/04/01"'),
  ).toMatchObject({
    argument: '$asOf',
    value: '2025/04/01',
  });
  expect(
    describeVariableError('Variable "$input" got invalid value 11002 at "input.municipalityCodes[0]"; String cannot represent a non string value: 11002'),
  ).toMatchObject({
    argument: '$input.municipalityCodes[0]',
    value: 11002,
  });
  // A string in a field of free text, or of a variable named by the client, is not quoted.
  expect(describeVariableError('Variable "$n" got invalid value "abc"; Int cannot represent non-integer value: "abc"')).toEqual({
    argument: '$n',
    reason: 'must be a value of type Int',
    reasonJa: 'Int 型の値を指定してください',
  });
});

it('names the enum and its suggestions, and quotes a value that looks like an enum value', () => {
  expect(
    describeVariableError(
      'Variable "$input" got invalid value "ONLIN" at "input.format"; Value "ONLIN" does not exist in "VisitFormat" enum. Did you mean the enum value "ONLINE"?',
    ),
  ).toEqual({
    argument: '$input.format',
    value: 'ONLIN',
    reason: 'is not a value of the enum VisitFormat; did you mean the enum value "ONLINE"?',
    reasonJa: '列挙型 VisitFormat の値ではありません（候補: 「ONLINE」）',
  });
  // Several suggestions: no English "or" in the Japanese.
  expect(
    describeVariableError(
      'Variable "$input" got invalid value "ONSITE" at "input.format"; Value "ONSITE" does not exist in "VisitFormat" enum. Did you mean the enum value "ON_SITE" or "ONLINE"?',
    ),
  ).toMatchObject({ reasonJa: '列挙型 VisitFormat の値ではありません（候補: 「ON_SITE」「ONLINE」）' });
  expect(
    describeVariableError(`Variable "$input" got invalid value "${NOTE}" at "input.format"; Value "${NOTE}" does not exist in "VisitFormat" enum.`),
  ).toEqual({
    argument: '$input.format',
    reason: 'is not a value of the enum VisitFormat',
    reasonJa: '列挙型 VisitFormat の値ではありません',
  });
});

it('says a required variable is missing, in both languages', () => {
  expect(describeVariableError('Variable "$code" of required type "ID!" was not provided.')).toEqual({
    argument: '$code',
    reason: 'is required (ID!)',
    reasonJa: '必須です（ID!）',
  });
  expect(describeVariableError('Variable "$code" of non-null type "ID!" must not be null.')).toEqual({
    argument: '$code',
    reason: 'is required (ID!)',
    reasonJa: '必須です（ID!）',
  });
});

it('leaves other messages alone', () => {
  expect(describeVariableError('Invalid value for "code": check digit should be 2, not 3')).toBeUndefined();
});

it('drops a literal written into the document from a validation message, unless it is a number, name, boolean or null', () => {
  expect(withoutLiteral(`String cannot represent a non string value: ["${NOTE}"]`)).toBe(
    'String cannot represent a non string value (the value is not repeated)',
  );
  expect(withoutLiteral('Int cannot represent non 32-bit signed integer value: 99999999999')).toBe(
    'Int cannot represent non 32-bit signed integer value: 99999999999',
  );
  expect(withoutLiteral(`Expected value of type "VisitFormat", found "${NOTE}"; Enum "VisitFormat" cannot represent non-enum value: "${NOTE}".`)).toBe(
    'Expected value of type "VisitFormat" (the value is not repeated)',
  );
  expect(withoutLiteral('Expected value of type "VisitFormat", found BYPHONE; Did you mean the enum value "BY_PHONE"?')).toContain('found BYPHONE');
  expect(withoutLiteral('Cannot query field "nameX" on type "Municipality".')).toBeUndefined();
});

it('quotes a non-string date literal as written, a list or object only by its kind', () => {
  expect(() => LocalDateScalar.parseLiteral(parseValue('20250601'))).toThrow('got 20250601');
  expect(() => LocalDateScalar.parseLiteral(parseValue(`["${NOTE}"]`))).toThrow(/got a list$/);
});

describe('a literal of the wrong type written in the document', () => {
  const schema = buildSchema(`
    type Query { m(first: Int, filter: Filter, format: Format, notes: [String!]): Int }
    input Filter { codes: [ID!], text: String, since: Int! }
    enum Format { ONLINE VISIT }
  `);
  const described = (document: string) => {
    const [error] = validate(schema, parse(document));
    return describeLiteralError(error.message, error.nodes?.[0]);
  };

  it('is named by its argument path, with the reason in both languages', () => {
    expect(described('{ m(first: "ten") }')).toEqual({ argument: 'first', reason: 'must be a value of type Int', reasonJa: 'Int 型の値を指定してください' });
    expect(described('{ m(filter: { since: "x" }) }')).toMatchObject({ argument: 'filter.since', reasonJa: 'Int 型の値を指定してください' });
    expect(described('{ m(notes: [1]) }')).toMatchObject({ argument: 'notes[0]', value: 1 });
    expect(described('{ m(filter: { since: 1, codes: ["a", 1.5] }) }')).toMatchObject({ argument: 'filter.codes[1]', value: 1.5 });
    expect(described('{ m(format: PHONE) }')).toMatchObject({ argument: 'format', value: 'PHONE', reasonJa: '列挙型 Format の値ではありません' });
    expect(described('{ m(filter: { text: "x" }) }')).toMatchObject({ argument: 'filter', reasonJa: '必須の項目「since」（Int!）がありません' });
    expect(described('{ m(filter: 5) }')).toEqual({
      argument: 'filter',
      reason: 'must be a value of type Filter',
      reasonJa: 'Filter 型の値を指定してください',
      value: 5,
    });
    expect(described('{ m(filter: { since: 1, unknown: 2 }) }')).toMatchObject({
      argument: 'filter.unknown',
      reasonJa: 'Filter にない項目「unknown」があります',
    });
  });

  it('never repeats a string, which may be free text', () => {
    for (const document of [`{ m(format: "${NOTE}") }`, `{ m(first: "${NOTE}") }`, `{ m(filter: { since: "${NOTE}" }) }`]) {
      const problem = described(document)!;
      expect(problem.argument).toBeDefined();
      expect(JSON.stringify(problem)).not.toContain('SECRET');
    }
  });

  it('is left to GraphQL when it is not under an argument (a variable default)', () => {
    expect(described('query($n: Int = "x") { m(first: $n) }')).toBeUndefined();
  });
});

describe("graphql-js's own messages, whatever the value holds", () => {
  const schema = buildSchema(`
    enum VisitFormat { ON_SITE ONLINE }
    input Attendee { role: String! count: Int! }
    input VisitInput { notes: String format: VisitFormat count: Int attendees: [Attendee!] date: LocalDate }
    scalar LocalDate
    type Query { record(input: VisitInput!, n: Int): Int }
  `);
  (schema.getType('LocalDate') as { parseValue: unknown }).parseValue = LocalDateScalar.parseValue;
  const [operation] = parse('query($input: VisitInput!, $n: Int) { record(input: $input, n: $n) }').definitions as [import('graphql').OperationDefinitionNode];
  /** The problem graphql-js's first error about these variables describes. */
  const problemOf = (inputs: Record<string, unknown>) => {
    const result = getVariableValues(schema, operation.variableDefinitions!, inputs);
    if (!result.errors) throw new Error('expected an error');
    return describeVariableError(result.errors[0].message);
  };
  // Text that looks like the message's own parts: `; `, ` at "…"`, quotes, brackets.
  const TRICKY = `x"; Int cannot represent non-integer value: 1 at "input.count"; Field "SECRET" is not defined by type "X" [{"; `;

  it.each([
    ['a mistyped free-text field', { input: { notes: [TRICKY] } }, '$input.notes', 'must be a value of type String'],
    ['an enum value', { input: { format: TRICKY } }, '$input.format', 'is not a value of the enum VisitFormat'],
    ['a number field', { input: { count: TRICKY } }, '$input.count', 'must be a value of type Int'],
    ['a date', { input: { date: TRICKY } }, '$input.date', 'must be a calendar date written YYYY-MM-DD (e.g. 2025-04-01)'],
    ['a list item', { input: { attendees: [{ role: TRICKY, count: TRICKY }] } }, '$input.attendees[0].count', 'must be a value of type Int'],
    ['a whole input', { input: TRICKY }, '$input', 'must be an object of type VisitInput'],
    [
      'an object where a list item was',
      { input: { attendees: [{ role: { a: TRICKY }, count: 1 }] } },
      '$input.attendees[0].role',
      'must be a value of type String',
    ],
  ])('%s: the path and reason graphql-js gives, never the value', (_case, inputs, argument, reason) => {
    const problem = problemOf({ n: 1, ...inputs })!;
    expect(problem).toMatchObject({ argument, reason });
    expect(JSON.stringify(problem)).not.toContain('SECRET');
  });
});

/**
 * GraphQL's messages about a document: Japanese for every validation rule graphql-js specifies (run on a
 * schema) and for its syntax errors; and Apollo Server's refusals of a request's shape.
 */
import { readFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { ApolloServer, HeaderMap } from '@apollo/server';
import { GraphQLError, type GraphQLFormattedError, buildSchema, parse, specifiedRules, validate } from 'graphql';
import { requestMessageJa, syntaxMessageJa, validationMessageJa, withoutStringToken } from '../../shared/document-messages';
import { BAD_REQUEST_JA } from '../../shared/errors';
import { maskError } from '../../shared/server';
import { withoutLiteral } from '../../shared/variable-errors';

const schema = buildSchema(`
  directive @oneOf on INPUT_OBJECT
  directive @mark(level: Int!) on FIELD
  type Query { hello: String person: Person greet(n: Int): String need(id: ID!): String find(by: By): String paint(c: Color): String }
  enum Color { RED GREEN }
  type Subscription { tick: Int tock: Int }
  type Person { id: ID! name: String }
  type Robot { id: ID! }
  input By @oneOf { a: String b: Int }
`);

/** A document that breaks each rule (some twice: a field's and a directive's form of the same rule). */
const BROKEN: Record<string, string[]> = {
  ExecutableDefinitionsRule: ['{ hello } type Foo { a: Int }'],
  UniqueOperationNamesRule: ['query A { hello } query A { hello }'],
  LoneAnonymousOperationRule: ['{ hello } query B { hello }'],
  SingleFieldSubscriptionsRule: ['subscription S { tick tock }', 'subscription { tick tock }'],
  KnownTypeNamesRule: ['query Q($a: Strin) { greet(n: 1) hello @skip(if: true) a: hello(x: $a) }'],
  FragmentsOnCompositeTypesRule: ['fragment F on String { x } { ...F }', '{ ... on String { x } }'],
  VariablesAreInputTypesRule: ['query Q($a: Person) { hello }'],
  ScalarLeafsRule: ['{ hello { x } }', '{ person }'],
  FieldsOnCorrectTypeRule: ['{ helo }', '{ person { nam } }'],
  UniqueFragmentNamesRule: ['fragment F on Query { hello } fragment F on Query { hello } { ...F }'],
  KnownFragmentNamesRule: ['{ ...G }'],
  NoUnusedFragmentsRule: ['fragment F on Query { hello } { hello }'],
  PossibleFragmentSpreadsRule: ['{ person { ... on Robot { id } } }', 'fragment R on Robot { id } { person { ...R } }'],
  NoFragmentCyclesRule: ['fragment F on Query { ...F } { ...F }'],
  UniqueVariableNamesRule: ['query Q($a: Int, $a: Int) { greet(n: $a) }'],
  NoUndefinedVariablesRule: ['query Q { greet(n: $n) }', '{ greet(n: $n) }'],
  NoUnusedVariablesRule: ['query Q($n: Int) { hello }', 'query ($n: Int) { hello }'],
  KnownDirectivesRule: ['{ hello @nope }', 'query Q @skip(if: true) { hello }'],
  UniqueDirectivesPerLocationRule: ['{ hello @skip(if: true) @skip(if: false) }'],
  KnownArgumentNamesRule: ['{ greet(m: 1) }', '{ hello @skip(iff: true) }'],
  UniqueArgumentNamesRule: ['{ greet(n: 1, n: 2) }'],
  ValuesOfCorrectTypeRule: [
    'query Q($n: Int = "x") { greet(n: $n) }',
    '{ find(by: { a: "x", b: 1 }) }',
    '{ find(by: { a: null }) }',
    'query Q($n: Int = 1.5) { greet(n: $n) }',
    'query Q($b: By = 5) { find(by: $b) }',
    'query Q($c: Color = BLUE) { paint(c: $c) }',
  ],
  ProvidedRequiredArgumentsRule: ['{ need }', '{ hello @mark }'],
  VariablesInAllowedPositionRule: ['query Q($n: String) { greet(n: $n) }', 'query Q($a: String) { find(by: { a: $a }) }'],
  OverlappingFieldsCanBeMergedRule: ['{ hello: greet(n: 1) hello }', '{ greet(n: 1) greet(n: 2) }'],
  UniqueInputFieldNamesRule: ['{ find(by: { a: "x", a: "y" }) }'],
  MaxIntrospectionDepthRule: ['{ __schema { types { fields { type { fields { type { fields { type { name } } } } } } } } }'],
};

/** As maskError sees them: a literal's value taken out of the message first. */
const japaneseOf = (message: string) => validationMessageJa(withoutLiteral(message) ?? message);

it('has a document for every rule graphql-js specifies (an upgrade that adds one fails here)', () => {
  expect(specifiedRules.map((rule) => rule.name).sort()).toEqual(Object.keys(BROKEN).sort());
});

it.each(Object.entries(BROKEN))('says in Japanese what %s finds wrong', (ruleName, documents) => {
  const rule = specifiedRules.find((r) => r.name === ruleName)!;
  for (const document of documents) {
    const errors = validate(schema, parse(document), [rule]);
    expect(errors.length).toBeGreaterThan(0);
    for (const error of errors) {
      const japanese = japaneseOf(error.message);
      if (japanese === undefined) throw new Error(`no Japanese for ${ruleName}: ${error.message}`);
      expect(japanese).not.toMatch(/[A-Za-z]{2,} [a-z]{2,} [a-z]{2,}/); // no English sentence left in it
    }
  }
});

it('names the field, type, argument or variable, with graphql-js’s suggestions', () => {
  const messages = (document: string) => validate(schema, parse(document)).map((e) => japaneseOf(e.message));
  expect(messages('{ person { nam } }')).toEqual(['「Person」型に項目「nam」はありません（候補: 「name」）']);
  expect(messages('{ greet(m: 1) }')).toEqual(['項目「Query.greet」に引数「m」はありません（候補: 「n」）']);
  expect(messages('{ need }')).toEqual(['項目「need」の引数「id」（ID! 型）は必須です']);
  expect(messages('{ person }')).toEqual(['項目「person」（Person 型）は下位の項目を選んでください（例: person { … }）']);
  expect(messages('query Q { greet(n: $n) }')).toEqual(['変数「$n」が操作「Q」で宣言されていません']);
  expect(messages('query Q($n: String) { greet(n: $n) }')).toEqual(['変数「$n」の型 String は、ここで必要な型 Int に合いません']);
  expect(messages('query Q($n: Int = "x") { greet(n: $n) }')).toEqual(['値が不正です: Int 型の値を指定してください']);
  expect(messages('query Q($b: By = 5) { find(by: $b) }')).toEqual(['値が不正です: By 型の値を指定してください']);
  expect(messages('query Q($c: Color = BLUE) { paint(c: $c) }')).toEqual(['値が不正です: 列挙型 Color の値ではありません']);
});

it('never repeats a literal written into the document', () => {
  const note = '山田太郎さんの件';
  const errors = validate(schema, parse(`query Q($n: Int = "${note}") { greet(n: $n) }`));
  for (const error of errors) expect(japaneseOf(error.message)).not.toContain('山田');
});

it('leaves messages it does not know to the general Japanese', () => {
  expect(validationMessageJa('Something else entirely.')).toBeUndefined();
});

/** graphql-js's syntax error for a document, as maskError reads it. */
const syntaxError = (document: string) => {
  try {
    parse(document);
  } catch (error) {
    return withoutStringToken((error as GraphQLError).message);
  }
  throw new Error(`parses: ${document}`);
};

it.each([
  ['{ municipalities(first: 1) { totalCount }', 'Syntax Error: Expected Name, found <EOF>.', '名前が必要なところにクエリの終わりがあります'],
  ['{ a(b: "x" "秘密のメモ") }', 'Syntax Error: Expected Name, found String (the value is not repeated).', '名前が必要なところに文字列があります'],
  ['{ a(b: """x""" """秘密""") }', 'Syntax Error: Expected Name, found BlockString (the value is not repeated).', '名前が必要なところに文字列があります'],
  ['{ a(b: "x" "y\\" z") }', 'Syntax Error: Expected Name, found String (the value is not repeated).', '名前が必要なところに文字列があります'],
  ['{ a(b 1) }', 'Syntax Error: Expected ":", found Int "1".', '「:」が必要なところに数値「1」があります'],
  ['{ a } }', 'Syntax Error: Unexpected "}".', '「}」はここには書けません'],
  ['{ a(b: "x) }', 'Syntax Error: Unterminated string.', '文字列が閉じられていません（" が足りません）'],
  ["{ a(b: 'x') }", null, '文字列は二重引用符（"）で囲んでください'],
  ['{ a(b: 12ab) }', null, '数値の書き方が正しくありません'],
  ['{ a(b: "\\q") }', null, '文字列のエスケープ（\\）の書き方が正しくありません'],
  ['{\u3000a }', null, '全角スペースがあります（半角スペースにしてください）'],
  ['\uff5b a }', null, '全角文字「｛」があります（半角の「{」にしてください）'],
  ['{ 市町村 }', null, '使えない文字「市」があります（日本語などの文字は "…" で囲んだ文字列の中にだけ書けます）'],
  ['query Q($n: Int = $m) { a }', null, '既定値には変数「$m」を書けません'],
])('says in Japanese what is wrong with %j', (document, english, japanese) => {
  const message = syntaxError(document);
  if (english) expect(message).toBe(english);
  expect(syntaxMessageJa(message)).toBe(japanese);
});

it('never repeats a string a syntax error stopped at', () => {
  for (const document of ['{ a(b: "x" "山田太郎さんの件") }', '{ a(b: """x""" """山田""") }', '{ a(b: "x" "山田\\"太郎") }']) {
    const message = syntaxError(document);
    expect(message).not.toContain('山田');
    expect(syntaxMessageJa(message)).not.toContain('山田');
  }
});

describe("Apollo Server's refusals of a request's shape (BAD_REQUEST)", () => {
  const refusal = async (request: { method?: string; headers?: Record<string, string>; search?: string; body?: unknown }) => {
    const server = new ApolloServer({
      typeDefs: 'type Query { hello: String } type Mutation { set: Int }',
      formatError: (f, e) => maskError(f, e, 'test') as GraphQLFormattedError,
    });
    await server.start();
    try {
      const answer = await server.executeHTTPGraphQLRequest({
        httpGraphQLRequest: {
          method: request.method ?? 'POST',
          headers: new HeaderMap(Object.entries({ 'content-type': 'application/json', ...request.headers })),
          search: request.search ?? '',
          body: request.body,
        },
        context: async () => ({}),
      });
      if (answer.body.kind !== 'complete') throw new Error('a streamed answer');
      return (JSON.parse(answer.body.string) as { errors: Array<{ message: string; extensions: { code: string; messageJa: string } }> }).errors[0];
    } finally {
      await server.stop();
    }
  };

  it.each([
    ['a PUT', { method: 'PUT', body: { query: '{ hello }' } }, 'GET か POST で送ってください'],
    ['a GET of a mutation', { method: 'GET', search: 'query=mutation%7Bset%7D' }, 'GET で送れるのは query だけです（mutation は POST で送ってください）'],
    ['a GET with a content-type', { method: 'GET', search: 'query=%7Bhello%7D', headers: { 'content-type': 'application/xml' } }, 'application/json 以外'],
    ['a form POST (possible CSRF)', { headers: { 'content-type': 'text/plain' }, body: '{ hello }' }, 'CSRF 対策'],
    ['a POST of another content type', { headers: { 'content-type': 'application/xml' }, body: '<q/>' }, 'content-type が application/json ではありません'],
    ['no query', { body: { variables: {} } }, 'query（クエリ本文）がありません'],
    ['a query that is not a string', { body: { query: 5 } }, 'query は文字列で送ってください'],
    ['a batch', { body: [{ query: '{ hello }' }] }, 'まとめて送ることはできません'],
    ['variables as a JSON string', { body: { query: '{ hello }', variables: '{}' } }, 'variables は JSON を文字列にしたものではなく'],
    ['variables as a list', { body: { query: '{ hello }', variables: [1] } }, 'variables はオブジェクトで送ってください'],
    ['operationName as a number', { body: { query: '{ hello }', operationName: 5 } }, 'operationName は文字列で送ってください'],
    ['extensions as a list', { body: { query: '{ hello }', extensions: [1] } }, 'extensions はオブジェクトで送ってください'],
    ['variables in the URL that are not JSON', { method: 'GET', search: 'query=%7Bhello%7D&variables=x' }, 'URL の variables を JSON として読めません'],
    ['variables in the URL that are a list', { method: 'GET', search: 'query=%7Bhello%7D&variables=%5B1%5D' }, 'URL の variables は JSON のオブジェクトに'],
    ['a query given twice in the URL', { method: 'GET', search: 'query=%7Bhello%7D&query=%7Bhello%7D' }, 'URL の query は1回だけ'],
    ['an accept header without JSON', { body: { query: '{ hello }' }, headers: { accept: 'text/html' } }, 'accept ヘッダー'],
  ])('says what is wrong with %s in Japanese', async (_case, request, japanese) => {
    const error = await refusal(request);
    expect(error.extensions.code).toBe('BAD_REQUEST');
    expect(error.extensions.messageJa).toMatch(new RegExp(`^${BAD_REQUEST_JA}: `));
    expect(error.extensions.messageJa).toContain(japanese);
    expect(requestMessageJa(error.message)).toBeDefined();
  });

  it('knows every refusal Apollo Server has (fails when an upgrade adds one without Japanese here)', () => {
    const cjs = dirname(require.resolve('@apollo/server')); // …/dist/cjs/index.js
    const files = ['preventCsrf.js', 'httpBatching.js', 'incrementalDeliveryPolyfill.js', 'runHttpQuery.js', 'requestPipeline.js'];
    const sources = files.map((file) => readFileSync(join(cjs, file), 'utf8')).join('\n');
    // 21 in Apollo Server 5: the 16 above, "No operations found" (batching on) and the three about @defer/@stream.
    expect(sources.match(/BadRequestError\(/g)).toHaveLength(21);
    expect(requestMessageJa('No operations found in request.')).toBeDefined();
    expect(requestMessageJa('Apollo server received an operation that uses incremental delivery (@defer or @stream), but the client')).toBeDefined();
  });
});

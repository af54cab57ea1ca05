/** Input limits (shared/input-rules.ts): what is refused, how it is named, and what is never quoted back. */
import { parse, type OperationDefinitionNode } from 'graphql';
import { characterProblem, checkOperationInputs } from '../../shared/input-rules';
import { supergraphApiSchema } from '../helpers/schema';

const schema = supergraphApiSchema();
const check = (query: string, variables?: Record<string, unknown>, today = '2026-12-01') => {
  const document = parse(query);
  return checkOperationInputs(schema, document, document.definitions[0] as OperationDefinitionNode, variables, today);
};

it('finds NUL and lone surrogates, and accepts paired surrogates (emoji, rare kanji)', () => {
  expect(characterProblem('ok 𠮷野家 😀')).toBeNull();
  expect(characterProblem('ab\u0000')).toMatchObject({ position: 3, reason: expect.stringContaining('NUL character (U+0000)') });
  expect(characterProblem('a\ud800b')).toMatchObject({ position: 2, reason: expect.stringContaining('lone UTF-16 surrogate') });
  expect(characterProblem('\udc00')).toMatchObject({ position: 1, reasonJa: expect.stringContaining('サロゲート') });
  expect(characterProblem('😀\ud83d')).toMatchObject({ position: 3 });
});

it.each([
  ['an escape (a terminal obeys it)', 'ab\u001b[2K', 3, 'U+001B'],
  ['a bell', '\u0007', 1, 'U+0007'],
  ['a vertical tab (a line break pasted from Word)', '一行目\u000b二行目', 4, 'U+000B'],
  ['DEL', 'a\u007f', 2, 'U+007F'],
  ['a C1 control', '\u009b31m', 1, 'U+009B'],
])('refuses %s as a control character, naming it and where', (_case, text, position, codePoint) => {
  expect(characterProblem(text)).toEqual({
    position,
    reason: `contains a control character (${codePoint}) at character ${position}, which no text shows: delete it`,
    reasonJa: `${position}文字目に表示されない制御文字（${codePoint}）が含まれています。削除してください`,
  });
});

it.each(['202A', '202B', '202C', '202D', '202E', '2066', '2067', '2068', '2069'])(
  'refuses the bidirectional control U+%s, which shows text in another order than it is stored',
  (codePoint) => {
    expect(characterProblem(`相談${String.fromCharCode(parseInt(codePoint, 16))}センター`)).toMatchObject({
      position: 3,
      reason: expect.stringContaining('bidirectional control character'),
      reasonJa: expect.stringContaining('双方向制御文字'),
    });
  },
);

it('accepts what real text holds: tabs and line breaks (Alt+Enter, CRLF), variation selectors, joined emoji, full-width spaces', () => {
  for (const text of ['一行目\n二行目\r\n三行目\tタブ', '葛\u{e0100}城市', '👨\u200d👩\u200d👧', '山田\u3000太郎', '①②', '\u00a0']) {
    expect(characterProblem(text)).toBeNull();
  }
});

it('reads a text of a million characters, finding the one refused at its end', () => {
  expect(characterProblem('あ'.repeat(1_000_000))).toBeNull();
  expect(characterProblem(`${'あ'.repeat(1_000_000)}\u001b`)).toMatchObject({ position: 1_000_001 });
});

it('refuses a control character or a bidirectional override in any text input, in a variable no argument reads too', () => {
  const name = check('mutation($i: CreateCoreCenterInput!) { createCoreCenter(idempotencyKey: "key-12345", input: $i) { id } }', {
    i: { name: '\u202eターセン' },
  });
  expect(name?.extensions).toMatchObject({ code: 'BAD_USER_INPUT', argument: 'input.name', reasonJa: expect.stringContaining('U+202E') });
  const unread = check('query($t: String) { municipalities { totalCount } }', { t: 'x\u001by' });
  expect(unread?.extensions).toMatchObject({ code: 'BAD_USER_INPUT', argument: '$t' });
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

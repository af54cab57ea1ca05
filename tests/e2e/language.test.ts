/** Japanese for people: with Accept-Language: ja the messages are Japanese; every error carries messageJa. */
import { prefersJapanese } from '../../shared/errors';
import { startTestStack } from '../helpers/stack';

let stack: Awaited<ReturnType<typeof startTestStack>>;
beforeAll(async () => {
  stack = await startTestStack();
});
afterAll(() => stack?.stop());

it('answers a bad check digit in Japanese, naming the argument and the value, when the client asks for Japanese', async () => {
  const query = '{ municipality(code: "011003") { name } }';
  const japanese = await stack.query(query, undefined, { ...stack.asAdmin, 'accept-language': 'ja-JP,ja;q=0.9,en;q=0.8' });
  const [error] = japanese.body.errors!;
  expect(error.message).toBe('「code」の値が不正です（受け取った値: "011003"）: 市町村コードは検査数字付きの6桁です（例: "011002"）');
  expect(error.extensions).toMatchObject({ code: 'BAD_USER_INPUT', argument: 'code', value: '011003', messageJa: error.message });
  // Without it, the message stays bilingual (English first), with the Japanese one beside it.
  const english = await stack.query(query);
  expect(english.body.errors![0].message).toMatch(/^Invalid value for "code" \(received "011003"\): check digit should be 2, not 3 \/ 「code」/);
  expect(english.body.errors![0].extensions!.messageJa).toBe(error.message);
});

it('gives a Japanese message to every kind of error, the gateway’s and GraphQL’s own included', async () => {
  const ja = { ...stack.asAdmin, 'accept-language': 'ja' };
  const forbidden = await stack.query('{ prefecture(code: "13") { visits(first: 1) { totalCount } } }', undefined, {
    ...(await stack.as('ADVISOR', '01')),
    'accept-language': 'ja',
  });
  expect(forbidden.body.errors![0].message).toMatch(/^権限がありません/);
  const invalid = await stack.query('{ municipality(code: "011002") { nameX } }', undefined, ja);
  expect(invalid.body.errors![0].message).toBe('クエリがスキーマに合いません（項目名・引数を確認してください）');
  const missing = await stack.query('mutation { revokeApiKey(id: "00000000-0000-4000-8000-000000000000") { id } }', undefined, ja);
  expect(missing.body.errors![0].message).toMatch(/^見つかりません/);
});

it('reads Accept-Language by its preference order', () => {
  expect(prefersJapanese('ja')).toBe(true);
  expect(prefersJapanese('ja-JP')).toBe(true);
  expect(prefersJapanese('en-US,en;q=0.9,ja;q=0.8')).toBe(false);
  expect(prefersJapanese('en;q=0.5, ja;q=0.9')).toBe(true);
  expect(prefersJapanese('ja;q=0')).toBe(false);
  expect(prefersJapanese('*')).toBe(false);
  expect(prefersJapanese(undefined)).toBe(false);
});

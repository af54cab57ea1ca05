import { MAX_JSON_DEPTH, jsonNestsDeeperThan } from '../../shared/json-depth';

describe('jsonNestsDeeperThan (a request body, before it is parsed)', () => {
  const nested = (depth: number) => `${'['.repeat(depth)}${']'.repeat(depth)}`;

  it('counts arrays and objects alike, as text and as its UTF-8 bytes', () => {
    for (const text of [nested(MAX_JSON_DEPTH), `${'{"a":'.repeat(MAX_JSON_DEPTH)}"北海道"${'}'.repeat(MAX_JSON_DEPTH)}`]) {
      expect(jsonNestsDeeperThan(text)).toBe(false);
      expect(jsonNestsDeeperThan(Buffer.from(text))).toBe(false);
      expect(jsonNestsDeeperThan(`[${text}]`)).toBe(true);
      expect(jsonNestsDeeperThan(Buffer.from(`[${text}]`))).toBe(true);
    }
  });

  it('counts no bracket inside a string, escaped quotes and backslashes included', () => {
    expect(jsonNestsDeeperThan(`{"a": "${'['.repeat(500)}"}`)).toBe(false);
    expect(jsonNestsDeeperThan(`{"a": "\\"${'{'.repeat(500)}\\\\"}`)).toBe(false);
    expect(jsonNestsDeeperThan(`{"a": "\\\\", "b": ${nested(MAX_JSON_DEPTH)}}`)).toBe(true);
  });

  it('measures depth, not how many arrays there are side by side', () => {
    expect(jsonNestsDeeperThan(`[${Array.from({ length: 10_000 }, () => '[1]').join(',')}]`)).toBe(false);
  });
});

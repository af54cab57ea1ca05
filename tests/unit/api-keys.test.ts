/** API keys' secrets (shared/api-keys.ts): scrypt once per key and process, not on every check. */
import crypto from 'node:crypto';
import { SecretChecks, newApiKey, parseApiKey, presentedApiKey } from '../../shared/api-keys';

describe('SecretChecks', () => {
  it('hashes a matching secret with scrypt once, then knows it; a wrong secret is hashed and refused every time', async () => {
    const scrypt = jest.spyOn(crypto, 'scrypt');
    try {
      const { key, salt, hash } = await newApiKey();
      const { id, secret } = parseApiKey(key)!;
      const checks = new SecretChecks();
      scrypt.mockClear();
      for (let i = 0; i < 5; i += 1) expect(await checks.matches(id, secret, salt, hash)).toBe(true);
      expect(scrypt).toHaveBeenCalledTimes(1);
      const wrong = `${secret.slice(0, -1)}${secret.endsWith('A') ? 'B' : 'A'}`;
      for (let i = 0; i < 2; i += 1) expect(await checks.matches(id, wrong, salt, hash)).toBe(false);
      expect(scrypt).toHaveBeenCalledTimes(3);
      // The same id with another stored hash (a key issued again under it, a restored table): hashed again.
      const other = await newApiKey();
      scrypt.mockClear();
      expect(await checks.matches(id, secret, other.salt, other.hash)).toBe(false);
      expect(scrypt).toHaveBeenCalledTimes(1);
    } finally {
      scrypt.mockRestore();
    }
  });
});

describe('presentedApiKey', () => {
  const key = `ak.00000000-0000-4000-8000-000000000000.${'a'.repeat(43)}`;
  it('reads a key sent as ApiKey, as a bearer token or in X-API-Key; a JWT stays a JWT', () => {
    expect(presentedApiKey({ authorization: `ApiKey ${key}` })).toBe(key);
    expect(presentedApiKey({ authorization: `apikey ${key}` })).toBe(key);
    expect(presentedApiKey({ authorization: `Bearer ${key}` })).toBe(key);
    expect(presentedApiKey({ 'x-api-key': key })).toBe(key);
    expect(presentedApiKey({ authorization: 'Bearer eyJhbGciOiJIUzI1NiJ9.eyJzdWIiOiJ4In0.c2ln' })).toBeUndefined();
    expect(presentedApiKey({})).toBeUndefined();
  });
});

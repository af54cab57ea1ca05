/**
 * API keys for machines (BI tools refreshing on a schedule): `ak.<id>.<secret>`, where the id names the
 * stored key and the secret is 32 random bytes. Only a salted scrypt hash of the secret is stored; the
 * whole key is shown once, when it is issued. Pure functions: the municipalities subgraph keeps the keys,
 * the gateway only passes a presented key on to be checked.
 */
import { createHash, randomBytes, randomUUID, scrypt, timingSafeEqual } from 'node:crypto';

const SCRYPT = { N: 16_384, r: 8, p: 1, keyLength: 32 };
const KEY_PATTERN = /^ak\.([0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12})\.([A-Za-z0-9_-]{43})$/;
/** A key lives at most this long (the issue date plus a year). */
export const API_KEY_MAX_DAYS = 366;
/** The header a client may send the key in, besides `Authorization: ApiKey <key>` (for tools that cannot set Authorization). */
export const API_KEY_HEADER = 'x-api-key';

function hashOf(secret: string, salt: Buffer): Promise<Buffer> {
  return new Promise((resolve, reject) =>
    scrypt(secret, salt, SCRYPT.keyLength, { N: SCRYPT.N, r: SCRYPT.r, p: SCRYPT.p }, (error, hash) => (error ? reject(error) : resolve(hash))),
  );
}

/** A new key: its id, the whole key (to show once) and what is stored (salt and hash). */
export async function newApiKey(): Promise<{ id: string; key: string; salt: Buffer; hash: Buffer }> {
  const id = randomUUID();
  const secret = randomBytes(32).toString('base64url');
  const salt = randomBytes(16);
  return { id, key: `ak.${id}.${secret}`, salt, hash: await hashOf(secret, salt) };
}

/** The id and secret of a presented key, or null when it is not shaped like a key. */
export function parseApiKey(key: string): { id: string; secret: string } | null {
  const match = KEY_PATTERN.exec(key);
  return match ? { id: match[1], secret: match[2] } : null;
}

/** Whether `secret` is the one hashed into `hash` with `salt` (constant time). */
async function secretMatches(secret: string, salt: Buffer, hash: Buffer): Promise<boolean> {
  const candidate = await hashOf(secret, salt);
  return candidate.length === hash.length && timingSafeEqual(candidate, hash);
}

/** How many keys' checked secrets a process remembers (the oldest checked go first). */
const REMEMBERED_SECRETS = 10_000;

/**
 * secretMatches, hashing with scrypt once per key and process rather than on every check: a secret found to
 * match is remembered by its key's id as its SHA-256 beside the stored hash it matched, so the same secret
 * against the same stored hash matches again at the cost of a SHA-256. scrypt is slow on purpose, against a
 * stolen table; it cost every request of a BI refresh some 40 ms where the gateway cannot reuse its answer
 * (no data version: PgBouncer in transaction mode). Never the secret itself; a mismatch is not remembered.
 */
export class SecretChecks {
  private readonly matched = new Map<string, { digest: Buffer; hash: Buffer }>();

  async matches(id: string, secret: string, salt: Buffer, hash: Buffer): Promise<boolean> {
    const digest = createHash('sha256').update(secret).digest();
    const known = this.matched.get(id);
    if (known && known.hash.equals(hash) && timingSafeEqual(known.digest, digest)) return true;
    if (!(await secretMatches(secret, salt, hash))) return false;
    this.matched.delete(id);
    this.matched.set(id, { digest, hash });
    if (this.matched.size > REMEMBERED_SECRETS) this.matched.delete(this.matched.keys().next().value!);
    return true;
  }
}

/**
 * The key a request presents: `Authorization: ApiKey <key>`, `Authorization: Bearer <key>` (tools that offer only a
 * bearer token: a key is never taken for a JWT, whose first part is JSON, not `ak`) or the `x-api-key` header;
 * undefined when it presents none.
 */
export function presentedApiKey(headers: { authorization?: string; [API_KEY_HEADER]?: string | string[] }): string | undefined {
  const match = /^(ApiKey|Bearer)\s+(\S+)$/i.exec(headers.authorization ?? '');
  if (match && (match[1].toLowerCase() === 'apikey' || match[2].startsWith('ak.'))) return match[2];
  const header = headers[API_KEY_HEADER];
  return typeof header === 'string' && header !== '' ? header : undefined;
}

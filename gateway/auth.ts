/**
 * Bearer-token verification at the gateway (jose). Development uses an HS256 secret; production a
 * JWKS URL of the identity provider. A request without a token is an anonymous viewer; a forged,
 * expired or unusable token is UNAUTHENTICATED; a token that cannot be checked because the identity
 * provider's keys cannot be had is 503 SUBGRAPH_UNAVAILABLE (the server's failure, never the caller's).
 */
import { SignJWT, createLocalJWKSet, createRemoteJWKSet, errors, jwtVerify, type JWTVerifyGetKey } from 'jose';
import type { JwtConfig } from '../shared/config';
import { ANONYMOUS, ROLES, type Role, type Viewer, viewerFromClaims } from '../shared/context';
import { signInUncheckable, unauthenticated } from '../shared/errors';

const VERIFIED_TOKENS_KEPT = 10_000;
const VERIFIED_TOKEN_TTL_MS = 60_000;
/** Clocks of the identity provider and the gateway may differ by this much (iat, nbf, exp). */
export const CLOCK_SKEW_SECONDS = 60;
export const DEFAULT_MAX_LIFETIME_SECONDS = 12 * 3600;

/** The `serviceName` of a refusal because the identity provider's keys cannot be had. */
export const IDENTITY_PROVIDER = 'identity-provider';
/** While the identity provider cannot be reached, the keys it gave last verify tokens, for at most this long. */
export const LAST_KEYS_MAX_AGE_MS = 24 * 3600_000;
/** After the provider failed to answer, requests use its last keys without asking it again for this long. */
const KEYS_RETRY_MS = 30_000;

/** The identity provider's keys could not be fetched: the token is not known to be bad. */
class KeysUnavailable extends Error {}

/** A failure to get the keys (down, timed out, an answer that is not a key set), not a fault of the token. */
function providerFailure(error: unknown): string | undefined {
  if (error instanceof errors.JWKSTimeout) return 'the request timed out';
  if (error instanceof errors.JWKSInvalid) return 'its answer is not a JSON Web Key Set';
  if (error instanceof errors.JOSEError) return error.constructor === errors.JOSEError ? error.message : undefined;
  const cause = (error as { cause?: { code?: string } }).cause;
  return cause?.code ?? (error as Error).message;
}

/**
 * The identity provider's keys (jose's remote key set: fetched, kept 10 minutes, fetched again for a key id it
 * does not know), and, while the provider cannot be reached, the keys it gave last — so that its outage or a
 * slow answer neither signs everyone out nor makes every request wait for it. Tokens of a key id the last keys
 * do not have are refused as usual (401).
 */
export function identityProviderKeys(jwksUrl: string, options: { cacheMaxAgeMs?: number } = {}): JWTVerifyGetKey {
  const remote = createRemoteJWKSet(new URL(jwksUrl), { cacheMaxAge: options.cacheMaxAgeMs });
  let answeredAt = -Infinity; // when keys the provider had given within the cache's age last verified a token
  let failedAt = -Infinity;
  let failure = '';
  let lastKeys: JWTVerifyGetKey | undefined;
  const fromLastKeys: JWTVerifyGetKey = (header, token) => {
    const jwks = Date.now() - answeredAt < LAST_KEYS_MAX_AGE_MS ? remote.jwks() : undefined;
    if (!jwks) throw new KeysUnavailable(failure);
    lastKeys ??= createLocalJWKSet(jwks);
    return lastKeys(header, token);
  };
  return async (header, token) => {
    if (Date.now() - failedAt < KEYS_RETRY_MS) return fromLastKeys(header, token);
    try {
      const key = await remote(header, token);
      answeredAt = Date.now();
      lastKeys = undefined;
      return key;
    } catch (error) {
      const why = providerFailure(error);
      if (why === undefined) throw error;
      failedAt = Date.now();
      failure = why;
      return fromLastKeys(header, token);
    }
  };
}

/** jose's own expiry check and the exact one below say the same. */
const expired = () => unauthenticated('the token has expired', 'トークンの有効期限が切れています。サインインし直してください', 'whole request');

export type TokenVerifier = (authorization: string | undefined) => Promise<Viewer>;

export function createTokenVerifier(config: JwtConfig, keysOptions?: { cacheMaxAgeMs?: number }): TokenVerifier {
  const key: Uint8Array | JWTVerifyGetKey = config.jwksUrl ? identityProviderKeys(config.jwksUrl, keysOptions) : new TextEncoder().encode(config.secret);
  // While JWT_SECRET is being changed, tokens signed with the one before (JWT_SECRET_PREVIOUS) still verify.
  const previousKey = !config.jwksUrl && config.previousSecret ? new TextEncoder().encode(config.previousSecret) : undefined;
  const verify = async (token: string) => {
    try {
      return await jwtVerify(token, key as Uint8Array, options);
    } catch (error) {
      if (previousKey && error instanceof errors.JWSSignatureVerificationFailed) return jwtVerify(token, previousKey, options);
      throw error;
    }
  };
  const options = {
    issuer: config.issuer,
    audience: config.audience,
    algorithms: config.jwksUrl ? ['RS256', 'ES256', 'PS256', 'EdDSA'] : ['HS256'],
    requiredClaims: ['sub', 'exp', 'iat'],
    clockTolerance: CLOCK_SKEW_SECONDS,
  };
  const maxLifetime = config.maxLifetimeSeconds ?? DEFAULT_MAX_LIFETIME_SECONDS;
  // A verified token is remembered (until it expires, at most a minute) so that an app's requests do
  // not each pay for the signature check; refused tokens are never remembered.
  const verified = new Map<string, { viewer: Viewer; until: number }>();
  return async (authorization) => {
    if (!authorization) return ANONYMOUS;
    const match = /^Bearer\s+(\S+)$/i.exec(authorization);
    if (!match)
      throw unauthenticated('the Authorization header must be "Bearer <token>"', 'Authorization ヘッダーは「Bearer <トークン>」の形です', 'whole request');
    const remembered = verified.get(match[1]);
    if (remembered && remembered.until > Date.now()) return remembered.viewer;
    let claims: Record<string, unknown>;
    try {
      claims = (await verify(match[1])).payload;
    } catch (error) {
      if (error instanceof KeysUnavailable) {
        throw signInUncheckable(
          IDENTITY_PROVIDER,
          `the identity provider's signing keys (JWKS_URL) could not be fetched (${error.message}); try again shortly`,
          '認証基盤の署名鍵を取得できないため、サインインを確認できません。しばらくしてからもう一度お試しください',
        );
      }
      if (error instanceof errors.JWTExpired) throw expired();
      if (error instanceof errors.JWTClaimValidationFailed)
        throw unauthenticated(`the token's ${error.claim} claim is not accepted`, `トークンの ${error.claim} が受け付けられません`, 'whole request');
      throw unauthenticated('the token is invalid (bad signature or format)', 'トークンが正しくありません（署名または形式）', 'whole request');
    }
    const now = Math.floor(Date.now() / 1000);
    // The skew is allowed on iat and nbf, never on exp: the issuer's end of validity is exact.
    if (Number(claims.exp) <= now) throw expired();
    const iat = Number(claims.iat);
    if (!Number.isFinite(iat) || iat > now + CLOCK_SKEW_SECONDS)
      throw unauthenticated('the token was issued in the future (iat)', 'トークンの発行時刻（iat）が未来です（時計を確認してください）', 'whole request');
    if (Number(claims.exp) - iat > maxLifetime) {
      throw unauthenticated(
        `the token lives longer than ${maxLifetime / 3600} hours (exp − iat); ask the identity provider for a shorter one`,
        `トークンの有効時間が ${maxLifetime / 3600} 時間を超えています（exp − iat）。認証基盤に短いトークンを求めてください`,
        'whole request',
      );
    }
    const viewer = viewerFromClaims(config.roleClaim || config.prefectureClaim ? claimsAsNamed(claims, config) : claims);
    if ('invalid' in viewer) throw unauthenticated(viewer.invalid + readFrom(config), viewer.invalidJa + readFrom(config), 'whole request');
    if (verified.size >= VERIFIED_TOKENS_KEPT) verified.clear();
    verified.set(match[1], { viewer, until: Math.min(Number(claims.exp) * 1000, Date.now() + VERIFIED_TOKEN_TTL_MS) });
    return viewer;
  };
}

/** A claim by its name, or by a dotted path into nested claims when no claim has the name (`realm_access.roles`). */
function claimAt(claims: Record<string, unknown>, name: string): unknown {
  if (Object.hasOwn(claims, name)) return claims[name];
  let value: unknown = claims;
  for (const part of name.split('.')) {
    if (typeof value !== 'object' || value === null || Array.isArray(value) || !Object.hasOwn(value, part)) return undefined;
    value = (value as Record<string, unknown>)[part];
  }
  return value;
}

/**
 * The claims under the names `viewerFromClaims` reads, from where the identity provider puts them. A role claim
 * that is a list (Entra ID's app roles, Keycloak's realm roles) gives the one role of this API it holds; none or
 * several is no role (a person has one). A prefecture given as a number (1) is its code ("01").
 */
export function claimsAsNamed(claims: Record<string, unknown>, config: Pick<JwtConfig, 'roleClaim' | 'prefectureClaim'>): Record<string, unknown> {
  let role = claimAt(claims, config.roleClaim || 'role');
  if (Array.isArray(role)) {
    const ours = [...new Set(role.filter((r): r is string => typeof r === 'string' && (ROLES as readonly string[]).includes(r)))];
    role = ours.length === 1 ? ours[0] : undefined;
  }
  let prefecture = claimAt(claims, config.prefectureClaim || 'prefecture');
  if (typeof prefecture === 'number' && Number.isInteger(prefecture)) prefecture = String(prefecture).padStart(2, '0');
  return { sub: claims.sub, role, prefecture };
}

/** Where a refused role or prefecture was read, when not from the default claims. */
const readFrom = (config: JwtConfig) =>
  config.roleClaim || config.prefectureClaim ? ` (claims ${config.roleClaim || 'role'} and ${config.prefectureClaim || 'prefecture'})` : '';

/** Signs a development token with the HS256 secret of `config` (`npm run token`, tests). */
export function signDevelopmentToken(
  config: JwtConfig,
  claims: { subject: string; role: Role; prefectureCode?: string | null },
  expiresIn: string | number = '8h',
): Promise<string> {
  if (!config.secret) throw new Error('JWT_SECRET is not set: development tokens need the HS256 secret');
  const payload: Record<string, unknown> = { role: claims.role };
  if (claims.prefectureCode) payload.prefecture = claims.prefectureCode;
  const token = new SignJWT(payload).setProtectedHeader({ alg: 'HS256' }).setSubject(claims.subject).setIssuedAt().setExpirationTime(expiresIn);
  if (config.issuer) token.setIssuer(config.issuer);
  if (config.audience) token.setAudience(config.audience);
  return token.sign(new TextEncoder().encode(config.secret));
}

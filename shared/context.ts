/**
 * Who is asking (the viewer) and how that travels from the gateway to the subgraphs.
 *
 * The gateway verifies the client's JWT and forwards the verified claims in `x-viewer`, together
 * with the shared internal secret in `x-gateway-secret`; a subgraph believes `x-viewer` only when
 * the secret matches, so a client cannot claim a role by calling a subgraph directly.
 */
import { timingSafeEqual } from 'node:crypto';
import type { IncomingHttpHeaders } from 'node:http';
import { checkPrefectureCode } from './codes';

export const ROLES = ['ADVISOR', 'PREFECTURE_STAFF', 'ANALYST', 'ADMIN'] as const;
export type Role = (typeof ROLES)[number];
/** Roles bound to one prefecture; the others are national. */
export const PREFECTURE_ROLES: readonly Role[] = ['ADVISOR', 'PREFECTURE_STAFF'];

export interface Viewer {
  /** The token's `sub`; null for an anonymous viewer. */
  subject: string | null;
  role: Role | null;
  /** Two-digit prefecture code for prefecture-bound roles, else null. */
  prefectureCode: string | null;
  /** Set when the caller is a machine signed in with an API key (its id): it only reads, and never free text. */
  apiKeyId?: string;
}

export const ANONYMOUS: Viewer = Object.freeze({ subject: null, role: null, prefectureCode: null });

export const VIEWER_HEADER = 'x-viewer';
export const GATEWAY_SECRET_HEADER = 'x-gateway-secret';
export const REQUEST_ID_HEADER = 'x-request-id';

/** The longest token subject accepted: OpenID Connect Core 1.0 §2 says a `sub` is at most 255 ASCII characters. */
export const SUBJECT_MAX_LENGTH = 255;

/** Builds a viewer from verified token claims; returns the reason when the claims are unusable. */
export function viewerFromClaims(claims: Record<string, unknown>): Viewer | { invalid: string; invalidJa: string } {
  const subject = claims.sub;
  if (typeof subject !== 'string' || subject === '') return { invalid: 'the token has no subject (sub)', invalidJa: 'トークンに利用者（sub）がありません' };
  // OpenID Connect's bound: a subject names a person in the audit, the history and every log line, never a text.
  if (subject.length > SUBJECT_MAX_LENGTH) {
    return {
      invalid: `the token's subject (sub) is over ${SUBJECT_MAX_LENGTH} characters`,
      invalidJa: `トークンの利用者（sub）が ${SUBJECT_MAX_LENGTH} 文字を超えています`,
    };
  }
  // Exact names only: "admin" or "Admin" is no role (an identity provider's typo must not pass as one).
  const role = typeof claims.role === 'string' ? claims.role : undefined;
  if (!role || !(ROLES as readonly string[]).includes(role)) {
    return { invalid: `the token's role must be one of ${ROLES.join(', ')}`, invalidJa: `トークンの役割（role）は ${ROLES.join('、')} のいずれかです` };
  }
  const prefecture = claims.prefecture;
  if (PREFECTURE_ROLES.includes(role as Role)) {
    if (typeof prefecture !== 'string' || !checkPrefectureCode(prefecture).ok) {
      return {
        invalid: `role ${role} needs a prefecture claim, "01" to "47"`,
        invalidJa: `役割 ${role} のトークンには都道府県（prefecture、"01"〜"47"）が必要です`,
      };
    }
    return { subject, role: role as Role, prefectureCode: prefecture };
  }
  return { subject, role: role as Role, prefectureCode: null };
}

const encoded = new WeakMap<Viewer, string>();
/** The `x-viewer` header value; remembered per viewer object, as it goes on every subgraph call. */
export function encodeViewer(viewer: Viewer): string {
  let value = encoded.get(viewer);
  if (value === undefined) encoded.set(viewer, (value = Buffer.from(JSON.stringify(viewer)).toString('base64url')));
  return value;
}

const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/;

export function decodeViewer(header: string): Viewer | undefined {
  try {
    const claims = JSON.parse(Buffer.from(header, 'base64url').toString('utf8'));
    if (claims.subject === null && claims.role === null && claims.prefectureCode === null) return ANONYMOUS;
    const viewer = viewerFromClaims({ sub: claims.subject, role: claims.role, prefecture: claims.prefectureCode });
    if ('invalid' in viewer) return undefined;
    if (claims.apiKeyId === undefined) return viewer;
    return typeof claims.apiKeyId === 'string' && UUID.test(claims.apiKeyId) ? { ...viewer, apiKeyId: claims.apiKeyId } : undefined;
  } catch {
    return undefined;
  }
}

/**
 * Whether a request comes through the gateway: it presents one of `accepted` in `x-gateway-secret` —
 * GATEWAY_SECRET, and while that secret is being changed, GATEWAY_SECRET_PREVIOUS (README: Changing secrets).
 */
export type SentByGateway = (headers: IncomingHttpHeaders) => boolean;

export function sentByGatewayCheck(accepted: readonly string[], onPrevious?: () => void): SentByGateway {
  return (headers) => {
    const presented = headers[GATEWAY_SECRET_HEADER];
    if (typeof presented !== 'string') return false;
    const which = accepted.findIndex((secret) => secretsEqual(presented, secret));
    if (which > 0) onPrevious?.(); // a gateway not yet restarted with the new secret
    return which !== -1;
  };
}

export function secretsEqual(given: string, expected: string): boolean {
  const a = Buffer.from(given);
  const b = Buffer.from(expected);
  return a.length === b.length && timingSafeEqual(a, b);
}

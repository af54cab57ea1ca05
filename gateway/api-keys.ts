/**
 * API keys at the gateway: a request presenting one (`Authorization: ApiKey <key>` or `X-API-Key`) is
 * checked with the subgraph that keeps the keys (municipalities, `POST /internal/api-key-sessions`), whose
 * answer — the session, or the refusal — is reused while that subgraph's data version and the day in Japan
 * stand, for a minute at most (gateway/remembered-answers.ts): a revoked key is refused on its very next
 * request, an expired one from midnight, and a key's last use is recorded to the minute. The check hashes
 * the secret with scrypt (tens of milliseconds, on purpose), which every request of a BI refresh paid.
 * Answers are remembered under the key's SHA-256, never the key. A key reads as its scope does; it never
 * writes, and runs only its allowed operations when it has a list.
 */
import type { ApolloServerPlugin } from '@apollo/server';
import { createHash } from 'node:crypto';
import type { IncomingMessage } from 'node:http';
import type { GraphQLError } from 'graphql';
import { presentedApiKey } from '../shared/api-keys';
import type { Viewer } from '../shared/context';
import { GATEWAY_SECRET_HEADER } from '../shared/context';
import { DATA_VERSION_HEADER } from '../shared/data-version';
import { todayInJapan } from '../shared/dates';
import { forbidden, signInUncheckable, unauthenticated } from '../shared/errors';
import type { AdvisorSignIns } from './advisor-sign-ins';
import type { DataVersions, VersionsAsked } from './data-versions';
import { RememberedAnswers } from './remembered-answers';
import type { TokenVerifier } from './auth';
import type { GatewayContext } from './context';
import { describeRequest } from '../shared/request-log';

/** The subgraph that keeps API keys and checks them for the gateway. */
export const API_KEY_SUBGRAPH = 'municipalities';
const API_KEY_SESSIONS_PATH = '/internal/api-key-sessions';
/** What the remembered answers may take (thousands of keys); past it the least recently used are asked again. */
const REMEMBERED_BYTES = 4 * 1024 * 1024;
/** A key's answer is asked again after this, so that its last use (`ApiKey.lastUsedAt`, recorded when asked) holds to the minute. */
const SESSION_MAX_AGE_MS = 60_000;

/** The keys' subgraph's answer: the session a key opens, or why it is refused. */
interface ApiKeyAnswer {
  viewer?: Viewer;
  allowedOperations?: string[] | null;
  refused?: string;
  refusedJa?: string;
}

export interface Caller {
  viewer: Viewer;
  /** For an API key with a list: the operations (by name) and exports (file names) it may run; else null. */
  allowedOperations: string[] | null;
  /** The subgraphs' data versions this request has asked for (the registry's check, its kept answer's), asked once. */
  versionsAsked: VersionsAsked;
}

export type Authenticate = (headers: { authorization?: string; [header: string]: string | string[] | undefined }) => Promise<Caller>;

/**
 * JWT or API key: whichever the request presents (a request presenting neither is anonymous) —
 * `identify` — and, for an ADVISOR's JWT, the advisor registry's word on it (gateway/advisor-sign-ins.ts) —
 * `admit`. Every route asks through authenticatedOnce, below.
 */
export function createAuthenticator(
  verifyToken: TokenVerifier,
  options: { subgraphUrl: string; gatewaySecret: string; timeoutMs: number; advisorSignIns: AdvisorSignIns; versions: DataVersions },
): { identify: Authenticate; admit(caller: Caller): Promise<void> } {
  const endpoint = new URL(API_KEY_SESSIONS_PATH, options.subgraphUrl);
  const sessions = new RememberedAnswers<ApiKeyAnswer>({
    subgraph: API_KEY_SUBGRAPH,
    versions: options.versions,
    maxBytes: REMEMBERED_BYTES,
    maxAgeMs: SESSION_MAX_AGE_MS,
  });
  /** The subgraph's answer for a key, kept under the key's hash; throws when the subgraph cannot be asked. */
  const ask = async (key: string, hash: string): Promise<ApiKeyAnswer> => {
    const day = todayInJapan();
    let response: Response;
    try {
      response = await fetch(endpoint, {
        method: 'POST',
        headers: { 'content-type': 'application/json', [GATEWAY_SECRET_HEADER]: options.gatewaySecret },
        body: JSON.stringify({ key }),
        signal: AbortSignal.timeout(options.timeoutMs),
      });
    } catch {
      throw signInUncheckable(
        API_KEY_SUBGRAPH,
        `API keys cannot be checked now: the ${API_KEY_SUBGRAPH} subgraph is unavailable; try again shortly`,
        'APIキーを確認できません。しばらくしてからもう一度お試しください',
      );
    }
    const answer = (await response.json().catch(() => ({}))) as ApiKeyAnswer;
    // A session (200) or a refusal (401) is the keys' word on this key; anything else is asked again.
    if (response.status === 200 || response.status === 401) {
      // A refusal is kept apart (BoundedStore): random keys, one per request, must not push out the real keys' sessions.
      sessions.keep(hash, answer, response.headers.get(DATA_VERSION_HEADER) ?? undefined, day, 1024 + JSON.stringify(answer).length, !answer.viewer);
    }
    return answer;
  };
  const identify: Authenticate = async (headers) => {
    const versionsAsked: VersionsAsked = new Map();
    const key = presentedApiKey(headers as Parameters<typeof presentedApiKey>[0]);
    if (key === undefined) return { viewer: await verifyToken(headers.authorization), allowedOperations: null, versionsAsked };
    const hash = createHash('sha256').update(key).digest('base64url');
    const answer = (await sessions.standing(hash, versionsAsked)) ?? (await ask(key, hash));
    if (!answer.viewer) {
      throw unauthenticated(answer.refused ?? 'the API key was not accepted', answer.refusedJa ?? 'APIキーが受け付けられませんでした', 'whole request');
    }
    // The request's own viewer: what a request marks on it must not reach the next one.
    return { viewer: { ...answer.viewer }, allowedOperations: answer.allowedOperations ?? null, versionsAsked };
  };
  const admit = (caller: Caller) => options.advisorSignIns.check(caller.viewer, caller.versionsAsked);
  return { identify, admit };
}

/** The caller of a request, or the refusal (see authenticatedOnce). */
export type CallerOf = (req: IncomingMessage) => Promise<Caller>;

/**
 * Each request identified and admitted once, whoever asks first (the short path for kept answers, then
 * Apollo Server's context; an export; an import): the same caller, or the same refusal, for all — and the
 * request's log line names the caller, or the reason it was refused.
 */
export function authenticatedOnce({ identify, admit }: ReturnType<typeof createAuthenticator>): {
  identified: CallerOf;
  admitted: CallerOf;
} {
  const identities = new WeakMap<IncomingMessage, Promise<Caller>>();
  const admissions = new WeakMap<IncomingMessage, Promise<Caller>>();
  const identified = (req: IncomingMessage) => {
    let caller = identities.get(req);
    if (!caller) {
      caller = identify(req.headers).then(
        (identity) => {
          describeRequest(req, { viewer: identity.viewer }); // the request's log line names who asked
          return identity;
        },
        (error: unknown) => refusedInTheLog(req, error),
      );
      identities.set(req, caller);
    }
    return caller;
  };
  return {
    identified,
    admitted: (req) => {
      let caller = admissions.get(req);
      if (!caller) {
        caller = identified(req).then(async (identity) => {
          await admit(identity).catch((error: unknown) => refusedInTheLog(req, error));
          return identity;
        });
        admissions.set(req, caller);
      }
      return caller;
    },
  };
}

/** Tells the request's log line why the caller was refused as a whole (the reason they were given), and rethrows. */
function refusedInTheLog(req: IncomingMessage, error: unknown): never {
  const reason = (error as GraphQLError).extensions?.reason;
  if (typeof reason === 'string') describeRequest(req, { refusal: reason });
  throw error;
}

/** An API key never writes, and keeps to its list of operations. */
export function apiKeyPolicyPlugin(): ApolloServerPlugin<GatewayContext> {
  return {
    async requestDidStart() {
      return {
        async didResolveOperation({ contextValue, operation, operationName }) {
          if (!contextValue.viewer.apiKeyId) return;
          if (operation?.operation !== 'query') {
            throw forbidden('an API key only reads: mutations need a person signed in', 'APIキーは読み取り専用です（変更は本人のサインインで）');
          }
          const allowed = contextValue.allowedOperations;
          if (allowed && !(operationName && allowed.includes(operationName))) {
            throw forbidden(
              `this API key runs only ${allowed.join(', ')}; give the operation one of those names`,
              'このAPIキーで実行できる操作は限られています',
            );
          }
        },
      };
    },
  };
}

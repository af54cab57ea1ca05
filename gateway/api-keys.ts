/**
 * API keys at the gateway: a request presenting one (`Authorization: ApiKey <key>` or `X-API-Key`) is
 * checked with the subgraph that keeps the keys (municipalities, `POST /internal/api-key-sessions`) on
 * every request — nothing remembers a key, so a revoked or expired key is refused at once. A key reads
 * as its scope does; it never writes, and runs only its allowed operations when it has a list.
 */
import type { ApolloServerPlugin } from '@apollo/server';
import type { IncomingMessage } from 'node:http';
import type { GraphQLError } from 'graphql';
import { presentedApiKey } from '../shared/api-keys';
import type { Viewer } from '../shared/context';
import { GATEWAY_SECRET_HEADER } from '../shared/context';
import { forbidden, signInUncheckable, unauthenticated } from '../shared/errors';
import type { AdvisorSignIns } from './advisor-sign-ins';
import type { VersionsAsked } from './answer-cache';
import type { TokenVerifier } from './auth';
import type { GatewayContext } from './context';
import { describeRequest } from '../shared/request-log';

/** The subgraph that keeps API keys and checks them for the gateway. */
export const API_KEY_SUBGRAPH = 'municipalities';

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
  options: { subgraphUrl: string; gatewaySecret: string; timeoutMs: number; advisorSignIns: AdvisorSignIns },
): { identify: Authenticate; admit(caller: Caller): Promise<void> } {
  const endpoint = new URL('/internal/api-key-sessions', options.subgraphUrl);
  const identify: Authenticate = async (headers) => {
    const key = presentedApiKey(headers as Parameters<typeof presentedApiKey>[0]);
    if (key === undefined) return { viewer: await verifyToken(headers.authorization), allowedOperations: null, versionsAsked: new Map() };
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
    const body = (await response.json().catch(() => ({}))) as { viewer?: Viewer; allowedOperations?: string[] | null; refused?: string; refusedJa?: string };
    if (!response.ok || !body.viewer) {
      throw unauthenticated(body.refused ?? 'the API key was not accepted', body.refusedJa ?? 'APIキーが受け付けられませんでした', 'whole request');
    }
    return { viewer: body.viewer, allowedOperations: body.allowedOperations ?? null, versionsAsked: new Map() };
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

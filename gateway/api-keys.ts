/**
 * API keys at the gateway: a request presenting one (`Authorization: ApiKey <key>` or `X-API-Key`) is
 * checked with the subgraph that keeps the keys (municipalities, `POST /internal/api-key-sessions`) on
 * every request — nothing remembers a key, so a revoked or expired key is refused at once. A key reads
 * as its scope does; it never writes, and runs only its allowed operations when it has a list.
 */
import type { ApolloServerPlugin } from '@apollo/server';
import type { IncomingMessage } from 'node:http';
import { GraphQLError } from 'graphql';
import { presentedApiKey } from '../shared/api-keys';
import type { Viewer } from '../shared/context';
import { GATEWAY_SECRET_HEADER } from '../shared/context';
import { ErrorCode, forbidden, unauthenticated } from '../shared/errors';
import type { AdvisorSignIns } from './advisor-sign-ins';
import type { VersionsAsked } from './answer-cache';
import type { TokenVerifier } from './auth';
import type { GatewayContext } from './context';

/** The subgraph that keeps API keys and checks them for the gateway. */
export const API_KEY_SUBGRAPH = 'municipalities';

export interface Caller {
  viewer: Viewer;
  /** For an API key with a list: the operations (by name) and exports (file names) it may run; else null. */
  allowedOperations: string[] | null;
  /** The subgraphs' data versions asked for while authenticating, for the rest of the request to reuse. */
  versionsAsked?: VersionsAsked;
}

export type Authenticate = (headers: { authorization?: string; [header: string]: string | string[] | undefined }) => Promise<Caller>;

/**
 * JWT or API key: whichever the request presents (a request presenting neither is anonymous). An
 * ADVISOR's JWT is also held against the advisor registry (gateway/advisor-sign-ins.ts).
 */
export function createAuthenticator(
  verifyToken: TokenVerifier,
  options: { subgraphUrl: string; gatewaySecret: string; timeoutMs: number; advisorSignIns: AdvisorSignIns },
): Authenticate {
  const endpoint = new URL('/internal/api-key-sessions', options.subgraphUrl);
  return async (headers) => {
    const key = presentedApiKey(headers as Parameters<typeof presentedApiKey>[0]);
    if (key === undefined) {
      const viewer = await verifyToken(headers.authorization);
      const versionsAsked: VersionsAsked = new Map();
      await options.advisorSignIns.check(viewer, versionsAsked);
      return { viewer, allowedOperations: null, versionsAsked };
    }
    let response: Response;
    try {
      response = await fetch(endpoint, {
        method: 'POST',
        headers: { 'content-type': 'application/json', [GATEWAY_SECRET_HEADER]: options.gatewaySecret },
        body: JSON.stringify({ key }),
        signal: AbortSignal.timeout(options.timeoutMs),
      });
    } catch {
      throw new GraphQLError(`API keys cannot be checked now: the ${API_KEY_SUBGRAPH} subgraph is unavailable / APIキーを確認できません`, {
        extensions: {
          code: ErrorCode.SUBGRAPH_UNAVAILABLE,
          serviceName: API_KEY_SUBGRAPH,
          messageJa: 'APIキーを確認できません。しばらくしてからもう一度お試しください',
          http: { status: 503 },
        },
      });
    }
    const body = (await response.json().catch(() => ({}))) as { viewer?: Viewer; allowedOperations?: string[] | null; refused?: string; refusedJa?: string };
    if (!response.ok || !body.viewer) {
      throw unauthenticated(body.refused ?? 'the API key was not accepted', body.refusedJa ?? 'APIキーが受け付けられませんでした', 'whole request');
    }
    return { viewer: body.viewer, allowedOperations: body.allowedOperations ?? null };
  };
}

/**
 * Authenticates each request once, whoever asks first (the short path for kept answers, then Apollo
 * Server's context): the same caller, or the same refusal, for both.
 */
export function authenticatedOnce(authenticate: Authenticate): (req: IncomingMessage) => Promise<Caller> {
  const callers = new WeakMap<IncomingMessage, Promise<Caller>>();
  return (req) => {
    let caller = callers.get(req);
    if (!caller) callers.set(req, (caller = authenticate(req.headers)));
    return caller;
  };
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

/** The gateway's HTTP policies that are not GraphQL: which browser origins may call it, and `GET /graphql` in a browser. */
import type { IncomingMessage, ServerResponse } from 'node:http';
import type { NextFunction, Request, Response } from 'express';
import vary from 'vary';
import { errorsBody } from '../shared/errors';
import { answerErrors } from '../shared/http';

/**
 * The request headers a browser front end on an allowed origin may send (its preflight names them): every one
 * the API reads or documents for clients. A header missing here blocks the whole request in the browser.
 */
const ALLOWED_HEADERS = [
  'authorization',
  'content-type',
  'x-request-id', // the caller's own request id, logged and returned
  'cache-control', // `no-cache`: a fresh answer (README: Caching)
  'traceparent', // OpenTelemetry in the page: the gateway's span continues its trace
  'tracestate',
  'apollo-require-preflight', // Apollo Server's CSRF prevention takes either of these two
  'x-apollo-operation-name',
  'apollographql-client-name', // Apollo Client sends these when given a name and version
  'apollographql-client-version',
].join(', ');

/** The answer headers a page on an allowed origin may read (CORS hides every other but the safelisted few). */
const EXPOSED_HEADERS =
  'x-request-id, content-disposition, retry-after, www-authenticate, ratelimit-policy, ratelimit-limit, ratelimit-remaining, ratelimit-reset';

/**
 * CORS for the origins of CORS_ORIGINS (none by default, so no other site's page can call the API
 * with a user's token): the headers of an answer to `req`; whether its origin is allowed.
 */
export function corsHeaders(origins: readonly string[]) {
  const allowed = new Set(origins);
  return (req: IncomingMessage, res: ServerResponse): boolean => {
    const origin = req.headers.origin;
    const ok = typeof origin === 'string' && allowed.has(origin);
    if (ok) {
      res.setHeader('access-control-allow-origin', origin);
      // What a page reads of an answer besides its body: the request id staff quote, a download's file name, when to
      // try again after a 429 or 503, and how to sign in after a 401 (a header not named here is hidden from the page).
      res.setHeader('access-control-expose-headers', EXPOSED_HEADERS);
    }
    vary(res, 'origin');
    return ok;
  };
}

/**
 * Every `/graphql` answer depends on who asks and on the media type asked for: a browser must not reuse
 * one it kept (reference data: `private, max-age=300`) for another token on the same machine — a
 * municipal office's shared PC, say.
 */
export function varyByCaller(res: ServerResponse): void {
  vary(res, ['authorization', 'accept']);
}

/**
 * Express middleware for the answers outside `/graphql` that hold a caller's records — exports (visit summaries
 * among them), import files and reports, refusals alike: kept by no cache, neither a proxy's that the
 * prefecture's offices share nor a shared PC's browser.
 */
export function notKept(_req: Request, res: Response, next: NextFunction): void {
  res.setHeader('cache-control', 'private, no-store');
  vary(res, 'authorization');
  next();
}

/**
 * Express middleware for CORS (corsHeaders). Preflights are answered here; a request from another origin
 * gets no CORS headers, which the browser treats as a refusal.
 */
export function corsMiddleware(origins: readonly string[]) {
  const headersFor = corsHeaders(origins);
  return (req: Request, res: Response, next: NextFunction) => {
    const ok = headersFor(req, res);
    if (req.method === 'OPTIONS' && req.headers['access-control-request-method']) {
      if (ok) {
        res.setHeader('access-control-allow-methods', 'GET, POST, OPTIONS');
        res.setHeader('access-control-allow-headers', ALLOWED_HEADERS);
        res.setHeader('access-control-max-age', '600');
      }
      res.status(ok ? 204 : 403).end();
      return;
    }
    next();
  };
}

/**
 * `GET /graphql` with no operation — no query, no trusted document's hash (a person opening the URL):
 * the explorer when it is on, else a JSON 404 (a `HEAD` comes here as a GET: shared/server.ts). Apollo's landing page
 * is off everywhere: it loads from Apollo's CDN.
 */
export function landingRedirect(explorer: boolean) {
  return (req: Request, res: Response, next: NextFunction) => {
    const { query, extensions, documentId } = req.query;
    if (req.method !== 'GET' || query !== undefined || extensions !== undefined || documentId !== undefined) return next();
    if (explorer) return res.redirect(302, '/explorer');
    answerErrors(
      res,
      404,
      errorsBody(
        'Send GraphQL requests with POST (or GET with ?query=) / GraphQL は POST で送信してください',
        'NOT_FOUND',
        'GraphQL は POST で送信してください',
        {},
        req.headers['accept-language'],
      ),
    );
  };
}

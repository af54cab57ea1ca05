/** The HTTP plumbing every service shares: listening with a clear "port in use" message, and probes. */
import { type RequestListener, STATUS_CODES, createServer, type Server, type ServerResponse } from 'node:http';
import type { AddressInfo, Socket } from 'node:net';
import onHeaders from 'on-headers';
import type { Express, Response } from 'express';
import type { GraphQLError } from 'graphql';
import { ErrorCode, badUserInput, errorsBody, fallbackMessageJa, withInquiryNumberJa } from './errors';
import { REQUEST_ID_HEADER } from './context';
import type { Logger } from './log';
import { describeRequest, logUnreadableRequest, requestIdOf } from './request-log';

export class PortInUseError extends Error {
  constructor(port: number, setting: string) {
    super(`Port ${port} is already in use; set ${setting} to use another port.`);
    this.name = 'PortInUseError';
  }
}

export interface Listening {
  server: Server;
  /** Base URL, e.g. http://127.0.0.1:4001 */
  origin: string;
}

/**
 * Seconds a 503 tells the caller to wait when its answer does not say (`Retry-After`): about what a restart or a
 * database's failover takes. BI tools (Power Query, Power BI's refresh) and HTTP clients wait that long and retry.
 */
export const UNAVAILABLE_RETRY_AFTER_SECONDS = 5;

/**
 * Headers on every answer of every service, whoever writes it (Apollo Server, a route, the gateway's short path
 * for kept answers, which runs before express): a browser never reads an answer as another type than it says
 * (an error quoting a value received, an export's free text, as HTML), and no URL of this API is sent on as
 * a Referer.
 */
const EVERY_ANSWER_HEADERS = { 'x-content-type-options': 'nosniff', 'referrer-policy': 'no-referrer' } as const;

/** The realm of the API's sign-ins, in `WWW-Authenticate`. */
export const AUTHENTICATION_REALM = 'advisor-api';

/**
 * `WWW-Authenticate` of a 401 (RFC 9110 §11.6.1: a 401 must say how to authenticate; RFC 6750 §3): the two
 * schemes the API takes in `Authorization` — `Bearer` (a person's token; `/metrics`' token) and `ApiKey` (a BI
 * tool's key, also taken as `X-API-Key`) — and, when the request brought credentials that were refused,
 * `error="invalid_token"` on the scheme it used. HTTP clients and BI tools read it to ask for credentials.
 */
export function authenticationChallenge(authorization: string | undefined, apiKeyHeader: unknown): string {
  const scheme = /^\s*(\S+)/.exec(authorization ?? '')?.[1]?.toLowerCase();
  const presented = scheme === 'apikey' || (!authorization && apiKeyHeader !== undefined) ? 'ApiKey' : authorization ? 'Bearer' : undefined;
  const challenge = (name: string) => `${name} realm="${AUTHENTICATION_REALM}"${presented === name ? ', error="invalid_token"' : ''}`;
  return `${challenge('Bearer')}, ${challenge('ApiKey')}`;
}

/**
 * The rules every answer of the service follows, set before anyone answers: EVERY_ANSWER_HEADERS; every 503
 * carries `Retry-After` (whoever answered: Apollo Server for a subgraph or sign-in that cannot be asked, a route
 * for a database out of reach, `/ready` while stopping), so the caller is told it is for now and when to try
 * again; and every 401 `WWW-Authenticate` (authenticationChallenge), whichever route refused the credentials.
 * An answer that set its own keeps it.
 */
function everyAnswer(app: Express | RequestListener): RequestListener {
  return (req, res) => {
    for (const [name, value] of Object.entries(EVERY_ANSWER_HEADERS)) res.setHeader(name, value);
    onHeaders(res, function (this: ServerResponse) {
      if (this.statusCode === 503 && !this.hasHeader('retry-after')) this.setHeader('retry-after', String(UNAVAILABLE_RETRY_AFTER_SECONDS));
      else if (this.statusCode === 401 && !this.hasHeader('www-authenticate')) {
        this.setHeader('www-authenticate', authenticationChallenge(req.headers.authorization, req.headers['x-api-key']));
      }
    });
    (app as RequestListener)(req, res);
  };
}

/** Creates the HTTP server for `app`; call `listen` on the result once everything is mounted. */
export function httpServerFor(app: Express | RequestListener, log?: Logger): Server {
  const server = createServer(everyAnswer(app));
  // Idle kept-alive connections stay open longer than the gateway's client keeps them (see
  // gateway/subgraph-http.ts), so the client closes them first: a request sent on a connection the
  // server is closing at that moment fails with ECONNRESET (seen under load with Node's default, 5 s).
  server.keepAliveTimeout = 65_000;
  server.headersTimeout = 66_000;
  server.on('clientError', (error: NodeJS.ErrnoException, socket: Socket) => answerUnreadableRequest(error, socket, log));
  return server;
}

/**
 * A request Node's HTTP parser refused (an unencoded character in the URL, headers too large, a request
 * that never finished) gets a JSON error that says why, in English and Japanese — Node's own answer is a
 * bare `400` with no body. The request's bytes are never repeated.
 */
function answerUnreadableRequest(error: NodeJS.ErrnoException, socket: Socket, log?: Logger): void {
  // A response already under way, or a client that left: nothing can be said.
  if (error.code === 'ECONNRESET' || !socket.writable || (socket as Socket & { _httpMessage?: unknown })._httpMessage) {
    socket.destroy();
    return;
  }
  const [status, message, messageJa] =
    error.code === 'HPE_HEADER_OVERFLOW'
      ? [431, 'the request headers are too large', 'リクエストのヘッダーが大きすぎます']
      : error.code === 'ERR_HTTP_REQUEST_TIMEOUT'
        ? [408, 'the request did not arrive in time', 'リクエストが時間内に届きませんでした']
        : [
            400,
            'the request is not valid HTTP (characters outside ASCII in the URL must be percent-encoded: curl -G --data-urlencode, encodeURIComponent)',
            'HTTP のリクエストとして読めません（URL の日本語などはパーセントエンコードしてください）',
          ];
  const body = JSON.stringify(errorsBody(`${message} / ${messageJa}`, 'BAD_REQUEST', messageJa));
  // Not a request Express ever saw, so no listener wrote its line: written here, with an id of its own.
  const requestId = log ? logUnreadableRequest(log, status, message) : undefined;
  const everyAnswerHeaders = Object.entries(EVERY_ANSWER_HEADERS)
    .map(([name, value]) => `${name}: ${value}\r\n`)
    .join('');
  socket.end(
    `HTTP/1.1 ${status} ${STATUS_CODES[status]}\r\n${requestId ? `${REQUEST_ID_HEADER}: ${requestId}\r\n` : ''}${everyAnswerHeaders}Content-Type: application/json; charset=utf-8\r\nContent-Length: ${Buffer.byteLength(body)}\r\nConnection: close\r\n\r\n${body}`,
  );
}

export function listen(server: Server, host: string, port: number, portSetting: string): Promise<Listening> {
  return new Promise((resolve, reject) => {
    const onError = (error: NodeJS.ErrnoException) => {
      reject(error.code === 'EADDRINUSE' ? new PortInUseError(port, portSetting) : error);
    };
    server.once('error', onError);
    server.listen(port, host, () => {
      server.off('error', onError);
      const { port: actual } = server.address() as AddressInfo;
      const shownHost = host === '0.0.0.0' || host === '::' ? 'localhost' : host;
      resolve({ server, origin: `http://${shownHost.includes(':') ? `[${shownHost}]` : shownHost}:${actual}` });
    });
  });
}

/** How long `/ready` waits for its check (a database that does not answer must not hang the probe). */
export const READY_TIMEOUT_MS = 2_000;

/** `GET /health` answers while the process is alive; `GET /ready` when `isReady` says so within READY_TIMEOUT_MS. */
export function mountProbes(app: Express, isReady: () => Promise<{ ready: boolean; detail?: unknown }>): void {
  app.get('/health', (_req, res) => {
    res.json({ status: 'ok' });
  });
  app.get('/ready', async (_req, res) => {
    let timer: NodeJS.Timeout | undefined;
    const timeout = new Promise<{ ready: boolean; detail: string }>((done) => {
      timer = setTimeout(() => done({ ready: false, detail: `no answer within ${READY_TIMEOUT_MS} ms` }), READY_TIMEOUT_MS);
    });
    const result = await Promise.race([isReady().catch(() => ({ ready: false, detail: 'the check failed' })), timeout]);
    clearTimeout(timer);
    res.status(result.ready ? 200 : 503).json({ status: result.ready ? 'ready' : 'not ready', detail: result.detail });
  });
}

/**
 * An answer of errors in GraphQL's shape (errorsBody), outside Apollo Server (a body it cannot read, a path
 * it does not serve, a limit checked before it): their codes are told to the request's log line.
 */
export function answerErrors(res: ServerResponse, status: number, body: ReturnType<typeof errorsBody>): void {
  describeRequest(res.req, { errorCodes: body.errors.map((e) => e.extensions.code) });
  const json = JSON.stringify(body);
  res.statusCode = status;
  res.setHeader('content-type', 'application/json; charset=utf-8');
  res.setHeader('content-length', Buffer.byteLength(json));
  res.end(json);
}

/** HTTP status of each refusal code. */
const STATUS: Record<string, number> = {
  [ErrorCode.BAD_USER_INPUT]: 400,
  [ErrorCode.UNAUTHENTICATED]: 401,
  [ErrorCode.FORBIDDEN]: 403,
  [ErrorCode.NOT_FOUND]: 404,
  [ErrorCode.CONFLICT]: 409,
  [ErrorCode.PAYLOAD_TOO_LARGE]: 413,
  [ErrorCode.QUERY_LIMIT_EXCEEDED]: 400,
  [ErrorCode.INTERNAL_SERVER_ERROR]: 500,
  [ErrorCode.SUBGRAPH_UNAVAILABLE]: 503,
};

/**
 * A refusal as JSON: the code, and the reason in English and Japanese; a failure of the server also the request
 * id to quote (`requestId`, 問い合わせ番号), which its log lines carry.
 */
export function refusal(
  res: Response,
  code: string,
  error: string,
  messageJa: string,
  extra: Record<string, unknown> = {},
  status = STATUS[code] ?? 400,
): void {
  describeRequest(res.req, { errorCodes: [code] });
  if (code === ErrorCode.INTERNAL_SERVER_ERROR) {
    const requestId = requestIdOf(res.req);
    res.status(status).json({ code, error, messageJa: withInquiryNumberJa(messageJa, requestId), requestId, ...extra });
    return;
  }
  res.status(status).json({ code, error, messageJa, ...extra });
}

/**
 * A route's parameters (the URL's, then a form's fields) by name, under one rule for every route: a name the
 * route does not take, or one given twice (in the URL, the form, or both), is refused as BAD_USER_INPUT
 * naming it — never ignored: a misspelt or repeated `dryRun` read as absent would make a check a real
 * import, a misspelt `prefecture` an export of the whole country.
 */
export function routeParameters(given: Iterable<readonly [string, unknown]>, takes: readonly string[], route: { en: string; ja: string }): Map<string, string> {
  const values = new Map<string, string>();
  for (const [name, value] of given) {
    if (!takes.includes(name)) {
      throw takes.length > 0
        ? badUserInput(name.slice(0, 100), `is not a parameter of ${route.en}; they take ${takes.join(', ')}`, {
            reasonJa: `${route.ja}のパラメーターではありません（使えるのは ${takes.join(', ')}）`,
          })
        : badUserInput(name.slice(0, 100), `${route.en} take no parameters`, { reasonJa: `${route.ja}にパラメーターはありません` });
    }
    if (typeof value !== 'string' || values.has(name))
      throw badUserInput(name, 'must be given once (in the URL or a form, not both)', { reasonJa: '1回だけ指定してください' });
    values.set(name, value);
  }
  return values;
}

/** An import's file that cannot be read (shared/csv.ts UnreadableFile): refused as a whole, naming the file. */
export function refuseUnreadableFile(res: Response, error: { message: string; messageJa: string; field?: string }): void {
  refusal(res, ErrorCode.BAD_USER_INPUT, `rejected, nothing was written: ${error.message}`, `取り込みませんでした: ${error.messageJa}`, {
    field: error.field ?? 'file',
  });
}

/**
 * Answers `error` as a refusal when it is one of this API's errors (a GraphQLError with a known code):
 * its message, Japanese message, and the argument and value it names. False for anything else.
 */
export function refusedFor(res: Response, error: unknown): boolean {
  const extensions = (error as GraphQLError).extensions as
    { code?: string; messageJa?: string; argument?: string; value?: unknown; limit?: string; http?: { status?: number }; retryAfter?: string } | undefined;
  if (!extensions?.code || !(extensions.code in STATUS)) return false;
  const { argument, value, limit, http, retryAfter } = extensions;
  // The status and Retry-After GraphQL gave it (a 429 for heavy operations already running): a BI tool retries a
  // 429 after Retry-After, and gives up on a 400.
  if (retryAfter) res.setHeader('retry-after', retryAfter);
  refusal(
    res,
    extensions.code,
    (error as Error).message,
    extensions.messageJa ?? fallbackMessageJa(extensions.code, extensions),
    {
      ...(argument === undefined ? {} : { field: argument }),
      ...(value === undefined ? {} : { value }),
      ...(limit === undefined ? {} : { limit }),
    },
    http?.status && http.status >= 400 ? http.status : STATUS[extensions.code],
  );
  return true;
}

/**
 * `Content-Disposition` of a file a route hands out, named for what it holds and as of when, so that a week's
 * downloads do not overwrite one another or become `municipality-status (3).xlsx`: the name and each part
 * given, by `_` (`municipality-status_01_2025-04-01.xlsx`). With `nameJa` (a Japanese file name asked for),
 * that name as RFC 6266's `filename*` and the English one as `filename` for clients that read only that.
 */
export function attachmentDisposition(file: { name: string; nameJa?: string; parts: Array<string | null | undefined>; format: string }): string {
  const suffix = file.parts
    .filter(Boolean)
    .map((part) => `_${part}`)
    .join('');
  const english = `attachment; filename="${file.name}${suffix}.${file.format}"`;
  return file.nameJa ? `${english}; filename*=UTF-8''${encodeURIComponent(`${file.nameJa}${suffix}.${file.format}`)}` : english;
}

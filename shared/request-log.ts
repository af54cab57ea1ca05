/**
 * One log line per HTTP request on every service, written when the answer has gone out (or the caller
 * left): whatever answered it — Apollo Server, the gateway's kept answers, an export, an import, a refusal
 * at sign-in, a 404 — only describes it (`describeRequest`), so no request goes unlogged and none is
 * logged twice. Never a query string, a body or variables (they may hold protected notes).
 */
import { randomUUID } from 'node:crypto';
import type { IncomingMessage, RequestListener, ServerResponse } from 'node:http';
import proxyaddr from 'proxy-addr';
import { REQUEST_ID_HEADER } from './context';
import type { Logger } from './log';

/** Who asked, as the request log names them: role and token subject, or the API key's id (never the key). */
export interface LoggedViewer {
  role: string | null;
  subject?: string | null;
  apiKeyId?: string;
}

/** What those who answer a request tell its log line. */
export interface RequestDescription {
  operationName?: string | null;
  viewer?: LoggedViewer;
  /** The list of subgraph fetches made for it (the gateway's), read when the line is written. */
  fetches?: readonly string[];
  /** Error codes of its answer; added to those already told. */
  errorCodes?: readonly unknown[];
  /** Why it was refused as a whole at sign-in (the reason the caller was given, in English). */
  refusal?: string;
  /**
   * Codes of the errors formatted for its answer: logged when nothing told `errorCodes` — a request Apollo
   * Server refused before any plugin ran (CSRF, no body, a method it does not take).
   */
  formattedErrorCodes?: readonly unknown[];
}

interface Described {
  requestId: string;
  /** Who sent it, when the service reads it (the gateway: `TRUSTED_PROXIES`); see clientAddressOf. */
  clientAddress?: string;
  /** As it arrived, without the query string (routers change `req.url` on the way). */
  path: string;
  started: number;
  operationName: string | null;
  viewer?: LoggedViewer;
  fetches?: readonly string[];
  errorCodes: unknown[];
  formattedErrorCodes: unknown[];
  refusal?: string;
}

const described = new WeakMap<IncomingMessage, Described>();

/**
 * The request's id: the caller's `x-request-id` when it looks like one (1 to 64 letters, digits, `.`, `_`,
 * `:` or `-`), else a new one — the same every time it is asked for the same request. It is logged and
 * stored in the notes-read audit, so nothing else passes.
 */
export function requestIdOf(req: IncomingMessage): string {
  const known = described.get(req);
  if (known) return known.requestId;
  const given = req.headers[REQUEST_ID_HEADER];
  const requestId = typeof given === 'string' && /^[A-Za-z0-9._:-]{1,64}$/.test(given) ? given : randomUUID();
  const url = req.url ?? '';
  const path = url.includes('?') ? url.slice(0, url.indexOf('?')) : url;
  described.set(req, { requestId, path: path.slice(0, 200), started: performance.now(), operationName: null, errorCodes: [], formattedErrorCodes: [] });
  return requestId;
}

/** The caller's address: as the service reads it (through its trusted proxies, loggingRequests), else the socket's. */
export function clientAddressOf(req: IncomingMessage): string {
  return described.get(req)?.clientAddress ?? req.socket.remoteAddress ?? 'unknown';
}

/**
 * How a service reads the caller's address: the socket's, or — when `trustedProxies` (proxy-addr's terms:
 * addresses, ranges, `loopback`, `uniquelocal`…) are given — the first address in `X-Forwarded-For`, from
 * the right, that is not one of them. A caller cannot choose what it is counted and logged as by sending
 * the header: only the proxies named are believed.
 */
export function clientAddressReader(trustedProxies: readonly string[]): (req: IncomingMessage) => string {
  if (trustedProxies.length === 0) return (req) => req.socket.remoteAddress ?? 'unknown';
  const trust = proxyaddr.compile([...trustedProxies]);
  // Cut to an IPv6 address's length: a proxy that passes on what it was sent could hand over any text.
  return (req) => proxyaddr(req, trust).slice(0, 45);
}

/** Tells the request's log line what is known of it (see RequestDescription). */
export function describeRequest(req: IncomingMessage, description: RequestDescription): void {
  requestIdOf(req);
  const entry = described.get(req)!;
  // Cut like the path: a name is the caller's text (the gateway refuses one over 100 characters, and logs it cut).
  if (description.operationName !== undefined && entry.operationName === null) entry.operationName = description.operationName?.slice(0, 200) ?? null;
  if (description.viewer) entry.viewer = description.viewer;
  if (description.fetches) entry.fetches = description.fetches;
  if (description.errorCodes) entry.errorCodes.push(...description.errorCodes);
  if (description.formattedErrorCodes) entry.formattedErrorCodes.push(...description.formattedErrorCodes);
  if (description.refusal !== undefined) entry.refusal = description.refusal;
}

/**
 * The HTTP request a GraphQL context was made for, so that Apollo Server's plugins can describe it: a
 * property, not a WeakMap entry, because Apollo Server hands plugins a shallow copy of the context.
 */
const ANSWERS = Symbol('the HTTP request this context answers');

/** Says that `context` (an Apollo Server context value) answers `req`: its operations describe that request. */
export function contextAnswers(context: object, req: IncomingMessage): void {
  (context as { [ANSWERS]?: IncomingMessage })[ANSWERS] = req;
}

/** describeRequest for the request `context` answers (nothing when it answers none, e.g. in a test). */
export function describeRequestOf(context: object, description: RequestDescription): void {
  const req = (context as { [ANSWERS]?: IncomingMessage })[ANSWERS];
  if (req) describeRequest(req, description);
}

/**
 * Requests to these paths are logged only when refused: probes, metrics and the subgraphs' data-version
 * question, asked many times a minute by load balancers, Prometheus and the gateway.
 */
export type QuietPaths = ReadonlySet<string>;

/**
 * `listener`, with every request given its id (also in the answer's `x-request-id`) and logged once its
 * answer is sent: request id, method, path, the caller's address (when `clientAddress` reads it), status,
 * role and subject (or API key id), operation name, duration, error codes, the subgraph fetches at the
 * gateway, a refusal's reason, and `aborted` when the caller left first.
 */
export function loggingRequests(listener: RequestListener, log: Logger, quiet: QuietPaths, clientAddress?: (req: IncomingMessage) => string): RequestListener {
  return (req, res) => {
    res.setHeader(REQUEST_ID_HEADER, requestIdOf(req));
    if (clientAddress) described.get(req)!.clientAddress = clientAddress(req);
    res.once('close', () => writeLine(log, req, res, quiet));
    listener(req, res);
  };
}

function writeLine(log: Logger, req: IncomingMessage, res: ServerResponse, quiet: QuietPaths): void {
  const entry = described.get(req)!;
  if (res.statusCode < 400 && quiet.has(entry.path)) return;
  const { viewer, fetches } = entry;
  log.info(
    {
      requestId: entry.requestId,
      method: req.method,
      path: entry.path,
      ...(entry.clientAddress ? { clientAddress: entry.clientAddress } : {}),
      status: res.statusCode,
      operationName: entry.operationName,
      role: viewer?.role ?? null,
      ...(viewer?.subject ? { subject: viewer.subject } : {}),
      ...(viewer?.apiKeyId ? { apiKeyId: viewer.apiKeyId } : {}),
      durationMs: Math.round(performance.now() - entry.started),
      ...(fetches ? { subgraphFetches: fetches.length, subgraphs: [...new Set(fetches)] } : {}),
      errorCodes: entry.errorCodes.length > 0 ? entry.errorCodes : entry.formattedErrorCodes,
      ...(entry.refusal ? { refusal: entry.refusal } : {}),
      ...(res.writableFinished ? {} : { aborted: true }),
    },
    'request',
  );
}

/**
 * The line of a request Node's HTTP parser refused before any listener saw it (not valid HTTP, headers too
 * large, too slow to arrive): the same line as any request's, without what could not be read — never its bytes.
 * Returns the id given to it, for the answer's header.
 */
export function logUnreadableRequest(log: Logger, status: number, refusal: string): string {
  const requestId = randomUUID();
  log.info({ requestId, method: null, path: null, status, role: null, durationMs: 0, errorCodes: ['BAD_REQUEST'], refusal }, 'request');
  return requestId;
}

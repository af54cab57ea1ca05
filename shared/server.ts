/**
 * What the gateway and every subgraph do the same way around Apollo Server: request ids, masking
 * internal errors (logged with the request id, never shown), probes, listening and stopping.
 */
import { AsyncLocalStorage } from 'node:async_hooks';
import type { IncomingMessage, RequestListener, Server, ServerResponse } from 'node:http';
import { ApolloServer, type ApolloServerOptions, type ApolloServerPlugin, type BaseContext } from '@apollo/server';
import { ApolloServerPluginDrainHttpServer } from '@apollo/server/plugin/drainHttpServer';
import { ApolloServerPluginLandingPageDisabled } from '@apollo/server/plugin/disabled';
import { unwrapResolverError } from '@apollo/server/errors';
import { expressMiddleware } from '@as-integrations/express5';
import express, { type Express, type NextFunction, type Request, type RequestHandler, type Response } from 'express';
import { type DocumentNode, GraphQLError, Kind, type OperationDefinitionNode, type OperationTypeNode } from 'graphql';
import { todayInJapan } from './dates';
import { databaseOutage } from './database';
import {
  BAD_REQUEST_JA,
  ErrorCode,
  INVALID_QUERY_JA,
  SYNTAX_ERROR_JA,
  badUserInput,
  errorsBody,
  fallbackMessageJa,
  isClientSafeCode,
  withInquiryNumberJa,
  prefersJapanese,
} from './errors';
import { requestMessageJa, syntaxMessageJa, validationMessageJa, withoutStringToken } from './document-messages';
import { describeLiteralError, describeVariableError, withoutLiteral } from './variable-errors';
import { checkOperationInputs } from './input-rules';
import { MAX_JSON_DEPTH, jsonNestsDeeperThan, tooDeepJson } from './json-depth';
import { secretsEqual } from './context';
import { type LoggedViewer, contextAnswers, describeRequest, describeRequestOf, loggingRequests, requestIdOf } from './request-log';
import { answerErrors, httpServerFor, listen, mountProbes, refusal } from './http';
import { type Logger, apolloLogger } from './log';
import type { ServiceMetrics } from './metrics';
import type { TracingConfig } from './config';
import { type ServiceTracing, createTracing } from './tracing';

export interface RequestContext extends BaseContext {
  requestId: string;
  /** The viewer, for the request log (gateway and subgraphs both have a viewer). */
  viewer?: LoggedViewer;
  /** Subgraph fetches made for this request (the gateway counts them). */
  fetches?: string[];
}

/**
 * Tells the request's log line (shared/request-log.ts) its operation, viewer, subgraph fetches and error
 * codes. An export runs several operations for one request: each adds its fetches and codes.
 */
function requestLogPlugin(): ApolloServerPlugin<RequestContext> {
  return {
    async requestDidStart({ contextValue }) {
      return {
        async willSendResponse({ response, operationName }) {
          const errors = response.body.kind === 'single' ? (response.body.singleResult.errors ?? []) : [];
          describeRequestOf(contextValue, {
            operationName: operationName ?? null,
            viewer: contextValue.viewer,
            fetches: contextValue.fetches,
            errorCodes: errors.map((e) => e.extensions?.code ?? null),
          });
        },
      };
    },
  };
}

/** A started service: where it listens and how to stop it. */
export interface RunningService {
  name: string;
  /** GraphQL endpoint, e.g. http://127.0.0.1:4001/graphql */
  url: string;
  stop(): Promise<void>;
}

/** The code of Apollo's query planner refusing an operation (federation-internals' INVALID_GRAPHQL). */
const PLANNER_REFUSAL = 'INVALID_GRAPHQL';
/**
 * The planner's message when it names only schema names (`Cannot query field "isOneOf" on type "__Type".`);
 * others may quote the document's values (`Invalid value {…}`, a selection with its arguments): never repeated.
 */
const plannerSaid = (message: string) =>
  /^(?:Cannot query field "\w+" on type "\w+"\.|Unknown directive "@\w+"|Cannot find fragment name "\w+"[^"]*)$/.exec(message)?.[0];

/** Logs errors that are not meant for clients, with the request id that the client also gets. */
function errorLoggingPlugin(log: Logger): ApolloServerPlugin<RequestContext> {
  return {
    async requestDidStart() {
      return {
        async didEncounterErrors({ contextValue, errors, operationName }) {
          for (const error of errors) {
            if (error.extensions?.code === PLANNER_REFUSAL) {
              // The caller's to change (answered GRAPHQL_VALIDATION_FAILED), noted for the operator without the document's values.
              log.warn(
                { requestId: contextValue.requestId, operationName, planner: plannerSaid(error.message) ?? '(withheld)' },
                'operation the query planner refused',
              );
            } else if (!isClientSafeCode(error.extensions?.code)) {
              // Never variables, SQL parameters or a driver's `detail` (they may hold protected notes).
              log.error({ requestId: contextValue.requestId, operationName, error: unwrapResolverError(error) }, 'internal error');
            }
          }
        },
      };
    },
  };
}

/** The Japanese of an error that brings none: GraphQL's own about the document say what and where; others by their code. */
function messageJaOf(formatted: { message: string; locations?: ReadonlyArray<{ line: number; column: number }>; extensions?: Record<string, unknown> }) {
  const code = formatted.extensions?.code;
  if (code === 'GRAPHQL_VALIDATION_FAILED') {
    const specific = validationMessageJa(formatted.message);
    if (specific) return `${INVALID_QUERY_JA}: ${specific}`;
  }
  if (code === 'BAD_REQUEST') {
    const specific = requestMessageJa(formatted.message);
    if (specific) return `${BAD_REQUEST_JA}: ${specific}`;
  }
  if (code === 'GRAPHQL_PARSE_FAILED') {
    const specific = syntaxMessageJa(formatted.message);
    const at = formatted.locations?.[0];
    if (specific) return `${SYNTAX_ERROR_JA}${at ? `（${at.line} 行 ${at.column} 列目）` : ''}: ${specific}`;
  }
  return fallbackMessageJa(code, formatted.extensions);
}

/**
 * Clients see only the documented codes; anything else becomes a bare INTERNAL_SERVER_ERROR, except a
 * database that cannot be reached, which is SUBGRAPH_UNAVAILABLE naming this service (the caller did
 * nothing wrong and may retry).
 */
export function maskError(formatted: { message: string; extensions?: Record<string, unknown> }, error: unknown, serviceName: string) {
  // GraphQL's own message for a variable of the wrong type quotes the value (free text, too): rebuilt.
  const variable =
    formatted.extensions?.code === ErrorCode.BAD_USER_INPUT && !formatted.extensions.argument ? describeVariableError(formatted.message) : undefined;
  if (variable) {
    const { argument, reason, reasonJa, value } = variable;
    const rebuilt = badUserInput(argument, reason, { reasonJa, value });
    return { message: rebuilt.message, locations: (formatted as { locations?: unknown }).locations, extensions: rebuilt.extensions };
  }
  // A literal of the wrong type written in the document: described as the same value in a variable is.
  const written =
    formatted.extensions?.code === 'GRAPHQL_VALIDATION_FAILED'
      ? describeLiteralError(formatted.message, (error as GraphQLError | undefined)?.nodes?.[0])
      : undefined;
  if (written) {
    const { argument, reason, reasonJa, value } = written;
    const rebuilt = badUserInput(argument, reason, { reasonJa, value });
    return { message: rebuilt.message, locations: (formatted as { locations?: unknown }).locations, extensions: rebuilt.extensions };
  }
  // Apollo's query planner refusing an operation GraphQL's validation let through (the gateway's only: an
  // introspection field it does not know, such as __Type.isOneOf, beside data). The caller's to change, never a 500.
  if (formatted.extensions?.code === PLANNER_REFUSAL) {
    const said = plannerSaid(formatted.message);
    const specific = said && validationMessageJa(said);
    const messageJa = `${INVALID_QUERY_JA}: ゲートウェイはこの操作を実行できません${specific ? `（${specific}）` : ''}。isOneOf などのスキーマの項目は、データを読まない操作で問い合わせてください`;
    return {
      message: `The gateway cannot run this operation${said ? `: ${said}` : ''} (ask for introspection fields such as isOneOf in an operation that reads only __schema or __type) / ${messageJa}`,
      locations: (formatted as { locations?: unknown }).locations,
      extensions: { code: 'GRAPHQL_VALIDATION_FAILED', messageJa },
    };
  }
  const literal = formatted.extensions?.code === 'GRAPHQL_VALIDATION_FAILED' ? withoutLiteral(formatted.message) : undefined;
  if (literal !== undefined) formatted = { ...formatted, message: literal };
  if (formatted.extensions?.code === 'GRAPHQL_PARSE_FAILED') formatted = { ...formatted, message: withoutStringToken(formatted.message) };
  if (isClientSafeCode(formatted.extensions?.code)) {
    // Every error carries its Japanese: Apollo Server's own (a query that is not a string, say) bring none.
    if (typeof formatted.extensions?.messageJa !== 'string') {
      formatted = { ...formatted, extensions: { ...formatted.extensions, messageJa: messageJaOf(formatted) } };
    }
    // `response` (a subgraph's URL and raw answer, added by the gateway) and stack traces stay inside.
    const { stacktrace: _stacktrace, response: _response, ...extensions } = formatted.extensions ?? {};
    return { ...formatted, extensions };
  }
  const outage = databaseOutage(unwrapResolverError(error));
  if (outage) {
    const messageJa = `${serviceName}: ${outage.reasonJa}。しばらくしてから再度お試しください`;
    return {
      message: `The ${serviceName} subgraph ${outage.reason}; try again shortly / ${messageJa}`,
      path: (formatted as { path?: unknown }).path,
      extensions: { code: ErrorCode.SUBGRAPH_UNAVAILABLE, serviceName, messageJa },
    };
  }
  // Every error carries its Japanese, this one too (whether or not a plugin sees it afterwards).
  return {
    message: 'Internal server error',
    extensions: { code: ErrorCode.INTERNAL_SERVER_ERROR, messageJa: fallbackMessageJa(ErrorCode.INTERNAL_SERVER_ERROR) },
  };
}

/**
 * The request being answered, for formatError: whether it asked for Japanese (`Accept-Language: ja`) and its id.
 * Apollo Server answers some errors — a token refused while the context is made, a query that is not a string —
 * without running the plugins (gateway/language.ts), so both are applied where every error is formatted.
 */
const answering = new AsyncLocalStorage<{ japanese: boolean; requestId: string; req: IncomingMessage }>();
const inLanguageOf =
  (handler: RequestHandler): RequestHandler =>
  (req, res, next) =>
    answering.run({ japanese: prefersJapanese(req.headers['accept-language']), requestId: requestIdOf(req), req }, () => handler(req, res, next));
/**
 * Tells the request's log line the code of an error formatted for its answer: what the line names when no plugin
 * did — a request Apollo Server refused before any plugin ran (CSRF, no body, a method it does not take).
 */
function loggedAsAnswered<E extends { extensions?: Record<string, unknown> }>(formatted: E): E {
  const request = answering.getStore();
  if (request) describeRequest(request.req, { formattedErrorCodes: [formatted.extensions?.code ?? null] });
  return formatted;
}

/**
 * A formatted error with its Japanese message as the message, when the request asked for Japanese; a failure of
 * the server with the request id to quote (`requestId`, and 問い合わせ番号 in Japanese), as on every other route.
 */
function inRequestedLanguage<E extends { message: string; extensions?: Record<string, unknown> }>(formatted: E): E {
  const request = answering.getStore();
  if (request && formatted.extensions?.code === ErrorCode.INTERNAL_SERVER_ERROR) {
    const messageJa = withInquiryNumberJa(fallbackMessageJa(ErrorCode.INTERNAL_SERVER_ERROR), request.requestId);
    formatted = { ...formatted, extensions: { ...formatted.extensions, messageJa, requestId: request.requestId } };
  }
  const messageJa = formatted.extensions?.messageJa;
  return request?.japanese && typeof messageJa === 'string' ? { ...formatted, message: messageJa } : formatted;
}

/**
 * The request names no operation the document has: `operationName` names none of its operations, or the
 * document has several and no `operationName` says which. The caller's to fix (HTTP 400, BAD_REQUEST), in
 * every service alike — Apollo Gateway would answer it with an internal error, and plugins after this one
 * may count on an operation. The answer lists the document's operation names (GraphQL names, nothing
 * else) and never repeats `operationName`, which is any text the caller sent.
 */
function operationNotResolved(document: DocumentNode, operationName: unknown): GraphQLError {
  const operations = document.definitions.filter((d): d is OperationDefinitionNode => d.kind === Kind.OPERATION_DEFINITION);
  const names = operations.flatMap((o) => (o.name ? [o.name.value] : []));
  const has = names.length > 0 ? ` (the document's operations: ${names.join(', ')})` : '';
  const hasJa = names.length > 0 ? `（クエリにある操作: ${names.join(', ')}）` : '';
  const [message, messageJa] =
    typeof operationName === 'string' && operationName !== ''
      ? names.length > 0
        ? [`No operation in the document has the name sent as operationName${has}`, `operationName に指定した名前の操作がクエリにありません${hasJa}`]
        : ["The document's operation has no name: send no operationName", 'クエリの操作には名前がありません。operationName を付けずに送ってください']
      : [
          `The document has several operations: send operationName to say which one to run${has}`,
          `複数の操作があります。operationName を指定してください${hasJa}`,
        ];
  return new GraphQLError(`${message} / ${messageJa}`, { extensions: { code: 'BAD_REQUEST', messageJa, http: { status: 400 } } });
}

/**
 * An operation of a type the schema has no root for (a subscription: this API has none). GraphQL 16's
 * validation lets it through and execution fails as an internal error; it is the caller's to fix.
 */
function operationTypeUnsupported(type: OperationTypeNode): GraphQLError {
  const messageJa = `${INVALID_QUERY_JA}: ${type} の操作には対応していません`;
  return new GraphQLError(`The schema does not support ${type} operations / ${messageJa}`, {
    extensions: { code: 'GRAPHQL_VALIDATION_FAILED', messageJa, http: { status: 400 } },
  });
}

/** Refuses, before any other plugin reads it, an operation that cannot be told or that the schema cannot run. */
function operationResolutionPlugin(): ApolloServerPlugin<RequestContext> {
  return {
    async requestDidStart() {
      return {
        async didResolveOperation({ document, operation, request, schema }) {
          if (!operation) throw operationNotResolved(document, request.operationName);
          if (!schema.getRootType(operation.operation)) throw operationTypeUnsupported(operation.operation);
        },
      };
    },
  };
}

/**
 * Input limits (shared/input-rules.ts), once the operation is known and before anything runs. The
 * verdict depends only on the operation, its variables and the day: a query's is kept per parsed
 * document (Apollo Server hands the same document to every request with the same text) and small variables.
 */
function inputRulesPlugin(): ApolloServerPlugin<RequestContext> {
  // Keyed by the operation's node, which belongs to one parsed document (a document may hold several).
  const verdicts = new WeakMap<OperationDefinitionNode, { day: string; byVariables: Map<string, GraphQLError | null> }>();
  return {
    async requestDidStart() {
      return {
        async didResolveOperation({ schema, document, operation, request }) {
          if (!operation) return; // refused by operationResolutionPlugin
          const variables = operation.variableDefinitions?.length ? request.variables : undefined;
          // Remembered: an operation without variables, and a query's small variables — never a mutation's,
          // which may hold free text (notes, kept nowhere) and is seldom sent twice alike.
          const key = !variables ? '' : operation.operation === 'query' ? JSON.stringify(variables) : undefined;
          const remember = key !== undefined && key.length <= 2048;
          const day = todayInJapan();
          let known = verdicts.get(operation);
          if (known?.day !== day) verdicts.set(operation, (known = { day, byVariables: new Map() }));
          let error = remember ? known.byVariables.get(key) : undefined;
          if (error === undefined) {
            error = checkOperationInputs(schema, document, operation, variables, day);
            if (remember) {
              if (known.byVariables.size >= 256) known.byVariables.clear();
              known.byVariables.set(key, error);
            }
          }
          if (error) throw new GraphQLError(error.message, { extensions: { ...error.extensions, http: { status: 400 } } });
        },
      };
    },
  };
}

/** Codes that mean the request itself is wrong: never HTTP 500 (Apollo answers 500 to some of them). */
const REQUEST_ERROR_CODES = new Set(['BAD_USER_INPUT', 'OPERATION_RESOLUTION_FAILURE', 'GRAPHQL_PARSE_FAILED', 'GRAPHQL_VALIDATION_FAILED', 'BAD_REQUEST']);
function requestErrorStatusPlugin(): ApolloServerPlugin<RequestContext> {
  return {
    async requestDidStart() {
      return {
        async willSendResponse({ response }) {
          if (response.body.kind !== 'single' || response.http.status !== 500) return;
          const errors = response.body.singleResult.errors ?? [];
          if (errors.length > 0 && errors.every((e) => REQUEST_ERROR_CODES.has(String(e.extensions?.code)))) response.http.status = 400;
        },
      };
    },
  };
}

/**
 * What Express hands on as an error, answered in JSON (never Express's HTML page): a body that is not JSON or
 * too large (body-parser's errors, which have a `type`) is the caller's, 4xx; anything else a route threw is the
 * server's fault — logged with the request id and answered 500 INTERNAL_SERVER_ERROR, never passed off as the
 * caller's (it was 400 "could not be read", and not logged).
 */
function routeErrorHandler(log: Logger, answer: Answer) {
  return (error: Error & { type?: string; status?: number }, req: Request, res: Response, next: NextFunction): void => {
    if (res.headersSent) return next(error);
    const callers = error.type !== undefined || (typeof error.status === 'number' && error.status < 500 && (error as { expose?: boolean }).expose === true);
    if (!callers) {
      const requestId = requestIdOf(req);
      log.error({ requestId, path: req.path, err: error }, 'internal error');
      const messageJa = withInquiryNumberJa(fallbackMessageJa(ErrorCode.INTERNAL_SERVER_ERROR), requestId);
      answer(req, res, 500, ErrorCode.INTERNAL_SERVER_ERROR, 'Internal server error', messageJa, { requestId });
      return;
    }
    bodyError(error, req, res, answer);
  };
}

/** Why body-parser refused a body, in both languages: not JSON, too large, or compressed otherwise than it says. */
function bodyRefusal(error: Error & { type?: string; code?: string; encoding?: string }): [string, string] {
  const coding = String(error.encoding ?? '').slice(0, 50);
  switch (error.type) {
    case 'entity.too.large':
      return ['The request body is over 1 MB', 'リクエストが大きすぎます（上限 1 MB）'];
    case 'entity.too.deep':
      return [`The request's JSON nests deeper than ${MAX_JSON_DEPTH} levels`, `リクエストの JSON の入れ子が深すぎます（上限 ${MAX_JSON_DEPTH} 段）`];
    case 'entity.parse.failed':
      return ['The request body is not valid JSON', 'リクエストの本文が正しい JSON ではありません'];
    case 'encoding.unsupported':
      return [
        `The request body is compressed as "${coding}", which is not taken: send it as it is, or compressed with gzip, deflate or br`,
        `リクエストの本文の圧縮形式（${coding}）には対応していません。圧縮せずに送るか、gzip・deflate・br で圧縮してください`,
      ];
    case 'charset.unsupported':
      return ["The request body's charset is not taken: send JSON in UTF-8", 'リクエストの文字コードに対応していません（JSON は UTF-8 で送ってください）'];
  }
  // zlib's refusal of what the Content-Encoding said was compressed (Z_DATA_ERROR, Z_BUF_ERROR: cut short).
  if (error.code?.startsWith('Z_'))
    return ['The request body is not compressed as its Content-Encoding says', 'リクエストの本文が Content-Encoding のとおりに圧縮されていません'];
  return ['The request could not be read', 'リクエストを読み取れません'];
}

/** A body that is not JSON, too large, or not read (bodyRefusal). */
function bodyError(error: Error & { type?: string; status?: number }, req: Request, res: Response, answer: Answer): void {
  const tooLarge = error.type === 'entity.too.large';
  const [message, messageJa] = bodyRefusal(error);
  const status = tooLarge ? 413 : (error.status ?? 400) < 500 ? (error.status ?? 400) : 400;
  answer(req, res, status, tooLarge ? ErrorCode.PAYLOAD_TOO_LARGE : 'BAD_REQUEST', message, messageJa);
}

/**
 * Ends the routes of a service: an unknown path is a JSON 404, a known path asked with a method it does not take
 * a 405 naming the ones it takes (`Allow`; Power Query's `Web.Contents` with `Content` POSTs to an export, say),
 * never Express's HTML page; a route's failure a logged JSON 500 (routeErrorHandler). Under `plainUnder` (the
 * gateway's `/export` and `/import`) these answer as those routes' own refusals do (`code`, `error`, `messageJa`),
 * elsewhere as GraphQL errors. Call after the last route.
 */
export function finishRoutes(app: Express, log: Logger, plainUnder: readonly string[] = []): void {
  const answer = answerFor(plainUnder);
  app.use((req: Request, res: Response) => {
    const allowed = methodsOf(app, req.path);
    if (allowed.length === 0 || allowed.includes(req.method)) {
      answer(req, res, 404, ErrorCode.NOT_FOUND, 'Not found', '見つかりません（URL を確認してください）');
      return;
    }
    methodNotTaken(req, res, allowed, answer);
  });
  app.use(routeErrorHandler(log, answer));
}

/**
 * A request with a method its URL does not take: OPTIONS is told the methods (`Allow`; a CORS preflight was
 * answered before this, by the origins allowed), any other a 405 naming them.
 */
function methodNotTaken(req: Request, res: Response, allowed: readonly string[], answer: Answer): void {
  if (req.method === 'OPTIONS') {
    res.setHeader('allow', [...allowed, 'OPTIONS'].join(', '));
    res.status(204).end();
    return;
  }
  res.setHeader('allow', allowed.join(', '));
  answer(
    req,
    res,
    405,
    'BAD_REQUEST',
    `This URL does not take ${req.method.slice(0, 10)}: send ${EITHER_EN.format(allowed)}`,
    `この URL には ${allowed.join(' / ')} のいずれかで送ってください（${req.method.slice(0, 10)} では受け付けません）`,
  );
}

const EITHER_EN = new Intl.ListFormat('en', { type: 'disjunction' });

const GRAPHQL_METHODS = ['GET', 'HEAD', 'POST'];

/**
 * `/graphql` takes GET, HEAD and POST, and says so as every other URL does (methodNotTaken) — Apollo Server's CSRF
 * refusal (`400`) answered PUT, DELETE and OPTIONS without a content type, so a client could not tell a wrong method
 * from a wrong request. HEAD is answered as GET (Node sends no body for it): an uptime monitor's HEAD gets the
 * status a GET would.
 */
function graphqlMethods(req: Request, res: Response, next: NextFunction): void {
  if (!GRAPHQL_METHODS.includes(req.method)) return methodNotTaken(req, res, GRAPHQL_METHODS, answerFor([]));
  if (req.method === 'HEAD') req.method = 'GET';
  next();
}

/** The methods the app's routes take at `path` (GET with HEAD), from Express's router. */
function methodsOf(app: Express, path: string): string[] {
  const layers = (app as unknown as { router?: { stack?: RouteLayer[] } }).router?.stack ?? [];
  const methods = new Set<string>();
  for (const layer of layers) {
    if (!layer.route || !layer.match(path)) continue;
    for (const method of Object.keys(layer.route.methods)) if (method !== '_all') methods.add(method.toUpperCase());
  }
  if (methods.has('GET')) methods.add('HEAD');
  return [...methods];
}
interface RouteLayer {
  route?: { methods: Record<string, boolean> };
  match(path: string): unknown;
}

type Answer = (req: Request, res: Response, status: number, code: string, message: string, messageJa: string, extra?: Record<string, unknown>) => void;

/** How a refusal made here is answered at a request's path: as a plain route's (`refusal`) under `plainUnder`, else as GraphQL errors. */
function answerFor(plainUnder: readonly string[]): Answer {
  return (req, res, status, code, message, messageJa, extra = {}) => {
    if (plainUnder.some((prefix) => req.path === prefix || req.path.startsWith(`${prefix}/`))) {
      refusal(res, code, message, messageJa, extra, status);
      return;
    }
    answerErrors(res, status, errorsBody(`${message} / ${messageJa}`, code, messageJa, extra, req.headers['accept-language']));
  };
}

/**
 * Offered a JSON POST to `/graphql` before express routes it, with its body read and parsed to an
 * object; resolves true when it answered the request, false to leave it to express.
 */
export type ReadAheadHandler = (req: IncomingMessage, body: Record<string, unknown>, res: ServerResponse) => Promise<boolean>;

/** Bodies at most this large are read ahead of express (larger ones, and chunked ones, go to express as ever). */
const READ_AHEAD_MAX_BYTES = 64 * 1024;
const JSON_IN_UTF8 = /^application\/json\s*(;\s*charset\s*=\s*"?utf-8"?\s*)?$/i;
/** What was read ahead of express, for express.json to take as it is: the parsed body, or body-parser's own error. */
const readAheadBodies = new WeakMap<IncomingMessage, { body: unknown } | { error: Error }>();

/** JSON.parse as express.json (body-parser, strict) parses: an object or array, or its `entity.parse.failed` error. */
function parseJsonBody(text: string): { body: unknown } | { error: Error } {
  try {
    if (!/^[ \t\n\r]*[[{]/.test(text)) throw new SyntaxError('the body is not a JSON object or array');
    if (jsonNestsDeeperThan(text)) return { error: tooDeepJson() };
    return { body: JSON.parse(text) as unknown };
  } catch (error) {
    return { error: Object.assign(error as Error, { type: 'entity.parse.failed', status: 400, statusCode: 400, expose: true }) };
  }
}

/**
 * The HTTP server's request listener: a small JSON POST to `/graphql` is read and offered to `handler`
 * first (Express's own routing costs several times Node's HTTP server per request, measured: 0.17 against
 * 0.04 ms of CPU); whatever it leaves goes to express with the body already read (takeReadAhead).
 */
function readAheadOf(app: Express, handler: ReadAheadHandler, tracing: ServiceTracing): RequestListener {
  return (req, res) => {
    const length = Number(req.headers['content-length']);
    const path = req.url === '/graphql' || req.url?.startsWith('/graphql?');
    if (
      req.method !== 'POST' ||
      !path ||
      !JSON_IN_UTF8.test(req.headers['content-type'] ?? '') ||
      req.headers['content-encoding'] ||
      !(length > 0 && length <= READ_AHEAD_MAX_BYTES)
    ) {
      return void app(req, res);
    }
    const chunks: Buffer[] = [];
    req.on('data', (chunk: Buffer) => chunks.push(chunk));
    req.on('error', (error) => {
      readAheadBodies.set(req, { error: Object.assign(error, { type: 'request.aborted', status: 400 }) });
      app(req, res);
    });
    req.on('end', () => {
      const text = Buffer.concat(chunks).toString('utf8');
      // As body-parser decodes it: a byte order mark at the start is dropped.
      const read = parseJsonBody(text.charCodeAt(0) === 0xfeff ? text.slice(1) : text);
      readAheadBodies.set(req, read);
      const body = 'body' in read ? read.body : undefined;
      if (!body || typeof body !== 'object' || Array.isArray(body)) return void app(req, res);
      tracing.around(req, res, '/graphql', () =>
        handler(req, body as Record<string, unknown>, res).then(
          (answered) => answered || app(req, res),
          () => (res.headersSent ? res.destroy() : app(req, res)),
        ),
      );
    });
  };
}

/** The listener, with `GET`s of the paths in `routes` answered by their own listener instead (see ServeOptions.directGets). */
function withDirectGets(listener: RequestListener, routes: Record<string, RequestListener> | undefined): RequestListener {
  if (!routes) return listener;
  const direct = new Map(Object.entries(routes));
  return (req, res) => {
    const route = req.method === 'GET' && req.url ? direct.get(req.url) : undefined;
    return route ? route(req, res) : listener(req, res);
  };
}

/** A GET's `variables` and `extensions`, JSON in the URL, held to the depth a body is (MAX_JSON_DEPTH). */
function refuseDeepJsonParameters(req: Request, _res: Response, next: NextFunction): void {
  const deep = ['variables', 'extensions'].some((name) => {
    const value = req.query[name];
    return typeof value === 'string' && jsonNestsDeeperThan(value);
  });
  next(deep ? tooDeepJson() : undefined);
}

/** Express middleware before express.json: the body read ahead of express, as express.json would have left it. */
function takeReadAhead(req: Request, _res: Response, next: NextFunction): void {
  const read = readAheadBodies.get(req);
  if (!read) return next();
  if ('error' in read) return next(read.error);
  req.body = read.body; // express.json leaves a request whose body was read as it is
  next();
}

export interface ServeOptions<C extends RequestContext> {
  name: string;
  log: Logger;
  apollo: Omit<ApolloServerOptions<C>, 'formatError' | 'plugins'> & { plugins?: ApolloServerPlugin<C>[] };
  production: boolean;
  host: string;
  port: number;
  portSetting: string;
  context(req: Request, res: Response, requestId: string): Promise<C>;
  /** Introspection; by default on except in production. */
  introspection?: boolean;
  /** Express middleware run on `/graphql` before Apollo (e.g. the gateway's request limits). */
  beforeGraphQL?: RequestHandler[];
  isReady(): Promise<{ ready: boolean; detail?: unknown }>;
  /** Called after the HTTP server has closed (e.g. to close the database pool). */
  onStop?(): Promise<void>;
  /** The service's metrics, served on `GET /metrics`. */
  metrics: ServiceMetrics;
  /** How long a stop waits for requests in flight before closing their connections. */
  shutdownGraceMs: number;
  /** How long a stop keeps accepting requests, `/ready` answering 503, before it closes the listener. */
  shutdownDelayMs: number;
  /** `/metrics` needs this bearer token when set; without one, production serves no `/metrics`. */
  metricsToken?: string;
  /** Express middleware run before every route (e.g. the gateway's CORS). */
  beforeAll?: RequestHandler[];
  /** OpenTelemetry; `global` makes this service's tracer provider the process's (the gateway's). */
  tracing: TracingConfig & { global?: boolean };
  /** Answers JSON POSTs to `/graphql` before express when it can (the gateway's kept answers; see readAheadOf). */
  readAhead?: ReadAheadHandler;
  /**
   * `GET`s of these exact paths (no query string), answered before express: routes asked many times a
   * second whose answer needs none of express's middleware (the subgraphs' data-version question).
   */
  directGets?: Record<string, RequestListener>;
  /** How the caller's address is read, for the log line and per-address limits (the gateway's); none logged without it. */
  clientAddress?: (req: IncomingMessage) => string;
}

export interface Served<C extends RequestContext> extends RunningService {
  apollo: ApolloServer<C>;
  app: Express;
  httpServer: Server;
  tracing: ServiceTracing;
}

/** Starts Apollo Server behind express with `/graphql`, `/health` and `/ready`. */
export async function serve<C extends RequestContext>(options: ServeOptions<C>): Promise<Served<C>> {
  const app = express();
  app.disable('x-powered-by');
  // No ETag: express would hash every answer for it, and no client revalidates GraphQL POSTs (caching: README).
  app.disable('etag');
  const tracing = createTracing(options.name, options.tracing, { global: options.tracing.global });
  const quiet = new Set(['/health', '/ready', '/metrics', ...Object.keys(options.directGets ?? {})]);
  const httpServer = httpServerFor(
    loggingRequests(
      withDirectGets(options.readAhead ? readAheadOf(app, options.readAhead, tracing) : app, options.directGets),
      options.log,
      quiet,
      options.clientAddress,
    ),
    options.log,
  );
  const apollo = new ApolloServer<C>({
    ...options.apollo,
    logger: apolloLogger(options.log),
    introspection: options.introspection ?? !options.production,
    // "Did you mean …?" suggestions leak the schema; production hides them with introspection.
    hideSchemaDetailsFromClientErrors: !(options.introspection ?? !options.production),
    includeStacktraceInErrorResponses: false,
    // Signals are handled once, by the service (shared/main.ts: /ready 503, drain, exit 0). Apollo's own
    // handlers (on outside NODE_ENV=test) stop the server and send the signal again, which made a production
    // service take the second-signal path and exit 130 without the drain (found by npm run test:topology).
    stopOnTerminationSignals: false,
    formatError: (formatted, error) => inRequestedLanguage(loggedAsAnswered(maskError(formatted, error, options.name))),
    plugins: [
      ApolloServerPluginDrainHttpServer({ httpServer, stopGracePeriodMillis: options.shutdownGraceMs }),
      // Apollo's landing page loads from Apollo's CDN; this service talks to nobody outside (the gateway has /explorer).
      ApolloServerPluginLandingPageDisabled(),
      // First of the plugins that read the operation: when there is none, its refusal is the answer.
      operationResolutionPlugin(),
      inputRulesPlugin(),
      requestErrorStatusPlugin(),
      errorLoggingPlugin(options.log) as ApolloServerPlugin<C>,
      requestLogPlugin() as ApolloServerPlugin<C>,
      options.metrics.plugin<C>(),
      ...(options.apollo.plugins ?? []),
    ],
  } as ApolloServerOptions<C>);
  await apollo.start();
  let stopping: Promise<void> | undefined;
  let draining = false;
  for (const handler of options.beforeAll ?? []) app.use(handler);
  // While stopping, /ready says so, so that a load balancer sends new requests elsewhere.
  mountProbes(app, async () => (draining ? { ready: false, detail: 'stopping' } : options.isReady()));
  if (options.metricsToken || !options.production) {
    app.get('/metrics', async (req, res) => {
      if (options.metricsToken && !secretsEqual(req.headers.authorization ?? '', `Bearer ${options.metricsToken}`)) {
        answerErrors(
          res,
          401,
          errorsBody('/metrics needs the METRICS_TOKEN bearer token', 'UNAUTHENTICATED', '/metrics には METRICS_TOKEN のトークンが必要です'),
        );
        return;
      }
      res.type(options.metrics.registry.contentType).send(await options.metrics.registry.metrics());
    });
  }
  app.use(
    '/graphql',
    graphqlMethods,
    takeReadAhead,
    express.json({
      limit: '1mb',
      verify: (_req, _res, bytes) => {
        if (jsonNestsDeeperThan(bytes)) throw tooDeepJson();
      },
    }),
    refuseDeepJsonParameters,
    tracing.middleware, // after the body is read: the parser's stream callbacks would lose the span
    ...(options.beforeGraphQL ?? []),
    inLanguageOf(
      expressMiddleware(apollo, {
        context: async ({ req, res }) => {
          try {
            const context = await options.context(req, res, requestIdOf(req));
            contextAnswers(context, req);
            return context;
          } catch (error) {
            // Refused before any plugin runs (a bad token, a departed advisor): the log line still says how.
            describeRequest(req, { errorCodes: [(error as GraphQLError).extensions?.code ?? null] });
            throw error;
          }
        },
      }),
    ),
  );
  app.use(routeErrorHandler(options.log, answerFor([])));
  let origin: string;
  try {
    ({ origin } = await listen(httpServer, options.host, options.port, options.portSetting));
  } catch (error) {
    await apollo.stop().catch(() => undefined); // the HTTP server never listened: nothing to drain
    await tracing.shutdown();
    throw error;
  }
  return {
    name: options.name,
    url: `${origin}/graphql`,
    apollo,
    app,
    httpServer,
    tracing,
    stop: () =>
      (stopping ??= (async () => {
        draining = true; // /ready answers 503 from now on, while requests are still served
        if (options.shutdownDelayMs > 0) await new Promise((done) => setTimeout(done, options.shutdownDelayMs));
        await apollo.stop(); // drains in-flight requests and closes the HTTP server
        await options.onStop?.();
        await tracing.shutdown().catch(() => undefined); // an unreachable collector must not block a stop
      })()),
  };
}

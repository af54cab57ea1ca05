/**
 * Query limits at the gateway, checked before any planning or subgraph fetch: request shape and
 * token count on the raw HTTP body, then depth, aliases and directives (graphql-armor's rules) and the
 * cost (gateway/cost.ts, variables included) once the operation is known. Analysts, whose national
 * queries are heaviest, get a smaller cost budget. Every refusal has the code QUERY_LIMIT_EXCEEDED and names the limit.
 */
import type { ApolloServerPlugin } from '@apollo/server';
import { maxAliasesRule } from '@escape.tech/graphql-armor-max-aliases';
import { maxDepthRule } from '@escape.tech/graphql-armor-max-depth';
import { maxDirectivesRule } from '@escape.tech/graphql-armor-max-directives';
import type { NextFunction, Request, Response } from 'express';
import {
  type DocumentNode,
  GraphQLError,
  type GraphQLSchema,
  Lexer,
  type OperationDefinitionNode,
  Source,
  TokenKind,
  type ValidationRule,
  validate,
} from 'graphql';
import type { QueryLimits } from '../shared/config';
import { ErrorCode, errorsBody } from '../shared/errors';
import { answerErrors } from '../shared/http';
import { describeRequest } from '../shared/request-log';
import { operationCost } from './cost';
import type { GatewayContext } from './context';
import { limitError } from './limit-error';
import { type CallerBudgets, type Charge, callerKey, rateLimitHeaders } from './rate-limit';

export const QUERY_LIMIT_EXCEEDED = ErrorCode.QUERY_LIMIT_EXCEEDED;

/**
 * The longest operation name taken: real ones are a few words (Headline, CoverageStatistics). A name is
 * logged, traced and sent on to the subgraphs inside theirs, and GraphQL sets it no bound (200,000 characters
 * made 200 KB log lines).
 */
export const MAX_OPERATION_NAME_LENGTH = 100;

/** The query's shape limits (graphql-armor's rules), each with how its refusal is said. */
const SHAPE_LIMITS = [
  {
    limit: 'depth',
    rule: maxDepthRule,
    max: (limits: QueryLimits) => limits.maxDepth,
    says: (found: number, max: number) => [
      `the query is nested ${found} levels deep; at most ${max} are taken: ask for the deeper part in a query of its own`,
      `クエリの入れ子が深すぎます（${found}段。${max}段まで）。深い部分は別のクエリで取得してください`,
    ],
  },
  {
    limit: 'aliases',
    rule: maxAliasesRule,
    max: (limits: QueryLimits) => limits.maxAliases,
    says: (found: number, max: number) => [
      `the query has ${found} aliases; at most ${max} are taken: ask for several at once with a list argument (codes, prefectureCodes) or send several queries`,
      `エイリアスが多すぎます（${found}個。${max}個まで）。codes などの一覧の引数でまとめて取得するか、クエリを分けてください`,
    ],
  },
  {
    limit: 'directives',
    rule: maxDirectivesRule,
    max: (limits: QueryLimits) => limits.maxDirectives,
    says: (found: number, max: number) => [
      `the query has ${found} directives; at most ${max} are taken`,
      `ディレクティブが多すぎます（${found}個。${max}個まで）`,
    ],
  },
] as const;

type ShapeVerdict = { limit: (typeof SHAPE_LIMITS)[number]; found: number; max: number } | null;

/** The first shape limit `document` is over, with what it found, or null. */
function shapeVerdict(schema: GraphQLSchema, document: DocumentNode, limits: QueryLimits): ShapeVerdict {
  for (const limit of SHAPE_LIMITS) {
    const max = limit.max(limits);
    let errors: readonly GraphQLError[];
    try {
      errors = validate(schema, document, [limit.rule({ n: max, exposeLimits: true, propagateOnRejection: true }) as ValidationRule]);
    } catch (error) {
      errors = [error as GraphQLError];
    }
    // graphql-armor's message: "Aliases limit of 30 exceeded, found 300." (tests/e2e/limits.test.ts pins it).
    if (errors.length > 0) return { limit, max, found: Number(/found (\d+)/.exec(errors[0].message)?.[1] ?? max + 1) };
  }
  return null;
}

/** Counts tokens up to `max + 1` (so a huge document costs no more than the limit to reject). */
export function countTokens(query: string, max: number): number {
  const lexer = new Lexer(new Source(query));
  let count = 0;
  try {
    while (count <= max && lexer.advance().kind !== TokenKind.EOF) count += 1;
  } catch {
    return count; // a syntax error: let GraphQL report it
  }
  return count;
}

/**
 * Express middleware for `/graphql`: no batched requests, no over-long documents. (A document whose
 * operation cannot be told: shared/server.ts's operationResolutionPlugin.)
 */
export function requestShapeLimits(limits: QueryLimits) {
  return (req: Request, res: Response, next: NextFunction) => {
    const refuse = (limit: string, message: string, messageJa: string, figures: Record<string, unknown> = {}) =>
      answerErrors(res, 400, errorsBody(`${message} / ${messageJa}`, QUERY_LIMIT_EXCEEDED, messageJa, { limit, ...figures }, req.headers['accept-language']));
    if (Array.isArray(req.body))
      return refuse(
        'batch',
        'batched requests are not accepted: send one operation per request',
        '複数の操作をまとめて送ることはできません。1回に1つずつ送ってください',
        { operations: req.body.length },
      );
    const query = typeof req.body?.query === 'string' ? req.body.query : typeof req.query.query === 'string' ? req.query.query : '';
    // Every token is at least one character: a document no longer than the limit needs no counting.
    if (query.length > limits.maxTokens && countTokens(query, limits.maxTokens) > limits.maxTokens)
      return refuse(
        'tokens',
        `the query has more than ${limits.maxTokens} tokens: ask for fewer fields, or split it into several queries`,
        `クエリが長すぎます（${limits.maxTokens} トークンを超えています）。項目を減らすか、クエリを分けてください`,
        { maxTokens: limits.maxTokens },
      );
    return next();
  };
}

/** A refusal that says the cost, the budget and how to fit. */
function costError(cost: number, budget: number, role: string): GraphQLError {
  const n = (x: number) => x.toLocaleString('en-US');
  return limitError(
    'cost',
    `The query costs ${n(cost)}, over the budget of ${n(budget)} for ${role}: ask for fewer items (a smaller "first", one prefecture ` +
      `instead of all of them, fewer aliases) or fewer fields, or page through the results`,
    `クエリのコスト ${n(cost)} が上限 ${n(budget)} を超えています。件数（first）やエイリアス、項目を減らすか、ページ単位で取得してください`,
    { cost, budget },
  );
}

/** Seconds a viewer refused for heavy operations already running is told to wait (`Retry-After`). */
const HEAVY_RETRY_AFTER_SECONDS = 5;

/**
 * Checks the resolved operation against the limits; nothing is planned or fetched when it fails.
 * Also: the operation's cost is taken from the caller's points a minute (gateway/rate-limit.ts; an export's own
 * operations are not: the export was charged as a whole), at most `maxHeavyPerViewer` operations costing
 * `heavyCost` or more run at once per viewer, and a response carries at most `maxErrors` errors (then one that
 * says how many more there were).
 */
export function operationLimitsPlugin(limits: QueryLimits, budgets: CallerBudgets): ApolloServerPlugin<GatewayContext> {
  // Apollo Server hands the same parsed document to every request with the same query text, so the
  // shape verdict (depth, aliases, directives) is kept per document instead of walking it again each
  // time. The cost depends on the variables, so it is computed for each request (a walk of the document).
  const verdicts = new WeakMap<DocumentNode, ShapeVerdict>();
  const heavyInFlight = new Map<string, number>();
  // Without variables, a document's cost is always the same: kept per parsed document.
  // The operation node is the document's own, so it keys the cost of that operation of that document.
  const costs = new WeakMap<OperationDefinitionNode, number>();
  const costOfDocument = (schema: GraphQLSchema, document: DocumentNode, operation: OperationDefinitionNode) => {
    let cost = costs.get(operation);
    if (cost === undefined) costs.set(operation, (cost = operationCost(schema, document, operation, undefined)));
    return cost;
  };
  return {
    async requestDidStart({ contextValue }) {
      let heavyKey: string | undefined;
      let charged: Charge | null = null;
      const release = () => {
        if (heavyKey === undefined) return;
        const left = (heavyInFlight.get(heavyKey) ?? 1) - 1;
        if (left <= 0) heavyInFlight.delete(heavyKey);
        else heavyInFlight.set(heavyKey, left);
        heavyKey = undefined;
      };
      return {
        async didResolveOperation({ document, schema, operation, request }) {
          if (!operation) return; // refused by shared/server.ts's operationResolutionPlugin
          const nameLength = operation.name?.value.length ?? 0;
          if (nameLength > MAX_OPERATION_NAME_LENGTH) {
            throw limitError(
              'operationName',
              `the operation's name is ${nameLength.toLocaleString('en-US')} characters long; at most ${MAX_OPERATION_NAME_LENGTH} are taken`,
              `操作名が長すぎます（${nameLength.toLocaleString('en-US')}文字。${MAX_OPERATION_NAME_LENGTH}文字まで）`,
            );
          }
          let verdict = verdicts.get(document);
          if (verdict === undefined) verdicts.set(document, (verdict = shapeVerdict(schema, document, limits)));
          if (verdict !== null) {
            const [message, messageJa] = verdict.limit.says(verdict.found, verdict.max);
            throw limitError(verdict.limit.limit, message, messageJa, { found: verdict.found, max: verdict.max });
          }
          const role = contextValue.viewer.role ?? 'anonymous callers';
          const budget = contextValue.viewer.role === 'ANALYST' ? limits.maxCostAnalyst : limits.maxCost;
          const cost = operation.variableDefinitions?.length
            ? operationCost(schema, document, operation, request.variables)
            : costOfDocument(schema, document, operation);
          if (cost > budget) throw costError(cost, budget, role);
          contextValue.cost = cost;
          if (!contextValue.exporting) {
            charged = await budgets.charge(contextValue.viewer, contextValue.clientAddress, cost);
            if (charged && !charged.allowed) throw budgets.refusal(charged);
          }
          if (cost >= limits.heavyCost) {
            const key = callerKey(contextValue.viewer, contextValue.clientAddress);
            const running = heavyInFlight.get(key) ?? 0;
            if (running >= limits.maxHeavyPerViewer) {
              // Refused before it ran: it costs the caller nothing.
              if (charged) charged = await budgets.refund(contextValue.viewer, contextValue.clientAddress, charged);
              throw limitError(
                'concurrentHeavyOperations',
                `${running} heavy operations of yours are still running (cost ${cost.toLocaleString('en-US')}; at most ${limits.maxHeavyPerViewer} at once): ` +
                  'wait for them to finish, then send this one again',
                `負荷の高い処理が同時に${running}件実行中です（${limits.maxHeavyPerViewer}件まで）。先の処理が終わってから再度送信してください`,
                { cost },
                429,
              );
            }
            heavyInFlight.set(key, running + 1);
            heavyKey = key;
          }
        },
        async willSendResponse({ response }) {
          release();
          // What is left of the caller's minute, on every answer it was charged for (and when to try again, on a refusal).
          if (charged) for (const [name, value] of rateLimitHeaders(charged)) response.http.headers.set(name, value);
          if (response.body.kind !== 'single') return;
          const result = response.body.singleResult;
          // When to try again, as every 429 of this API says: a heavy operation takes a few seconds.
          if (result.errors?.some((e) => e.extensions?.limit === 'concurrentHeavyOperations'))
            response.http.headers.set('retry-after', String(HEAVY_RETRY_AFTER_SECONDS));
          if (result.errors && result.errors.length > limits.maxErrors) {
            const more = result.errors.length - (limits.maxErrors - 1);
            result.errors = [
              ...result.errors.slice(0, limits.maxErrors - 1),
              limitError(
                'errors',
                `${more} more errors were left out (at most ${limits.maxErrors} per response)`,
                `ほか${more}件のエラーは省略しました（1回の応答に${limits.maxErrors}件まで）`,
                { omitted: more },
                null,
              ),
            ];
          }
        },
      };
    },
  };
}

/**
 * Express middleware for `/graphql`: an answer over `maxResponseBytes` is replaced by an error that
 * says how to ask for less (the cost limit keeps honest queries far below it; this is the last net).
 */
export function responseSizeLimit(limits: QueryLimits) {
  return (req: Request, res: Response, next: NextFunction) => {
    const send = res.send.bind(res);
    res.send = (body?: unknown) => {
      const size = typeof body === 'string' ? Buffer.byteLength(body) : Buffer.isBuffer(body) ? body.length : 0;
      if (size <= limits.maxResponseBytes) return send(body);
      res.status(400).type('application/json');
      describeRequest(req, { errorCodes: [QUERY_LIMIT_EXCEEDED] });
      const mb = (x: number) => (x / 2 ** 20).toFixed(1);
      const messageJa = `応答が大きすぎます（${mb(size)} MB、上限 ${mb(limits.maxResponseBytes)} MB）。件数や項目を減らしてください`;
      return send(
        JSON.stringify(
          errorsBody(
            `The answer is ${mb(size)} MB, over the limit of ${mb(limits.maxResponseBytes)} MB: ask for fewer items (a smaller "first") or fewer fields / ${messageJa}`,
            QUERY_LIMIT_EXCEEDED,
            messageJa,
            { limit: 'responseSize', bytes: size, maxBytes: limits.maxResponseBytes },
            req.headers['accept-language'],
          ),
        ),
      );
    };
    next();
  };
}

import { GraphQLError } from 'graphql';
import Negotiator from 'negotiator';

/** The stable `extensions.code` values clients can branch on (DESIGN.md §5). */
export const ErrorCode = {
  BAD_USER_INPUT: 'BAD_USER_INPUT',
  NOT_FOUND: 'NOT_FOUND',
  FORBIDDEN: 'FORBIDDEN',
  UNAUTHENTICATED: 'UNAUTHENTICATED',
  CONFLICT: 'CONFLICT',
  /** A query over the gateway's limits (depth, aliases, directives, tokens, cost, batching). */
  QUERY_LIMIT_EXCEEDED: 'QUERY_LIMIT_EXCEEDED',
  /** A request body or file over its size limit (HTTP 413): a GraphQL body over 1 MB, an import over IMPORT_MAX_MB. */
  PAYLOAD_TOO_LARGE: 'PAYLOAD_TOO_LARGE',
  /** A subgraph did not answer (down, refused, or past its timeout): the rest of the answer stands. Also a sign-in that cannot be checked now (`serviceName`: the subgraph, or `identity-provider`). */
  SUBGRAPH_UNAVAILABLE: 'SUBGRAPH_UNAVAILABLE',
  INTERNAL_SERVER_ERROR: 'INTERNAL_SERVER_ERROR',
} as const;
export type ErrorCode = (typeof ErrorCode)[keyof typeof ErrorCode];

/** Codes a client may see with their message; INTERNAL_SERVER_ERROR is always masked. */
const KNOWN_CODES = new Set<string>(Object.values(ErrorCode).filter((code) => code !== ErrorCode.INTERNAL_SERVER_ERROR));

/** Codes produced by GraphQL itself (parse/validation) that are safe to show as they are. */
const PASS_THROUGH_CODES = new Set<string>([
  'GRAPHQL_PARSE_FAILED',
  'GRAPHQL_VALIDATION_FAILED',
  'PERSISTED_QUERY_NOT_FOUND',
  'PERSISTED_QUERY_NOT_SUPPORTED',
  'OPERATION_RESOLUTION_FAILURE',
  'BAD_REQUEST',
]);

export function isClientSafeCode(code: unknown): boolean {
  return typeof code === 'string' && (KNOWN_CODES.has(code) || PASS_THROUGH_CODES.has(code));
}

/**
 * Extra detail of a BAD_USER_INPUT: the reason in Japanese (required, so that no rule answers staff with a
 * generic phrase) and the value received (never free text).
 */
export interface BadInputDetail {
  reasonJa: string;
  /** The value received, quoted in the message; leave it out for free text, which may identify a person. */
  value?: unknown;
}

/**
 * Bad input: names the argument (a path such as `filter.prefectureCodes[1]`), the value received
 * when it is safe to repeat, and the reason in English and Japanese.
 */
export function badUserInput(
  argument: string,
  reason: string,
  detail: BadInputDetail,
  /** Every problem when there are several; the message names the first. */
  problems?: Array<{ field: string; reason: string; reasonJa: string }>,
): GraphQLError {
  const more = problems && problems.length > 1 ? ` (and ${problems.length - 1} more problem(s))` : '';
  const moreJa = problems && problems.length > 1 ? `（ほか${problems.length - 1}件）` : '';
  const { reasonJa } = detail;
  const received = detail.value === undefined ? '' : ` (received ${JSON.stringify(detail.value)})`;
  const receivedJa = detail.value === undefined ? '' : `（受け取った値: ${JSON.stringify(detail.value)}）`;
  const messageJa = `「${argument}」の値が不正です${receivedJa}: ${reasonJa}${moreJa}`;
  return new GraphQLError(`Invalid value for "${argument}"${received}: ${reason}${more} / ${messageJa}`, {
    extensions: {
      code: ErrorCode.BAD_USER_INPUT,
      argument,
      reason,
      reasonJa,
      messageJa,
      ...(detail.value === undefined ? {} : { value: detail.value }),
      ...(problems ? { problems } : {}),
    },
  });
}

/**
 * Not signed in, or not believably. `whole request`: the request as a whole is refused (HTTP 401),
 * as for a bad token; otherwise only the field fails and the rest of the answer stands.
 */
export function unauthenticated(reason: string, reasonJa: string, scope: 'field' | 'whole request' = 'field'): GraphQLError {
  return new GraphQLError(`Not authenticated: ${reason} / 認証されていません`, {
    extensions: {
      code: ErrorCode.UNAUTHENTICATED,
      reason,
      reasonJa,
      messageJa: `認証されていません: ${reasonJa}`,
      ...(scope === 'whole request' ? { http: { status: 401 } } : {}),
    },
  });
}

/**
 * A sign-in that cannot be checked now (HTTP 503, the request refused whole): what checks it — the subgraph that
 * keeps API keys or the advisor registry, or the identity provider's keys — did not answer. The server's
 * failure, never the caller's: front ends keep the user signed in and try again shortly.
 */
export function signInUncheckable(serviceName: string, reason: string, reasonJa: string): GraphQLError {
  return new GraphQLError(`${reason} / ${reasonJa}`, {
    extensions: { code: ErrorCode.SUBGRAPH_UNAVAILABLE, serviceName, reason, reasonJa, messageJa: reasonJa, http: { status: 503 } },
  });
}

/** Not allowed. `whole request`: the request as a whole is refused (HTTP 403); otherwise only the field fails. */
export function forbidden(reason: string, reasonJa: string, scope: 'field' | 'whole request' = 'field'): GraphQLError {
  return new GraphQLError(`Forbidden: ${reason} / 権限がありません`, {
    extensions: {
      code: ErrorCode.FORBIDDEN,
      reason,
      reasonJa,
      messageJa: `権限がありません: ${reasonJa}`,
      ...(scope === 'whole request' ? { http: { status: 403 } } : {}),
    },
  });
}

/**
 * A record the caller named does not exist: `what` names it in English (`visit <id>`), `whatJa` in
 * Japanese (`訪問記録 <id>`) — required, so that staff read which record; `field` is the argument that
 * named it. Ids are the caller's own and never free text, so they are repeated back.
 */
export function notFound(what: string, whatJa: string, field?: string): GraphQLError {
  return new GraphQLError(`Not found: ${what} / 見つかりません: ${whatJa}`, {
    extensions: {
      code: ErrorCode.NOT_FOUND,
      ...(field ? { argument: field } : {}),
      reason: `${what} does not exist`,
      reasonJa: `${whatJa}は登録されていません`,
      messageJa: `見つかりません: ${whatJa}は登録されていません${field ? `（${field}）` : ''}`,
    },
  });
}

export function conflict(reason: string, reasonJa: string): GraphQLError {
  return new GraphQLError(`Conflict: ${reason} / 競合: ${reasonJa}`, {
    extensions: { code: ErrorCode.CONFLICT, reason, reasonJa, messageJa: `競合: ${reasonJa}` },
  });
}

/**
 * The JSON body of an error answered outside GraphQL's pipeline (a body that is not JSON, a batched request,
 * a wrong path): one error with its code and its Japanese message, as every error of the API carries; the
 * message is the Japanese one when the request's `Accept-Language` asks for Japanese, as in gateway/language.ts.
 */
export function errorsBody(message: string, code: string, messageJa: string, extensions: Record<string, unknown> = {}, acceptLanguage?: string) {
  return { errors: [{ message: prefersJapanese(acceptLanguage) ? messageJa : message, extensions: { code, messageJa, ...extensions } }] };
}

/** The start of the Japanese message of a request whose shape is wrong (BAD_REQUEST). */
export const BAD_REQUEST_JA = 'リクエストの形式が正しくありません';

/** The start of the Japanese message of a query that does not fit the schema (GRAPHQL_VALIDATION_FAILED). */
export const INVALID_QUERY_JA = 'クエリがスキーマに合いません';
/** The start of the Japanese message of a query that cannot be read (GRAPHQL_PARSE_FAILED). */
export const SYNTAX_ERROR_JA = 'クエリの文法が正しくありません';

/** A Japanese message for errors that bring none of their own (GraphQL's, the gateway's), by code. */
export function fallbackMessageJa(code: unknown, extensions: Record<string, unknown> = {}): string {
  switch (code) {
    case 'GRAPHQL_PARSE_FAILED':
      return SYNTAX_ERROR_JA;
    case 'GRAPHQL_VALIDATION_FAILED':
      return `${INVALID_QUERY_JA}（項目名・引数を確認してください）`;
    case ErrorCode.SUBGRAPH_UNAVAILABLE:
      return `${String(extensions.serviceName ?? '一部の')}サブグラフが応答しません。この部分を除いて回答しています`;
    case ErrorCode.QUERY_LIMIT_EXCEEDED:
      return 'クエリが上限を超えています（大きさ・深さ・件数を減らしてください）';
    case ErrorCode.PAYLOAD_TOO_LARGE:
      return '送られたデータが大きすぎます（分けて送ってください）';
    case ErrorCode.UNAUTHENTICATED:
      return 'サインインが必要です（トークンまたはAPIキーを確認してください）';
    case ErrorCode.FORBIDDEN:
      return '権限がありません';
    case ErrorCode.BAD_USER_INPUT:
      return '入力値が不正です（項目と値を確認してください）';
    case ErrorCode.NOT_FOUND:
      return '見つかりません';
    case ErrorCode.CONFLICT:
      return '他の変更と競合しました。読み込み直してから再度実行してください';
    case 'BAD_REQUEST':
      return BAD_REQUEST_JA;
    case 'PERSISTED_QUERY_NOT_FOUND':
      return '登録済みのクエリが見つかりません。クエリ本文を付けて送り直してください';
    case 'PERSISTED_QUERY_NOT_SUPPORTED':
      return '登録済みクエリ（persisted query）には対応していません';
    case 'OPERATION_RESOLUTION_FAILURE':
      return '実行する操作を特定できません（operationName を確認してください）';
    default:
      return '処理できませんでした。時間をおいて再度お試しください';
  }
}

/** A Japanese message with the request id staff quote when they report a failure of the server (問い合わせ番号). */
export function withInquiryNumberJa(messageJa: string, requestId: string): string {
  return `${messageJa}（問い合わせ番号 ${requestId}）`;
}

/** Whether an Accept-Language header names Japanese first ("ja", "ja-JP", "ja,en;q=0.8"); "*" (what fetch sends) is not a choice of Japanese. */
export function prefersJapanese(acceptLanguage: string | undefined | null): boolean {
  if (!acceptLanguage) return false;
  const [first] = new Negotiator({ headers: { 'accept-language': acceptLanguage } }).languages();
  return first === 'ja' || (first ?? '').startsWith('ja-');
}

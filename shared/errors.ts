import { GraphQLError } from 'graphql';

/** The stable `extensions.code` values clients can branch on (DESIGN.md §5). */
export const ErrorCode = {
  BAD_USER_INPUT: 'BAD_USER_INPUT',
  NOT_FOUND: 'NOT_FOUND',
  FORBIDDEN: 'FORBIDDEN',
  UNAUTHENTICATED: 'UNAUTHENTICATED',
  CONFLICT: 'CONFLICT',
  /** A query over the gateway's limits (depth, aliases, directives, tokens, cost, batching). */
  QUERY_LIMIT_EXCEEDED: 'QUERY_LIMIT_EXCEEDED',
  /** A subgraph did not answer (down, refused, or past its timeout): the rest of the answer stands. */
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

/** Bad input: names the argument (a path such as `filter.prefectureCodes[1]`) and the reason. */
export function badUserInput(
  argument: string,
  reason: string,
  /** Every problem when there are several; the message names the first. */
  problems?: Array<{ field: string; reason: string }>,
): GraphQLError {
  const more = problems && problems.length > 1 ? ` (and ${problems.length - 1} more problem(s))` : '';
  return new GraphQLError(`Invalid value for "${argument}": ${reason}${more}`, {
    extensions: { code: ErrorCode.BAD_USER_INPUT, argument, reason, ...(problems ? { problems } : {}) },
  });
}

/**
 * Not signed in, or not believably. `whole request`: the request as a whole is refused (HTTP 401),
 * as for a bad token; otherwise only the field fails and the rest of the answer stands.
 */
export function unauthenticated(reason: string, scope: 'field' | 'whole request' = 'field'): GraphQLError {
  return new GraphQLError(`Not authenticated: ${reason}`, {
    extensions: { code: ErrorCode.UNAUTHENTICATED, reason, ...(scope === 'whole request' ? { http: { status: 401 } } : {}) },
  });
}

export function forbidden(reason: string): GraphQLError {
  return new GraphQLError(`Forbidden: ${reason}`, { extensions: { code: ErrorCode.FORBIDDEN, reason } });
}

export function notFound(what: string): GraphQLError {
  return new GraphQLError(`Not found: ${what}`, { extensions: { code: ErrorCode.NOT_FOUND } });
}

export function conflict(reason: string): GraphQLError {
  return new GraphQLError(`Conflict: ${reason}`, { extensions: { code: ErrorCode.CONFLICT, reason } });
}

/** The one shape of every refusal by the gateway's limits (gateway/limits.ts, gateway/rate-limit.ts). */
import { GraphQLError } from 'graphql';
import { ErrorCode } from '../shared/errors';

/**
 * A refusal by the query limits: the limit it is over (`extensions.limit`) and its figures named, with what to
 * do, in English and Japanese — every refusal has one shape, whichever limit it is.
 */
export function limitError(
  limit: string,
  message: string,
  messageJa: string,
  figures: Record<string, unknown> = {},
  status: number | null = 400,
): GraphQLError {
  return new GraphQLError(`${message} / ${messageJa}`, {
    extensions: { code: ErrorCode.QUERY_LIMIT_EXCEEDED, limit, ...figures, messageJa, ...(status === null ? {} : { http: { status } }) },
  });
}

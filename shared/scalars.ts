import { GraphQLError, GraphQLScalarType, Kind } from 'graphql';

const LOCAL_DATE = /^(\d{4})-(\d{2})-(\d{2})$/;

/** True for a real calendar date written YYYY-MM-DD. */
export function isLocalDate(value: string): boolean {
  const m = LOCAL_DATE.exec(value);
  if (!m) return false;
  const d = new Date(Date.UTC(Number(m[1]), Number(m[2]) - 1, Number(m[3])));
  return d.toISOString().slice(0, 10) === value;
}

function parse(value: unknown): string {
  if (typeof value !== 'string' || !isLocalDate(value)) {
    throw new GraphQLError(`LocalDate must be a calendar date written YYYY-MM-DD, got ${JSON.stringify(value)}`, {
      extensions: { code: 'BAD_USER_INPUT' },
    });
  }
  return value;
}

/**
 * A calendar date with no time zone (YYYY-MM-DD), as Japanese administrative records are dated.
 * Kept as a string end to end so no time zone can shift it by a day.
 */
export const LocalDateScalar = new GraphQLScalarType({
  name: 'LocalDate',
  description: 'A calendar date without time zone, YYYY-MM-DD (e.g. 2025-04-01).',
  serialize: (value) => (value instanceof Date ? value.toISOString().slice(0, 10) : parse(value)),
  parseValue: parse,
  parseLiteral: (ast) => parse(ast.kind === Kind.STRING ? ast.value : undefined),
});

/** RFC 3339 date-time with a time zone offset, e.g. 2026-12-01T09:30:00.000Z or 2026-12-01T18:30:00+09:00. */
const DATE_TIME = /^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}(\.\d{1,9})?(Z|[+-]\d{2}:\d{2})$/;

function parseDateTime(value: unknown): string {
  if (typeof value !== 'string' || !DATE_TIME.test(value) || Number.isNaN(Date.parse(value))) {
    throw new GraphQLError(`DateTime must be an RFC 3339 date-time with offset, e.g. 2026-12-01T09:30:00Z, got ${JSON.stringify(value)}`, {
      extensions: { code: 'BAD_USER_INPUT' },
    });
  }
  return value;
}

/**
 * An instant (when something was recorded or changed): RFC 3339 in UTC, e.g. 2026-12-01T00:30:00.000Z.
 * Serialised as the same ISO 8601 string the `…At` fields held as String before, so JSON clients see no change.
 */
export const DateTimeScalar = new GraphQLScalarType({
  name: 'DateTime',
  description: 'An instant, RFC 3339 / ISO 8601 in UTC (e.g. 2026-12-01T00:30:00.000Z); 09:30 in Japan is 00:30Z.',
  serialize: (value) => (value instanceof Date ? value.toISOString() : new Date(parseDateTime(value)).toISOString()),
  parseValue: parseDateTime,
  parseLiteral: (ast) => parseDateTime(ast.kind === Kind.STRING ? ast.value : undefined),
});

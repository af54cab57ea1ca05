import { GraphQLError, GraphQLScalarType, type GraphQLSchema, Kind, type ValueNode, print } from 'graphql';

const LOCAL_DATE = /^(\d{4})-(\d{2})-(\d{2})$/;

/** True for a real calendar date written YYYY-MM-DD. */
export function isLocalDate(value: string): boolean {
  const m = LOCAL_DATE.exec(value);
  if (!m) return false;
  // setUTCFullYear, not Date.UTC: that reads years 0–99 as 1900–1999, so 0001-01-01 was "not a date".
  const d = new Date(0);
  d.setUTCFullYear(Number(m[1]), Number(m[2]) - 1, Number(m[3]));
  return d.toISOString().slice(0, 10) === value;
}

/** A literal that is not a string, as a message shows it: a number or name as written; a list or object only by kind (it may hold free text). */
function shownLiteral(ast: ValueNode): string {
  if (ast.kind === Kind.LIST) return 'a list';
  if (ast.kind === Kind.OBJECT) return 'an object';
  return print(ast);
}

/** `shown`: how the value is quoted (a literal of another kind in the document is printed as written there). */
function parse(value: unknown, shown = JSON.stringify(value)): string {
  if (typeof value !== 'string' || !isLocalDate(value)) {
    throw new GraphQLError(`LocalDate must be a calendar date written YYYY-MM-DD, got ${shown}`, {
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
  parseLiteral: (ast) => (ast.kind === Kind.STRING ? parse(ast.value) : parse(undefined, shownLiteral(ast))),
});

/** RFC 3339 date-time with a time zone offset, e.g. 2026-12-01T09:30:00.000Z or 2026-12-01T18:30:00+09:00. */
const DATE_TIME = /^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}(\.\d{1,9})?(Z|[+-]\d{2}:\d{2})$/;

function parseDateTime(value: unknown, shown = JSON.stringify(value)): string {
  if (typeof value !== 'string' || !DATE_TIME.test(value) || Number.isNaN(Date.parse(value))) {
    throw new GraphQLError(`DateTime must be an RFC 3339 date-time with offset, e.g. 2026-12-01T09:30:00Z, got ${shown}`, {
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
  parseLiteral: (ast) => (ast.kind === Kind.STRING ? parseDateTime(ast.value) : parseDateTime(undefined, shownLiteral(ast))),
});

/**
 * Gives the gateway's copies of the custom scalars (built from the supergraph, taking any value) these
 * scalars' parsing, so a date of the wrong type is refused at the gateway like any other mistyped
 * variable or literal — 400 with its argument path — instead of by a subgraph as `data: null` with a 200.
 * A string literal is left to the input rules (shared/input-rules.ts), which quote a date and say why it is
 * none; a literal of another kind fails as a plain Error, which graphql-js reports at the literal's place.
 * Only parsing: the gateway passes variables on as sent, and answers are serialized by the subgraphs.
 */
export function adoptScalarParsing(schema: GraphQLSchema): void {
  for (const scalar of [LocalDateScalar, DateTimeScalar]) {
    const type = schema.getType(scalar.name);
    if (!(type instanceof GraphQLScalarType)) continue;
    const parseLiteral = (ast: ValueNode) => {
      if (ast.kind === Kind.STRING) return ast.value;
      try {
        return scalar.parseLiteral(ast);
      } catch (error) {
        throw new Error((error as Error).message, { cause: error });
      }
    };
    // graphql-js types these as readonly; the gateway builds the schema and offers no other hook.
    Object.assign(type, { parseValue: scalar.parseValue, parseLiteral });
  }
}

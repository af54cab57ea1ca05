/**
 * Relay cursor connections with keyset pagination: a cursor holds the sort key of the last row seen,
 * so pages stay stable while rows are added and cost the same however deep a client pages.
 */
import { ArgsType, Directive, Field, Int, ObjectType } from 'type-graphql';
import { INHERIT_HINT } from './cache-control';
import { isUuid } from './codes';
import { badUserInput } from './errors';
import { isLocalDate } from './scalars';

@Directive('@shareable')
@Directive(INHERIT_HINT)
@ObjectType({ description: 'Relay page information (ページ情報).' })
export class PageInfo {
  @Field({ description: 'True when more items follow this page.' })
  hasNextPage!: boolean;

  @Field({ description: 'True when this page was asked for with `after`, so items precede it.' })
  hasPreviousPage!: boolean;

  @Field(() => String, { nullable: true, description: 'Cursor of the first item of the page.' })
  startCursor!: string | null;

  @Field(() => String, { nullable: true, description: 'Cursor of the last item; pass it as `after` for the next page.' })
  endCursor!: string | null;
}

export const DEFAULT_PAGE_SIZE = 50;
export const MAX_PAGE_SIZE = 1000;

/** Checks `first`, naming the argument when it is out of range. */
export function pageSize(first: number | undefined | null, argument = 'first'): number {
  if (first === undefined || first === null) return DEFAULT_PAGE_SIZE;
  if (!Number.isInteger(first) || first < 0 || first > MAX_PAGE_SIZE) {
    throw badUserInput(argument, `must be an integer from 0 to ${MAX_PAGE_SIZE}`, { value: first, reasonJa: `0〜${MAX_PAGE_SIZE}の整数を指定してください` });
  }
  return first;
}

/** A cursor names the ordering it belongs to, so one from another ordering is refused, not misread. */
export function encodeCursor(ordering: string, key: ReadonlyArray<string | number>): string {
  return Buffer.from(JSON.stringify([ordering, ...key])).toString('base64url');
}

const notThisConnectionsCursor = (argument: string, cursor: string) =>
  badUserInput(argument, 'not a cursor returned by this connection', {
    value: cursor.slice(0, 100),
    reasonJa: 'この一覧が返したカーソル（endCursor）ではありません',
  });

/**
 * What each value of a cursor's key is: a cursor that comes back is checked against them, so a forged one is
 * BAD_USER_INPUT and never reaches SQL as a value of the wrong type (which PostgreSQL refuses as an internal error).
 */
export type CursorKey = 'text' | 'integer' | 'uuid' | 'date' | 'serial';
const CURSOR_KEY_CHECKS: Record<CursorKey, (value: string | number) => boolean> = {
  text: (v) => typeof v === 'string',
  integer: (v) => Number.isSafeInteger(v),
  uuid: (v) => typeof v === 'string' && isUuid(v),
  date: (v) => typeof v === 'string' && isLocalDate(v),
  // A bigserial id, as digits (it may exceed a JavaScript number).
  serial: (v) => typeof v === 'string' && /^[1-9]\d{0,17}$/.test(v),
};

/** The key a cursor of `ordering` holds, each value of the kind `keys` names; BAD_USER_INPUT on `argument` otherwise. */
export function decodeCursor(cursor: string, ordering: string, keys: readonly CursorKey[], argument = 'after'): Array<string | number> {
  let parsed: unknown;
  try {
    parsed = JSON.parse(Buffer.from(cursor, 'base64url').toString('utf8'));
  } catch {
    throw notThisConnectionsCursor(argument, cursor);
  }
  if (!Array.isArray(parsed) || parsed.length < 2 || !parsed.every((v) => ['string', 'number'].includes(typeof v))) {
    throw notThisConnectionsCursor(argument, cursor);
  }
  if (parsed[0] !== ordering) {
    throw badUserInput(argument, `the cursor belongs to ordering ${parsed[0]}, not ${ordering}; start again without "after"`, {
      value: cursor.slice(0, 100),
      reasonJa: `このカーソルは並び順 ${parsed[0]} のもので、${ordering} のものではありません。after を付けずに最初から取得してください`,
    });
  }
  const key = parsed.slice(1) as Array<string | number>;
  if (key.length !== keys.length || !key.every((value, i) => CURSOR_KEY_CHECKS[keys[i]](value))) throw notThisConnectionsCursor(argument, cursor);
  return key;
}

/** Builds edges and page info from `first + 1` fetched rows. */
export function connectionPage<T>(
  rows: T[],
  first: number,
  after: string | null | undefined,
  cursorOf: (row: T) => string,
): { edges: Array<{ cursor: string; node: T }>; pageInfo: PageInfo } {
  const page = rows.slice(0, first);
  const edges = page.map((node) => ({ cursor: cursorOf(node), node }));
  return {
    edges,
    pageInfo: {
      hasNextPage: rows.length > first,
      hasPreviousPage: Boolean(after),
      startCursor: edges[0]?.cursor ?? null,
      endCursor: edges.at(-1)?.cursor ?? null,
    },
  };
}

@ArgsType()
export class PageArgs {
  @Field(() => Int, { nullable: true, description: `Page size, 0 to ${MAX_PAGE_SIZE} (default ${DEFAULT_PAGE_SIZE}).` })
  first?: number;

  @Field(() => String, { nullable: true, description: 'Cursor of the last item of the previous page.' })
  after?: string;
}

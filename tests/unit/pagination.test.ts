import { GraphQLError } from 'graphql';
import { connectionPage, decodeCursor, encodeCursor, pageSize } from '../../shared/pagination';

const errorOf = (run: () => unknown) => {
  try {
    run();
  } catch (error) {
    return error as GraphQLError;
  }
  throw new Error('expected an error');
};

describe('cursors', () => {
  it('round-trip the sort key of their ordering', () => {
    expect(decodeCursor(encodeCursor('population:asc', [160, '133621']), 'population:asc')).toEqual([160, '133621']);
  });
  it('refuse a cursor of another ordering, naming the argument', () => {
    const error = errorOf(() => decodeCursor(encodeCursor('code:asc', ['011002']), 'population:asc'));
    expect(error.extensions).toMatchObject({ code: 'BAD_USER_INPUT', argument: 'after' });
    expect(error.message).toContain('ordering code:asc');
  });
  it.each(['garbage', Buffer.from('{"a":1}').toString('base64url'), Buffer.from('[1]').toString('base64url')])('refuse %s', (cursor) =>
    expect(errorOf(() => decodeCursor(cursor, 'code:asc')).extensions.code).toBe('BAD_USER_INPUT'),
  );
});

describe('page size', () => {
  it('defaults to 50 and allows 0..1000', () => {
    expect(pageSize(undefined)).toBe(50);
    expect(pageSize(0)).toBe(0);
    expect(pageSize(1000)).toBe(1000);
    expect(errorOf(() => pageSize(1001)).extensions).toMatchObject({ code: 'BAD_USER_INPUT', argument: 'first' });
    expect(errorOf(() => pageSize(-1)).extensions.code).toBe('BAD_USER_INPUT');
  });
});

describe('connection page', () => {
  it('uses the extra row only to tell that a next page exists', () => {
    const page = connectionPage([1, 2, 3], 2, null, (n) => `c${n}`);
    expect(page.edges.map((e) => e.node)).toEqual([1, 2]);
    expect(page.pageInfo).toEqual({ hasNextPage: true, hasPreviousPage: false, startCursor: 'c1', endCursor: 'c2' });
    expect(connectionPage([], 2, 'x', String).pageInfo).toEqual({
      hasNextPage: false,
      hasPreviousPage: true,
      startCursor: null,
      endCursor: null,
    });
  });
});

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
    expect(decodeCursor(encodeCursor('population:asc', [160, '133621']), 'population:asc', ['integer', 'text'])).toEqual([160, '133621']);
  });
  it('refuse a cursor of another ordering, naming the argument', () => {
    const error = errorOf(() => decodeCursor(encodeCursor('code:asc', ['011002']), 'population:asc', ['integer', 'text']));
    expect(error.extensions).toMatchObject({ code: 'BAD_USER_INPUT', argument: 'after' });
    expect(error.message).toContain('ordering code:asc');
  });
  it.each(['garbage', Buffer.from('{"a":1}').toString('base64url'), Buffer.from('[1]').toString('base64url')])('refuse %s', (cursor) =>
    expect(errorOf(() => decodeCursor(cursor, 'code:asc', ['text'])).extensions.code).toBe('BAD_USER_INPUT'),
  );
  // The right ordering with values of the wrong kind (PostgreSQL would refuse them as an internal error).
  it.each([
    ['date-desc', ['date', 'uuid'], ['2025-99-99', '0049b1ca-2e0d-8892-99bf-1fc0f48a6782']],
    ['date-desc', ['date', 'uuid'], ['2025-06-01', 'x']],
    ['date-desc', ['date', 'uuid'], [1, 2]],
    ['date-desc', ['date', 'uuid'], ['2025-06-01']],
    ['population:asc', ['integer', 'text'], ['abc', '011002']],
    ['population:asc', ['integer', 'text'], [1.5, '011002']],
    ['population:asc', ['integer', 'text'], [1e300, '011002']],
    ['read-desc', ['serial'], ['x']],
    ['read-desc', ['serial'], ['99999999999999999999999']],
    ['read-desc', ['serial'], [-1]],
    ['name:asc', ['text', 'uuid'], ['a', 'b', 'c']],
  ] as const)('refuse a %s cursor of forged values %j', (ordering, keys, key) => {
    const error = errorOf(() => decodeCursor(encodeCursor(ordering, key), ordering, keys));
    expect(error.extensions).toMatchObject({ code: 'BAD_USER_INPUT', argument: 'after' });
  });
  it('take the values each kind allows', () => {
    const keys = ['date', 'uuid', 'integer', 'serial', 'text'] as const;
    const key = ['2024-02-29', '0049B1CA-2E0D-8892-99BF-1FC0F48A6782', -3, '123456789012345678', ''];
    expect(decodeCursor(encodeCursor('all', key), 'all', keys)).toEqual(key);
  });
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

/**
 * Identical subgraph queries in flight are sent once per viewer; answers the subgraph marks reusable
 * are kept for their max-age, per viewer; mutations and other viewers never share.
 */
import { shareSubgraphAnswers } from '../../gateway/subgraph-cache';
import { type SubgraphAnswer, asFetchResponse } from '../../gateway/subgraph-http';

function fakeSubgraph(headers: Record<string, string> = {}, status = 200) {
  const sent: string[] = [];
  const release: Array<() => void> = [];
  const fetcher = (_input: string, init: RequestInit) => {
    sent.push(String(init.body));
    const n = sent.length;
    return new Promise<SubgraphAnswer>((resolve) =>
      release.push(() =>
        resolve({
          url: 'http://s/graphql',
          status,
          statusText: 'OK',
          headers: { 'content-type': 'application/json', ...headers },
          body: `{"data":{"n":${n}}}`,
        }),
      ),
    );
  };
  return { sent, release: () => release.splice(0).forEach((r) => r()), fetcher };
}

const body = (query: string) => JSON.stringify({ query, variables: { code: '01' } });
const as = (viewer: string) => ({ 'x-viewer': viewer, 'content-type': 'application/json' });

it('sends one request for identical queries of one viewer in flight, each caller parsing its own copy', async () => {
  const subgraph = fakeSubgraph();
  let shared = 0;
  const fetch = shareSubgraphAnswers(subgraph.fetcher, { maxBytes: 1e6, onShared: () => (shared += 1) });
  const calls = Array.from({ length: 5 }, () => fetch('http://s/graphql', { method: 'POST', headers: as('A'), body: body('query Q { a }') }));
  await new Promise((resolve) => setImmediate(resolve));
  expect(subgraph.sent).toHaveLength(1);
  subgraph.release();
  const parsed = await Promise.all((await Promise.all(calls)).map((answer: SubgraphAnswer) => asFetchResponse(answer).json()));
  expect(parsed).toEqual(Array(5).fill({ data: { n: 1 } })); // the same answer …
  expect(new Set(parsed).size).toBe(5); // … in objects of each caller's own
  expect(shared).toBe(4);

  // Once answered without a Cache-Control max-age, nothing is kept: the next identical query is sent again.
  const later = fetch('http://s/graphql', { method: 'POST', headers: as('A'), body: body('query Q { a }') });
  subgraph.release();
  await later;
  expect(subgraph.sent).toHaveLength(2);
});

it('never shares between viewers, between different queries, or for mutations', async () => {
  const subgraph = fakeSubgraph();
  const fetch = shareSubgraphAnswers(subgraph.fetcher, { maxBytes: 1e6 });
  const calls = [
    fetch('http://s/graphql', { method: 'POST', headers: as('A'), body: body('query Q { a }') }),
    fetch('http://s/graphql', { method: 'POST', headers: as('B'), body: body('query Q { a }') }),
    fetch('http://s/graphql', { method: 'POST', headers: as('A'), body: body('query Q { b }') }),
    fetch('http://s/graphql', { method: 'POST', headers: as('A'), body: body('mutation M { m }') }),
    fetch('http://s/graphql', { method: 'POST', headers: as('A'), body: body('mutation M { m }') }),
  ];
  await new Promise((resolve) => setImmediate(resolve));
  expect(subgraph.sent).toHaveLength(5);
  subgraph.release();
  await Promise.all(calls);
});

/** A fetch over a subgraph that answers at once, with a clock the test moves. */
function cachingSetup(headers: Record<string, string>, maxBytes = 1e6, status = 200) {
  const subgraph = fakeSubgraph(headers, status);
  let clock = 1_000_000;
  const how: string[] = [];
  const fetch = shareSubgraphAnswers(subgraph.fetcher, { maxBytes, now: () => clock, onShared: (h) => how.push(h) });
  const ask = async (viewer: string, query = 'query Q { a }') => {
    const answer = fetch('http://s/graphql', { method: 'POST', headers: as(viewer), body: body(query) });
    await new Promise((resolve) => setImmediate(resolve));
    subgraph.release();
    return answer;
  };
  return { subgraph, how, ask, advance: (seconds: number) => (clock += seconds * 1000) };
}

describe('answers the subgraph marks reusable', () => {
  it('are kept for their max-age for the same viewer, handed out with the max-age left, then asked again', async () => {
    const { subgraph, how, ask, advance } = cachingSetup({ 'cache-control': 'max-age=300, private' });
    expect((await ask('A')).headers['cache-control']).toBe('max-age=300, private');
    advance(100);
    const cached = await ask('A');
    expect(subgraph.sent).toHaveLength(1);
    expect(cached.body).toBe('{"data":{"n":1}}');
    expect(cached.headers['cache-control']).toBe('max-age=200, private'); // no later cache keeps it longer
    expect(how).toEqual(['cached']);
    advance(201);
    expect((await ask('A')).body).toBe('{"data":{"n":2}}');
    expect(subgraph.sent).toHaveLength(2);
  });

  it('are never handed to another viewer, nor for another query', async () => {
    const { subgraph, ask } = cachingSetup({ 'cache-control': 'max-age=300, private' });
    await ask('A');
    expect((await ask('B')).body).toBe('{"data":{"n":2}}');
    expect((await ask('A', 'query Q { b }')).body).toBe('{"data":{"n":3}}');
    expect(subgraph.sent).toHaveLength(3);
  });

  it.each([
    ['no Cache-Control', {}, 200],
    ['no-store', { 'cache-control': 'no-store' }, 200],
    ['max-age=0', { 'cache-control': 'max-age=0, private' }, 200],
    ['an HTTP error', { 'cache-control': 'max-age=300' }, 500],
  ])('are not kept with %s', async (_case, headers, status) => {
    const { subgraph, ask } = cachingSetup(headers as Record<string, string>, 1e6, status as number);
    await ask('A');
    await ask('A');
    expect(subgraph.sent).toHaveLength(2);
  });

  it('are not kept when caching is off (0 bytes), and the oldest go first when memory is full', async () => {
    const off = cachingSetup({ 'cache-control': 'max-age=300' }, 0);
    await off.ask('A');
    await off.ask('A');
    expect(off.subgraph.sent).toHaveLength(2);

    // Each entry is 2 × (key + body) = 172 bytes: room for two.
    const small = cachingSetup({ 'cache-control': 'max-age=300' }, 400);
    await small.ask('A', 'query Q1 { a }');
    await small.ask('A', 'query Q2 { a }');
    await small.ask('A', 'query Q1 { a }'); // a hit: Q1 is now the most recent
    await small.ask('A', 'query Q3 { a }'); // evicts Q2
    expect(small.subgraph.sent).toHaveLength(3);
    await small.ask('A', 'query Q1 { a }');
    expect(small.subgraph.sent).toHaveLength(3);
    await small.ask('A', 'query Q2 { a }');
    expect(small.subgraph.sent).toHaveLength(4);
  });
});

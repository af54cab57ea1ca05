/** Identical subgraph queries in flight are sent once per viewer; mutations and other viewers never share. */
import { dedupeInFlight } from '../../gateway/dedupe';
import { type SubgraphAnswer, asFetchResponse } from '../../gateway/subgraph-http';

function fakeSubgraph() {
  const sent: string[] = [];
  const release: Array<() => void> = [];
  const fetcher = (_input: string, init: RequestInit) => {
    sent.push(String(init.body));
    const n = sent.length;
    return new Promise<SubgraphAnswer>((resolve) =>
      release.push(() => resolve({ url: 'http://s/graphql', status: 200, statusText: 'OK', headers: { 'content-type': 'application/json' }, body: `{"data":{"n":${n}}}` })),
    );
  };
  return { sent, release: () => release.splice(0).forEach((r) => r()), fetcher };
}

const body = (query: string) => JSON.stringify({ query, variables: { code: '01' } });
const as = (viewer: string) => ({ 'x-viewer': viewer, 'content-type': 'application/json' });

it('sends one request for identical queries of one viewer in flight, each caller parsing its own copy', async () => {
  const subgraph = fakeSubgraph();
  let shared = 0;
  const fetch = dedupeInFlight(subgraph.fetcher, () => (shared += 1));
  const calls = Array.from({ length: 5 }, () => fetch('http://s/graphql', { method: 'POST', headers: as('A'), body: body('query Q { a }') }));
  await new Promise((resolve) => setImmediate(resolve));
  expect(subgraph.sent).toHaveLength(1);
  subgraph.release();
  const parsed = await Promise.all((await Promise.all(calls)).map((answer) => asFetchResponse(answer).json()));
  expect(parsed).toEqual(Array(5).fill({ data: { n: 1 } })); // the same answer …
  expect(new Set(parsed).size).toBe(5); // … in objects of each caller's own
  expect(shared).toBe(4);

  // Once answered, nothing is kept: the next identical query is sent again.
  const later = fetch('http://s/graphql', { method: 'POST', headers: as('A'), body: body('query Q { a }') });
  subgraph.release();
  await later;
  expect(subgraph.sent).toHaveLength(2);
});

it('never shares between viewers, between different queries, or for mutations', async () => {
  const subgraph = fakeSubgraph();
  const fetch = dedupeInFlight(subgraph.fetcher);
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

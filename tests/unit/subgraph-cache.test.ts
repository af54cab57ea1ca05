/**
 * Identical subgraph queries in flight are sent once per viewer; answers tagged with a data version are
 * kept while the subgraph stays at it, shared as their scope says; mutations never share.
 */
import { shareSubgraphAnswers } from '../../gateway/subgraph-cache';
import { type SubgraphAnswer, asFetchResponse } from '../../gateway/subgraph-http';
import { coalesced } from '../../gateway/data-versions';
import { type Viewer, encodeViewer } from '../../shared/context';
import { sharingKey } from '../../shared/data-version';
import { todayInJapan } from '../../shared/dates';

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

  // Once answered without a data version, nothing is kept: the next identical query is sent again.
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

it('tells large bodies apart by their whole text, though it keys them by a digest', async () => {
  const subgraph = fakeSubgraph();
  const fetch = shareSubgraphAnswers(subgraph.fetcher, { maxBytes: 1e6 });
  // Thousands of representations, the same but for the last one's name.
  const representations = Array.from({ length: 3000 }, (_, i) => ({ __typename: 'Municipality', code: String(i), name: '江差町' }));
  const large = (last: string) =>
    JSON.stringify({ query: 'query E { _entities }', variables: { representations: [...representations, { __typename: 'Municipality', name: last }] } });
  const calls = [large('松前町'), large('松前町'), large('福島町')].map((text) => fetch('http://s/graphql', { method: 'POST', headers: as('A'), body: text }));
  await new Promise((resolve) => setImmediate(resolve));
  expect(subgraph.sent).toHaveLength(2); // the two alike share one call; the third is its own
  expect(subgraph.sent.map((sent) => sent.slice(-12))).toEqual([large('松前町').slice(-12), large('福島町').slice(-12)]);
  subgraph.release();
  await Promise.all(calls);
});

/** A fetch over a subgraph that answers at once, whose data version the test moves. */
function keepingSetup(headers: Record<string, string>, maxBytes = 1e6, status = 200) {
  const subgraph = fakeSubgraph(headers, status);
  let version = 'e.1';
  const how: string[] = [];
  const fetch = shareSubgraphAnswers(subgraph.fetcher, { maxBytes, unchanged: async (v) => v === version, onShared: (h) => how.push(h) });
  const ask = async (viewer: string, query = 'query Q { a }') => {
    const answer = fetch('http://s/graphql', { method: 'POST', headers: as(viewer), body: body(query) });
    await new Promise((resolve) => setImmediate(resolve));
    subgraph.release();
    return answer;
  };
  return { subgraph, how, ask, move: (to: string) => (version = to) };
}

const viewer = (role: string, prefectureCode: string | null, subject: string) => encodeViewer({ role, prefectureCode, subject } as Viewer);
const aomori1 = viewer('ADVISOR', '02', 'advisor-1');
const aomori2 = viewer('ADVISOR', '02', 'advisor-2');
const iwate = viewer('ADVISOR', '03', 'advisor-3');
const staff = viewer('PREFECTURE_STAFF', '02', 'staff-1');

describe('answers tagged with a data version', () => {
  it('are kept while the subgraph is at that version, then asked again', async () => {
    const { subgraph, how, ask, move } = keepingSetup({ 'x-data-version': 'e.1', 'x-answer-scope': 'viewer' });
    await ask(aomori1);
    expect((await ask(aomori1)).body).toBe('{"data":{"n":1}}');
    expect(subgraph.sent).toHaveLength(1);
    expect(how).toEqual(['cached']);
    move('e.2');
    expect((await ask(aomori1)).body).toBe('{"data":{"n":2}}');
    expect(subgraph.sent).toHaveLength(2);
  });

  it('scope: shared with the same role and prefecture only; viewer: with no one else', async () => {
    const shared = keepingSetup({ 'x-data-version': 'e.1', 'x-answer-scope': 'scope' });
    await shared.ask(aomori1);
    expect((await shared.ask(aomori2)).body).toBe('{"data":{"n":1}}'); // a colleague: the same scope
    expect((await shared.ask(iwate)).body).toBe('{"data":{"n":2}}'); // another prefecture
    expect((await shared.ask(staff)).body).toBe('{"data":{"n":3}}'); // another role
    expect((await shared.ask(aomori1, 'query Q { b }')).body).toBe('{"data":{"n":4}}'); // another query

    const own = keepingSetup({ 'x-data-version': 'e.1', 'x-answer-scope': 'viewer' });
    await own.ask(aomori1);
    expect((await own.ask(aomori2)).body).toBe('{"data":{"n":2}}');
    expect((await own.ask(aomori1)).body).toBe('{"data":{"n":1}}');
  });

  it.each([
    ['no data version', { 'x-answer-scope': 'scope' }, 200],
    ['no answer scope (notes were read)', { 'x-data-version': 'e.1' }, 200],
    ['an HTTP error', { 'x-data-version': 'e.1', 'x-answer-scope': 'scope' }, 500],
    ['only a Cache-Control max-age', { 'cache-control': 'max-age=300, private' }, 200],
  ])('are not kept with %s', async (_case, headers, status) => {
    const { subgraph, ask } = keepingSetup(headers as Record<string, string>, 1e6, status as number);
    await ask(aomori1);
    await ask(aomori1);
    expect(subgraph.sent).toHaveLength(2);
  });

  it('are not kept when caching is off (0 bytes), and the oldest go first when memory is full', async () => {
    const tagged = { 'x-data-version': 'e.1', 'x-answer-scope': 'viewer' };
    const off = keepingSetup(tagged, 0);
    await off.ask(aomori1);
    await off.ask(aomori1);
    expect(off.subgraph.sent).toHaveLength(2);

    const one =
      2 *
        (`${sharingKey({ role: 'ADVISOR', prefectureCode: '02', subject: 'advisor-1' }, 'viewer')}\nhttp://s/graphql\n${todayInJapan()}\n${body('query Q1 { a }')}`
          .length +
          16) +
      200;
    const small = keepingSetup(tagged, 2 * one + 10); // room for two
    await small.ask(aomori1, 'query Q1 { a }');
    await small.ask(aomori1, 'query Q2 { a }');
    await small.ask(aomori1, 'query Q1 { a }'); // used: Q1 is now the most recent
    await small.ask(aomori1, 'query Q3 { a }'); // drops Q2
    expect(small.subgraph.sent).toHaveLength(3);
    await small.ask(aomori1, 'query Q1 { a }');
    expect(small.subgraph.sent).toHaveLength(3);
    await small.ask(aomori1, 'query Q2 { a }');
    expect(small.subgraph.sent).toHaveLength(4);
  });
});

describe('coalesced data-version questions', () => {
  it('every caller gets an answer sent after it called; one question in flight at a time', async () => {
    let asked = 0;
    const pending: Array<(v: number) => void> = [];
    const ask = coalesced(() => new Promise<number>((resolve) => (asked += 1) && pending.push(resolve)));
    const first = ask(); // sent at once
    const second = ask(); // waits for the first, then the next is sent
    const third = ask(); // joins the second
    expect(asked).toBe(1);
    pending.shift()!(1);
    expect(await first).toBe(1);
    await new Promise((resolve) => setImmediate(resolve));
    expect(asked).toBe(2);
    pending.shift()!(2);
    expect([await second, await third]).toEqual([2, 2]);
    const later = ask(); // nothing in flight: sent at once
    expect(asked).toBe(3);
    pending.shift()!(3);
    expect(await later).toBe(3);
  });

  it('a failed question answers undefined (nothing kept is used)', async () => {
    const ask = coalesced(() => Promise.reject(new Error('down')));
    expect(await ask()).toBeUndefined();
  });
});

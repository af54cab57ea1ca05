/**
 * The store behind every cache of the gateway (kept answers, subgraph answers, sign-in answers): bounded in
 * bytes, least recently used out first, and entries for callers no one answers for held to a quarter of it.
 */
import { BoundedStore } from '../../gateway/bounded-store';

it('holds at most its bytes, dropping the least recently used', () => {
  const store = new BoundedStore<string>(300);
  store.set('a', 'A', 100);
  store.set('b', 'B', 100);
  store.set('c', 'C', 100);
  expect(store.get('a')).toBe('A'); // now the most recently used
  store.set('d', 'D', 100);
  expect(store.get('b')).toBeUndefined();
  expect(['a', 'c', 'd'].map((key) => store.get(key))).toEqual(['A', 'C', 'D']);
  store.set('huge', 'H', 301); // more than the whole store: not kept, nothing dropped for it
  expect(store.get('huge')).toBeUndefined();
  expect(['a', 'c', 'd'].map((key) => store.get(key))).toEqual(['A', 'C', 'D']);
});

it('keeps entries for callers no one answers for (anonymous, refused keys) to a quarter of it: a flood of them drops only each other', () => {
  const store = new BoundedStore<string>(1000);
  for (let i = 0; i < 7; i += 1) store.set(`advisor-${i}`, 'kept', 100);
  for (let i = 0; i < 1000; i += 1) store.set(`anonymous-${i}`, 'flood', 50, true);
  for (let i = 0; i < 7; i += 1) expect(store.get(`advisor-${i}`)).toBe('kept');
  // The last five of the flood are there (250 bytes: a quarter), the rest dropped.
  const left = Array.from({ length: 1000 }, (_, i) => store.get(`anonymous-${i}`)).filter(Boolean);
  expect(left).toHaveLength(5);
  expect(store.get('anonymous-999')).toBe('flood');
  // An unaccountable entry larger than its part is not kept at all.
  store.set('anonymous-big', 'big', 251, true);
  expect(store.get('anonymous-big')).toBeUndefined();
  // Signed-in callers' entries still use the whole store, dropping the least recently used of either kind.
  for (let i = 0; i < 10; i += 1) store.set(`staff-${i}`, 'kept', 100);
  expect(Array.from({ length: 10 }, (_, i) => store.get(`staff-${i}`))).toEqual(Array(10).fill('kept'));
  expect(store.get('advisor-0')).toBeUndefined();
});

it('reckons an entry set again, or deleted, once', () => {
  const store = new BoundedStore<string>(400);
  store.set('x', '1', 100, true);
  store.set('x', '2', 100, true); // replaces, not adds
  store.set('y', '3', 100, true);
  expect(store.get('x')).toBeUndefined(); // two of 100 exceed the quarter (100): the older went
  expect(store.get('y')).toBe('3');
  store.delete('y');
  store.set('z', '4', 100, true);
  expect(store.get('z')).toBe('4');
  store.set('z', '5', 100); // the same key, now accountable
  store.set('w', '6', 100, true);
  expect([store.get('z'), store.get('w')]).toEqual(['5', '6']);
});

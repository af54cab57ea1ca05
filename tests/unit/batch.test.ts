/** Batch helpers of the DataLoaders (shared/batch.ts): answers in key order, one load per qualifier. */
import { batchByQualifier, byKey, groupByKey } from '../../shared/batch';

it('orders rows by their keys, null for a key without a row', () => {
  expect(byKey(['b', 'x', 'a'], [{ k: 'a' }, { k: 'b' }], (r) => r.k)).toEqual([{ k: 'b' }, null, { k: 'a' }]);
});

it('groups rows under their keys, keeping the rows in order and an empty list for a key without rows', () => {
  const rows = [
    { k: 'a', n: 1 },
    { k: 'b', n: 2 },
    { k: 'a', n: 3 },
  ];
  expect(groupByKey(['a', 'c', 'b'], rows, (r) => r.k)).toEqual([[rows[0], rows[2]], [], [rows[1]]]);
});

it('loads once per qualifier, whatever the number and order of keys', async () => {
  const calls: Array<[string[], string]> = [];
  const batch = batchByQualifier(async (codes: string[], qualifier: string) => {
    calls.push([codes, qualifier]);
    return codes.map((code) => `${qualifier}:${code}`);
  });
  expect(await batch(['2025-04-01|011002', '2024-04-01|011002', '2025-04-01|012025'])).toEqual(['2025-04-01:011002', '2024-04-01:011002', '2025-04-01:012025']);
  expect(calls).toEqual([
    [['011002', '012025'], '2025-04-01'],
    [['011002'], '2024-04-01'],
  ]);
});

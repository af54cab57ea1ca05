/** Helpers for DataLoader batch functions, which must answer in the order of their keys. */

/** Orders `rows` to match `keys`, null where a key has no row. */
export function byKey<K, R>(keys: readonly K[], rows: R[], keyOf: (row: R) => K): Array<R | null> {
  const found = new Map(rows.map((row) => [keyOf(row), row]));
  return keys.map((key) => found.get(key) ?? null);
}

/** Groups `rows` under `keys`, an empty list where a key has none; keeps the rows' order. */
export function groupByKey<K, R>(keys: readonly K[], rows: R[], keyOf: (row: R) => K): R[][] {
  const groups = new Map<K, R[]>(keys.map((key) => [key, []]));
  for (const row of rows) groups.get(keyOf(row))?.push(row);
  return keys.map((key) => groups.get(key) ?? []);
}

/**
 * A batch function for keys `qualifier|code`, such as `2025-04-01|011002` (coverage as of a date) or
 * `2024|01` (a fiscal year's figures): one call of `load` per distinct qualifier, usually one per request.
 */
export function batchByQualifier<V>(load: (codes: string[], qualifier: string) => Promise<V[]>) {
  return async (keys: readonly string[]): Promise<V[]> => {
    const groups = new Map<string, string[]>();
    for (const key of keys) {
      const [qualifier, code] = key.split('|');
      groups.set(qualifier, [...(groups.get(qualifier) ?? []), code]);
    }
    const results = new Map<string, V>();
    for (const [qualifier, codes] of groups) {
      const values = await load(codes, qualifier);
      codes.forEach((code, i) => results.set(`${qualifier}|${code}`, values[i]));
    }
    return keys.map((key) => results.get(key)!);
  };
}

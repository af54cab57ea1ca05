/** Per-request DataLoaders of the support-centers subgraph: each batch is one SQL statement. */
import DataLoader from 'dataloader';
import type { DataSource } from 'typeorm';
import { batchByQualifier, byKey, groupByKey } from '../../../shared/batch';
import { type CoreCenterCoverage, type CoreCenterSetup, coverageOf } from '../rules';
import { CoreCenterStore, type StoredCoreCenter, type StoredOffice } from './core-center.store';

export interface SupportCenterLoaders {
  store: CoreCenterStore;
  coreCenter: DataLoader<string, StoredCoreCenter | null>;
  office: DataLoader<string, StoredOffice | null>;
  /** Key `asOf|municipalityCode` → centers active on that date covering it (one statement per date). */
  activeCenters: DataLoader<string, StoredCoreCenter[]>;
  /** Key `asOf|municipalityCode` → its coverage on that date. */
  coverage: DataLoader<string, CoreCenterCoverage>;
  /** Key JSON `[first, afterName, afterId, municipalityCode]` → that page of its offices (first + 1 rows). */
  officePage: DataLoader<string, StoredOffice[]>;
  officeCount: DataLoader<string, number>;
  /** Every center that ever covered each municipality (dates only). */
  centerDates: DataLoader<string, Array<{ establishedOn: string; closedOn: string | null }>>;
}

export function createLoaders(dataSource: DataSource): SupportCenterLoaders {
  const store = new CoreCenterStore(dataSource);
  return {
    store,
    coreCenter: new DataLoader(async (ids) => byKey(ids, await store.findByIds(ids), (c) => c.id)),
    office: new DataLoader(async (ids) => byKey(ids, await store.findOfficesByIds(ids), (o) => o.id)),
    activeCenters: new DataLoader(
      batchByQualifier(async (codes, asOf) =>
        groupByKey(codes, await store.activeCentersOf(codes, asOf), (r) => r.code).map((rows) => rows.map((r) => r.center)),
      ),
    ),
    coverage: new DataLoader(
      batchByQualifier(async (codes, asOf) =>
        groupByKey(codes, await store.activeSetupsOf(codes, asOf), (r) => r.code).map((rows) => coverageOf(rows.map((r) => r.setup as CoreCenterSetup))),
      ),
    ),
    officePage: new DataLoader(async (keys) => {
      // Keys are JSON [first, afterName, afterId, code]; one statement per distinct page argument.
      const pages = new Map<string, string[]>();
      for (const key of keys) {
        const [first, afterName, afterId, code] = JSON.parse(key);
        const page = JSON.stringify([first, afterName, afterId]);
        pages.set(page, [...(pages.get(page) ?? []), code]);
      }
      const results = new Map<string, StoredOffice[]>();
      for (const [page, codes] of pages) {
        const [first, afterName, afterId] = JSON.parse(page);
        const after: [string, string] | undefined = afterId ? [afterName, afterId] : undefined;
        const grouped = groupByKey(codes, await store.officesOf(codes, first + 1, after), (o) => o.municipalityCode);
        codes.forEach((code, i) => results.set(JSON.stringify([first, afterName, afterId, code]), grouped[i]));
      }
      return keys.map((key) => results.get(key)!);
    }),
    centerDates: new DataLoader(async (codes) => groupByKey(codes, await store.centerDatesOf(codes), (r) => r.code)),
    officeCount: new DataLoader(async (codes) => {
      const counts = new Map((await store.officeCounts(codes)).map((r) => [r.code, r.count]));
      return codes.map((code) => counts.get(code) ?? 0);
    }),
  };
}

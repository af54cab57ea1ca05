/** Per-request DataLoaders: each batch of keys is one SQL statement. */
import DataLoader from 'dataloader';
import type { DataSource } from 'typeorm';
import { batchByQualifier, byKey, groupByKey } from '../../../shared/batch';
import { type SelfPlanStatistics, selfPlanStatistics } from '../rules';
import { CouncilStore, type StoredCouncil, type StoredSelfPlanRate } from './council.store';

import { MunicipalityStore, type StoredMunicipality, type StoredPrefecture } from './municipality.store';

export interface MunicipalityLoaders {
  store: MunicipalityStore;
  municipality: DataLoader<string, StoredMunicipality | null>;
  prefecture: DataLoader<string, StoredPrefecture | null>;
  municipalitiesOfPrefecture: DataLoader<string, StoredMunicipality[]>;
  councilStore: CouncilStore;
  /** Key `asOf|municipalityCode`. */
  council: DataLoader<string, StoredCouncil | null>;
  /** Key `asOf|municipalityCode`. */
  selfPlanRate: DataLoader<string, StoredSelfPlanRate | null>;
  /** Key `asOf`: the national, class and prefecture self-plan aggregates on that date (one statement each). */
  selfPlanStatistics: DataLoader<string, SelfPlanStatistics>;
}

export function createLoaders(dataSource: DataSource): MunicipalityLoaders {
  const store = new MunicipalityStore(dataSource);
  const councilStore = new CouncilStore(dataSource);
  return {
    councilStore,
    council: new DataLoader(batchByQualifier(async (codes, asOf) => byKey(codes, await councilStore.councilsOn(codes, asOf), (c) => c.municipalityCode))),
    selfPlanRate: new DataLoader(
      batchByQualifier(async (codes, asOf) => byKey(codes, await councilStore.selfPlanRatesOn(codes, asOf), (r) => r.municipalityCode)),
    ),
    selfPlanStatistics: new DataLoader(async (dates) =>
      Promise.all(dates.map(async (asOf) => selfPlanStatistics(asOf, await councilStore.selfPlansOfAllOn(asOf)))),
    ),
    store,
    municipality: new DataLoader(async (codes) => byKey(codes, await store.findByCodes(codes), (m) => m.code)),
    prefecture: new DataLoader(async (codes) => byKey(codes, await store.findPrefectures(codes), (p) => p.code)),
    municipalitiesOfPrefecture: new DataLoader(async (codes) => groupByKey(codes, await store.findByPrefectureCodes(codes), (m) => m.prefectureCode)),
  };
}

/** Per-request DataLoaders: each batch of keys is one SQL statement. */
import DataLoader from 'dataloader';
import type { DataSource } from 'typeorm';
import { byKey, groupByKey } from '../../../shared/batch';
import type { MunicipalityEntity } from '../entities/municipality.entity';
import type { PrefectureEntity } from '../entities/prefecture.entity';
import { MunicipalityStore } from './municipality.store';

export interface MunicipalityLoaders {
  store: MunicipalityStore;
  municipality: DataLoader<string, MunicipalityEntity | null>;
  prefecture: DataLoader<string, PrefectureEntity | null>;
  municipalitiesOfPrefecture: DataLoader<string, MunicipalityEntity[]>;
}

export function createLoaders(dataSource: DataSource): MunicipalityLoaders {
  const store = new MunicipalityStore(dataSource);
  return {
    store,
    municipality: new DataLoader(async (codes) => byKey(codes, await store.findByCodes(codes), (m) => m.code)),
    prefecture: new DataLoader(async (codes) => byKey(codes, await store.findPrefectures(codes), (p) => p.code)),
    municipalitiesOfPrefecture: new DataLoader(async (codes) =>
      groupByKey(codes, await store.findByPrefectureCodes(codes), (m) => m.prefectureCode),
    ),
  };
}

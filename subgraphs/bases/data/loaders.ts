/** Per-request DataLoaders of the bases subgraph: each batch is one SQL statement. */
import DataLoader from 'dataloader';
import type { DataSource } from 'typeorm';
import { batchByQualifier, byKey, groupByKey } from '../../../shared/batch';
import {
  BaseStore,
  type BaseStatusRow,
  type ServiceFigureRow,
  type StoredBase,
  type StoredCoordinator,
  type StoredParticipant,
  type StoredReview,
  type StoredTextErasure,
} from './base.store';

export interface BaseLoaders {
  store: BaseStore;
  base: DataLoader<string, StoredBase | null>;
  /** Key `asOf|municipalityCode` → bases active on that date covering it. */
  activeBases: DataLoader<string, StoredBase[]>;
  /** Key `asOf|municipalityCode` → what coverage and gap rules need of each of those bases. */
  statuses: DataLoader<string, BaseStatusRow[]>;
  participants: DataLoader<string, StoredParticipant[]>;
  coordinators: DataLoader<string, StoredCoordinator[]>;
  reviews: DataLoader<string, StoredReview[]>;
  textErasures: DataLoader<string, StoredTextErasure[]>;
  /** Key `fiscalYear|prefectureCode` → the three service figures of that prefecture. */
  serviceFigures: DataLoader<string, ServiceFigureRow[]>;
}

export function createLoaders(dataSource: DataSource): BaseLoaders {
  const store = new BaseStore(dataSource);
  return {
    store,
    base: new DataLoader(async (ids) => byKey(ids, await store.findByIds(ids), (b) => b.id)),
    activeBases: new DataLoader(
      batchByQualifier(async (codes, asOf) => groupByKey(codes, await store.activeBasesOf(codes, asOf), (r) => r.code).map((rows) => rows.map((r) => r.base))),
    ),
    statuses: new DataLoader(batchByQualifier(async (codes, asOf) => groupByKey(codes, await store.statusesOf(codes, asOf), (r) => r.code))),
    participants: new DataLoader(async (ids) => groupByKey(ids, await store.participantsOf(ids), (p) => p.baseId)),
    coordinators: new DataLoader(async (ids) => groupByKey(ids, await store.coordinatorsOf(ids), (c) => c.baseId)),
    reviews: new DataLoader(async (ids) => groupByKey(ids, await store.reviewsOf(ids), (r) => r.baseId)),
    textErasures: new DataLoader(async (ids) => groupByKey(ids, await store.textErasuresOf(ids), (e) => e.baseId)),
    serviceFigures: new DataLoader(
      batchByQualifier(async (codes, year) => groupByKey(codes, await store.serviceFigures(codes, Number(year)), (r) => r.prefectureCode)),
    ),
  };
}

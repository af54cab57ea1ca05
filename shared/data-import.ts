/**
 * Loading a dataset once per version: each subgraph records in its `data_import` table which version
 * (checksum) of a reference or sample file it has loaded, so a start loads a file only when it changed
 * and edits made through the API survive restarts.
 */
import type { DataSource, EntityManager } from 'typeorm';

/**
 * Runs `load` (which returns the number of rows it loaded) unless this checksum of `dataset` is
 * recorded; all in one transaction, serialised so that two replicas starting together load it once.
 */
export async function loadOncePerVersion(
  dataSource: DataSource,
  dataset: string,
  checksum: string,
  load: (manager: EntityManager) => Promise<number>,
): Promise<boolean> {
  return dataSource.transaction(async (manager) => {
    await manager.query(`SELECT pg_advisory_xact_lock(hashtext('data_import:' || $1))`, [dataset]);
    const [loaded] = await manager.query('SELECT checksum FROM data_import WHERE dataset = $1', [dataset]);
    if (loaded?.checksum === checksum) return false;
    const rows = await load(manager);
    await manager.query(
      `INSERT INTO data_import (dataset, checksum, row_count) VALUES ($1, $2, $3)
       ON CONFLICT (dataset) DO UPDATE SET checksum = EXCLUDED.checksum, row_count = EXCLUDED.row_count, imported_at = now()`,
      [dataset, checksum, rows],
    );
    return true;
  });
}

/**
 * Extends a dataset that grows with the calendar (the living sample) to `until`: runs `extend` for the
 * days after the last day it covered (recorded as its checksum), or from `earliest` the first time or when
 * that is later; nothing when it is up to date. One transaction, serialised like `loadOncePerVersion`.
 */
export async function extendToDate(
  dataSource: DataSource,
  dataset: string,
  earliest: string,
  until: string,
  extend: (manager: EntityManager, from: string, until: string) => Promise<number>,
): Promise<boolean> {
  return dataSource.transaction(async (manager) => {
    await manager.query(`SELECT pg_advisory_xact_lock(hashtext('data_import:' || $1))`, [dataset]);
    const [covered] = await manager.query('SELECT checksum FROM data_import WHERE dataset = $1', [dataset]);
    const next = covered ? new Date(Date.parse(`${covered.checksum}T00:00:00Z`) + 86_400_000).toISOString().slice(0, 10) : earliest;
    const from = next > earliest ? next : earliest;
    if (from > until) return false;
    const rows = await extend(manager, from, until);
    await manager.query(
      `INSERT INTO data_import (dataset, checksum, row_count) VALUES ($1, $2, $3)
       ON CONFLICT (dataset) DO UPDATE SET checksum = EXCLUDED.checksum, row_count = data_import.row_count + EXCLUDED.row_count, imported_at = now()`,
      [dataset, until, rows],
    );
    return true;
  });
}

/**
 * Loads the reference data (47 prefectures, 1,741 municipalities with population) into this
 * subgraph's database. Runs on every start but does work only when the data file changed (its
 * checksum is recorded in `data_import` with the rows, in one transaction).
 */
import type { DataSource } from 'typeorm';
import { loadOncePerVersion } from '../../shared/data-import';
import type { Logger } from '../../shared/log';
import { PREFECTURES } from '../../shared/reference/prefectures';
import { municipalityReferenceChecksum, municipalityReferences } from '../../shared/reference/municipalities';
import { kindFromLabel } from './classification';

export const REFERENCE_DATASET = 'municipalities-population';

export async function importReferenceData(dataSource: DataSource, log?: Logger): Promise<boolean> {
  const rows = municipalityReferences();
  return loadOncePerVersion(dataSource, REFERENCE_DATASET, municipalityReferenceChecksum(), async (tx) => {
    await tx.query(
      `INSERT INTO prefecture (code, name, kana, region)
       SELECT * FROM unnest($1::char(2)[], $2::text[], $3::text[], $4::text[])
       ON CONFLICT (code) DO UPDATE SET name = EXCLUDED.name, kana = EXCLUDED.kana, region = EXCLUDED.region`,
      [PREFECTURES.map((p) => p.code), PREFECTURES.map((p) => p.name), PREFECTURES.map((p) => p.kana), PREFECTURES.map((p) => p.region)],
    );
    await tx.query(
      `INSERT INTO municipality (code, prefecture_code, name, kana, kind, population, population_as_of, population_source)
       SELECT * FROM unnest($1::char(6)[], $2::char(2)[], $3::text[], $4::text[], $5::text[], $6::int[], $7::date[], $8::text[])
       ON CONFLICT (code) DO UPDATE SET
         prefecture_code = EXCLUDED.prefecture_code, name = EXCLUDED.name, kana = EXCLUDED.kana, kind = EXCLUDED.kind,
         population = EXCLUDED.population, population_as_of = EXCLUDED.population_as_of,
         population_source = EXCLUDED.population_source`,
      [
        rows.map((r) => r.code),
        rows.map((r) => r.prefectureCode),
        rows.map((r) => r.name),
        rows.map((r) => r.kana),
        rows.map((r) => kindFromLabel(r.kind)),
        rows.map((r) => r.population),
        rows.map((r) => r.populationAsOf),
        rows.map((r) => r.populationSource),
      ],
    );
    log?.info({ dataset: REFERENCE_DATASET, rows: rows.length }, 'reference data imported');
    return rows.length;
  });
}

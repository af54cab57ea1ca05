/** The support-centers subgraph: core consultation support centers, consultation offices, coverage and gaps. */
import type { SubgraphDefinition } from '../../shared/subgraph';
import { type SupportCenterLoaders, createLoaders } from './data/loaders';
import { coreCenterImporter, officeImporter, seedSampleData } from './import';
import { CreateSupportCenters1763856000000 } from './migrations/1763856000000-CreateSupportCenters';
import { AddCoreCenterHistory1764201600000 } from './migrations/1764201600000-AddHistory';
import { AddSupportCenterImportHistory1765411200000 } from './migrations/1765411200000-AddImportHistory';
import { NotifySupportCenterDataChanged1765584000000 } from './migrations/1765584000000-NotifyDataChanged';
import { KeySupportCenterApiRecords1765843200000 } from './migrations/1765843200000-KeyApiRecords';
import { buildSupportCentersSchema } from './schema';
import { ScopeSupportCentersIdempotencyKeys1764979200000 } from './migrations/1764979200000-ScopeIdempotencyKeys';
import { ExpireSupportCentersIdempotencyKeys1766534400000 } from './migrations/1766534400000-ExpireIdempotencyKeys';

export const supportCentersSubgraph: SubgraphDefinition<SupportCenterLoaders> = {
  name: 'support-centers',
  database: {
    migrations: [
      CreateSupportCenters1763856000000,
      AddCoreCenterHistory1764201600000,
      ScopeSupportCentersIdempotencyKeys1764979200000,
      AddSupportCenterImportHistory1765411200000,
      NotifySupportCenterDataChanged1765584000000,
      KeySupportCenterApiRecords1765843200000,
      ExpireSupportCentersIdempotencyKeys1766534400000,
    ],
  },
  importers: {
    'core-centers': { ...coreCenterImporter, titleJa: '基幹相談支援センター' },
    'consultation-offices': { ...officeImporter, titleJa: '相談支援事業所' },
  },
  buildSchema: buildSupportCentersSchema,
  createLoaders,
  // Real records come through the CSV import; the sample only where SAMPLE_DATA allows it.
  seed: async (dataSource, log, config) => {
    if (config.sampleData) await seedSampleData(dataSource, log);
  },
};

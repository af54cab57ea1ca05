/** The bases subgraph: community life support bases, their functions, coordinators, reviews; coverage, gaps and service figures. */
import type { SubgraphDefinition } from '../../shared/subgraph';
import { type BaseLoaders, createLoaders } from './data/loaders';
import { baseImporter, participantImporter, seedBases } from './import';
import { CreateBases1763942400000 } from './migrations/1763942400000-CreateBases';
import { AddBaseHistory1764201600000 } from './migrations/1764201600000-AddHistory';
import { AddBaseImportHistory1765411200000 } from './migrations/1765411200000-AddImportHistory';
import { NotifyBaseDataChanged1765584000000 } from './migrations/1765584000000-NotifyDataChanged';
import { KeyBaseApiRecords1765843200000 } from './migrations/1765843200000-KeyApiRecords';
import { buildBasesSchema } from './schema';
import { ScopeBasesIdempotencyKeys1764979200000 } from './migrations/1764979200000-ScopeIdempotencyKeys';
import { ExpireBaseIdempotencyKeys1766534400000 } from './migrations/1766534400000-ExpireIdempotencyKeys';
import { EraseEarlierBaseTexts1766707200000 } from './migrations/1766707200000-EraseEarlierBaseTexts';

export const basesSubgraph: SubgraphDefinition<BaseLoaders> = {
  name: 'bases',
  database: {
    migrations: [
      CreateBases1763942400000,
      AddBaseHistory1764201600000,
      ScopeBasesIdempotencyKeys1764979200000,
      AddBaseImportHistory1765411200000,
      NotifyBaseDataChanged1765584000000,
      KeyBaseApiRecords1765843200000,
      ExpireBaseIdempotencyKeys1766534400000,
      EraseEarlierBaseTexts1766707200000,
    ],
  },
  importers: {
    bases: { ...baseImporter, titleJa: '地域生活支援拠点等' },
    'base-participants': { ...participantImporter, titleJa: '拠点等の参加機関' },
  },
  buildSchema: buildBasesSchema,
  createLoaders,
  seed: (dataSource, log, config) => seedBases(dataSource, log, config.sampleData),
};

/** The bases subgraph: community life support bases, their functions, coordinators, reviews; coverage, gaps and service figures. */
import type { SubgraphDefinition } from '../../shared/subgraph';
import { type BaseLoaders, createLoaders } from './data/loaders';
import { importBaseParticipants, importBases, seedBases } from './import';
import { CreateBases1763942400000 } from './migrations/1763942400000-CreateBases';
import { AddBaseHistory1764201600000 } from './migrations/1764201600000-AddHistory';
import { buildBasesSchema } from './schema';
import { ScopeBasesIdempotencyKeys1764979200000 } from './migrations/1764979200000-ScopeIdempotencyKeys';

export const basesSubgraph: SubgraphDefinition<BaseLoaders> = {
  name: 'bases',
  database: {
    migrations: [CreateBases1763942400000, AddBaseHistory1764201600000, ScopeBasesIdempotencyKeys1764979200000],
  },
  importers: { bases: { run: importBases }, 'base-participants': { run: importBaseParticipants } },
  buildSchema: buildBasesSchema,
  createLoaders,
  seed: (dataSource, log, config) => seedBases(dataSource, log, config.sampleData),
};

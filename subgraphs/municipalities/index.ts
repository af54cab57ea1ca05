/** The municipalities subgraph: prefectures and municipalities, the reference data every other subgraph extends. */
import type { SubgraphDefinition } from '../../shared/subgraph';
import { type MunicipalityLoaders, createLoaders } from './data/loaders';
import { councilImporter, importReferenceData, seedSampleStatus, selfPlanImporter } from './import';
import { CreateMunicipalities1763769600000 } from './migrations/1763769600000-CreateMunicipalities';
import { CreateCouncilsAndSelfPlanRates1764115200000 } from './migrations/1764115200000-CreateCouncilsAndSelfPlanRates';
import { AddMunicipalityHistory1764201600000 } from './migrations/1764201600000-AddHistory';
import { AddSelfPlanCounts1765238400000 } from './migrations/1765238400000-AddSelfPlanCounts';
import { CreateApiKeys1765324800000 } from './migrations/1765324800000-CreateApiKeys';
import { AddMunicipalityImportHistory1765411200000 } from './migrations/1765411200000-AddImportHistory';
import { NotifyMunicipalityDataChanged1765584000000 } from './migrations/1765584000000-NotifyDataChanged';
import { ApiKeyUseChangesNoAnswer1766448000000 } from './migrations/1766448000000-ApiKeyUseChangesNoAnswer';
import { ExpireMunicipalityIdempotencyKeys1766534400000 } from './migrations/1766534400000-ExpireIdempotencyKeys';
import { buildMunicipalitiesSchema } from './schema';
import { mountApiKeySessions } from './resolvers/api-key.resolver';

export const municipalitiesSubgraph: SubgraphDefinition<MunicipalityLoaders> = {
  name: 'municipalities',
  database: {
    migrations: [
      CreateMunicipalities1763769600000,
      CreateCouncilsAndSelfPlanRates1764115200000,
      AddMunicipalityHistory1764201600000,
      AddSelfPlanCounts1765238400000,
      CreateApiKeys1765324800000,
      AddMunicipalityImportHistory1765411200000,
      NotifyMunicipalityDataChanged1765584000000,
      ApiKeyUseChangesNoAnswer1766448000000,
      ExpireMunicipalityIdempotencyKeys1766534400000,
    ],
  },
  importers: {
    councils: { ...councilImporter, titleJa: '協議会' },
    'self-plan-rates': { ...selfPlanImporter, titleJa: 'セルフプラン率' },
  },
  buildSchema: buildMunicipalitiesSchema,
  createLoaders,
  // The gateway checks every API key here (this subgraph keeps them: keys are scoped by prefecture).
  routes: mountApiKeySessions,
  // The reference data always; the sample council status and self-plan rates where SAMPLE_DATA allows.
  seed: async (dataSource, log, config) => {
    await importReferenceData(dataSource, log);
    if (config.sampleData) await seedSampleStatus(dataSource, log);
  },
};

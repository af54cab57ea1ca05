/** The municipalities subgraph: prefectures and municipalities, the reference data every other subgraph extends. */
import type { SubgraphDefinition } from '../../shared/subgraph';
import { type MunicipalityLoaders, createLoaders } from './data/loaders';
import { MunicipalityEntity } from './entities/municipality.entity';
import { PrefectureEntity } from './entities/prefecture.entity';
import { importReferenceData } from './import';
import { CreateMunicipalities1763769600000 } from './migrations/1763769600000-CreateMunicipalities';
import { buildMunicipalitiesSchema } from './schema';

export const municipalitiesSubgraph: SubgraphDefinition<MunicipalityLoaders> = {
  name: 'municipalities',
  database: {
    entities: [PrefectureEntity, MunicipalityEntity],
    migrations: [CreateMunicipalities1763769600000],
  },
  buildSchema: buildMunicipalitiesSchema,
  createLoaders,
  seed: async (dataSource, log) => {
    await importReferenceData(dataSource, log);
  },
};

import type { GraphQLSchema } from 'graphql';
import { buildFederatedSchema } from '../../shared/federation';
import { MunicipalityConnectionResolver, MunicipalityResolver } from './resolvers/municipality.resolver';
import { resolveMunicipalityReference, resolvePrefectureReference } from './resolvers/references';
import { PrefectureResolver } from './resolvers/prefecture.resolver';
import { ViewerResolver } from './resolvers/viewer.resolver';
import { CouncilResolver, CoverageStatisticsResolver } from './resolvers/council.resolver';
import { ApiKeyResolver } from './resolvers/api-key.resolver';

export function buildMunicipalitiesSchema(): Promise<GraphQLSchema> {
  return buildFederatedSchema(
    {
      resolvers: [
        PrefectureResolver,
        MunicipalityResolver,
        MunicipalityConnectionResolver,
        CouncilResolver,
        CoverageStatisticsResolver,
        ViewerResolver,
        ApiKeyResolver,
      ],
    },
    {
      Prefecture: { __resolveReference: resolvePrefectureReference },
      Municipality: { __resolveReference: resolveMunicipalityReference },
    },
  );
}

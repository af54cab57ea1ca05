import type { GraphQLSchema } from 'graphql';
import { MunicipalityConnectionResolver, MunicipalityResolver } from './resolvers/municipality.resolver';
import { resolveMunicipalityReference, resolvePrefectureReference } from './resolvers/references';
import { PrefectureResolver } from './resolvers/prefecture.resolver';
import { ViewerResolver } from './resolvers/viewer.resolver';
import { CouncilResolver, CoverageStatisticsResolver } from './resolvers/council.resolver';
import { ApiKeyResolver } from './resolvers/api-key.resolver';
import { MunicipalityOnDateEntry, MunicipalityOnDateResolver, PrefectureOnDateEntry, PrefectureOnDateResolver } from './resolvers/on-date.resolver';
import { buildFederatedSchema, resolveDatedStub } from '../../shared/federation';

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
        PrefectureOnDateEntry,
        MunicipalityOnDateEntry,
        PrefectureOnDateResolver,
        MunicipalityOnDateResolver,
      ],
    },
    {
      Prefecture: { __resolveReference: resolvePrefectureReference },
      Municipality: { __resolveReference: resolveMunicipalityReference },
      PrefectureOnDate: { __resolveReference: resolveDatedStub },
      MunicipalityOnDate: { __resolveReference: resolveDatedStub },
    },
  );
}

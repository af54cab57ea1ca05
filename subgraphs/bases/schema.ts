import type { GraphQLSchema } from 'graphql';
import { buildFederatedSchema, resolveDatedStub, resolveMunicipalityStub, resolvePrefectureStub } from '../../shared/federation';
import { MunicipalityOnDateResolver } from './resolvers/on-date.resolver';
import { CoverageStatistics } from './types/statistics.type';
import { BaseConnectionResolver, BaseResolver, BaseReviewResolver } from './resolvers/base.resolver';
import { MunicipalityResolver } from './resolvers/municipality.resolver';
import { CoverageChangeReferenceResolver, PrefectureResolver } from './resolvers/prefecture.resolver';
import { resolveBaseReference } from './resolvers/references';
import { ServiceFigureResolver } from './resolvers/service-figure.resolver';
import { StatisticsResolver } from './resolvers/statistics.resolver';
import { MunicipalityOnDate } from './types/federated.type';
import './types/enums';

export function buildBasesSchema(): Promise<GraphQLSchema> {
  return buildFederatedSchema(
    {
      // Reached only through _entities, so named here.
      orphanedTypes: [CoverageStatistics, MunicipalityOnDate],
      resolvers: [
        BaseResolver,
        BaseConnectionResolver,
        BaseReviewResolver,
        MunicipalityResolver,
        PrefectureResolver,
        CoverageChangeReferenceResolver,
        ServiceFigureResolver,
        StatisticsResolver,
        MunicipalityOnDateResolver,
      ],
    },
    {
      Base: { __resolveReference: resolveBaseReference },
      Municipality: { __resolveReference: resolveMunicipalityStub },
      Prefecture: { __resolveReference: resolvePrefectureStub },
      MunicipalityOnDate: { __resolveReference: resolveDatedStub },
      CoverageStatistics: { __resolveReference: (reference: { asOf: string }) => reference },
    },
  );
}

import type { GraphQLSchema } from 'graphql';
import { buildFederatedSchema, resolveDatedStub, resolveMunicipalityStub, resolvePrefectureStub } from '../../shared/federation';
import { MunicipalityOnDateResolver } from './resolvers/on-date.resolver';
import { CoverageStatistics } from './types/statistics.type';
import { CoreCenterConnectionResolver, CoreCenterResolver } from './resolvers/core-center.resolver';
import { ConsultationOfficeConnectionResolver, MunicipalityResolver } from './resolvers/municipality.resolver';
import { AdvisorImpactResolver, PrefectureResolver } from './resolvers/prefecture.resolver';
import { StatisticsResolver } from './resolvers/statistics.resolver';
import { resolveConsultationOfficeReference, resolveCoreCenterReference } from './resolvers/references';
import { MunicipalityOnDate } from './types/federated.type';
import './types/enums';

export function buildSupportCentersSchema(): Promise<GraphQLSchema> {
  return buildFederatedSchema(
    {
      // Reached only through _entities, so named here.
      orphanedTypes: [CoverageStatistics, MunicipalityOnDate],
      resolvers: [
        CoreCenterResolver,
        CoreCenterConnectionResolver,
        MunicipalityResolver,
        ConsultationOfficeConnectionResolver,
        PrefectureResolver,
        AdvisorImpactResolver,
        StatisticsResolver,
        MunicipalityOnDateResolver,
      ],
    },
    {
      CoreCenter: { __resolveReference: resolveCoreCenterReference },
      ConsultationOffice: { __resolveReference: resolveConsultationOfficeReference },
      Municipality: { __resolveReference: resolveMunicipalityStub },
      Prefecture: { __resolveReference: resolvePrefectureStub },
      MunicipalityOnDate: { __resolveReference: resolveDatedStub },
      CoverageStatistics: { __resolveReference: (reference: { asOf: string }) => reference },
    },
  );
}

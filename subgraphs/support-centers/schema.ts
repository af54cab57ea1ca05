import type { GraphQLSchema } from 'graphql';
import { buildFederatedSchema, resolveMunicipalityStub, resolvePrefectureStub } from '../../shared/federation';
import { CoreCenterConnectionResolver, CoreCenterResolver } from './resolvers/core-center.resolver';
import { ConsultationOfficeConnectionResolver, MunicipalityResolver } from './resolvers/municipality.resolver';
import { PrefectureResolver } from './resolvers/prefecture.resolver';
import {
  resolveConsultationOfficeReference,
  resolveCoreCenterReference,
} from './resolvers/references';
import './types/enums';

export function buildSupportCentersSchema(): Promise<GraphQLSchema> {
  return buildFederatedSchema(
    {
      resolvers: [
        CoreCenterResolver,
        CoreCenterConnectionResolver,
        MunicipalityResolver,
        ConsultationOfficeConnectionResolver,
        PrefectureResolver,
      ],
    },
    {
      CoreCenter: { __resolveReference: resolveCoreCenterReference },
      ConsultationOffice: { __resolveReference: resolveConsultationOfficeReference },
      Municipality: { __resolveReference: resolveMunicipalityStub },
      Prefecture: { __resolveReference: resolvePrefectureStub },
    },
  );
}

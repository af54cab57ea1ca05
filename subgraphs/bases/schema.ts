import type { GraphQLSchema } from 'graphql';
import { buildFederatedSchema, resolveMunicipalityStub, resolvePrefectureStub } from '../../shared/federation';
import { BaseConnectionResolver, BaseResolver } from './resolvers/base.resolver';
import { MunicipalityResolver } from './resolvers/municipality.resolver';
import { PrefectureResolver } from './resolvers/prefecture.resolver';
import { resolveBaseReference } from './resolvers/references';
import { ServiceFigureResolver } from './resolvers/service-figure.resolver';
import './types/enums';

export function buildBasesSchema(): Promise<GraphQLSchema> {
  return buildFederatedSchema(
    { resolvers: [BaseResolver, BaseConnectionResolver, MunicipalityResolver, PrefectureResolver, ServiceFigureResolver] },
    {
      Base: { __resolveReference: resolveBaseReference },
      Municipality: { __resolveReference: resolveMunicipalityStub },
      Prefecture: { __resolveReference: resolvePrefectureStub },
    },
  );
}

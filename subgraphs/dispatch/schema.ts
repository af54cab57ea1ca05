import type { GraphQLSchema } from 'graphql';
import { buildFederatedSchema, resolveDatedStub, resolveMunicipalityStub, resolvePrefectureStub } from '../../shared/federation';
import { MunicipalityOnDateResolver, PrefectureOnDateResolver } from './resolvers/on-date.resolver';
import { AssessmentResolver, ChecklistResolver } from './resolvers/checklist.resolver';
import { AdvisorResolver } from './resolvers/advisor.resolver';
import { ProgramResolver } from './resolvers/program.resolver';
import { MunicipalityResolver } from './resolvers/municipality.resolver';
import { PrefectureResolver } from './resolvers/prefecture.resolver';
import { FollowUpResolver } from './resolvers/follow-up.resolver';
import { resolveAdvisorReference, resolveVisitReference } from './resolvers/references';
import { RequestResolver } from './resolvers/request.resolver';
import { NotesReadResolver, VisitConnectionResolver, VisitResolver } from './resolvers/visit.resolver';
import { MunicipalityOnDate, PrefectureOnDate } from './types/federated.type';
import './types/enums';

export function buildDispatchSchema(): Promise<GraphQLSchema> {
  return buildFederatedSchema(
    {
      // Reached only through _entities, so named here.
      orphanedTypes: [MunicipalityOnDate, PrefectureOnDate],
      resolvers: [
        VisitResolver,
        VisitConnectionResolver,
        NotesReadResolver,
        FollowUpResolver,
        ChecklistResolver,
        AssessmentResolver,
        RequestResolver,
        MunicipalityResolver,
        PrefectureResolver,
        AdvisorResolver,
        ProgramResolver,
        PrefectureOnDateResolver,
        MunicipalityOnDateResolver,
      ],
    },
    {
      Visit: { __resolveReference: resolveVisitReference },
      Advisor: { __resolveReference: resolveAdvisorReference },
      Municipality: { __resolveReference: resolveMunicipalityStub },
      Prefecture: { __resolveReference: resolvePrefectureStub },
      PrefectureOnDate: { __resolveReference: resolveDatedStub },
      MunicipalityOnDate: { __resolveReference: resolveDatedStub },
    },
  );
}

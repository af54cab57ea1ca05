/** The dispatch subgraph: the advisors' visit log, follow-ups, checklists and municipalities' requests. */
import type { SubgraphDefinition } from '../../shared/subgraph';
import { mountAdvisorSignIns } from './advisor-sign-ins';
import { type DispatchLoaders, createLoaders } from './data/loaders';
import {
  advisorImporter,
  assessmentImporter,
  checklistTemplateImporter,
  followUpImporter,
  programImporter,
  requestImporter,
  seedDispatch,
  visitImporter,
} from './import';
import { CreateDispatch1764028800000 } from './migrations/1764028800000-CreateDispatch';
import { AddNotesReadAudit1764201600000 } from './migrations/1764201600000-AddNotesReadAudit';
import { VisitMunicipalityNewestFirst1764547200000 } from './migrations/1764547200000-VisitMunicipalityNewestFirst';
import { MunicipalityVisitCount1764633600000 } from './migrations/1764633600000-MunicipalityVisitCount';
import { AdvisorRegistry1765065600000 } from './migrations/1765065600000-AdvisorRegistry';
import { PrefecturalProgram1765152000000 } from './migrations/1765152000000-PrefecturalProgram';
import { AddDispatchImportHistory1765411200000 } from './migrations/1765411200000-AddImportHistory';
import { NotifyDispatchDataChanged1765584000000 } from './migrations/1765584000000-NotifyDataChanged';
import { KeyDispatchApiRecords1765843200000 } from './migrations/1765843200000-KeyApiRecords';
import { KeyVisitsAndFollowUps1765929600000 } from './migrations/1765929600000-KeyVisitsAndFollowUps';
import { IndexRecordsOnVisits1766016000000 } from './migrations/1766016000000-IndexRecordsOnVisits';
import { KeyRequests1766102400000 } from './migrations/1766102400000-KeyRequests';
import { NotesErasure1766188800000 } from './migrations/1766188800000-NotesErasure';
import { NotesReadsByPrefecture1766275200000 } from './migrations/1766275200000-NotesReadsByPrefecture';
import { AdvisorTermLastDayIncluded1766361600000 } from './migrations/1766361600000-AdvisorTermLastDayIncluded';
import { FollowUpDroppedOn1765497600000 } from './migrations/1765497600000-FollowUpDroppedOn';
import { buildDispatchSchema } from './schema';
import { ScopeDispatchIdempotencyKeys1764979200000 } from './migrations/1764979200000-ScopeIdempotencyKeys';
import { ExpireDispatchIdempotencyKeys1766534400000 } from './migrations/1766534400000-ExpireIdempotencyKeys';
import { EraseEarlierTexts1766620800000 } from './migrations/1766620800000-EraseEarlierTexts';
import { EraseEarlierAssessmentTexts1766707200000 } from './migrations/1766707200000-EraseEarlierAssessmentTexts';

export const dispatchSubgraph: SubgraphDefinition<DispatchLoaders> = {
  name: 'dispatch',
  database: {
    migrations: [
      CreateDispatch1764028800000,
      AddNotesReadAudit1764201600000,
      VisitMunicipalityNewestFirst1764547200000,
      MunicipalityVisitCount1764633600000,
      ScopeDispatchIdempotencyKeys1764979200000,
      AdvisorRegistry1765065600000,
      PrefecturalProgram1765152000000,
      AddDispatchImportHistory1765411200000,
      FollowUpDroppedOn1765497600000,
      NotifyDispatchDataChanged1765584000000,
      KeyDispatchApiRecords1765843200000,
      KeyVisitsAndFollowUps1765929600000,
      IndexRecordsOnVisits1766016000000,
      KeyRequests1766102400000,
      NotesErasure1766188800000,
      NotesReadsByPrefecture1766275200000,
      AdvisorTermLastDayIncluded1766361600000,
      ExpireDispatchIdempotencyKeys1766534400000,
      EraseEarlierTexts1766620800000,
      EraseEarlierAssessmentTexts1766707200000,
    ],
  },
  importers: {
    advisors: { ...advisorImporter, titleJa: 'アドバイザー名簿' },
    'prefectural-programs': { ...programImporter, titleJa: '都道府県の事業' },
    visits: { ...visitImporter, titleJa: '派遣記録' },
    'follow-ups': { ...followUpImporter, titleJa: 'フォローアップ' },
    requests: { ...requestImporter, titleJa: '市町村からの要望' },
    assessments: { ...assessmentImporter, titleJa: 'セルフチェック' },
    'checklist-template': { ...checklistTemplateImporter, adminOnly: true, titleJa: 'チェックリストのテンプレート' },
  },
  buildSchema: buildDispatchSchema,
  createLoaders,
  routes: mountAdvisorSignIns,
  seed: (dataSource, log, config) => seedDispatch(dataSource, log, config.sampleData),
};

/** Per-request DataLoaders of the dispatch subgraph: each batch is one SQL statement. */
import DataLoader from 'dataloader';
import type { DataSource } from 'typeorm';
import { batchByQualifier, byKey, groupByKey } from '../../../shared/batch';
import {
  DispatchStore,
  type StoredAdvisor,
  type StoredAssessment,
  type StoredFollowUp,
  type NotesReadFilter,
  type StoredNotesErasure,
  type StoredAssessmentTextErasure,
  type StoredNotesRead,
  type StoredRequest,
  type StoredVisit,
  type TemplateItem,
  type VisitFilter,
  type VisitScope,
} from './dispatch.store';
import { ActivityStore, type StoredActivity, type StoredMunicipalityActivity } from './activity.store';
import { ProgramStore, type StoredProgram } from './program.store';

/** How many of a visit's latest reads of its notes `Visit.notesReads` lists. */
export const NOTES_READS_PER_VISIT = 100;

/** What a page of visits asks for, besides whose visits they are. */
export interface VisitPageArgs extends VisitFilter {
  first: number;
  after?: [string, string];
}

/** What a page of a prefecture's notes-read audit asks for, besides the prefecture. */
export interface NotesReadPageArgs extends NotesReadFilter {
  first: number;
  /** The id of the last read of the previous page. */
  after?: string;
}

/**
 * Loaders keyed by `[args, key]` (as JSON): keys with the same page arguments are fetched together,
 * one statement per distinct argument set (usually one per request).
 */
function byArgs<A, V>(load: (args: A, keys: string[]) => Promise<Map<string, V>>, empty: V) {
  return async (entries: readonly string[]): Promise<V[]> => {
    const groups = new Map<string, string[]>();
    for (const entry of entries) {
      const [args, key] = JSON.parse(entry);
      const group = JSON.stringify(args);
      groups.set(group, [...(groups.get(group) ?? []), key]);
    }
    const results = new Map<string, V>();
    for (const [group, keys] of groups) {
      const values = await load(JSON.parse(group), keys);
      for (const key of keys) results.set(JSON.stringify([JSON.parse(group), key]), values.get(key) ?? empty);
    }
    return entries.map((entry) => results.get(JSON.stringify(JSON.parse(entry)))!);
  };
}

export const pageKey = (args: VisitPageArgs | VisitFilter, key: string) => JSON.stringify([args, key]);

/**
 * Pages of visits (each one row longer than asked, to tell whether more follow). Pages that differ
 * only in size share one statement, read at the largest size and cut per key: `lastVisit` (a page
 * of one) and `visits(first: 3)` of the same municipalities cost one statement, not two.
 */
function visitPageLoader(store: DispatchStore, scope: VisitScope) {
  return new DataLoader<string, StoredVisit[]>(async (entries) => {
    const requests = entries.map((entry) => {
      const [{ first, ...rest }, key] = JSON.parse(entry) as [VisitPageArgs, string];
      return { first, rest: rest as Omit<VisitPageArgs, 'first'>, group: JSON.stringify(rest), key };
    });
    const pages = new Map<string, Map<string, StoredVisit[]>>(); // group → key → newest visits
    for (const group of new Set(requests.map((r) => r.group))) {
      const inGroup = requests.filter((r) => r.group === group);
      const limit = Math.max(...inGroup.map((r) => r.first)) + 1;
      const keys = [...new Set(inGroup.map((r) => r.key))];
      const byKey = new Map<string, StoredVisit[]>();
      for (const { key, visit } of await store.visitPages(scope, keys, inGroup[0].rest, limit, inGroup[0].rest.after)) {
        byKey.set(key, [...(byKey.get(key) ?? []), visit]);
      }
      pages.set(group, byKey);
    }
    return requests.map((r) => (pages.get(r.group)!.get(r.key) ?? []).slice(0, r.first + 1));
  });
}

function visitCountLoader(store: DispatchStore, scope: VisitScope) {
  return new DataLoader<string, number>(
    byArgs<VisitFilter, number>(async (filter, keys) => new Map((await store.visitCounts(scope, keys, filter)).map((r) => [r.key, r.count])), 0),
  );
}

export interface DispatchLoaders {
  store: DispatchStore;
  advisor: DataLoader<string, StoredAdvisor | null>;
  /** The advisor whose sign-in a token subject is (linkAdvisorSubject), if any. */
  advisorBySubject: DataLoader<string, StoredAdvisor | null>;
  advisorsOfPrefecture: DataLoader<string, StoredAdvisor[]>;
  visit: DataLoader<string, StoredVisit | null>;
  visitPages: Record<VisitScope, DataLoader<string, StoredVisit[]>>;
  visitCounts: Record<VisitScope, DataLoader<string, number>>;
  followUpsOfVisit: DataLoader<string, StoredFollowUp[]>;
  /** Key `date|municipalityCode` → follow-ups open on that date, today's too (one statement per date). */
  followUpsOpenOn: DataLoader<string, StoredFollowUp[]>;
  requestsOfVisit: DataLoader<string, StoredRequest[]>;
  requestsOfMunicipality: DataLoader<string, StoredRequest[]>;
  templateItems: DataLoader<string, TemplateItem[]>;
  coreCenterVisitDates: DataLoader<string, string[]>;
  /** A visit's latest reads of its notes, newest first. */
  notesReadsOfVisit: DataLoader<string, StoredNotesRead[]>;
  /** Key `[NotesReadPageArgs, prefectureCode]` (JSON): a page of the reads of notes of a prefecture's visits, newest first, one row longer than asked. */
  notesReadPages: DataLoader<string, StoredNotesRead[]>;
  /** Every erasure of a visit's notes, newest first. */
  notesErasuresOfVisit: DataLoader<string, StoredNotesErasure[]>;
  textErasuresOfAssessment: DataLoader<string, StoredAssessmentTextErasure[]>;
  /** Key JSON `[visitId, reader, requestId]`: records a read of notes; a request's reads go in one statement. */
  noteReads: DataLoader<string, true>;
  /** Key JSON `[templateId, municipalityCode]`. */
  latestAssessment: DataLoader<string, StoredAssessment | null>;
  /** Key `fiscalYear|prefectureCode`: a prefecture's program in a fiscal year. */
  program: DataLoader<string, StoredProgram | null>;
  /** Key JSON `[prefectureCode, CountedPeriod]`: the advisors' activity of a prefecture in a fiscal year's counted days. */
  activity: DataLoader<string, StoredActivity>;
  /** Key JSON `[municipalityCode, CountedPeriod]`: the advisors' activity in a municipality in a fiscal year's counted days. */
  municipalityActivity: DataLoader<string, StoredMunicipalityActivity>;
}

export function createLoaders(dataSource: DataSource): DispatchLoaders {
  const store = new DispatchStore(dataSource);
  const programs = new ProgramStore(dataSource);
  const scopes: VisitScope[] = ['municipality', 'prefecture', 'advisor'];
  return {
    activity: new DataLoader(async (keys) =>
      new ActivityStore(dataSource).byKeys(keys.map((key) => JSON.parse(key)).map(([prefectureCode, period]) => ({ prefectureCode, period }))),
    ),
    municipalityActivity: new DataLoader(async (keys) =>
      new ActivityStore(dataSource).byMunicipalities(keys.map((key) => JSON.parse(key)).map(([municipalityCode, period]) => ({ municipalityCode, period }))),
    ),
    program: new DataLoader(async (keys) => {
      const wanted = keys.map((key) => ({ fiscalYear: Number(key.split('|')[0]), prefectureCode: key.split('|')[1] }));
      return byKey(keys, await programs.byKeys(wanted), (p) => `${p.fiscalYear}|${p.prefectureCode}`);
    }),
    store,
    advisor: new DataLoader(async (ids) => byKey(ids, await store.advisorsByIds(ids), (a) => a.id)),
    advisorBySubject: new DataLoader(async (subjects) => byKey(subjects, await store.advisorsBySubjects(subjects), (a) => a.subject!)),
    advisorsOfPrefecture: new DataLoader(async (codes) => groupByKey(codes, await store.advisorsOfPrefectures(codes), (a) => a.prefectureCode)),
    visit: new DataLoader(async (ids) => byKey(ids, await store.visitsByIds(ids), (v) => v.id)),
    visitPages: Object.fromEntries(scopes.map((s) => [s, visitPageLoader(store, s)])) as Record<VisitScope, DataLoader<string, StoredVisit[]>>,
    visitCounts: Object.fromEntries(scopes.map((s) => [s, visitCountLoader(store, s)])) as Record<VisitScope, DataLoader<string, number>>,
    followUpsOfVisit: new DataLoader(async (ids) => groupByKey(ids, await store.followUpsOfVisits(ids), (f) => f.visitId)),
    followUpsOpenOn: new DataLoader(
      batchByQualifier(async (codes, date) => groupByKey(codes, await store.followUpsOpenOn(codes, date), (f) => f.municipalityCode)),
    ),
    requestsOfVisit: new DataLoader(async (ids) => groupByKey(ids, await store.requestsOfVisits(ids), (r) => r.visitId ?? '')),
    requestsOfMunicipality: new DataLoader(async (codes) => groupByKey(codes, await store.requestsOf(codes), (r) => r.municipalityCode)),
    notesReadsOfVisit: new DataLoader(async (ids) => groupByKey(ids, await store.notesReadsOfVisits(ids, NOTES_READS_PER_VISIT), (r) => r.visitId)),
    notesReadPages: new DataLoader(
      byArgs<NotesReadPageArgs, StoredNotesRead[]>(async ({ first, after, ...filter }, codes) => {
        const pages = new Map<string, StoredNotesRead[]>();
        for (const read of await store.notesReadPages(codes, filter, first + 1, after))
          pages.set(read.prefectureCode, [...(pages.get(read.prefectureCode) ?? []), read]);
        return pages;
      }, []),
    ),
    notesErasuresOfVisit: new DataLoader(async (ids) => groupByKey(ids, await store.notesErasuresOfVisits(ids), (r) => r.visitId)),
    textErasuresOfAssessment: new DataLoader(async (ids) => groupByKey(ids, await store.assessmentTextErasuresOf(ids), (r) => r.assessmentId)),
    noteReads: new DataLoader(async (keys) => {
      await store.recordNoteReads(keys.map((k) => JSON.parse(k)).map(([visitId, reader, requestId]) => ({ visitId, reader, requestId })));
      return keys.map(() => true as const);
    }),
    coreCenterVisitDates: new DataLoader(async (codes) =>
      groupByKey(codes, await store.coreCenterVisitDates(codes), (r) => r.code).map((rows) => rows.map((r) => r.date)),
    ),
    templateItems: new DataLoader(async (ids) => groupByKey(ids, await store.itemsOf(ids), (i) => i.templateId)),
    latestAssessment: new DataLoader(
      byArgs<string, StoredAssessment | null>(
        async (templateId, codes) => new Map((await store.latestAssessments(codes, templateId)).map((a) => [a.municipalityCode, a])),
        null,
      ),
    ),
  };
}

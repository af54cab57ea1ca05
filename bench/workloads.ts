/**
 * The benchmark's workload mix: this project's real questions. (a)–(d) are read from
 * bench/operations/: the explorer's first saved questions as they were when the benchmark was first
 * measured, kept fixed here so that figures stay comparable across versions while the explorer's
 * questions change; each asker asks (a), (b) and (d) about their own prefecture. (e) is a write, each
 * with an idempotency key of its own. The cold national reads: (n) the national worklist, (s) coverage
 * statistics at a date no request asked before, (x) the municipality-status export.
 */
import { readFileSync } from 'node:fs';
import { projectPath } from '../shared/paths';

export interface Workload {
  id: 'a' | 'b' | 'c' | 'd' | 'e' | 'n' | 's' | 'x';
  title: string;
  query: string;
  variables?: Record<string, unknown>;
  /** The variables that make it the asker's own question. */
  perAsker?(prefecture: string, municipality: string): Record<string, unknown>;
  /** It reads free text (follow-up descriptions), which analysts may not: asked by people of a prefecture. */
  freeText?: boolean;
  write?: boolean;
  /** Our gateway is asked for a fresh answer (`Cache-Control: no-cache`): nothing it kept may serve it. */
  fresh?: boolean;
  /** A GET of this path instead of a GraphQL request (an export). */
  path?: string;
}

/** Replaced in each request's body by a unique value (see bench/load.ts). */
export const UNIQUE = '__UNIQUE__';
/** Replaced in each request's body by a date no other request asks about (see bench/load.ts). */
export const DATE = '__DATE__';
/** The cold national reads. */
export const COLD: Readonly<Record<string, true>> = { n: true, s: true, x: true };

export function workloads(writeAdvisorId: string, writePrefecture: string, writeMunicipality: string): Workload[] {
  const saved = (file: string) => readFileSync(projectPath('bench', 'operations', file), 'utf8');
  const ownPrefecture = (prefecture: string) => ({ prefecture });
  return [
    { id: 'a', title: 'headline gaps of one prefecture, with visits', query: saved('a-headline-gaps.graphql'), perAsker: ownPrefecture, freeText: true },
    { id: 'b', title: 'advisor worklist of one prefecture', query: saved('b-advisor-worklist.graphql'), perAsker: ownPrefecture, freeText: true },
    { id: 'c', title: 'national coverage statistics', query: saved('c-coverage-statistics.graphql') },
    {
      id: 'd',
      title: 'one municipality, fields from all four subgraphs',
      query: saved('d-municipality.graphql'),
      perAsker: (_prefecture, municipality) => ({ code: municipality }),
    },
    {
      id: 'e',
      title: 'recordVisit (a write)',
      write: true,
      query: 'mutation RecordVisit($input: RecordVisitInput!, $key: String!) { recordVisit(input: $input, idempotencyKey: $key) { id version } }',
      variables: {
        key: `bench-${UNIQUE}`,
        input: {
          prefectureCode: writePrefecture,
          date: '2025-06-01',
          advisorIds: [writeAdvisorId],
          municipalityCodes: [writeMunicipality],
          format: 'ONLINE',
          purposes: ['COUNCIL'],
          summary: 'benchmark',
        },
      },
    },
    { id: 'n', title: 'cold: the national worklist (47 prefectures)', query: saved('n-national-worklist.graphql'), fresh: true },
    { id: 's', title: 'cold: coverage statistics at a date never asked before', query: saved('c-coverage-statistics.graphql'), variables: { asOf: DATE } },
    { id: 'x', title: 'cold: the municipality-status export (CSV)', query: '', path: '/export/municipality-status.csv', fresh: true },
  ];
}

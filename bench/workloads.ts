/**
 * The benchmark's workload mix: this project's real questions. (a)–(d) are read from
 * bench/operations/: the explorer's first saved questions as they were when the benchmark was first
 * measured, kept fixed here so that figures stay comparable across versions while the explorer's
 * questions change; (e) is a write, each with an idempotency key of its own.
 */
import { readFileSync } from 'node:fs';
import { projectPath } from '../shared/paths';

export interface Workload {
  id: 'a' | 'b' | 'c' | 'd' | 'e';
  title: string;
  query: string;
  variables?: Record<string, unknown>;
  write?: boolean;
}

/** Replaced in each request's body by a unique value (see bench/load.ts). */
export const UNIQUE = '__UNIQUE__';

export function workloads(writeAdvisorId: string, writePrefecture: string, writeMunicipality: string): Workload[] {
  const saved = (file: string) => readFileSync(projectPath('bench', 'operations', file), 'utf8');
  return [
    { id: 'a', title: 'headline gaps of one prefecture, with visits', query: saved('a-headline-gaps.graphql') },
    { id: 'b', title: 'advisor worklist of one prefecture', query: saved('b-advisor-worklist.graphql') },
    { id: 'c', title: 'national coverage statistics', query: saved('c-coverage-statistics.graphql') },
    { id: 'd', title: 'one municipality, fields from all four subgraphs', query: saved('d-municipality.graphql') },
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
  ];
}

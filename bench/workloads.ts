/**
 * The benchmark's workload mix: this project's real questions. (a)–(d) are the explorer's saved
 * operations (gateway/explorer/operations), so the benchmark measures what users are shown; (e) is a
 * write, each with an idempotency key of its own.
 */
import { savedOperations } from '../gateway/explorer/explorer';

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
  const saved = (file: string) => {
    const operation = savedOperations().find((o) => o.file === file);
    if (!operation) throw new Error(`no saved operation ${file}`);
    return operation.query;
  };
  return [
    { id: 'a', title: 'headline gaps of one prefecture, with visits', query: saved('1-headline-gaps.graphql') },
    { id: 'b', title: 'advisor worklist of one prefecture', query: saved('2-advisor-worklist.graphql') },
    { id: 'c', title: 'national coverage statistics', query: saved('3-coverage-statistics.graphql') },
    { id: 'd', title: 'one municipality, fields from all four subgraphs', query: saved('4-municipality.graphql') },
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

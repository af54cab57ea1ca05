/** The benchmark's arithmetic: percentiles, and the targets checked on medians. */
import { quantile } from '../../bench/load';
import { type BenchReport, type Cell, checkTargets, writeMarkdown } from '../../bench/report';

it('takes percentiles by nearest rank', () => {
  const sorted = Array.from({ length: 100 }, (_, i) => i + 1);
  expect([quantile(sorted, 0.5), quantile(sorted, 0.95), quantile(sorted, 0.99)]).toEqual([50, 95, 99]);
  expect(quantile([7], 0.99)).toBe(7);
});

const cell = (target: string, workload: string, requestsPerSecond: number, p95: number, data = 'sample'): Cell => ({
  target,
  workload,
  concurrency: 50,
  data,
  rounds: 3,
  requestsPerSecond,
  p50: p95 / 2,
  p95,
  p99: p95,
  errors: 0,
  subgraphCallsPerOperation: 1,
});

it('checks the targets: throughput and p95 against Hive (Rust), p95 against the floor and the small log', () => {
  const report: BenchReport = {
    date: '2026-11-22T00:00:00Z',
    machine: { cpu: 'x', cores: 2, memoryGb: 24, node: 'v20', postgres: '18' },
    settings: { rounds: 3, durationMs: 5000 },
    excluded: {},
    subgraphCalls: {},
    minutes: 1,
    cells: [
      cell('ours', 'a', 110, 90),
      cell('hive-rust', 'a', 100, 100),
      cell('floor', 'a', 50, 80),
      cell('ours', 'd', 99, 90),
      cell('hive-rust', 'd', 100, 100),
      cell('floor', 'd', 50, 60),
      cell('ours', 'a', 100, 140, 'large'),
    ],
  };
  const checks = Object.fromEntries(checkTargets(report).map((c) => [c.name, c.reached]));
  expect(checks).toEqual({
    '(a) c=50: throughput ≥ 1.0 × Hive (Rust planner) at equal or lower p95': true,
    '(d) c=50: throughput ≥ 1.0 × Hive (Rust planner) at equal or lower p95': false, // 0.99× is not 1.0×
    '(a) c=50: p95 ≤ 1.3 × floor': true, // 90 ≤ 104
    '(d) c=50: p95 ≤ 1.3 × floor': false, // 90 > 78
    '(a) c=50: large-log p95 ≤ 1.5 × sample': false, // 140 > 135
    'no errors': true,
  });
  expect(writeMarkdown(report)).toContain('**not reached**: (d) c=50: throughput');
});

/**
 * deploy/prometheus/: the scrape configuration and alerts an operator loads into Prometheus. Promtool accepts both,
 * and every metric an alert reads is one the services serve — an alert on a metric renamed or never served is
 * valid PromQL that never fires.
 */
import { execFile } from 'node:child_process';
import { copyFileSync, mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { promisify } from 'node:util';
import { parse } from 'yaml';
import { projectPath } from '../../shared/paths';
import { startTestStack } from '../helpers/stack';
import { firstExisting, testNeeding } from '../helpers/system-tools';

const PROMTOOL = {
  name: 'promtool',
  path: firstExisting([process.env.PROMTOOL_PATH, '/usr/bin/promtool', '/usr/local/bin/promtool']),
  install: "install Debian's prometheus or set PROMTOOL_PATH",
  required: 'REQUIRE_PROMTOOL',
};
const CONFIG = projectPath('deploy', 'prometheus', 'prometheus.yml');
const ALERTS = projectPath('deploy', 'prometheus', 'alerts.yml');

interface Rule {
  alert: string;
  expr: string;
  labels?: Record<string, string>;
  annotations?: Record<string, string>;
}
const rules = (): Rule[] => parse(readFileSync(ALERTS, 'utf8')).groups.flatMap((group: { rules: Rule[] }) => group.rules);

const PROMQL_WORDS = new Set(['and', 'or', 'unless', 'by', 'without', 'on', 'ignoring', 'group_left', 'group_right', 'bool', 'offset']);
/** The series an expression reads: its names, less label matchers, ranges, grouping, functions and PromQL's own words. */
function metricsRead(expr: string): string[] {
  const bare = expr
    .replace(/"(?:[^"\\]|\\.)*"/g, '""')
    .replace(/\{[^}]*\}/g, ' ')
    .replace(/\[[^\]]*\]/g, ' ')
    .replace(/\b(by|without|on|ignoring)\s*\([^)]*\)/g, ' ');
  return [...bare.matchAll(/[a-zA-Z_:][a-zA-Z0-9_:]*/g)]
    .filter((m) => !/^\s*\(/.test(bare.slice(m.index! + m[0].length))) // a function's name, not a series
    .map((m) => m[0])
    .filter((name) => !PROMQL_WORDS.has(name));
}

it('reads the series of an expression, and nothing else of it', () => {
  expect(metricsRead('histogram_quantile(0.95, sum by (le) (rate(graphql_request_duration_seconds_bucket{service="gateway"}[5m]))) > 2')).toEqual([
    'graphql_request_duration_seconds_bucket',
  ]);
  expect(metricsRead('max by (instance) (process_resident_memory_bytes{service="gateway"}) > 450 * 1024 * 1024')).toEqual(['process_resident_memory_bytes']);
  expect(metricsRead('up{job="advisor-api"} == 0 or absent(db_statements_total)')).toEqual(['up', 'db_statements_total']);
});

it('has alerts, each saying what to look at, at a severity, on series the services serve', async () => {
  const stack = await startTestStack();
  try {
    // A few requests first, so that the counters with labels have series.
    await stack.query('{ prefectures { code } }');
    const served = new Set<string>();
    for (const url of [stack.gateway.url, stack.municipalities.subgraph.url]) {
      const text = await (await fetch(new URL('/metrics', url))).text();
      for (const [, name, type] of text.matchAll(/^# TYPE (\S+) (\S+)$/gm)) {
        served.add(name);
        if (type === 'histogram') for (const suffix of ['_bucket', '_sum', '_count']) served.add(`${name}${suffix}`);
      }
    }
    expect(served.has('graphql_errors_total')).toBe(true);
    const all = rules();
    expect(all.length).toBeGreaterThanOrEqual(8);
    for (const rule of all) {
      expect([rule.alert, ['page', 'ticket', 'info'].includes(rule.labels?.severity ?? '')]).toEqual([rule.alert, true]);
      expect([rule.alert, rule.annotations?.summary && rule.annotations.description]).toEqual([rule.alert, expect.any(String)]);
      // `up` is Prometheus's own: whether the scrape of the job answered.
      const unknown = metricsRead(rule.expr).filter((name) => name !== 'up' && !served.has(name));
      expect([rule.alert, unknown]).toEqual([rule.alert, []]);
    }
    // The alerts cover the failures an operator is paged for: a service down, a subgraph out of reach.
    expect(all.map((rule) => rule.alert)).toEqual(expect.arrayContaining(['AdvisorApiServiceDown', 'AdvisorApiSubgraphUnavailable']));
  } finally {
    await stack.stop();
  }
});

testNeeding(PROMTOOL, 'checking deploy/prometheus with promtool')('is accepted by promtool: the configuration, its rule file and the rules', async () => {
  const run = promisify(execFile);
  // As an operator installs it: the token file beside the configuration.
  const dir = mkdtempSync(join(tmpdir(), 'prometheus-'));
  const config = readFileSync(CONFIG, 'utf8').replace('/etc/prometheus/advisor-api-metrics-token', join(dir, 'token'));
  writeFileSync(join(dir, 'prometheus.yml'), config);
  writeFileSync(join(dir, 'token'), 'a-metrics-token\n');
  copyFileSync(ALERTS, join(dir, 'alerts.yml'));
  const checked = await run(PROMTOOL.path!, ['check', 'config', join(dir, 'prometheus.yml')]);
  expect(checked.stdout).toMatch(/SUCCESS: 1 rule files found/);
  expect(checked.stdout).toContain(`SUCCESS: ${rules().length} rules found`);
});

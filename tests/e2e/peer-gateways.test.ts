/**
 * Other gateways load our supergraph and answer as ours does: Hive Gateway (its default runtime, on
 * graphql-tools' schema stitching, and with Hive Router's Rust query planner), each in a process of its
 * own in front of the same subgraphs over real HTTP, sending them the gateway secret and the viewer as
 * ours does (bench/hive-gateway.ts, the benchmark's peer). A prefecture may put either in front of these
 * subgraphs; the benchmark measures them on the same answers.
 */
import { mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { projectPath } from '../../shared/paths';
import { type Started, startProcess } from '../helpers/process';
import { postGraphQL, startTestStack } from '../helpers/stack';

let stack: Awaited<ReturnType<typeof startTestStack>>;
let supergraphFile: string;
beforeAll(async () => {
  stack = await startTestStack();
  // The supergraph with each subgraph's URL pointing at this test's subgraphs.
  const urls = new Map([stack.municipalities, stack.supportCenters, stack.bases, stack.dispatch].map((s) => [s.subgraph.name, s.subgraph.url]));
  supergraphFile = join(mkdtempSync(join(tmpdir(), 'peer-gateways-')), 'supergraph.graphql');
  writeFileSync(
    supergraphFile,
    readFileSync(projectPath('gateway', 'supergraph.graphql'), 'utf8').replace(
      /@join__graph\(name: "([\w-]+)", url: "[^"]+"\)/g,
      (_all, name: string) => `@join__graph(name: "${name}", url: "${urls.get(name)}")`,
    ),
  );
});
afterAll(() => stack?.stop());

const saved = (file: string) => readFileSync(projectPath('bench', 'operations', file), 'utf8');
const OPERATIONS: Array<[string, string]> = [
  ['the headline gaps', saved('a-headline-gaps.graphql')],
  ['the advisor worklist', saved('b-advisor-worklist.graphql')],
  ['coverage statistics', saved('c-coverage-statistics.graphql')],
  ['one municipality across four subgraphs', saved('d-municipality.graphql')],
  [
    "a fiscal year's coverage change (@requires in two subgraphs)",
    '{ prefecture(code: "01") { coreCenterCoverageChange(fiscalYear: 2024) { coveredAtStart coveredAtEnd change } baseCoverageChange(fiscalYear: 2024) { coveredAtStart coveredAtEnd municipalities } } }',
  ],
];

describe.each([
  ['Hive Gateway (default runtime)', []],
  ['Hive Gateway (Rust query planner)', ['--rust']],
])('%s', (_name, flags) => {
  let hive: Started;
  beforeAll(async () => {
    hive = await startProcess(
      'bench/hive-gateway.ts',
      { NODE_ENV: 'production', BENCH_SUPERGRAPH: supergraphFile, BENCH_PORT: '0', BENCH_GATEWAY_SECRET: stack.gatewayConfig.gatewaySecret },
      'hive-gateway',
      flags,
    );
  });
  afterAll(() => hive?.child.kill('SIGTERM'));

  it('loads the supergraph', () => {
    expect(hive.output()).not.toContain('cannot load the supergraph');
  });

  it.each(OPERATIONS)('answers %s as ours does, for a prefecture-bound advisor too', async (_title, query) => {
    for (const headers of [stack.asAdmin, await stack.as('ADVISOR', '01', 'peer-advisor-01')]) {
      const ours = await stack.query(query, undefined, headers);
      expect(ours.body.errors).toBeUndefined();
      const { body } = await postGraphQL(hive.url, query, undefined, headers);
      expect(body).toEqual(ours.body);
    }
  });

  // Hive's, not ours: the default runtime leaves out advisorWorklist when a field comes before it in the
  // selection (the Rust planner does not), so the benchmark's worklist puts `name` after it. When this
  // fails, Hive has fixed it and the benchmark's order no longer matters.
  it(flags.length ? 'answers the worklist after another field' : 'drops the worklist after another field (a Hive bug)', async () => {
    const query = '{ prefecture(code: "01") { name advisorWorklist(filter: { populationBelow: 10000 }) { priority } } }';
    const ours = await stack.query(query);
    const { body } = await postGraphQL(hive.url, query, undefined, stack.asAdmin);
    if (flags.length) expect(body).toEqual(ours.body);
    else expect(body.data?.prefecture).toEqual({ name: ours.body.data!.prefecture.name, advisorWorklist: null });
  });
});

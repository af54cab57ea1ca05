/**
 * The query plans of the explorer's saved operations (the questions users ask most), as snapshots: a
 * change of a subgraph's schema or of @requires that changes how the gateway fetches shows in review
 * (tests/unit/__snapshots__/query-plans.test.ts.snap). Update them with `npx jest -u tests/unit/query-plans`.
 */
import { readFileSync, readdirSync } from 'node:fs';
import { Supergraph, operationFromDocument } from '@apollo/federation-internals';
import { QueryPlanner, prettyFormatQueryPlan } from '@apollo/query-planner';
import { parse } from 'graphql';
import { SUPERGRAPH_PATH } from '../../gateway/gateway';
import { projectPath } from '../../shared/paths';

const supergraph = Supergraph.build(readFileSync(SUPERGRAPH_PATH, 'utf8'));
const planner = new QueryPlanner(supergraph);
const folder = projectPath('gateway', 'explorer', 'operations');

it.each(readdirSync(folder).filter((f) => f.endsWith('.graphql')))('plans %s as before', (file) => {
  const operation = operationFromDocument(supergraph.schema, parse(readFileSync(`${folder}/${file}`, 'utf8')));
  expect(prettyFormatQueryPlan(planner.buildQueryPlan(operation))).toMatchSnapshot();
});

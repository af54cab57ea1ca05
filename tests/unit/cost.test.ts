/** The gateway's cost model (gateway/cost.ts) on the API schema, and the response size cap. */
import { getNamedType, isCompositeType, isListType, isNonNullType, isObjectType, parse, type OperationDefinitionNode } from 'graphql';
import { LIST_SIZES, operationCost } from '../../gateway/cost';
import { responseSizeLimit } from '../../gateway/limits';
import { readFileSync } from 'node:fs';
import { SAVED_QUESTIONS_MANIFEST, loadGatewayConfig } from '../../shared/config';
import { projectPath } from '../../shared/paths';
import { supergraphApiSchema } from '../helpers/schema';

const schema = supergraphApiSchema();
const cost = (query: string, variables?: Record<string, unknown>) => {
  const document = parse(query);
  return operationCost(schema, document, document.definitions[0] as OperationDefinitionNode, variables);
};
const { limits } = loadGatewayConfig({});

it('has a realistic size for every list of objects without `first`', () => {
  const missing: string[] = [];
  for (const type of Object.values(schema.getTypeMap())) {
    if (!isObjectType(type) || type.name.startsWith('__') || type.name.endsWith('Connection')) continue;
    for (const field of Object.values(type.getFields())) {
      const inner = isNonNullType(field.type) ? field.type.ofType : field.type;
      const key = `${type.name}.${field.name}`;
      if (
        isListType(inner) &&
        isCompositeType(getNamedType(field.type)) &&
        !field.args.some((a) => a.name === 'first') &&
        !(key in LIST_SIZES) &&
        key !== 'Query.coverageSeries'
      )
        missing.push(key);
    }
  }
  expect(missing).toEqual([]);
});

it('counts `first` from a variable like a literal, and the default page when none is given', () => {
  const page = '{ totalCount nodes { code name } }';
  expect(cost(`query($n: Int) { municipalities(first: $n) ${page} }`, { n: 1000 })).toBe(cost(`{ municipalities(first: 1000) ${page} }`));
  expect(cost(`{ municipalities(first: 1000) ${page} }`)).toBe(1 + 1 + 1000 * 3);
  expect(cost(`{ municipalities ${page} }`)).toBe(1 + 1 + 50 * 3);
});

it("counts lists without `first` at their size, a prefecture's municipalities never more than all 1,741 together", () => {
  expect(cost('{ prefecture(code: "01") { municipalities { code } } }')).toBe(1 + 180 * 2);
  expect(cost('{ prefectures { municipalities { code } } }')).toBe(47 * (1 + 38 * 2));
  expect(cost('{ coverageSeries(dates: ["2024-04-01", "2025-04-01"]) { asOf } }')).toBe(2 * 2);
});

it('multiplies by aliases and fragments', () => {
  const one = cost('{ prefectures { advisorWorklist { priority } } }');
  expect(cost('{ a: prefectures { advisorWorklist { priority } } b: prefectures { advisorWorklist { priority } } }')).toBe(2 * one);
  expect(cost('{ prefectures { ...w } } fragment w on Prefecture { advisorWorklist { priority } }')).toBe(one);
});

it('fits the two legitimate BI pulls within their budgets and refuses the attack', () => {
  const columns = `code name kana kind kindLabel population populationAsOf populationSource populationBracket selfPlanClass selfPlanClassLabel
    prefecture { code name region } coreCenterCoverage baseCoverage council { established joint caseReviewHeld meetingsLastYear }
    selfPlanRate { planningRatePercent childRatePercent } lastVisit { date } coreCenterGapKinds baseGapKinds councilGapKinds`;
  const analystPage = cost(`{ municipalities(first: 1000) { totalCount pageInfo { hasNextPage endCursor } nodes { ${columns} } } }`);
  const staffCenters =
    cost(`{ coreCenters(first: 1000) { totalCount nodes { id name setup setupLabel operation operatorName establishedOn closedOn functions missingFunctions
    staff { chiefSpecialists specialists socialWorkers psychiatricSocialWorkers publicHealthNurses otherStaff total }
    alsoFunctionsAsBase runsAbusePreventionCenter municipalities { code name population } provenance { sourceName asOf sample } version } } }`);
  const worklist =
    'advisorWorklist { priority reasons daysSinceLastVisit municipality { code name population } lastVisit { date purposes } overdueFollowUps { description dueOn } }';
  const attack = cost(`{ ${Array.from({ length: 29 }, (_, i) => `a${i}: prefectures { ${worklist} }`).join(' ')} }`);
  process.stdout.write(
    `cost: analyst page of 1000 municipalities × 30 columns ${analystPage} / ${limits.maxCostAnalyst}; staff coreCenters(first: 1000) ${staffCenters} / ${limits.maxCost}; 29 aliased national worklists ${attack}\n`,
  );
  expect(analystPage).toBeLessThanOrEqual(limits.maxCostAnalyst);
  expect(staffCenters).toBeLessThanOrEqual(limits.maxCost);
  expect(attack).toBeGreaterThan(10 * limits.maxCost);
});

it('replaces an answer over the size limit by an error that says how to ask for less', () => {
  const sent: Array<{ status: number; body: string }> = [];
  let status = 200;
  const res = { send: (body: string) => void sent.push({ status, body }), status: (s: number) => ((status = s), res), type: () => res } as never;
  responseSizeLimit({ ...limits, maxResponseBytes: 1000 })({ headers: {} } as never, res, () => undefined);
  (res as { send(body: string): void }).send('x'.repeat(999));
  (res as { send(body: string): void }).send('x'.repeat(1001));
  expect(sent[0]).toEqual({ status: 200, body: 'x'.repeat(999) });
  expect(sent[1].status).toBe(400);
  expect(JSON.parse(sent[1].body).errors[0].extensions).toMatchObject({ code: 'QUERY_LIMIT_EXCEEDED', limit: 'responseSize', bytes: 1001 });
});

it('costs what the README and the staff guide say the points a minute pay for', () => {
  const readme = readFileSync(projectPath('README.md'), 'utf8').replace(/\s+/g, ' ');
  const guide = readFileSync(projectPath('README.ja.md'), 'utf8').replace(/\s+/g, ''); // Japanese wraps lines without spaces
  const saved = new Map(
    Object.values(JSON.parse(readFileSync(SAVED_QUESTIONS_MANIFEST, 'utf8')) as Record<string, string>).map((text) => {
      const operation = parse(text).definitions[0] as OperationDefinitionNode;
      return [operation.name!.value, text];
    }),
  );
  const n = (x: number) => x.toLocaleString('en-US');
  const headline = cost('{ prefecture(code: "01") { coreCenterGaps(populationBelow: 10000) { code name population lastVisit { date } } } }');
  const worklist = cost(saved.get('AdvisorWorklist')!);
  const municipality = cost(saved.get('Municipality')!);
  const national = cost(readFileSync(projectPath('bench', 'operations', 'n-national-worklist.graphql'), 'utf8'));
  const perMinute = Math.floor(limits.pointsPerMinute / national);
  expect(readme).toContain(
    `the headline query costs ${n(headline)}, an advisor's worklist ${n(worklist)}, a municipality ${n(municipality)}, ` +
      `the national worklist ${n(national)} (${perMinute} of them a minute)`,
  );
  expect(guide).toContain(`市町村の1件は${municipality}、全国のワークリストは${n(national)}で、1分に${perMinute}回まで。出力は1回${n(limits.heavyCost)}`);
});

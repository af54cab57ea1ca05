/**
 * The cost of an operation: an estimate of how many values its answer holds, computed from the
 * document and its variables before anything is planned or fetched.
 *
 * Every field costs 1 (its value) plus the cost of what is selected under it, times how many items it
 * returns: a connection's page holds `first` items (a variable counts like a literal; default 50),
 * a list without `first` holds the realistic maximum of `LIST_SIZES` (47 prefectures, up to 180
 * municipalities of a prefecture, …), and `coverageSeries` one item per date asked for. Lists of
 * scalars cost 1, as their length is bounded by the data. A test fails when the API gains a list
 * of objects without an entry here.
 */
import {
  type DocumentNode,
  type FragmentDefinitionNode,
  type GraphQLField,
  type GraphQLNamedType,
  type GraphQLOutputType,
  type GraphQLSchema,
  type OperationDefinitionNode,
  type SelectionSetNode,
  Kind,
  getNamedType,
  isCompositeType,
  isInterfaceType,
  isListType,
  isNonNullType,
  isObjectType,
  valueFromASTUntyped,
} from 'graphql';
import { DEFAULT_PAGE_SIZE } from '../shared/pagination';

/**
 * Items a list of objects holds at most when it has no `first`: the largest seen in the real data,
 * rounded up. A prefecture's municipality lists hold up to 180 (北海道 has 179), but those of several
 * prefectures together never more than the 1,741 municipalities there are: see `LIST_TOTALS`.
 */
export const LIST_SIZES: Readonly<Record<string, number>> = {
  'Query.prefectures': 47,
  'Query.advisors': 50,
  'Query.checklistTemplates': 10,
  'Query.communityLifeServiceTotals': 3,
  'Prefecture.municipalities': 180, // 北海道 has 179
  'Prefecture.coreCenterGaps': 180,
  'Prefecture.baseGaps': 180,
  'Prefecture.advisorWorklist': 180,
  'Prefecture.advisors': 50,
  'Prefecture.communityLifeServices': 3,
  'CoverageTable.byBracket': 12,
  'CoverageTable.byPrefecture': 47,
  'Municipality.bases': 5,
  'Municipality.coreCenters': 5,
  'Municipality.openFollowUps': 10,
  'Municipality.requests': 20,
  'Base.municipalities': 20,
  'Base.functions': 5,
  'Base.coordinators': 10,
  'Base.reviews': 20,
  'Base.textErasures': 10, // erasures of one base's earlier texts: a handful in its life
  'BaseFunctionStatus.participants': 20,
  'CoreCenter.municipalities': 20,
  'Visit.municipalities': 10,
  'Visit.purposeLabels': 6,
  'Visit.attendees': 30,
  'Visit.advisors': 20,
  'Visit.followUps': 20,
  'Visit.requests': 10,
  'Visit.notesReads': 100, // the latest 100 reads at most (dispatch NOTES_READS_PER_VISIT)
  'Visit.notesErasures': 10, // erasures of one visit's notes: a handful in its life
  'Assessment.textErasures': 10, // erasures of one self-check's earlier comments: a handful in its life
  'Assessment.results': 100,
  'ChecklistTemplate.items': 100,
  'WorklistItem.overdueFollowUps': 10,
  'PrefecturalProgram.dutyLabels': 7,
  'PrefecturalProgram.advisorPositions': 20,
  'PrefecturalProgramTable.duties': 7,
  'PrefecturalProgramTable.modelProjectPrefectures': 47,
  'PrefecturalProgramTable.programs': 47,
  'ActivityIndicators.advisorsByQualification': 10,
  'ActivityIndicators.visitsByPurpose': 6,
  'ActivityIndicators.visitsByFormat': 4,
  'MunicipalityActivity.visitsByPurpose': 6,
  'MunicipalityActivity.visitsByFormat': 4,
  'SelfPlanStatistics.byClass': 12,
  'SelfPlanStatistics.byPrefecture': 47,
  'Query.apiKeys': 100,
  'CoverageTableChange.byBracket': 5,
  'CoverageTableChange.byPrefecture': 47,
  // The same lists on a date.
  'PrefectureOnDate.municipalities': 180,
  'PrefectureOnDate.advisorWorklist': 180,
  'MunicipalityOnDate.bases': 5,
  'MunicipalityOnDate.coreCenters': 5,
  'MunicipalityOnDate.openFollowUps': 10,
  'MunicipalityOnDate.overdueFollowUps': 10,
};

/** The most items a list holds over all its parents together (a prefecture's municipalities, for all 47). */
export const LIST_TOTALS: Readonly<Record<string, number>> = {
  'Prefecture.municipalities': 1_741,
  'Prefecture.coreCenterGaps': 1_741,
  'Prefecture.baseGaps': 1_741,
  'Prefecture.advisorWorklist': 1_741,
  'PrefectureOnDate.municipalities': 1_741,
  'PrefectureOnDate.advisorWorklist': 1_741,
};
export const DEFAULT_LIST_SIZE = 20;

function isList(type: GraphQLOutputType): boolean {
  const inner = isNonNullType(type) ? type.ofType : type;
  return isListType(inner);
}

/**
 * The items a list field holds for each of its `parents` (how many of its parent objects the answer
 * holds), from its arguments (variables substituted) or the tables.
 */
function itemsOf(
  parent: GraphQLNamedType,
  field: GraphQLField<unknown, unknown>,
  args: Record<string, unknown>,
  pageSize: number | undefined,
  parents: number,
): number {
  if (typeof args.first === 'number') return Math.max(0, args.first);
  if (field.args.some((a) => a.name === 'first')) return DEFAULT_PAGE_SIZE;
  if (parent.name.endsWith('Connection')) return pageSize ?? DEFAULT_PAGE_SIZE; // edges and nodes: the page
  if (field.name === 'coverageSeries' && Array.isArray(args.dates)) return args.dates.length;
  const key = `${parent.name}.${field.name}`;
  const each = LIST_SIZES[key] ?? DEFAULT_LIST_SIZE;
  const total = LIST_TOTALS[key];
  return total === undefined ? each : Math.min(each, Math.ceil(total / Math.max(1, parents)));
}

export function operationCost(
  schema: GraphQLSchema,
  document: DocumentNode,
  operation: OperationDefinitionNode,
  variables: Record<string, unknown> | undefined,
): number {
  const vars = variables ?? {};
  const fragments = new Map<string, FragmentDefinitionNode>();
  for (const d of document.definitions) if (d.kind === Kind.FRAGMENT_DEFINITION) fragments.set(d.name.value, d);
  const inFragments = new Set<string>(); // a fragment that spreads itself is a validation error; never loop

  const costOf = (selectionSet: SelectionSetNode, parent: GraphQLNamedType, pageSize: number | undefined, parents: number): number => {
    let total = 0;
    for (const selection of selectionSet.selections) {
      if (selection.kind === Kind.INLINE_FRAGMENT) {
        const type = selection.typeCondition ? schema.getType(selection.typeCondition.name.value) : parent;
        if (type) total += costOf(selection.selectionSet, type, pageSize, parents);
        continue;
      }
      if (selection.kind === Kind.FRAGMENT_SPREAD) {
        const fragment = fragments.get(selection.name.value);
        if (!fragment || inFragments.has(fragment.name.value)) continue;
        const type = schema.getType(fragment.typeCondition.name.value);
        inFragments.add(fragment.name.value);
        if (type) total += costOf(fragment.selectionSet, type, pageSize, parents);
        inFragments.delete(fragment.name.value);
        continue;
      }
      if (!(isObjectType(parent) || isInterfaceType(parent))) continue;
      const field = parent.getFields()[selection.name.value];
      if (!field) {
        total += 1; // __typename, or a field validation refuses anyway
        continue;
      }
      const args: Record<string, unknown> = {};
      for (const a of selection.arguments ?? []) args[a.name.value] = valueFromASTUntyped(a.value, vars);
      const named = getNamedType(field.type);
      // A connection's page size reaches its edges and nodes, and no further.
      const page = field.args.some((a) => a.name === 'first') ? (typeof args.first === 'number' ? args.first : DEFAULT_PAGE_SIZE) : undefined;
      const items = isList(field.type) && isCompositeType(named) ? itemsOf(parent, field, args, pageSize, parents) : 1;
      const children = selection.selectionSet && isCompositeType(named) ? costOf(selection.selectionSet, named, page, parents * items) : 0;
      total += items * (1 + children);
    }
    return total;
  };

  const root = operation.operation === 'mutation' ? schema.getMutationType() : schema.getQueryType();
  return root ? costOf(operation.selectionSet, root, undefined, 1) : 0;
}

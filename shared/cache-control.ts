/**
 * Cache hints (`@cacheControl`, Apollo's directive) and the policy a subgraph answer gets from them.
 *
 * Reference data (the imported municipalities, prefectures, councils, self-plan rates) carries
 * `@cacheControl(maxAge: …, scope: PRIVATE)`; everything written through the API carries none, so any
 * answer that touches it has max-age 0. A subgraph sends the policy of an answer as a `Cache-Control`
 * header, which the gateway uses for its caches (gateway/subgraph-cache.ts) and to compute its own.
 *
 * The policy is computed from the operation document and the schema, once per parsed document, with
 * Apollo's rules for hints. Apollo Server's own cache-control plugin computes the same thing at run
 * time, but it has to wrap every field resolver to do so, which costs every request CPU.
 */
import type { ApolloServerPlugin, BaseContext } from '@apollo/server';
import {
  type ASTNode,
  type DocumentNode,
  type FieldNode,
  type FragmentDefinitionNode,
  GraphQLBoolean,
  type GraphQLCompositeType,
  GraphQLDirective,
  GraphQLEnumType,
  GraphQLInt,
  type GraphQLNamedType,
  type GraphQLSchema,
  DirectiveLocation,
  type OperationDefinitionNode,
  type SelectionSetNode,
  getDirectiveValues,
  getNamedType,
  isAbstractType,
  isCompositeType,
  isInterfaceType,
  isObjectType,
} from 'graphql';

export const CacheControlScope = new GraphQLEnumType({
  name: 'CacheControlScope',
  description: 'Who may share a cached answer (キャッシュの範囲): PRIVATE, only the viewer it was made for.',
  values: { PUBLIC: {}, PRIVATE: {} },
  // Only the subgraphs' directive uses it: kept out of the gateway's API schema.
  extensions: { directives: { inaccessible: {} } },
});

/** Apollo's `@cacheControl` directive, declared in every subgraph's schema. */
export const cacheControlDirective = new GraphQLDirective({
  name: 'cacheControl',
  description: 'Cache hint (キャッシュヒント): how long an answer with this field or type may be reused.',
  locations: [DirectiveLocation.FIELD_DEFINITION, DirectiveLocation.OBJECT, DirectiveLocation.INTERFACE, DirectiveLocation.UNION],
  args: { maxAge: { type: GraphQLInt }, scope: { type: CacheControlScope }, inheritMaxAge: { type: GraphQLBoolean } },
});

/** How long reference data may be reused: it changes only when an operator imports new data. */
export const REFERENCE_MAX_AGE_SECONDS = 300;
/** The hint on types and fields holding reference data; the scope keeps every cache per viewer. */
export const REFERENCE_DATA_HINT = `@cacheControl(maxAge: ${REFERENCE_MAX_AGE_SECONDS}, scope: PRIVATE)`;
/** The hint on shared value types (tables, provenance): as cacheable as the field that holds them. */
export const INHERIT_HINT = '@cacheControl(inheritMaxAge: true)';

export interface CachePolicy {
  /** Seconds; 0 means the answer must not be reused. */
  maxAge: number;
  scope: 'PUBLIC' | 'PRIVATE';
}

interface Hint {
  maxAge?: number;
  scope?: 'PUBLIC' | 'PRIVATE';
  inheritMaxAge?: boolean;
}

const NO_CACHE: CachePolicy = Object.freeze({ maxAge: 0, scope: 'PUBLIC' });

/** The `@cacheControl` arguments on a type or field (graphql-js reads and coerces them). */
function hintOf(element: { astNode?: ASTNode | null; extensionASTNodes?: readonly ASTNode[] }): Hint | undefined {
  for (const node of [element.astNode, ...(element.extensionASTNodes ?? [])]) {
    const hint = node && 'directives' in node ? getDirectiveValues(cacheControlDirective, node) : undefined;
    if (hint) return hint as Hint;
  }
  return undefined;
}

/**
 * The policy of an operation's answer: the least max-age of its fields and PRIVATE if any field is.
 * As in Apollo: a field's own hint wins over its type's; a root field, or a field of object type
 * without a hint, has max-age 0 unless its hint says inheritMaxAge; other fields inherit. For a field
 * of union or interface type (such as `_entities`), the object types its fragments name count.
 */
export function cachePolicyOf(schema: GraphQLSchema, document: DocumentNode, operation: OperationDefinitionNode): CachePolicy {
  const rootType = schema.getRootType(operation.operation);
  if (!rootType || operation.operation !== 'query') return NO_CACHE;
  const fragments = new Map<string, FragmentDefinitionNode>();
  for (const definition of document.definitions) {
    if (definition.kind === 'FragmentDefinition') fragments.set(definition.name.value, definition);
  }
  let maxAge = Infinity;
  let scope: CachePolicy['scope'] = 'PUBLIC';
  const restrict = (hint: Hint) => {
    if (hint.maxAge !== undefined) maxAge = Math.min(maxAge, hint.maxAge);
    if (hint.scope === 'PRIVATE') scope = 'PRIVATE';
  };

  /** The fields selected, with the type they are selected on (fragments flattened). */
  const fieldsOf = (selections: SelectionSetNode, type: GraphQLCompositeType, out: [FieldNode, GraphQLCompositeType][], seen = new Set<string>()) => {
    for (const selection of selections.selections) {
      if (selection.kind === 'Field') out.push([selection, type]);
      else {
        const fragment = selection.kind === 'InlineFragment' ? selection : fragments.get(selection.name.value);
        if (!fragment || (selection.kind === 'FragmentSpread' && seen.has(selection.name.value))) continue;
        if (selection.kind === 'FragmentSpread') seen.add(selection.name.value);
        const condition = fragment.typeCondition ? schema.getType(fragment.typeCondition.name.value) : type;
        if (condition && isCompositeType(condition)) fieldsOf(fragment.selectionSet, condition, out, seen);
      }
    }
    return out;
  };

  /** The object types an abstract field's answer can hold data of: those its selections are made on. */
  const typesSelectedOn = (selections: SelectionSetNode, type: GraphQLCompositeType): GraphQLNamedType[] => {
    const types = new Set<GraphQLNamedType>();
    for (const [field, on] of fieldsOf(selections, type, [])) {
      if (field.name.value === '__typename') continue;
      if (isObjectType(on)) types.add(on);
      else for (const possible of schema.getPossibleTypes(on as never)) types.add(possible);
    }
    return [...types];
  };

  const visit = (selections: SelectionSetNode, parent: GraphQLCompositeType, isRoot: boolean) => {
    for (const [node, on] of fieldsOf(selections, parent, [])) {
      if (maxAge === 0) return;
      const name = node.name.value;
      if (name === '__typename') continue;
      const field = isObjectType(on) || isInterfaceType(on) ? on.getFields()[name] : undefined;
      if (!field) {
        maxAge = 0; // introspection (__schema, __type) or a field the schema lacks: never cached
        return;
      }
      const target = getNamedType(field.type);
      let policy: Hint = {};
      let inherit = false;
      if (isCompositeType(target)) {
        if (isAbstractType(target) && node.selectionSet) {
          const hints = typesSelectedOn(node.selectionSet, target).map((t) => hintOf(t) ?? {});
          if (hints.length > 0) {
            const ages = hints.map((h) => h.maxAge);
            policy = ages.every((a) => a !== undefined) ? { maxAge: Math.min(...(ages as number[])) } : {};
            if (hints.some((h) => h.scope === 'PRIVATE')) policy.scope = 'PRIVATE';
            inherit = hints.every((h) => h.inheritMaxAge);
          } else inherit = true; // only __typename: no data
        } else {
          const typeHint = hintOf(target) ?? {};
          policy = { maxAge: typeHint.maxAge, scope: typeHint.scope };
          inherit = !!typeHint.inheritMaxAge;
        }
      }
      const fieldHint = hintOf(field);
      if (fieldHint?.inheritMaxAge && policy.maxAge === undefined) {
        inherit = true;
        if (fieldHint.scope) policy.scope = fieldHint.scope;
      } else if (fieldHint) {
        policy = { maxAge: fieldHint.maxAge ?? policy.maxAge, scope: fieldHint.scope ?? policy.scope };
      }
      if (policy.maxAge === undefined && ((isCompositeType(target) && !inherit) || isRoot)) policy.maxAge = 0;
      restrict(policy);
      if (node.selectionSet && isCompositeType(target)) visit(node.selectionSet, target, false);
    }
  };
  visit(operation.selectionSet, rootType, true);
  return maxAge === Infinity || maxAge === 0 ? NO_CACHE : { maxAge, scope };
}

/** Seconds until the next midnight in Japan: answers using "today" as their default date turn over then. */
export function secondsUntilMidnightInJapan(now = Date.now()): number {
  const day = 24 * 3600 * 1000;
  const japan = now + 9 * 3600 * 1000;
  return Math.max(1, Math.ceil((day - (japan % day)) / 1000));
}

/** The `Cache-Control` header for a policy: `no-store` when nothing may be reused. */
export function cacheControlHeader(policy: CachePolicy, now = Date.now()): string {
  const maxAge = Math.min(policy.maxAge, secondsUntilMidnightInJapan(now));
  return maxAge > 0 ? `max-age=${maxAge}, ${policy.scope.toLowerCase()}` : 'no-store';
}

/**
 * Sets each subgraph answer's `Cache-Control` from the hints: only on a query answered without
 * errors, so an answer with an error (FORBIDDEN, say) is never reused. Policies are computed once
 * per operation: Apollo Server hands the same parsed document to every request with the same text.
 */
export function cacheControlHeaderPlugin(): ApolloServerPlugin<BaseContext> {
  const policies = new WeakMap<OperationDefinitionNode, CachePolicy>();
  return {
    async requestDidStart() {
      return {
        async willSendResponse({ schema, document, operation, response }) {
          if (!document || !operation || response.body.kind !== 'single' || response.body.singleResult.errors?.length) return;
          let policy = policies.get(operation);
          if (!policy) policies.set(operation, (policy = cachePolicyOf(schema, document, operation)));
          if (policy.maxAge > 0) response.http.headers.set('cache-control', cacheControlHeader(policy));
        },
      };
    },
  };
}

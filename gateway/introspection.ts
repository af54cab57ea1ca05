/**
 * Operations that read only the schema (`__schema`, `__type`, `__typename` at the root: what GraphiQL, code
 * generators and client libraries send) are answered here by GraphQL itself on the API schema, after every
 * check Apollo Server makes (introspection allowed or not, the limits) and without the query planner. The
 * planner knows the introspection fields of an older GraphQL: `__Type.isOneOf`, which GraphQL 16 and the
 * tools built on it ask for (`getIntrospectionQuery({ oneOf: true })`), made it fail as an internal error.
 * An operation that also reads data and asks for such a field is refused as a bad request (shared/server.ts,
 * INVALID_GRAPHQL), never a 500.
 */
import type { ApolloServerPlugin } from '@apollo/server';
import { HeaderMap } from '@apollo/server';
import { type DocumentNode, type FieldNode, type FragmentDefinitionNode, Kind, type OperationDefinitionNode, type SelectionSetNode, execute } from 'graphql';
import type { GatewayContext } from './context';

/** Whether every field the operation selects at its root (through fragments too) is an introspection field. */
function readsOnlySchema(operation: OperationDefinitionNode, fragments: Record<string, FragmentDefinitionNode>): boolean {
  const seen = new Set<string>();
  const only = (selectionSet: SelectionSetNode): boolean =>
    selectionSet.selections.every((selection) => {
      if (selection.kind === Kind.FIELD) return (selection as FieldNode).name.value.startsWith('__');
      if (selection.kind === Kind.INLINE_FRAGMENT) return only(selection.selectionSet);
      const name = selection.name.value;
      if (seen.has(name)) return true;
      seen.add(name);
      const fragment = fragments[name];
      return fragment !== undefined && only(fragment.selectionSet);
    });
  return only(operation.selectionSet);
}

export function introspectionPlugin(): ApolloServerPlugin<GatewayContext> {
  // Per parsed operation (Apollo Server hands the same document to every request with the same text): nothing per request.
  const schemaOnly = new WeakMap<OperationDefinitionNode, boolean>();
  const isSchemaOnly = (document: DocumentNode, operation: OperationDefinitionNode) => {
    let known = schemaOnly.get(operation);
    if (known === undefined) {
      const fragments = Object.fromEntries(
        document.definitions.filter((d): d is FragmentDefinitionNode => d.kind === Kind.FRAGMENT_DEFINITION).map((d) => [d.name.value, d]),
      );
      known = operation.operation === 'query' && readsOnlySchema(operation, fragments);
      schemaOnly.set(operation, known);
    }
    return known;
  };
  return {
    async requestDidStart() {
      return {
        async responseForOperation({ schema, document, operation, operationName, request, contextValue }) {
          if (!isSchemaOnly(document, operation)) return null;
          const result = await execute({ schema, document, operationName, variableValues: request.variables, contextValue });
          if (result.errors) return null; // variables GraphQL refuses: answered the usual way, with its messages
          return { http: { status: undefined, headers: new HeaderMap() }, body: { kind: 'single', singleResult: result } };
        },
      };
    },
  };
}

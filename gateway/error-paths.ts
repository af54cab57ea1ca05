/**
 * Errors point at fields the client asked for, once each. A field computed from another subgraph's
 * fields (`@requires`, e.g. the worklist from every municipality's gap kinds) makes the gateway fetch
 * fields the client never selected; an error there — a prefecture not the caller's, refused for each of
 * its 188 municipalities — came back once per item, at paths absent from the answer
 * (`prefecture.municipalities.0.councilGapKinds`), and filled the error limit. Such an error is moved to
 * the selected field that required the hidden one (`prefecture.advisorWorklist`), or failing that to the
 * deepest selected field above it, and errors alike at one path are sent once.
 */
import type { ApolloServerPlugin } from '@apollo/server';
import {
  type DocumentNode,
  type FieldNode,
  type FragmentDefinitionNode,
  type GraphQLFormattedError,
  type GraphQLSchema,
  Kind,
  type OperationDefinitionNode,
  type SelectionSetNode,
  getNamedType,
  isObjectType,
  isInterfaceType,
  parse,
} from 'graphql';
import type { GatewayContext } from './context';

type PathSegment = string | number;
/** `Type.field` → the dotted paths its `@requires` selects, every prefix included (`municipalities`, `municipalities.code`). */
export type RequiredPaths = Map<string, Set<string>>;

export function requiredPaths(supergraphSdl: string): RequiredPaths {
  const paths: RequiredPaths = new Map();
  const flatten = (selectionSet: SelectionSetNode, prefix: string, into: Set<string>) => {
    for (const selection of selectionSet.selections) {
      if (selection.kind === Kind.FIELD) {
        const path = prefix ? `${prefix}.${selection.name.value}` : selection.name.value;
        into.add(path);
        if (selection.selectionSet) flatten(selection.selectionSet, path, into);
      } else if (selection.kind === Kind.INLINE_FRAGMENT) flatten(selection.selectionSet, prefix, into);
    }
  };
  for (const definition of parse(supergraphSdl).definitions) {
    if (definition.kind !== Kind.OBJECT_TYPE_DEFINITION && definition.kind !== Kind.OBJECT_TYPE_EXTENSION) continue;
    for (const field of definition.fields ?? []) {
      for (const directive of field.directives ?? []) {
        if (directive.name.value !== 'join__field') continue;
        const requires = directive.arguments?.find((a) => a.name.value === 'requires')?.value;
        if (requires?.kind !== Kind.STRING) continue;
        const key = `${definition.name.value}.${field.name.value}`;
        const into = paths.get(key) ?? new Set<string>();
        const operation = parse(`{ ${requires.value} }`).definitions[0] as OperationDefinitionNode;
        flatten(operation.selectionSet, '', into);
        paths.set(key, into);
      }
    }
  }
  return paths;
}

type SelectedField = { node: FieldNode; parentType: string };

const responseKey = (node: FieldNode) => node.alias?.value ?? node.name.value;

function selectedFields(
  selectionSet: SelectionSetNode,
  typeName: string,
  fragments: Map<string, FragmentDefinitionNode>,
  seen = new Set<string>(),
): SelectedField[] {
  const fields: SelectedField[] = [];
  for (const selection of selectionSet.selections) {
    if (selection.kind === Kind.FIELD) fields.push({ node: selection, parentType: typeName });
    else if (selection.kind === Kind.INLINE_FRAGMENT)
      fields.push(...selectedFields(selection.selectionSet, selection.typeCondition?.name.value ?? typeName, fragments, seen));
    else if (!seen.has(selection.name.value)) {
      const fragment = fragments.get(selection.name.value);
      seen.add(selection.name.value);
      if (fragment) fields.push(...selectedFields(fragment.selectionSet, fragment.typeCondition.name.value, fragments, seen));
    }
  }
  return fields;
}

/**
 * The path an error should name: its own when the client selected every field on it; else the selected
 * field whose `@requires` reaches the hidden part, else the deepest selected field above it (undefined: the root).
 */
export function clientPath(
  path: readonly PathSegment[],
  schema: GraphQLSchema,
  document: DocumentNode,
  operation: OperationDefinitionNode,
  required: RequiredPaths,
): readonly PathSegment[] | undefined {
  const fragments = new Map<string, FragmentDefinitionNode>();
  for (const definition of document.definitions) if (definition.kind === Kind.FRAGMENT_DEFINITION) fragments.set(definition.name.value, definition);
  const root = schema.getRootType(operation.operation);
  if (!root) return path;
  // Each step of the path that names a field, with the fields selected where it is.
  const levels: { at: number; fields: SelectedField[] }[] = [];
  let fields = selectedFields(operation.selectionSet, root.name, fragments);
  for (const [at, segment] of path.entries()) {
    if (typeof segment === 'number') continue;
    levels.push({ at, fields });
    const matches = fields.filter((f) => responseKey(f.node) === segment);
    const parent = matches.length > 0 ? schema.getType(matches[0].parentType) : undefined;
    const definition = parent && (isObjectType(parent) || isInterfaceType(parent)) ? parent.getFields()[matches[0].node.name.value] : undefined;
    if (matches.length > 0 && !definition) return path; // selected, of no type to follow (introspection's __schema)
    if (!definition) return requirerPath(path, levels, required); // not selected: the gateway fetched it
    const typeName = getNamedType(definition.type).name;
    fields = matches.flatMap((m) => (m.node.selectionSet ? selectedFields(m.node.selectionSet, typeName, fragments) : []));
  }
  return path;
}

/** The selected field whose `@requires` reaches the rest of `path` from its level, deepest first; else the last level's parent. */
function requirerPath(path: readonly PathSegment[], levels: ReadonlyArray<{ at: number; fields: SelectedField[] }>, required: RequiredPaths) {
  for (const { at, fields } of [...levels].reverse()) {
    const rest = path
      .slice(at)
      .filter((s) => typeof s === 'string')
      .join('.');
    const requirer = fields.find((f) => required.get(`${f.parentType}.${f.node.name.value}`)?.has(rest));
    if (requirer) return [...path.slice(0, at), responseKey(requirer.node)];
  }
  const deepest = path.slice(0, levels[levels.length - 1].at);
  return deepest.length > 0 ? deepest : undefined;
}

export function errorPathsPlugin(supergraphSdl: string): ApolloServerPlugin<GatewayContext> {
  const required = requiredPaths(supergraphSdl);
  return {
    async requestDidStart() {
      return {
        async willSendResponse({ response, schema, document, operation }) {
          if (response.body.kind !== 'single' || !response.body.singleResult.errors || !document || !operation) return;
          const seen = new Set<string>();
          const errors: GraphQLFormattedError[] = [];
          for (const error of response.body.singleResult.errors) {
            const path = error.path ? clientPath(error.path, schema, document, operation, required) : undefined;
            const key = JSON.stringify([path ?? null, error.message, error.extensions?.code ?? null]);
            if (seen.has(key)) continue;
            seen.add(key);
            const { path: _ignored, ...rest } = error;
            errors.push(path ? { ...rest, path } : rest);
          }
          response.body.singleResult.errors = errors;
        },
      };
    },
  };
}

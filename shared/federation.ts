/**
 * Builds a Federation 2 subgraph schema from type-graphql resolvers (after type-graphql's
 * examples/apollo-federation-2): type-graphql builds the schema, its SDL (with directives) is
 * handed to @apollo/subgraph together with the resolver map and the entities' reference resolvers.
 */
import { buildSubgraphSchema } from '@apollo/subgraph';
import { type IResolvers, printSchemaWithDirectives } from '@graphql-tools/utils';
import type { GraphQLSchema } from 'graphql';
import gql from 'graphql-tag';
import { type BuildSchemaOptions, buildSchema, createResolversMap, getMetadataStorage } from 'type-graphql';
import { cacheControlDirective } from './cache-control';
import { assertMunicipalityCode, assertPrefectureCode } from './codes';

/** The federation spec the subgraphs link to; the gateway (2.14) supports it. */
export const FEDERATION_LINK =
  'extend schema @link(url: "https://specs.apollo.dev/federation/v2.7", ' +
  'import: ["@key", "@shareable", "@external", "@requires", "@provides", "@inaccessible", "@tag"])';

/** The root types' descriptions (type-graphql has no place for them), the same in every subgraph. */
const ROOT_DESCRIPTIONS: Record<string, string> = {
  Query: 'Questions: records, statistics and worklists (読み取り). What a caller sees depends on its role and prefecture.',
  Mutation: 'Changes (登録・更新): each one authorized, validated, idempotent with an idempotencyKey, versioned and kept in the history.',
};

/** The printed schema with the root types described. */
function withRootDescriptions(sdl: string): string {
  let text = sdl;
  for (const [name, description] of Object.entries(ROOT_DESCRIPTIONS))
    text = text.replace(new RegExp(`^type ${name} \\{`, 'm'), `"${description}"\ntype ${name} {`);
  return text;
}

/** Reference resolvers by type name: `{ Municipality: { __resolveReference } }`. */
export type ReferenceResolvers = IResolvers;

export async function buildFederatedSchema(
  options: Omit<BuildSchemaOptions, 'skipCheck'>,
  referenceResolvers: ReferenceResolvers = {},
): Promise<GraphQLSchema> {
  // No middlewares or auth checker are used, so a plain field is a property read: graphql-js's default
  // resolver reads it, instead of a type-graphql wrapper per field that allocates on every call
  // (type-graphql's simpleResolvers, on every object type; fields with their own resolver keep it).
  for (const objectType of getMetadataStorage().objectTypes) objectType.simpleResolvers ??= true;
  const schema = await buildSchema({ ...options, directives: [...(options.directives ?? []), cacheControlDirective], skipCheck: true });
  const resolvers = createResolversMap(schema) as Record<string, Record<string, unknown>>;
  for (const [typeName, fields] of Object.entries(referenceResolvers)) {
    resolvers[typeName] = { ...resolvers[typeName], ...(fields as Record<string, unknown>) };
  }
  return buildSubgraphSchema({
    typeDefs: gql`
      ${FEDERATION_LINK}
      ${withRootDescriptions(printSchemaWithDirectives(schema))}
    `,
    resolvers: resolvers as never,
  });
}

/**
 * Reference resolvers for the municipalities subgraph's entities in a subgraph that only extends them:
 * the representation is the entity (its code, plus fields a @requires sent), once the code is valid.
 */
export const resolveMunicipalityStub = <T extends { code: string }>(reference: T): T => {
  assertMunicipalityCode(reference.code, 'representations.code');
  return reference;
};

export const resolvePrefectureStub = <T extends { code: string }>(reference: T): T => {
  assertPrefectureCode(reference.code, 'representations.code');
  return reference;
};

/**
 * Reference resolver for the dated entities (`PrefectureOnDate`, `MunicipalityOnDate`, keyed by code and
 * date): every subgraph adds its fields as of `asOf`, so the representation is all it needs.
 */
export const resolveDatedStub = <T extends { code: string; asOf: string }>(reference: T): T => {
  if (reference.code.length === 2) assertPrefectureCode(reference.code, 'representations.code');
  else assertMunicipalityCode(reference.code, 'representations.code');
  return reference;
};

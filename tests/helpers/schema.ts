/** The API schema clients see: the committed supergraph less its federation machinery. */
import { readFileSync } from 'node:fs';
import { Supergraph } from '@apollo/federation-internals';
import type { GraphQLSchema } from 'graphql';
import { SUPERGRAPH_PATH } from '../../gateway/gateway';

export function supergraphApiSchema(): GraphQLSchema {
  return Supergraph.build(readFileSync(SUPERGRAPH_PATH, 'utf8')).apiSchema().toGraphQLJSSchema();
}

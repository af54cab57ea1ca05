/**
 * Query limits at the gateway, checked before any planning or subgraph fetch: request shape and
 * token count on the raw HTTP body, then depth, aliases, directives and cost (graphql-armor's rules)
 * once the operation is known. Analysts, whose national queries are heaviest, get a smaller cost
 * budget. Every refusal has the code QUERY_LIMIT_EXCEEDED and names the limit.
 */
import type { ApolloServerPlugin } from '@apollo/server';
import { costLimitRule } from '@escape.tech/graphql-armor-cost-limit';
import { maxAliasesRule } from '@escape.tech/graphql-armor-max-aliases';
import { maxDepthRule } from '@escape.tech/graphql-armor-max-depth';
import { maxDirectivesRule } from '@escape.tech/graphql-armor-max-directives';
import type { NextFunction, Request, Response } from 'express';
import { type DocumentNode, GraphQLError, Lexer, Source, TokenKind, type ValidationRule, validate } from 'graphql';
import type { QueryLimits } from '../shared/config';
import { ErrorCode } from '../shared/errors';
import type { GatewayContext } from './gateway';

export const QUERY_LIMIT_EXCEEDED = ErrorCode.QUERY_LIMIT_EXCEEDED;

function limitError(message: string): GraphQLError {
  return new GraphQLError(message, { extensions: { code: QUERY_LIMIT_EXCEEDED, http: { status: 400 } } });
}

/** Counts tokens up to `max + 1` (so a huge document costs no more than the limit to reject). */
export function countTokens(query: string, max: number): number {
  const lexer = new Lexer(new Source(query));
  let count = 0;
  try {
    while (count <= max && lexer.advance().kind !== TokenKind.EOF) count += 1;
  } catch {
    return count; // a syntax error: let GraphQL report it
  }
  return count;
}

/** Express middleware for `/graphql`: no batched requests, no over-long documents. */
export function requestShapeLimits(limits: QueryLimits) {
  return (req: Request, res: Response, next: NextFunction) => {
    const refuse = (message: string) => res.status(400).json({ errors: [{ message, extensions: { code: QUERY_LIMIT_EXCEEDED } }] });
    if (Array.isArray(req.body)) return refuse('batched requests are not accepted: send one operation per request');
    const query = typeof req.body?.query === 'string' ? req.body.query : typeof req.query.query === 'string' ? req.query.query : '';
    // Every token is at least one character: a document no longer than the limit needs no counting.
    if (query.length > limits.maxTokens && countTokens(query, limits.maxTokens) > limits.maxTokens) return refuse(`the query has more than ${limits.maxTokens} tokens`);
    return next();
  };
}

/** Checks the resolved operation against the limits; nothing is planned or fetched when it fails. */
export function operationLimitsPlugin(limits: QueryLimits): ApolloServerPlugin<GatewayContext> {
  // Apollo Server hands the same parsed document to every request with the same query text, so a
  // verdict is kept per document (and budget) instead of walking the document again each time.
  const verdicts = new WeakMap<DocumentNode, Map<number, string | null>>();
  return {
    async requestDidStart() {
      return {
        async didResolveOperation({ document, schema, contextValue }) {
          const maxCost = contextValue.viewer.role === 'ANALYST' ? limits.maxCostAnalyst : limits.maxCost;
          const known = verdicts.get(document)?.get(maxCost);
          if (known !== undefined) {
            if (known !== null) throw limitError(known);
            return;
          }
          const rules: ValidationRule[] = [
            maxDepthRule({ n: limits.maxDepth, exposeLimits: true, propagateOnRejection: true }),
            maxAliasesRule({ n: limits.maxAliases, exposeLimits: true, propagateOnRejection: true }),
            maxDirectivesRule({ n: limits.maxDirectives, exposeLimits: true, propagateOnRejection: true }),
            costLimitRule({ maxCost, exposeLimits: true, propagateOnRejection: true }),
          ];
          let errors: readonly GraphQLError[];
          try {
            errors = validate(schema, document, rules);
          } catch (error) {
            errors = [error as GraphQLError];
          }
          const verdict = errors.length > 0 ? errors[0].message.replace(/^Syntax Error: /, '') : null;
          if (!verdicts.has(document)) verdicts.set(document, new Map());
          verdicts.get(document)!.set(maxCost, verdict);
          if (verdict !== null) throw limitError(verdict);
        },
      };
    },
  };
}

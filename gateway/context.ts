/** The GraphQL context of every request to the gateway. */
import type { Viewer } from '../shared/context';
import type { AnswerSources } from './answer-cache';
import type { VersionsAsked } from './data-versions';
import type { RequestContext } from '../shared/server';

export interface GatewayContext extends RequestContext {
  viewer: Viewer;
  /** The caller's address: whom an anonymous caller's heavy operations are counted against. */
  clientAddress: string;
  /** For an API key with a list of allowed operations: the list (gateway/api-keys.ts); else null or absent. */
  allowedOperations?: string[] | null;
  /** Set while the gateway runs an export's own operations (gateway/exports.ts): fixed operations, not a client's. */
  exporting?: string;
  /** The subgraphs' data versions this request has asked for (its sign-in's check, its kept answer's). */
  versionsAsked?: VersionsAsked;
  /** The data versions and sharing of the subgraph answers so far: whether the response can be kept (gateway/answer-cache.ts). */
  answerSources?: AnswerSources;
  /** The operation's cost (gateway/cost.ts), once known: what a kept answer to it is charged when handed out again. */
  cost?: number;
  /** Subgraph fetches made for this request (for the request log). */
  fetches?: string[];
}

import type { SubgraphContext } from '../../shared/subgraph';
import type { BaseLoaders } from './data/loaders';

/** The GraphQL context of every request to this subgraph. */
export type Context = SubgraphContext<BaseLoaders>;

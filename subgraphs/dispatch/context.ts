import type { SubgraphContext } from '../../shared/subgraph';
import type { DispatchLoaders } from './data/loaders';

/** The GraphQL context of every request to this subgraph. */
export type Context = SubgraphContext<DispatchLoaders>;

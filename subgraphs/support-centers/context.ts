import type { SubgraphContext } from '../../shared/subgraph';
import type { SupportCenterLoaders } from './data/loaders';

/** The GraphQL context of every request to this subgraph. */
export type Context = SubgraphContext<SupportCenterLoaders>;

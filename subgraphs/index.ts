/** Every subgraph of the supergraph, for the composition script and `npm start`. */
import type { SubgraphDefinition } from '../shared/subgraph';
import { municipalitiesSubgraph } from './municipalities';
import { supportCentersSubgraph } from './support-centers';
import { basesSubgraph } from './bases';
import { dispatchSubgraph } from './dispatch';

export const SUBGRAPH_DEFINITIONS: ReadonlyArray<SubgraphDefinition<unknown>> = [
  municipalitiesSubgraph as SubgraphDefinition<unknown>,
  supportCentersSubgraph as SubgraphDefinition<unknown>,
  basesSubgraph as SubgraphDefinition<unknown>,
  dispatchSubgraph as SubgraphDefinition<unknown>,
];

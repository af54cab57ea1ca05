/** Runs the municipalities subgraph on its own (docker-compose, production). */
import 'reflect-metadata';
import { runService } from '../../shared/main';
import { loadSubgraphConfig } from '../../shared/config';
import { startSubgraph } from '../../shared/subgraph';
import { municipalitiesSubgraph } from './index';

runService('municipalities', (log) => startSubgraph(municipalitiesSubgraph, loadSubgraphConfig('municipalities'), { log }));

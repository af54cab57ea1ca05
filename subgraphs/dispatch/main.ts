/** Runs the dispatch subgraph on its own (docker-compose, production). */
import 'reflect-metadata';
import { loadSubgraphConfig } from '../../shared/config';
import { runService } from '../../shared/main';
import { startSubgraph } from '../../shared/subgraph';
import { dispatchSubgraph } from './index';

runService('dispatch', (log) => startSubgraph(dispatchSubgraph, loadSubgraphConfig('dispatch'), { log }));

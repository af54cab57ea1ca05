/** Runs the bases subgraph on its own (docker-compose, production). */
import 'reflect-metadata';
import { loadSubgraphConfig } from '../../shared/config';
import { runService } from '../../shared/main';
import { startSubgraph } from '../../shared/subgraph';
import { basesSubgraph } from './index';

runService('bases', (log) => startSubgraph(basesSubgraph, loadSubgraphConfig('bases'), { log }));

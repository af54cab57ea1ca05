/** Runs the support-centers subgraph on its own (docker-compose, production). */
import 'reflect-metadata';
import { loadSubgraphConfig } from '../../shared/config';
import { runService } from '../../shared/main';
import { startSubgraph } from '../../shared/subgraph';
import { supportCentersSubgraph } from './index';

runService('support-centers', (log) => startSubgraph(supportCentersSubgraph, loadSubgraphConfig('support-centers'), { log }));

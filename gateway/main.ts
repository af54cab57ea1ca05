/** Runs the gateway on its own (docker-compose, production). */
import { loadGatewayConfig } from '../shared/config';
import { runService } from '../shared/main';
import { startGateway } from './gateway';

runService('gateway', (log) => startGateway(loadGatewayConfig(), { log }));

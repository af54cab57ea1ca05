/** What the benchmarks take from docker-compose.yml, so that they run the gateway as it is deployed. */
import { readFileSync } from 'node:fs';
import { parse as parseYaml } from 'yaml';
import { projectPath } from '../shared/paths';

/** The node flags docker-compose.yml gives the gateway (its command, less node and the script). */
export function gatewayNodeFlags(): string[] {
  const compose = parseYaml(readFileSync(projectPath('docker-compose.yml'), 'utf8'), { merge: true }) as { services: { gateway: { command: string[] } } };
  return compose.services.gateway.command.slice(1, -1);
}

/** Checks that keep the committed artefacts honest: the supergraph and docker-compose.yml. */
import { existsSync, readFileSync } from 'node:fs';
import { parse } from 'yaml';
import { composeSupergraph, staleFiles } from '../scripts/compose';
import { SUBGRAPHS, settingNames, settingPrefix } from '../shared/config';
import { projectPath } from '../shared/paths';

describe('supergraph', () => {
  it('is composed from the current subgraph schemas without errors or hints (run `npm run compose` if this fails)', async () => {
    const composition = await composeSupergraph();
    expect(composition.hints).toEqual([]);
    expect(staleFiles(composition)).toEqual([]);
    expect(composition.subgraphs.map((s) => s.name)).toEqual(SUBGRAPHS.map((s) => s.name));
  });
});

describe('docker-compose.yml', () => {
  const compose = parse(readFileSync(projectPath('docker-compose.yml'), 'utf8'), { merge: true });
  const known = new Set(settingNames());

  it('configures services only with variables the code reads', () => {
    for (const [name, service] of Object.entries<any>(compose.services)) {
      if (name === 'postgres') continue;
      const unknown = Object.keys(service.environment ?? {}).filter((key) => !known.has(key));
      expect([name, unknown]).toEqual([name, []]);
    }
  });

  it('runs every service with a health check on /ready, a restart policy and resource limits', () => {
    for (const [name, service] of Object.entries<any>(compose.services)) {
      if (name === 'postgres') continue;
      expect([name, service.healthcheck?.test?.join(' ')]).toEqual([name, expect.stringContaining('/ready')]);
      expect([name, service.restart]).toEqual([name, 'unless-stopped']);
      expect([name, service.deploy?.resources?.limits?.memory]).toEqual([name, expect.any(String)]);
      expect([name, service.environment.NODE_ENV]).toEqual([name, 'production']);
    }
  });

  it('runs every subgraph and points the gateway at each', () => {
    const gatewayEnv = compose.services.gateway.environment;
    for (const { name } of SUBGRAPHS) {
      const service = compose.services[name];
      expect(service).toBeDefined();
      const entry = service.command.find((part: string) => part.startsWith('dist/'));
      expect(existsSync(projectPath(entry.replace(/^dist\//, '').replace(/\.js$/, '.ts')))).toBe(true);
      const port = service.environment[`${settingPrefix(name)}_PORT`];
      expect(gatewayEnv[`${settingPrefix(name)}_URL`]).toBe(`http://${name}:${port}/graphql`);
      expect(service.environment.DATABASE_URL).toMatch(/^postgres:\/\/.*@postgres:5432\//);
    }
    expect(existsSync(projectPath('gateway', 'main.ts'))).toBe(true);
  });
});

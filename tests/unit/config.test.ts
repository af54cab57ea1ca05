import { readFileSync } from 'node:fs';
import { ConfigError, DEV_GATEWAY_SECRET, loadGatewayConfig, loadSubgraphConfig, settingNames } from '../../shared/config';
import { execFile } from 'node:child_process';
import { promisify } from 'node:util';
import { DatabaseUnreachableError } from '../../shared/database';
import { projectPath } from '../../shared/paths';

const problemsOf = (load: () => unknown): string[] => {
  try {
    load();
  } catch (error) {
    if (error instanceof ConfigError) return error.problems;
    throw error;
  }
  throw new Error('expected a ConfigError');
};

describe('subgraph configuration', () => {
  it('derives the subgraph database from DATABASE_URL and the prefix', () => {
    const config = loadSubgraphConfig('municipalities', { DATABASE_URL: 'postgres://u:p@db.example:5432/postgres' });
    expect(config.database.url).toBe('postgres://u:p@db.example:5432/advisor_municipalities');
    expect(config.database.adminUrl).toBe('postgres://u:p@db.example:5432/postgres');
    expect(config).toMatchObject({ port: 4001, portSetting: 'MUNICIPALITIES_PORT', host: '127.0.0.1', production: false });
    expect(config.gatewaySecret).toBe(DEV_GATEWAY_SECRET);
  });

  it('lets a subgraph have a database URL of its own', () => {
    const config = loadSubgraphConfig('municipalities', { MUNICIPALITIES_DATABASE_URL: 'postgresql://h/mine' });
    expect(config.database.url).toBe('postgresql://h/mine');
  });

  it('names every bad variable at once', () => {
    const problems = problemsOf(() => loadSubgraphConfig('municipalities', { MUNICIPALITIES_PORT: 'eighty', DATABASE_PREFIX: 'Bad-Prefix' }));
    expect(problems).toEqual([
      expect.stringContaining('DATABASE_URL is required'),
      expect.stringContaining('DATABASE_PREFIX must be'),
      'MUNICIPALITIES_PORT must be an integer from 0 to 65535, got "eighty"',
    ]);
  });

  it('loads sample data unless told not to, and not by default in production', () => {
    const base = { DATABASE_URL: 'postgres://h/db' };
    expect(loadSubgraphConfig('support-centers', base).sampleData).toBe(true);
    expect(loadSubgraphConfig('support-centers', { ...base, SAMPLE_DATA: 'false' }).sampleData).toBe(false);
    const production = { ...base, NODE_ENV: 'production', GATEWAY_SECRET: 'x'.repeat(40) };
    expect(loadSubgraphConfig('support-centers', production).sampleData).toBe(false);
    expect(problemsOf(() => loadSubgraphConfig('support-centers', { ...base, SAMPLE_DATA: 'yes' }))).toEqual(['SAMPLE_DATA must be true or false, got "yes"']);
  });

  it('rejects a DATABASE_URL that is not a PostgreSQL URL', () => {
    expect(problemsOf(() => loadSubgraphConfig('municipalities', { DATABASE_URL: 'mysql://x/y' }))).toEqual([
      'DATABASE_URL must be a postgres: or postgresql: URL, got "mysql:"',
    ]);
  });

  it('names a DATABASE_URL that is no URL at all without repeating it (it may hold a password), and only that', () => {
    const problems = problemsOf(() => loadSubgraphConfig('municipalities', { DATABASE_URL: '//app:s3cret@db host/x' }));
    expect(problems).toEqual(['DATABASE_URL must be a URL (e.g. postgres://user@host:port/…), got a value that is not one']);
  });
});

describe('a service started on its own (docker-compose, Kubernetes)', () => {
  it.each(['gateway/main.ts', 'subgraphs/bases/main.ts'])(
    '%s: a bad setting is the list of problems, in one line of its JSON log, exit 1, no stack trace',
    async (entry) => {
      const port = entry.startsWith('gateway') ? 'GATEWAY_PORT' : 'BASES_PORT';
      const failed = await promisify(execFile)(process.execPath, ['-r', projectPath('tests/helpers/register-ts.js'), projectPath(entry)], {
        env: { PATH: process.env.PATH, [port]: 'abc', DATABASE_URL: 'postgres://127.0.0.1/x' },
      }).then(
        () => undefined,
        (error: { code: number; stdout: string; stderr: string }) => error,
      );
      expect(failed).toMatchObject({ code: 1, stderr: '' });
      const lines = failed!.stdout.trim().split('\n');
      expect(lines).toHaveLength(1);
      expect(JSON.parse(lines[0])).toMatchObject({ level: 60, msg: `Invalid configuration:\n  - ${port} must be an integer from 0 to 65535, got "abc"` });
      expect(JSON.parse(lines[0])).not.toHaveProperty('err'); // a cause the operator acts on: no stack
    },
    30_000,
  );
});

describe('a database that cannot be reached', () => {
  it('is said in one line: where, as whom and why, never the password', () => {
    const refused = new DatabaseUnreachableError('postgres://app:s3cret@db.example:6543/postgres', Object.assign(new Error('x'), { code: 'ECONNREFUSED' }));
    expect(refused.message).toBe('Cannot connect to PostgreSQL at db.example:6543 as app (DATABASE_URL): ECONNREFUSED: is the server running there?');
    const password = new DatabaseUnreachableError('postgres://app:s3cret@db.example/postgres', Object.assign(new Error('x'), { code: '28P01' }));
    expect(password.message).toBe('Cannot connect to PostgreSQL at db.example:5432 as app (DATABASE_URL): the server refuses this user or password');
    expect(`${refused.message}${password.message}`).not.toContain('s3cret');
  });
});

describe('gateway configuration', () => {
  it('has working development defaults', () => {
    const config = loadGatewayConfig({});
    expect(config.port).toBe(4000);
    expect(config.subgraphUrls.municipalities).toBe('http://127.0.0.1:4001/graphql');
    expect(config.jwt.secret).toBeDefined();
  });

  it('follows a changed subgraph port unless the URL is given', () => {
    expect(loadGatewayConfig({ MUNICIPALITIES_PORT: '5001' }).subgraphUrls.municipalities).toBe('http://127.0.0.1:5001/graphql');
    expect(loadGatewayConfig({ MUNICIPALITIES_URL: 'http://municipalities:4001/graphql' }).subgraphUrls.municipalities).toBe(
      'http://municipalities:4001/graphql',
    );
  });

  it('refuses to run in production on development secrets', () => {
    expect(problemsOf(() => loadGatewayConfig({ NODE_ENV: 'production' }))).toEqual([
      'GATEWAY_SECRET is required when NODE_ENV=production',
      'JWT_SECRET is required when NODE_ENV=production',
    ]);
    expect(problemsOf(() => loadGatewayConfig({ NODE_ENV: 'production', GATEWAY_SECRET: DEV_GATEWAY_SECRET, JWT_SECRET: 'short' }))).toEqual([
      'GATEWAY_SECRET must not be the development default in production',
      'JWT_SECRET must be at least 32 characters long',
    ]);
  });

  it("takes budgets of points a minute of 0 (none) or at least one operation's largest cost", () => {
    expect(loadGatewayConfig({}).limits).toMatchObject({ pointsPerMinute: 1_000_000, anonymousPointsPerMinute: 200_000 });
    expect(loadGatewayConfig({ RATE_LIMIT_POINTS_PER_MINUTE: '0', RATE_LIMIT_ANONYMOUS_POINTS_PER_MINUTE: '0' }).limits).toMatchObject({
      pointsPerMinute: 0,
      anonymousPointsPerMinute: 0,
    });
    // A smaller budget would refuse an operation the per-operation limit allows, every minute, for ever.
    expect(
      problemsOf(() => loadGatewayConfig({ QUERY_MAX_COST: '50000', RATE_LIMIT_POINTS_PER_MINUTE: '40000', RATE_LIMIT_ANONYMOUS_POINTS_PER_MINUTE: 'x' })),
    ).toEqual([
      'RATE_LIMIT_ANONYMOUS_POINTS_PER_MINUTE must be an integer from 0 to 1000000000, got "x"',
      'RATE_LIMIT_POINTS_PER_MINUTE must be 0 (no limit) or at least QUERY_MAX_COST (50000), got 40000',
    ]);
  });

  it('takes the secrets before a change, held to the same rules, and never requires them', () => {
    const secrets = { NODE_ENV: 'production', GATEWAY_SECRET: 'n'.repeat(40), JWT_SECRET: 'j'.repeat(40) };
    const changing = loadGatewayConfig({ ...secrets, GATEWAY_SECRET_PREVIOUS: 'o'.repeat(40), JWT_SECRET_PREVIOUS: 'k'.repeat(40) });
    expect(changing.gatewaySecret).toBe('n'.repeat(40)); // the gateway sends the new one …
    expect(changing.gatewaySecretsAccepted).toEqual(['n'.repeat(40), 'o'.repeat(40)]); // … subgraphs take both
    expect(changing.jwt).toMatchObject({ secret: 'j'.repeat(40), previousSecret: 'k'.repeat(40) });
    expect(loadGatewayConfig(secrets).gatewaySecretsAccepted).toEqual(['n'.repeat(40)]);
    expect(loadGatewayConfig(secrets).jwt.previousSecret).toBeUndefined();
    expect(problemsOf(() => loadGatewayConfig({ ...secrets, GATEWAY_SECRET_PREVIOUS: 'short', JWT_SECRET_PREVIOUS: DEV_GATEWAY_SECRET.slice(0, 8) }))).toEqual([
      'GATEWAY_SECRET_PREVIOUS must be at least 32 characters long',
      'JWT_SECRET_PREVIOUS must be at least 32 characters long',
    ]);
  });

  it('accepts a JWKS URL instead of a secret in production', () => {
    const config = loadGatewayConfig({
      NODE_ENV: 'production',
      GATEWAY_SECRET: 'x'.repeat(40),
      JWKS_URL: 'https://idp.example/.well-known/jwks.json',
    });
    expect(config.jwt).toMatchObject({ jwksUrl: 'https://idp.example/.well-known/jwks.json', secret: undefined });
    // Over plain HTTP only to this machine: anyone on the way could replace the keys.
    const production = { NODE_ENV: 'production', GATEWAY_SECRET: 'x'.repeat(40) };
    expect(problemsOf(() => loadGatewayConfig({ ...production, JWKS_URL: 'http://keycloak.internal:8080/realms/pref/protocol/openid-connect/certs' }))).toEqual(
      ['JWKS_URL must be an https: URL in production (anyone on the way could replace the keys that sign tokens), got http://keycloak.internal:8080'],
    );
    expect(loadGatewayConfig({ ...production, JWKS_URL: 'http://127.0.0.1:9000/jwks' }).jwt.jwksUrl).toBe('http://127.0.0.1:9000/jwks');
    expect(loadGatewayConfig({ JWKS_URL: 'http://keycloak.internal:8080/certs' }).jwt.jwksUrl).toBe('http://keycloak.internal:8080/certs'); // development
  });

  it('serves the explorer in development, and in production only with introspection', () => {
    const production = { NODE_ENV: 'production', GATEWAY_SECRET: 'x'.repeat(40), JWT_SECRET: 'y'.repeat(40) };
    expect(loadGatewayConfig({}).explorer).toBe(true);
    expect(loadGatewayConfig(production).explorer).toBe(false);
    expect(problemsOf(() => loadGatewayConfig({ ...production, GRAPHQL_EXPLORER: 'true' }))).toEqual([
      'GRAPHQL_EXPLORER=true needs GRAPHQL_INTROSPECTION=true: the explorer reads the schema by introspection',
    ]);
    expect(loadGatewayConfig({ ...production, GRAPHQL_EXPLORER: 'true', GRAPHQL_INTROSPECTION: 'true' }).explorer).toBe(true);
  });

  it('traces only when an OTLP endpoint is set, from either standard variable', () => {
    expect(loadGatewayConfig({}).tracing).toEqual({ endpoint: undefined });
    expect(loadGatewayConfig({ OTEL_EXPORTER_OTLP_ENDPOINT: 'http://collector:4318/' }).tracing.endpoint).toBe('http://collector:4318/v1/traces');
    expect(loadSubgraphConfig('bases', { DATABASE_URL: 'postgres://h/db', OTEL_EXPORTER_OTLP_TRACES_ENDPOINT: 'http://c:4318/custom' }).tracing.endpoint).toBe(
      'http://c:4318/custom',
    );
    expect(problemsOf(() => loadGatewayConfig({ OTEL_EXPORTER_OTLP_ENDPOINT: 'collector:4318' }))).toEqual([
      'OTEL_EXPORTER_OTLP_ENDPOINT must be a http: or https: URL, got "collector:"',
    ]);
  });

  it('takes the reverse proxies to believe as addresses, ranges or proxy-addr names, and names one it cannot read', () => {
    expect(loadGatewayConfig({}).trustedProxies).toEqual([]);
    expect(loadGatewayConfig({ TRUSTED_PROXIES: ' loopback, 10.0.0.0/8 ,192.168.1.5' }).trustedProxies).toEqual(['loopback', '10.0.0.0/8', '192.168.1.5']);
    expect(problemsOf(() => loadGatewayConfig({ TRUSTED_PROXIES: 'loopback, proxy.example.jp' }))).toEqual([
      'TRUSTED_PROXIES must list addresses, ranges (10.0.0.0/8) or loopback, linklocal, uniquelocal, got "proxy.example.jp"',
    ]);
  });

  it('rejects an unknown NODE_ENV', () => {
    expect(problemsOf(() => loadGatewayConfig({ NODE_ENV: 'prod' }))).toEqual(['NODE_ENV must be development, production or test, got "prod"']);
  });
});

it('lists every variable it reads', () => {
  expect(settingNames()).toEqual(expect.arrayContaining(['DATABASE_URL', 'GATEWAY_SECRET', 'MUNICIPALITIES_URL', 'JWT_SECRET']));
  // Every setting read by name in the code (`r.int('QUERY_MAX_COST', …)`): one left out of the list is refused in
  // docker-compose.yml and the Kubernetes manifests by tests/project.test.ts, and missing from the documentation.
  const read = [...readFileSync(projectPath('shared', 'config.ts'), 'utf8').matchAll(/\br\.\w+\('([A-Z][A-Z0-9_]+)'/g)].map((m) => m[1]);
  expect(read.length).toBeGreaterThan(40);
  expect(read.filter((name) => !settingNames().includes(name))).toEqual([]);
});

/**
 * Typed configuration from environment variables. Every value is checked when a service starts;
 * a bad or missing value stops it with one message naming each variable and what is wrong.
 */
import { existsSync } from 'node:fs';
import proxyaddr from 'proxy-addr';
import { ROLES, type Role } from './context';
import { projectPath } from './paths';
import { DEFAULT_WORKBOOK_HEAP_MB } from './spreadsheet';
import { trimCharacters } from './text';

/** The subgraphs that exist, with the port each listens on by default. */
export const SUBGRAPHS = [
  { name: 'municipalities', defaultPort: 4001 },
  { name: 'support-centers', defaultPort: 4002 },
  { name: 'bases', defaultPort: 4003 },
  { name: 'dispatch', defaultPort: 4004 },
] as const;
export type SubgraphName = (typeof SUBGRAPHS)[number]['name'];

export const DEFAULT_GATEWAY_PORT = 4000;
/** Development-only secrets: refused when NODE_ENV=production. */
export const DEV_JWT_SECRET = 'dev-only-jwt-secret-do-not-use-in-production';
export const DEV_GATEWAY_SECRET = 'dev-only-gateway-secret-do-not-use-in-production';

export type Env = Record<string, string | undefined>;

export class ConfigError extends Error {
  constructor(readonly problems: string[]) {
    super(`Invalid configuration:\n${problems.map((p) => `  - ${p}`).join('\n')}`);
    this.name = 'ConfigError';
  }
}

/** `MUNICIPALITIES`, `SUPPORT_CENTERS`, … : the prefix of a subgraph's own variables. */
export function settingPrefix(subgraph: string): string {
  return subgraph.toUpperCase().replace(/-/g, '_');
}

/** Every variable the code reads, for documentation and for the docker-compose check. */
export function settingNames(): string[] {
  const names = [
    'NODE_ENV',
    'HOST',
    'LOG_LEVEL',
    'SHUTDOWN_GRACE_MS',
    'DATABASE_URL',
    'DATABASE_PREFIX',
    'DATABASE_POOL_SIZE',
    'DATABASE_CONNECT_TIMEOUT_MS',
    'SAMPLE_DATA',
    'GATEWAY_SECRET',
    'GATEWAY_SECRET_PREVIOUS',
    'GATEWAY_PORT',
    'JWT_SECRET',
    'JWT_SECRET_PREVIOUS',
    'JWKS_URL',
    'JWT_ISSUER',
    'JWT_AUDIENCE',
    'JWT_ROLE_CLAIM',
    'JWT_PREFECTURE_CLAIM',
    'GRAPHQL_INTROSPECTION',
    'GRAPHQL_EXPLORER',
    'SUBGRAPH_TIMEOUT_MS',
    'QUERY_MAX_DEPTH',
    'QUERY_MAX_ALIASES',
    'QUERY_MAX_DIRECTIVES',
    'QUERY_MAX_TOKENS',
    'QUERY_MAX_COST',
    'QUERY_MAX_COST_ANALYST',
    'QUERY_HEAVY_COST',
    'QUERY_MAX_HEAVY_PER_VIEWER',
    'QUERY_MAX_ERRORS',
    'RATE_LIMIT_POINTS_PER_MINUTE',
    'RATE_LIMIT_ANONYMOUS_POINTS_PER_MINUTE',
    'RESPONSE_MAX_MB',
    'RESPONSE_CACHE_MB',
    'QUERY_PLAN_CACHE_MB',
    'IMPORT_MAX_MB',
    'IMPORT_TIMEOUT_MS',
    'IMPORT_DOWNLOAD_MAX_ROWS',
    'IMPORT_CONCURRENCY',
    'IMPORT_WORKBOOK_HEAP_MB',
    'PG_BIN',
    'SHUTDOWN_DELAY_MS',
    'METRICS_TOKEN',
    'CORS_ORIGINS',
    'TRUSTED_PROXIES',
    'TRUSTED_DOCUMENTS_FILE',
    'TRUSTED_DOCUMENTS_ROLES',
    'JWT_MAX_LIFETIME_HOURS',
    'EMBEDDED_POSTGRES_PORT',
    'EMBEDDED_POSTGRES_DIR',
    'OTEL_EXPORTER_OTLP_ENDPOINT',
    'OTEL_EXPORTER_OTLP_TRACES_ENDPOINT',
  ];
  for (const { name } of SUBGRAPHS) {
    const p = settingPrefix(name);
    names.push(`${p}_PORT`, `${p}_URL`, `${p}_DATABASE_URL`);
  }
  return names;
}

/** Reads variables, collecting every problem before failing. */
class EnvReader {
  readonly problems: string[] = [];
  constructor(private readonly env: Env) {}

  optional(name: string): string | undefined {
    const value = this.env[name]?.trim();
    return value === '' ? undefined : value;
  }

  /** A comma-separated list, each item trimmed, empty ones left out; none when unset. */
  list(name: string): string[] {
    return (this.optional(name) ?? '')
      .split(',')
      .map((item) => item.trim())
      .filter(Boolean);
  }

  string(name: string, fallback: string): string {
    return this.optional(name) ?? fallback;
  }

  int(name: string, fallback: number, min: number, max: number): number {
    const raw = this.optional(name);
    if (raw === undefined) return fallback;
    const n = Number(raw);
    if (!/^-?\d+$/.test(raw) || n < min || n > max) {
      this.problems.push(`${name} must be an integer from ${min} to ${max}, got "${raw}"`);
      return fallback;
    }
    return n;
  }

  boolean(name: string, fallback: boolean): boolean {
    const raw = this.optional(name);
    if (raw === undefined) return fallback;
    if (raw === 'true' || raw === 'false') return raw === 'true';
    this.problems.push(`${name} must be true or false, got "${raw}"`);
    return fallback;
  }

  port(name: string, fallback: number): number {
    return this.int(name, fallback, 0, 65535);
  }

  url(name: string, fallback: string | undefined, protocols: string[]): string | undefined {
    const raw = this.optional(name) ?? fallback;
    if (raw === undefined) return undefined;
    try {
      const url = new URL(raw);
      if (!protocols.includes(url.protocol)) {
        this.problems.push(`${name} must be a ${protocols.join(' or ')} URL, got "${url.protocol}"`);
      }
    } catch {
      // A database URL may hold a password: not repeated.
      this.problems.push(`${name} must be a URL (e.g. ${protocols[0]}//user@host:port/…), got a value that is not one`);
      return undefined;
    }
    return raw;
  }

  /** A secret with a development default that production refuses. */
  secret(name: string, devDefault: string, production: boolean, requiredInProduction = true): string | undefined {
    const value = this.optional(name);
    if (value === undefined) {
      if (!production) return devDefault;
      if (requiredInProduction) this.problems.push(`${name} is required when NODE_ENV=production`);
      return undefined;
    }
    if (value.length < 32) this.problems.push(`${name} must be at least 32 characters long`);
    if (production && value === devDefault) this.problems.push(`${name} must not be the development default in production`);
    return value;
  }

  done<T>(config: T): T {
    if (this.problems.length > 0) throw new ConfigError(this.problems);
    return config;
  }
}

export interface TracingConfig {
  /** OTLP/HTTP traces endpoint, e.g. http://collector:4318/v1/traces; tracing is off without one. */
  endpoint?: string;
}

export interface CommonConfig {
  production: boolean;
  /** Interface to bind; 127.0.0.1 by default so a development machine exposes nothing. */
  host: string;
  /** Shared secret that proves a request came through the gateway: the gateway sends it. */
  gatewaySecret: string;
  /** The secrets a subgraph accepts: GATEWAY_SECRET, and GATEWAY_SECRET_PREVIOUS while it is being changed. */
  gatewaySecretsAccepted: readonly string[];
  /** OpenTelemetry traces: exported over OTLP/HTTP when an endpoint is set, off otherwise. */
  tracing: TracingConfig;
  /** On SIGTERM, how long requests in flight may still run before their connections are closed. */
  shutdownGraceMs: number;
  /**
   * On SIGTERM, how long the service keeps accepting requests while `/ready` answers 503, so a load
   * balancer stops sending new ones before the listener closes (production default 5 s).
   */
  shutdownDelayMs: number;
  /** `/metrics` needs `Authorization: Bearer <token>` when set; without it, production serves no `/metrics`. */
  metricsToken?: string;
}

export interface DatabaseConfig {
  /** Connection URL of the subgraph's own database. */
  url: string;
  /** Connection URL used to create that database when it does not exist yet. */
  adminUrl: string;
  /** The setting `url` comes from (`DATABASE_URL`, or e.g. `BASES_DATABASE_URL`), for messages. */
  setting: string;
  /** The setting that gives this subgraph a database of its own (e.g. `BASES_DATABASE_URL`), for messages. */
  ownSetting: string;
  poolSize: number;
  /** How long a request waits for a connection (DATABASE_CONNECT_TIMEOUT_MS) before it fails as SUBGRAPH_UNAVAILABLE. */
  connectTimeoutMs: number;
}

export interface SubgraphConfig extends CommonConfig {
  name: SubgraphName;
  port: number;
  /** The variable that sets `port`, for the "port in use" message. */
  portSetting: string;
  database: DatabaseConfig;
  /** Load the generated sample dataset (SAMPLE_DATA); off by default in production. */
  sampleData: boolean;
  /**
   * The rows an import's download (`GET /import/<kind>.xlsx`) holds at most: a larger one is refused, with how
   * to ask for less. The subgraph holds a download whole while it writes it, and 50,000 visits make a workbook
   * the import takes back (IMPORT_MAX_MB).
   */
  importDownloadMaxRows: number;
  /** Imports and reverts one subgraph runs at once (IMPORT_CONCURRENCY); more are refused with 429. */
  importConcurrency: number;
  /** The heap of the thread that parses an imported workbook (IMPORT_WORKBOOK_HEAP_MB): a workbook needing more is refused. */
  importWorkbookHeapMb: number;
}

export interface JwtConfig {
  /** HS256 secret (development); ignored when `jwksUrl` is set. */
  secret?: string;
  /** The HS256 secret before the last change (JWT_SECRET_PREVIOUS): tokens it signed are accepted too. */
  previousSecret?: string;
  /** JWKS endpoint of the identity provider (production). */
  jwksUrl?: string;
  issuer?: string;
  audience?: string;
  /** Longest token lifetime accepted (exp − iat, and exp − now), in seconds. */
  maxLifetimeSeconds?: number;
  /**
   * The claims holding the role and the prefecture, as the identity provider names them (`roles`,
   * `realm_access.roles`, `https://example.jp/prefecture`); default `role` and `prefecture`.
   */
  roleClaim?: string;
  prefectureClaim?: string;
}

/** Limits on queries at the gateway (see gateway/limits.ts). */
export interface QueryLimits {
  maxDepth: number;
  maxAliases: number;
  maxDirectives: number;
  maxTokens: number;
  /** Cost budget (gateway/cost.ts: values the answer may hold) for apps and prefecture-bound roles. */
  maxCost: number;
  /** The stricter budget of national analysts. */
  maxCostAnalyst: number;
  /** Operations costing this much or more are heavy: at most `maxHeavyPerViewer` run at once per viewer. */
  heavyCost: number;
  maxHeavyPerViewer: number;
  /** Errors in one response; past it, one error says how many were left out. */
  maxErrors: number;
  /** Size of one response body. */
  maxResponseBytes: number;
  /** Cost points a minute for each signed-in caller (gateway/rate-limit.ts); 0: no such limit. */
  pointsPerMinute: number;
  /** Cost points a minute for each address anonymous callers come from; 0: no such limit. */
  anonymousPointsPerMinute: number;
}

export interface GatewayConfig extends CommonConfig {
  port: number;
  portSetting: string;
  subgraphUrls: Record<SubgraphName, string>;
  jwt: JwtConfig;
  limits: QueryLimits;
  /** How long the gateway waits for one subgraph fetch before giving up on it. */
  subgraphTimeoutMs: number;
  /** Schema introspection (and field suggestions in errors): on in development, off in production unless enabled. */
  introspection: boolean;
  /** The GraphiQL explorer at /explorer: on in development, off in production unless enabled. */
  explorer: boolean;
  /** Memory for cached answers, split between whole responses and subgraph answers; 0 turns caching off. */
  responseCacheBytes: number;
  /** Memory for query plans (Apollo Gateway's estimate of their size). */
  queryPlanCacheMiB: number;
  /** Origins whose browser front ends may call the gateway (CORS); none by default. */
  corsOrigins: string[];
  /** Reverse proxies whose `X-Forwarded-For` names the caller (proxy-addr's terms); none by default. */
  trustedProxies: string[];
  /** The operation manifest (hash → document) of first-party front ends, and the roles held to it (gateway/trusted-documents.ts). */
  trustedDocuments: { files: string[]; roles: Role[] };
  /** Uploads to `POST /import/<kind>`: the largest file taken, and how long the owning subgraph may take over it. */
  imports: { maxBytes: number; timeoutMs: number };
}

/** The manifest of the explorer's saved questions, written by `npm run compose`: trusted whatever else is named. */
export const SAVED_QUESTIONS_MANIFEST = projectPath('gateway', 'trusted-documents.manifest.json');

/**
 * The manifest files — the saved questions', then each TRUSTED_DOCUMENTS_FILE names (comma-separated: one per front
 * end, or a front end's old and new release side by side while it is rolled out; a file named but absent is a
 * mistyped path, not an empty manifest) — and the roles held to them.
 */
function trustedDocuments(r: EnvReader): GatewayConfig['trustedDocuments'] {
  const named = r.list('TRUSTED_DOCUMENTS_FILE');
  for (const file of named) if (!existsSync(file)) r.problems.push(`TRUSTED_DOCUMENTS_FILE names ${file}, which does not exist`);
  return { files: [SAVED_QUESTIONS_MANIFEST, ...named.filter((file) => file !== SAVED_QUESTIONS_MANIFEST)], roles: trustedDocumentRoles(r) };
}

/** TRUSTED_DOCUMENTS_ROLES: the roles that may run only the manifest's operations, e.g. ADVISOR,PREFECTURE_STAFF. */
function trustedDocumentRoles(r: EnvReader): Role[] {
  const roles = r.list('TRUSTED_DOCUMENTS_ROLES');
  const unknown = roles.filter((role) => !(ROLES as readonly string[]).includes(role));
  if (unknown.length > 0) r.problems.push(`TRUSTED_DOCUMENTS_ROLES must list roles of ${ROLES.join(', ')}, got "${unknown.join(', ')}"`);
  return roles as Role[];
}

/** CORS_ORIGINS: comma-separated origins such as https://advisor.pref.example.jp. */
function corsOrigins(r: EnvReader): string[] {
  const origins = r.list('CORS_ORIGINS');
  for (const origin of origins) {
    let ok: boolean;
    try {
      const url = new URL(origin);
      ok = ['http:', 'https:'].includes(url.protocol) && url.origin === origin;
    } catch {
      ok = false;
    }
    if (!ok) r.problems.push(`CORS_ORIGINS must list origins such as https://advisor.example.jp (scheme, host and port only), got "${origin}"`);
  }
  return origins;
}

/**
 * TRUSTED_PROXIES: comma-separated addresses or ranges of the reverse proxies in front of the gateway
 * (`10.0.0.0/8`, `192.168.1.5`, or proxy-addr's names `loopback`, `linklocal`, `uniquelocal`).
 */
function trustedProxies(r: EnvReader): string[] {
  const proxies = r.list('TRUSTED_PROXIES');
  for (const proxy of proxies) {
    try {
      proxyaddr.compile(proxy);
    } catch {
      r.problems.push(`TRUSTED_PROXIES must list addresses, ranges (10.0.0.0/8) or loopback, linklocal, uniquelocal, got "${proxy}"`);
    }
  }
  return proxies;
}

/** The standard OpenTelemetry variables: the traces URL itself, or the collector's base URL. */
function tracesEndpoint(r: EnvReader): string | undefined {
  const http = ['http:', 'https:'];
  const traces = r.url('OTEL_EXPORTER_OTLP_TRACES_ENDPOINT', undefined, http);
  if (traces) return traces;
  const base = r.url('OTEL_EXPORTER_OTLP_ENDPOINT', undefined, http);
  return base ? `${trimCharacters(base, '/', 'end')}/v1/traces` : undefined;
}

function readCommon(r: EnvReader): CommonConfig {
  const nodeEnv = r.string('NODE_ENV', 'development');
  if (!['development', 'production', 'test'].includes(nodeEnv)) {
    r.problems.push(`NODE_ENV must be development, production or test, got "${nodeEnv}"`);
  }
  const production = nodeEnv === 'production';
  const gatewaySecret = r.secret('GATEWAY_SECRET', DEV_GATEWAY_SECRET, production) ?? '';
  const previousGatewaySecret = r.secret('GATEWAY_SECRET_PREVIOUS', '', production, false);
  return {
    production,
    host: r.string('HOST', '127.0.0.1'),
    gatewaySecret,
    gatewaySecretsAccepted: previousGatewaySecret ? [gatewaySecret, previousGatewaySecret] : [gatewaySecret],
    tracing: { endpoint: tracesEndpoint(r) },
    shutdownGraceMs: r.int('SHUTDOWN_GRACE_MS', 10_000, 0, 600_000),
    shutdownDelayMs: r.int('SHUTDOWN_DELAY_MS', production ? 5_000 : 0, 0, 600_000),
    metricsToken: r.secret('METRICS_TOKEN', '', production, false) || undefined,
  };
}

/** The database of one subgraph: `<prefix><name>` on the server DATABASE_URL points to. */
export function databaseNameFor(subgraph: string, prefix: string): string {
  return `${prefix}${subgraph.replace(/-/g, '_')}`;
}

function withDatabase(url: string, database: string): string {
  const u = new URL(url);
  u.pathname = `/${database}`;
  return u.toString();
}

const readWorkbookHeapMb = (r: EnvReader) => r.int('IMPORT_WORKBOOK_HEAP_MB', DEFAULT_WORKBOOK_HEAP_MB, 64, 16_384);

/** The heap of the process that reads an imported workbook: the subgraphs' setting, for the import command too. */
export function loadWorkbookHeapMb(env: Env = process.env): number {
  const r = new EnvReader(env);
  return r.done(readWorkbookHeapMb(r));
}

export function loadSubgraphConfig(name: SubgraphName, env: Env = process.env): SubgraphConfig {
  const r = new EnvReader(env);
  const common = readCommon(r);
  const spec = SUBGRAPHS.find((s) => s.name === name);
  if (!spec) throw new Error(`unknown subgraph ${name}`);
  const p = settingPrefix(name);
  const pgProtocols = ['postgres:', 'postgresql:'];
  const own = r.url(`${p}_DATABASE_URL`, undefined, pgProtocols);
  const server = r.url('DATABASE_URL', undefined, pgProtocols);
  if (!own && !server && !env[`${p}_DATABASE_URL`] && !env.DATABASE_URL) {
    r.problems.push(`DATABASE_URL is required: the PostgreSQL server (npm start sets it for its embedded one)`);
  }
  const prefix = r.string('DATABASE_PREFIX', 'advisor_');
  if (!/^[a-z][a-z0-9_]{0,40}$/.test(prefix)) {
    r.problems.push(`DATABASE_PREFIX must be lower-case letters, digits and _, got "${prefix}"`);
  }
  const poolSize = r.int('DATABASE_POOL_SIZE', 10, 1, 200);
  const connectTimeoutMs = r.int('DATABASE_CONNECT_TIMEOUT_MS', 5_000, 100, 600_000);
  const url = own ?? (server ? withDatabase(server, databaseNameFor(name, prefix)) : '');
  return r.done({
    ...common,
    name,
    port: r.port(`${p}_PORT`, spec.defaultPort),
    portSetting: `${p}_PORT`,
    database: {
      url,
      adminUrl: server ?? (own ? withDatabase(own, 'postgres') : ''),
      setting: own ? `${p}_DATABASE_URL` : 'DATABASE_URL',
      ownSetting: `${p}_DATABASE_URL`,
      poolSize,
      connectTimeoutMs,
    },
    sampleData: r.boolean('SAMPLE_DATA', !common.production),
    importDownloadMaxRows: r.int('IMPORT_DOWNLOAD_MAX_ROWS', 50_000, 1, 1_000_000),
    importConcurrency: r.int('IMPORT_CONCURRENCY', 1, 1, 32),
    importWorkbookHeapMb: readWorkbookHeapMb(r),
  });
}

export function loadGatewayConfig(env: Env = process.env): GatewayConfig {
  const r = new EnvReader(env);
  const common = readCommon(r);
  const subgraphUrls = {} as Record<SubgraphName, string>;
  for (const { name, defaultPort } of SUBGRAPHS) {
    const p = settingPrefix(name);
    const port = r.port(`${p}_PORT`, defaultPort);
    subgraphUrls[name] = r.url(`${p}_URL`, `http://127.0.0.1:${port}/graphql`, ['http:', 'https:']) as string;
  }
  const jwksUrl = r.url('JWKS_URL', undefined, ['http:', 'https:']);
  // The keys that every token is checked with must not be open to change on the way: in production, plain HTTP
  // only to this machine (a sidecar or proxy that itself fetches them over HTTPS).
  if (common.production && jwksUrl?.startsWith('http:') && !['localhost', '127.0.0.1', '[::1]'].includes(new URL(jwksUrl).hostname)) {
    r.problems.push(`JWKS_URL must be an https: URL in production (anyone on the way could replace the keys that sign tokens), got ${new URL(jwksUrl).origin}`);
  }
  const secret = r.secret('JWT_SECRET', DEV_JWT_SECRET, common.production, jwksUrl === undefined);
  const introspection = r.boolean('GRAPHQL_INTROSPECTION', !common.production);
  const explorer = r.boolean('GRAPHQL_EXPLORER', !common.production);
  if (explorer && !introspection) {
    r.problems.push('GRAPHQL_EXPLORER=true needs GRAPHQL_INTROSPECTION=true: the explorer reads the schema by introspection');
  }
  const limits: QueryLimits = {
    maxDepth: r.int('QUERY_MAX_DEPTH', 10, 1, 100),
    maxAliases: r.int('QUERY_MAX_ALIASES', 30, 0, 1000),
    maxDirectives: r.int('QUERY_MAX_DIRECTIVES', 20, 0, 1000),
    maxTokens: r.int('QUERY_MAX_TOKENS', 2000, 10, 100_000),
    maxCost: r.int('QUERY_MAX_COST', 200_000, 1, 10_000_000),
    maxCostAnalyst: r.int('QUERY_MAX_COST_ANALYST', 100_000, 1, 10_000_000),
    heavyCost: r.int('QUERY_HEAVY_COST', 20_000, 1, 10_000_000),
    maxHeavyPerViewer: r.int('QUERY_MAX_HEAVY_PER_VIEWER', 2, 1, 1000),
    maxErrors: r.int('QUERY_MAX_ERRORS', 50, 2, 10_000),
    maxResponseBytes: r.int('RESPONSE_MAX_MB', 10, 1, 1024) * 2 ** 20,
    pointsPerMinute: r.int('RATE_LIMIT_POINTS_PER_MINUTE', 1_000_000, 0, 1_000_000_000),
    anonymousPointsPerMinute: r.int('RATE_LIMIT_ANONYMOUS_POINTS_PER_MINUTE', 200_000, 0, 1_000_000_000),
  };
  // A budget a minute smaller than one operation may cost would refuse that operation every minute, for ever.
  for (const [name, budget] of [
    ['RATE_LIMIT_POINTS_PER_MINUTE', limits.pointsPerMinute],
    ['RATE_LIMIT_ANONYMOUS_POINTS_PER_MINUTE', limits.anonymousPointsPerMinute],
  ] as const)
    if (budget > 0 && budget < limits.maxCost) r.problems.push(`${name} must be 0 (no limit) or at least QUERY_MAX_COST (${limits.maxCost}), got ${budget}`);
  return r.done({
    ...common,
    port: r.port('GATEWAY_PORT', DEFAULT_GATEWAY_PORT),
    portSetting: 'GATEWAY_PORT',
    subgraphUrls,
    jwt: {
      secret,
      previousSecret: r.secret('JWT_SECRET_PREVIOUS', '', common.production, false) || undefined,
      jwksUrl,
      issuer: r.optional('JWT_ISSUER'),
      audience: r.optional('JWT_AUDIENCE'),
      maxLifetimeSeconds: r.int('JWT_MAX_LIFETIME_HOURS', 12, 1, 24 * 366) * 3600,
      roleClaim: r.optional('JWT_ROLE_CLAIM'),
      prefectureClaim: r.optional('JWT_PREFECTURE_CLAIM'),
    },
    corsOrigins: corsOrigins(r),
    trustedProxies: trustedProxies(r),
    trustedDocuments: trustedDocuments(r),
    limits,
    introspection,
    explorer,
    subgraphTimeoutMs: r.int('SUBGRAPH_TIMEOUT_MS', 10_000, 100, 600_000),
    responseCacheBytes: r.int('RESPONSE_CACHE_MB', 32, 0, 4096) * 2 ** 20,
    queryPlanCacheMiB: r.int('QUERY_PLAN_CACHE_MB', 30, 1, 4096),
    imports: { maxBytes: r.int('IMPORT_MAX_MB', 20, 1, 1024) * 2 ** 20, timeoutMs: r.int('IMPORT_TIMEOUT_MS', 300_000, 1000, 3_600_000) },
  });
}

export interface EmbeddedPostgresConfig {
  port: number;
  portSetting: string;
  dataDir: string;
}

/** Settings of the embedded PostgreSQL that `npm start` runs when DATABASE_URL is unset. */
export function loadEmbeddedPostgresConfig(env: Env = process.env): EmbeddedPostgresConfig {
  const r = new EnvReader(env);
  return r.done({
    port: r.port('EMBEDDED_POSTGRES_PORT', 54329),
    portSetting: 'EMBEDDED_POSTGRES_PORT',
    dataDir: r.string('EMBEDDED_POSTGRES_DIR', '.data/postgres'),
  });
}

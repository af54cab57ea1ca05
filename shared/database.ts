/**
 * Database bootstrap shared by every subgraph: each subgraph owns one PostgreSQL database, created
 * on first start and brought up to date by its own migrations (never `synchronize`).
 */
import { Client, types } from 'pg';
import { DataSource, type DataSourceOptions, type Logger as TypeOrmLogger } from 'typeorm';
import type { DatabaseConfig } from './config';
import type { Logger } from './log';

// Calendar dates stay 'YYYY-MM-DD' strings (pg would make midnight-UTC Date objects of them).
const DATE_OID = 1082;
types.setTypeParser(DATE_OID, (value: string) => value);

export interface DatabaseSchema {
  migrations: DataSourceOptions['migrations'];
}

/** Name of the database a connection URL points to. */
export function databaseName(url: string): string {
  return decodeURIComponent(new URL(url).pathname.replace(/^\//, ''));
}

/** Where a URL points and as whom, for messages (never the password). */
function serverOf(url: string): { where: string; user: string } {
  const { hostname, port, username } = new URL(url);
  return { where: `${hostname}:${port || 5432}`, user: decodeURIComponent(username) || '(no user)' };
}

const quoteIdent = (name: string) => `"${name.replace(/"/g, '""')}"`;

/** PostgreSQL cannot be reached, or refuses the user: said in one line, with where and how to fix it (never the password). */
export class DatabaseUnreachableError extends Error {
  constructor(url: string, cause: unknown, setting = 'DATABASE_URL') {
    const { where, user } = serverOf(url);
    const code = (cause as { code?: string }).code;
    const why =
      code === '28P01' || code === '28000'
        ? 'the server refuses this user or password'
        : code === '3D000'
          ? 'the database does not exist'
          : code === '42501'
            ? `the user may not connect to database ${databaseName(url)} (GRANT CONNECT ON DATABASE ${quoteIdent(databaseName(url))} TO ${quoteIdent(user)})`
            : `${code ?? (cause as Error).message}: is the server running there?`;
    super(`Cannot connect to PostgreSQL at ${where} as ${user} (${setting}): ${why}`);
    this.name = 'DatabaseUnreachableError';
  }
}

/**
 * The database refuses the user something a service needs — to create its database, to change its
 * schema (migrations), to read or write its tables —: one line naming what and the statement that
 * grants it, instead of a stack trace. README "Running in production" (database users) says which
 * user needs what.
 */
export class DatabasePermissionError extends Error {
  constructor(url: string, what: string, fix: string) {
    const { where, user } = serverOf(url);
    super(`PostgreSQL at ${where} does not let ${user} ${what}: ${fix}`);
    this.name = 'DatabasePermissionError';
  }
}

/** SQLSTATE 42501 insufficient_privilege (also "must be owner of …"). */
const isInsufficientPrivilege = (error: unknown) =>
  ((error as { driverError?: { code?: string } }).driverError?.code ?? (error as { code?: string }).code) === '42501';

/**
 * Creates the database `url` points to unless it exists (safe when two services race). A database that
 * exists is used as it is, without the server's maintenance database: a user given only its own
 * database (and no right to create one) starts.
 */
export async function ensureDatabase(config: Pick<DatabaseConfig, 'url' | 'adminUrl' | 'setting' | 'ownSetting'>): Promise<void> {
  const { url, adminUrl, setting } = config;
  const own = new Client({ connectionString: url });
  const missing = await own.connect().then(
    () => false,
    (error: Error & { code?: string }) => {
      // invalid_catalog_name: not created yet (PgBouncer says so as a protocol violation with the server's words)
      if (error.code === '3D000' || (error.code === '08P01' && /database ".*" does not exist/.test(error.message))) return true;
      throw new DatabaseUnreachableError(url, error, setting);
    },
  );
  await own.end().catch(() => undefined);
  if (!missing) return;
  const name = databaseName(url);
  const client = new Client({ connectionString: adminUrl });
  await client.connect().catch((error: unknown) => {
    throw new DatabaseUnreachableError(adminUrl, error, setting);
  });
  try {
    await client.query(`CREATE DATABASE ${quoteIdent(name)}`).catch((error: { code?: string }) => {
      // Another process created it first: duplicate_database, or (both past the check at once) unique_violation on pg_database.
      if (error.code === '42P04' || error.code === '23505') return;
      if (error.code === '42501')
        throw new DatabasePermissionError(
          adminUrl,
          `create database ${name}`,
          `have it created (CREATE DATABASE ${quoteIdent(name)} OWNER ${quoteIdent(serverOf(url).user)};), or set ${config.ownSetting} to a database that exists`,
        );
      throw error;
    });
  } finally {
    await client.end();
  }
}

export async function dropDatabase(adminUrl: string, name: string): Promise<void> {
  const client = new Client({ connectionString: adminUrl });
  await client.connect();
  try {
    await client.query(`DROP DATABASE IF EXISTS ${quoteIdent(name)} WITH (FORCE)`);
  } finally {
    await client.end();
  }
}

/** Told of every SQL statement's text (tests count them); never of its parameters. */
export type StatementObserver = (statement: string) => void;

export interface OpenDatabaseOptions {
  observeStatement?: StatementObserver;
}

const MAX_LOGGED_STATEMENT = 500;

/**
 * TypeORM's logger, replaced: its own prints a failed statement with its parameters, which carry
 * whatever was being written (visit notes included). This one logs the statement's text and the
 * SQLSTATE only.
 */
export class StatementTextLogger implements TypeOrmLogger {
  /** Statements sent so far (the subgraph's `db_statements_total`). */
  statements = 0;

  constructor(
    private readonly out: Logger,
    private readonly observe?: StatementObserver,
  ) {}

  logQuery(query: string): void {
    this.statements += 1;
    this.observe?.(query);
  }

  logQueryError(error: string | Error, query: string): void {
    const code = typeof error === 'object' ? (error as { code?: unknown }).code : undefined;
    this.out.warn({ statement: query.slice(0, MAX_LOGGED_STATEMENT), sqlstate: code ?? null }, 'statement failed');
  }

  logQuerySlow(time: number, query: string): void {
    this.out.warn({ statement: query.slice(0, MAX_LOGGED_STATEMENT), durationMs: time }, 'slow statement');
  }

  logSchemaBuild(): void {}

  logMigration(message: string): void {
    this.out.info({ migration: message }, 'migration');
  }

  log(level: 'log' | 'info' | 'warn', message: unknown): void {
    // TypeORM's own notices (never query parameters): kept as text.
    this.out[level === 'warn' ? 'warn' : 'info']({ typeorm: String(message).slice(0, MAX_LOGGED_STATEMENT) }, 'typeorm');
  }
}

/**
 * SQLSTATE classes and driver failures that mean the database cannot be reached or did not answer in time, not
 * that the caller erred — but not 08P01 (protocol violation: a statement this code sent wrong, e.g. too few
 * parameters), a defect to log as an internal error rather than report as an outage. 57014 is a statement the
 * database cancelled: its `statement_timeout` (deploy/database-users.sql sets one) or an operator's
 * `pg_cancel_backend` ending a query stuck behind a lock; 55P03 a lock not had within `lock_timeout`; 58030 a
 * failed read or write of the server's disk.
 */
const UNAVAILABLE_SQLSTATES = /^(08(?!P01)|53|57P|57014$|55P03$|58030$)/;
/** 25006: the database takes no changes now — a standby after a failover, or `default_transaction_read_only` for maintenance. */
const READ_ONLY_SQLSTATE = '25006';
const UNAVAILABLE_MESSAGES =
  /Connection terminated|connection timeout|timeout exceeded when trying to connect|ECONNREFUSED|ECONNRESET|ETIMEDOUT|EHOSTUNREACH|Client has encountered a connection error/i;

/** Why the database could not do what was asked, when that is no fault of the caller's (try again shortly), else undefined. */
export interface DatabaseOutage {
  reason: string;
  reasonJa: string;
}

const OUT_OF_REACH: DatabaseOutage = {
  reason: 'cannot reach its database, or it did not answer in time',
  reasonJa: 'データベースに接続できないか、応答が時間内にありませんでした',
};
const READ_ONLY: DatabaseOutage = {
  reason: 'its database takes no changes now (read-only: a failover or maintenance)',
  reasonJa: 'データベースが現在変更を受け付けていません（読み取り専用: 切り替えまたは保守中）',
};

export function databaseOutage(error: unknown): DatabaseOutage | undefined {
  for (
    let e = error as { code?: unknown; message?: unknown; driverError?: unknown; originalError?: unknown; cause?: unknown } | undefined, depth = 0;
    e && depth < 5;
    depth += 1
  ) {
    if (e.code === READ_ONLY_SQLSTATE) return READ_ONLY;
    if (typeof e.code === 'string' && (UNAVAILABLE_SQLSTATES.test(e.code) || /^E(CONNREFUSED|CONNRESET|TIMEDOUT|HOSTUNREACH|NOTFOUND)$/.test(e.code)))
      return OUT_OF_REACH;
    if (typeof e.message === 'string' && UNAVAILABLE_MESSAGES.test(e.message)) return OUT_OF_REACH;
    e = (e.driverError ?? e.originalError ?? e.cause) as typeof e;
  }
  return undefined;
}

/** A database migrated by a newer version of the code than the one starting: refused, never run against. */
export class DatabaseAheadOfCode extends Error {
  constructor(
    readonly database: string,
    readonly unknown: string[],
  ) {
    super(
      `database ${database} has migrations this version does not know (${unknown.join(', ')}): it was upgraded by a newer ` +
        'release. Deploy that release (or restore a backup made before the upgrade); this one does not start on it.',
    );
  }
}

/** The names of a schema's migrations, as TypeORM records them in the `migrations` table. */
export function migrationNames(schema: DatabaseSchema): string[] {
  return (schema.migrations as Array<new () => { name?: string }>).map((M) => new M().name ?? M.name);
}

/** DatabaseAheadOfCode when the database records a migration the code does not have. */
async function refuseDatabaseAhead(dataSource: DataSource, schema: DatabaseSchema, name: string): Promise<void> {
  const [table] = await dataSource.query("SELECT to_regclass('public.migrations') AS t");
  if (!table.t) return;
  const known = new Set(migrationNames(schema));
  const unknown = ((await dataSource.query('SELECT name FROM migrations ORDER BY id')) as Array<{ name: string }>)
    .map((r) => r.name)
    .filter((n) => !known.has(n));
  if (unknown.length > 0) throw new DatabaseAheadOfCode(name, unknown);
}

/**
 * The tables (and sequences) of the database this user may not use as a service does: read, insert,
 * update and delete rows (only read `migrations`), use sequences. Asked at start so that a missing grant
 * stops the service with the statement to run, not its first write with INTERNAL_SERVER_ERROR.
 */
async function tablesNotGranted(dataSource: DataSource): Promise<string[]> {
  const rows = (await dataSource.query(`
    SELECT c.relname AS name FROM pg_class c JOIN pg_namespace n ON n.oid = c.relnamespace
    WHERE n.nspname = 'public' AND c.relkind IN ('r', 'p', 'S') AND NOT CASE
      WHEN c.relkind = 'S' THEN has_sequence_privilege(c.oid, 'USAGE')
      WHEN c.relname = 'migrations' THEN has_table_privilege(c.oid, 'SELECT')
      ELSE has_table_privilege(c.oid, 'SELECT') AND has_table_privilege(c.oid, 'INSERT')
        AND has_table_privilege(c.oid, 'UPDATE') AND has_table_privilege(c.oid, 'DELETE') END
    ORDER BY c.relname`)) as Array<{ name: string }>;
  return rows.map((r) => r.name);
}

function refuseUngranted(config: DatabaseConfig, tables: string[]): void {
  if (tables.length === 0) return;
  const name = databaseName(config.url);
  const user = quoteIdent(serverOf(config.url).user);
  const shown = tables.length > 5 ? `${tables.slice(0, 5).join(', ')} and ${tables.length - 5} more` : tables.join(', ');
  throw new DatabasePermissionError(
    config.url,
    `read and write the tables of database ${name} (${shown})`,
    `connected to ${name} as its owner, run GRANT SELECT, INSERT, UPDATE, DELETE ON ALL TABLES IN SCHEMA public TO ${user}; ` +
      `GRANT USAGE, SELECT ON ALL SEQUENCES IN SCHEMA public TO ${user}; (and ALTER DEFAULT PRIVILEGES for the tables later releases add)`,
  );
}

/**
 * Runs `migrate` while holding the database's migration lock, so that processes starting at once (two
 * replicas, `npm run migrate` beside a starting service) migrate one after the other and the later ones
 * find nothing pending, instead of failing on tables the first is creating. The lock is a transaction's
 * (`pg_advisory_xact_lock`) held open on a connection of its own: it also holds through PgBouncer's
 * transaction pooling, and it goes with the connection if this process dies.
 */
async function oneMigratorAtATime<T>(config: DatabaseConfig, migrate: () => Promise<T>): Promise<T> {
  const lock = new Client({ connectionString: config.url });
  await lock.connect().catch((error: unknown) => {
    throw new DatabaseUnreachableError(config.url, error, config.setting);
  });
  try {
    await lock.query('BEGIN');
    await lock.query('SET LOCAL idle_in_transaction_session_timeout = 0'); // long migrations keep it
    await lock.query(`SELECT pg_advisory_xact_lock(hashtext('advisor-api migrations'))`);
    return await migrate();
  } finally {
    await lock.query('ROLLBACK').catch(() => undefined);
    await lock.end().catch(() => undefined);
  }
}

/**
 * Creates the database if needed, connects, checks the user may use its tables, refuses a database
 * ahead of the code, and runs pending migrations, each in its own transaction (what `npm run migrate`
 * does for all subgraphs before a deploy). A user that may not change the schema (the services' own user
 * where the owner runs the migrations) starts on an up-to-date database and is refused, saying so, on one
 * with migrations pending.
 */
export async function openDatabase(config: DatabaseConfig, schema: DatabaseSchema, log: Logger, options: OpenDatabaseOptions = {}): Promise<DataSource> {
  await ensureDatabase(config);
  const dataSource = new DataSource({
    type: 'postgres',
    url: config.url,
    migrations: schema.migrations,
    migrationsTransactionMode: 'each',
    synchronize: false,
    // A connection that cannot be had in time (5 s by default) fails the request (SUBGRAPH_UNAVAILABLE) instead of hanging it.
    extra: { max: config.poolSize, connectionTimeoutMillis: config.connectTimeoutMs },
    logger: new StatementTextLogger(log, options.observeStatement),
    logging: options.observeStatement ? ['query', 'error', 'warn', 'migration'] : ['error', 'warn', 'migration'],
  });
  await dataSource.initialize().catch((error: unknown) => {
    throw new DatabaseUnreachableError(config.url, error, config.setting); // it answered ensureDatabase a moment ago
  });
  try {
    refuseUngranted(config, await tablesNotGranted(dataSource));
    const ran = await oneMigratorAtATime(config, async () => {
      await refuseDatabaseAhead(dataSource, schema, databaseName(config.url));
      return dataSource.runMigrations().catch((error: unknown) => {
        if (!isInsufficientPrivilege(error)) throw error;
        throw new DatabasePermissionError(
          config.url,
          `change the schema of database ${databaseName(config.url)} to bring it up to this release (${(error as Error).message})`,
          "run `npm run migrate` with the URL of the database's owner before starting the services, or start them as the owner " +
            '(on PostgreSQL 15 and later only the owner of a database may create tables in its schema public)',
        );
      });
    });
    if (ran.length > 0) log.info({ database: databaseName(config.url), migrations: ran.map((m) => m.name) }, 'migrations ran');
  } catch (error) {
    await dataSource.destroy();
    throw error;
  }
  return dataSource;
}

/**
 * Database bootstrap shared by every subgraph: each subgraph owns one PostgreSQL database, created
 * on first start and brought up to date by its own migrations (never `synchronize`).
 */
import { Client, types } from 'pg';
import { DataSource, type Logger, type MixedList, type EntitySchema } from 'typeorm';
import type { DatabaseConfig } from './config';

// Calendar dates stay 'YYYY-MM-DD' strings (pg would make midnight-UTC Date objects of them).
const DATE_OID = 1082;
types.setTypeParser(DATE_OID, (value: string) => value);

export interface DatabaseSchema {
  entities: MixedList<Function | string | EntitySchema>;
  migrations: MixedList<Function | string>;
}

/** Name of the database a connection URL points to. */
export function databaseName(url: string): string {
  return decodeURIComponent(new URL(url).pathname.replace(/^\//, ''));
}

/** Creates the database `url` points to unless it exists (safe when two services race). */
export async function ensureDatabase(adminUrl: string, url: string): Promise<void> {
  const name = databaseName(url);
  const client = new Client({ connectionString: adminUrl });
  await client.connect();
  try {
    const found = await client.query('SELECT 1 FROM pg_database WHERE datname = $1', [name]);
    if (found.rowCount === 0) {
      await client.query(`CREATE DATABASE "${name.replace(/"/g, '""')}"`).catch((error: { code?: string }) => {
        if (error.code !== '42P04') throw error; // 42P04 duplicate_database: another process won the race
      });
    }
  } finally {
    await client.end();
  }
}

export async function dropDatabase(adminUrl: string, name: string): Promise<void> {
  const client = new Client({ connectionString: adminUrl });
  await client.connect();
  try {
    await client.query(`DROP DATABASE IF EXISTS "${name.replace(/"/g, '""')}" WITH (FORCE)`);
  } finally {
    await client.end();
  }
}

export interface OpenDatabaseOptions {
  /** Receives every SQL statement (tests count them). */
  logger?: Logger;
}

/** Creates the database if needed, connects, and runs pending migrations, each in its own transaction. */
export async function openDatabase(
  config: DatabaseConfig,
  schema: DatabaseSchema,
  options: OpenDatabaseOptions = {},
): Promise<DataSource> {
  await ensureDatabase(config.adminUrl, config.url);
  const dataSource = new DataSource({
    type: 'postgres',
    url: config.url,
    entities: schema.entities,
    migrations: schema.migrations,
    migrationsTransactionMode: 'each',
    synchronize: false,
    extra: { max: config.poolSize },
    logger: options.logger,
    logging: options.logger ? ['query', 'error'] : ['error'],
  });
  await dataSource.initialize();
  try {
    await dataSource.runMigrations();
  } catch (error) {
    await dataSource.destroy();
    throw error;
  }
  return dataSource;
}

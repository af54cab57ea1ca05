/**
 * Backups of the four subgraph databases with PostgreSQL's own tools: `pg_dump --format=custom` of each
 * into a folder with a manifest (release, server version, each database's file, checksum and migrations),
 * and `pg_restore` of such a folder into fresh databases, refused when a file does not match its checksum,
 * when a database is not empty, or when the backup is ahead of this code's migrations. The client tools
 * must be at least the server's major version (`PG_BIN` names their folder when they are not on PATH).
 */
import { execFile } from 'node:child_process';
import { createHash } from 'node:crypto';
import { mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { promisify } from 'node:util';
import { Client } from 'pg';
import type { Env } from './config';
import { loadSubgraphConfig } from './config';
import { databaseName, ensureDatabase, migrationNames } from './database';
import type { SubgraphDefinition } from './subgraph';

const run = promisify(execFile);

export interface BackupManifest {
  format: 'advisor-api-backup-1';
  createdAt: string;
  /** The release (package.json version) and commit of the code that made it, when known. */
  release: string;
  serverVersion: string;
  databases: Array<{ subgraph: string; database: string; file: string; sha256: string; bytes: number; migrations: string[] }>;
}

const tool = (name: string, env: Env) => (env.PG_BIN ? join(env.PG_BIN, name) : name);
const sha256 = (path: string) => createHash('sha256').update(readFileSync(path)).digest('hex');

async function query<T>(url: string, sql: string): Promise<T[]> {
  const client = new Client({ connectionString: url });
  await client.connect();
  try {
    return (await client.query(sql)).rows as T[];
  } finally {
    await client.end();
  }
}

/**
 * Dumps every subgraph's database into `folder` and writes its manifest.json. The files hold visits' notes
 * (要配慮個人情報) and the advisor registry: they are made readable by their owner alone (mode 600, a new folder
 * 700), whatever the umask — with the usual 022, every user of the server could read them. pg_dump inherits it.
 */
export async function backup(folder: string, definitions: ReadonlyArray<SubgraphDefinition<unknown>>, env: Env, release: string): Promise<BackupManifest> {
  const umask = process.umask(0o077);
  try {
    return await backupOwnerOnly(folder, definitions, env, release);
  } finally {
    process.umask(umask);
  }
}

async function backupOwnerOnly(folder: string, definitions: ReadonlyArray<SubgraphDefinition<unknown>>, env: Env, release: string): Promise<BackupManifest> {
  mkdirSync(folder, { recursive: true });
  const manifest: BackupManifest = { format: 'advisor-api-backup-1', createdAt: new Date().toISOString(), release, serverVersion: '', databases: [] };
  for (const definition of definitions) {
    const { url } = loadSubgraphConfig(definition.name, env).database;
    manifest.serverVersion ||= (await query<{ server_version: string }>(url, 'SHOW server_version'))[0].server_version;
    const file = `${definition.name}.dump`;
    await run(tool('pg_dump', env), ['--format=custom', '--no-owner', '--no-privileges', `--file=${join(folder, file)}`, `--dbname=${url}`]);
    const migrations = (await query<{ name: string }>(url, 'SELECT name FROM migrations ORDER BY id')).map((r) => r.name);
    const path = join(folder, file);
    manifest.databases.push({
      subgraph: definition.name,
      database: databaseName(url),
      file,
      sha256: sha256(path),
      bytes: readFileSync(path).length,
      migrations,
    });
  }
  writeFileSync(join(folder, 'manifest.json'), `${JSON.stringify(manifest, null, 2)}\n`);
  return manifest;
}

/** A restore that cannot go ahead, told in one line. */
export class RestoreRefused extends Error {}

/** Restores a backup folder into the databases `env` names (created when missing; they must be empty). */
export async function restore(folder: string, definitions: ReadonlyArray<SubgraphDefinition<unknown>>, env: Env): Promise<BackupManifest> {
  const manifest = JSON.parse(readFileSync(join(folder, 'manifest.json'), 'utf8')) as BackupManifest;
  if (manifest.format !== 'advisor-api-backup-1') throw new RestoreRefused(`${folder} is not a backup of this API (manifest format ${manifest.format})`);
  for (const entry of manifest.databases) {
    const definition = definitions.find((d) => d.name === entry.subgraph);
    if (!definition) throw new RestoreRefused(`the backup holds ${entry.subgraph}, which this version does not have`);
    if (sha256(join(folder, entry.file)) !== entry.sha256) throw new RestoreRefused(`${entry.file} does not match its checksum: the backup is damaged`);
    const known = new Set(migrationNames(definition.database));
    const ahead = entry.migrations.filter((m) => !known.has(m));
    if (ahead.length > 0)
      throw new RestoreRefused(`${entry.subgraph} was backed up by a newer release (migrations ${ahead.join(', ')}): restore it with that release`);
  }
  // Every target checked before any is written: a refusal restores nothing.
  const targets: Array<{ url: string; file: string }> = [];
  for (const entry of manifest.databases) {
    const database = loadSubgraphConfig(entry.subgraph as never, env).database;
    const { url } = database;
    await ensureDatabase(database);
    const [{ tables }] = await query<{ tables: number }>(url, "SELECT count(*)::int AS tables FROM pg_tables WHERE schemaname = 'public'");
    if (tables > 0) throw new RestoreRefused(`database ${databaseName(url)} is not empty: restore into new databases (another DATABASE_PREFIX or server)`);
    targets.push({ url, file: join(folder, entry.file) });
  }
  for (const { url, file } of targets) {
    await run(tool('pg_restore', env), ['--no-owner', '--no-privileges', '--exit-on-error', '--single-transaction', `--dbname=${url}`, file]);
  }
  return manifest;
}
